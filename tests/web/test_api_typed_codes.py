"""Codes typed through the API as a person types them: an invite code in another case, and a
link code made by another web account."""

from __future__ import annotations

import httpx

from tests.e2e.test_console_group_week import invite_code
from tests.support.console import ConsoleSession
from tests.web.conftest import Person, sign_up
from tests.web.test_api_error_words import CHAT_COMMAND

LINK = "/api/v1/me/link"


async def test_an_invite_code_joins_in_any_case_and_with_spaces(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    """POST groups/join compared the code exactly: one typed in capitals was 'No group has that
    invite code.'"""
    await console.say(":user Alice", ":chat group Book club", "/newgroup Book club private")
    code = invite_code(await console.say("/invite"))
    nora = await sign_up(api, "Nora")
    joined = await nora.post("/api/v1/groups/join", json={"invite_code": f" {code.swapcase()} "})
    assert joined.status_code == 200, joined.text
    assert joined.json()["group"]["name"] == "Book club" and joined.json()["joined"]
    wrong = code[:-1] + ("X" if code[-1].upper() != "X" else "Y")
    assert (await nora.post("/api/v1/groups/join", json={"invite_code": wrong})).status_code == 404


async def test_another_web_accounts_link_code_is_refused_for_what_it_is(
    api: httpx.AsyncClient, ada: Person
) -> None:
    """Bob typed Ada's code (both web accounts) and was told 'That code was made by this
    account', which it wasn't. Two web accounts each sign in with their own email; joining them
    would stop one from signing in, so it is refused saying so, and both stay as they were."""
    code = (await ada.post("/api/v1/me/link-code")).json()["code"]
    bob = await sign_up(api, "Bob")
    answer = await bob.post(LINK, json={"code": code})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "link_code_web_account", body
    assert body["detail"] == (
        "That code was made by another web account. Two web accounts can't be joined: each "
        "signs in with its own email, and one would stop working. A link code joins a chat "
        "account with a web account: ask the bot for one in a private chat with the account "
        "to join this one."
    )
    assert not CHAT_COMMAND.search(body["detail"])
    assert (await ada.get("/api/v1/me")).status_code == 200
    assert (await bob.get("/api/v1/me")).status_code == 200
    # The code still works for a chat account, and Ada's own code is still her own.
    own = await ada.post(LINK, json={"code": code})
    assert own.json()["code"] == "link_code_own"
