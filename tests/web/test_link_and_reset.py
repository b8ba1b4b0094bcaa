"""Chat and web become one person, in both directions; a password reset with a code from chat."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from tests.support.console import ConsoleSession
from tests.web.conftest import PASSWORD, Person, sign_up

CODE = re.compile(r"code: ([A-Z0-9]{8,10})")


def code_in(shown: str) -> str:
    found = CODE.search(shown)
    assert found, shown
    return found.group(1)


async def test_chat_code_brings_the_chat_account_into_the_web_account(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession
) -> None:
    await console.say("/newhabit Read")
    shown = await console.say("/link")
    code = CODE.search(shown)
    assert code, shown
    await ada.post("/api/v1/habits", json={"title": "Run"})
    linked = await ada.post("/api/v1/me/link", json={"code": code.group(1)})
    assert linked.status_code == 200, linked.text
    body = linked.json()
    assert body["user"]["email"] == "ada@example.com"
    assert [i["platform"] for i in body["user"]["identities"]] == ["console"]
    fresh = Person(api, body["tokens"], ada.email)
    titles = [h["title"] for h in (await fresh.get("/api/v1/habits")).json()]
    assert titles == ["Run", "Read"]
    # The web account is the one kept (it typed the code): its sign-in goes on.
    assert (await ada.get("/api/v1/me")).json()["email"] == ada.email
    login = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert login.status_code == 200
    assert "Run" in await console.say("/habits")


async def test_web_code_brings_the_web_account_into_the_chat_profile(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession
) -> None:
    await console.say("/newhabit Stretch")
    issued = await ada.post("/api/v1/me/link-code")
    code = issued.json()["code"]
    answer = await console.say(f"/link {code}", ":press 1")
    assert "Linked!" in answer and "web account" in answer
    # The chat account typed the code and is kept; the web account's email and password moved
    # over, so the old access token (of the account given up) no longer works, a new login does.
    ended = await ada.get("/api/v1/me")
    assert ended.status_code == 401
    assert "joined into another profile by linking accounts" in ended.json()["detail"]
    login = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert login.status_code == 200
    fresh = Person(api, login.json(), ada.email)
    me = (await fresh.get("/api/v1/me")).json()
    assert [i["platform"] for i in me["identities"]] == ["console"]
    habits = (await fresh.get("/api/v1/habits")).json()
    assert [h["title"] for h in habits] == ["Stretch"]


async def test_a_second_web_account_joined_in_says_its_sign_in_is_dropped(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession
) -> None:
    """A profile has one web account: joining a second one keeps the profile's email, and the
    reply says the other address no longer signs in (it used to vanish without a word)."""
    code = (await ada.post("/api/v1/me/link-code")).json()["code"]
    assert "Linked!" in await console.say(f"/link {code}", ":press 1")
    bea = await sign_up(api, "Bea")
    code = (await bea.post("/api/v1/me/link-code")).json()["code"]
    answer = await console.say(f"/link {code}", ":press 1")
    assert (
        "\n     Dropped: the web sign-in bea@example.com (a profile has one web account, and this "
        "one keeps its own email and password).\n"
    ) in answer, answer
    refused = await api.post("/api/v1/auth/login", json={"email": bea.email, "password": PASSWORD})
    assert refused.status_code == 401
    kept = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert kept.status_code == 200


async def test_the_api_says_which_sign_in_a_link_dropped(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession
) -> None:
    """The web account types the code of a chat profile that has its own email: the web account
    keeps its sign-in, and the answer's `dropped` names the address that no longer signs in."""
    bea = await sign_up(api, "Bea")
    code = (await bea.post("/api/v1/me/link-code")).json()["code"]
    assert "Linked!" in await console.say(f"/link {code}", ":press 1")  # the chat has bea's email
    code = code_in(await console.say("/link"))
    linked = await ada.post("/api/v1/me/link", json={"code": code})
    assert linked.status_code == 200, linked.text
    assert linked.json()["dropped"] == [
        "the web sign-in bea@example.com (a profile has one web account, and this one keeps its "
        "own email and password)"
    ]
    assert linked.json()["user"]["email"] == ada.email


async def test_wrong_link_code_is_a_field_error_and_counts(ada: Person) -> None:
    for left in (4, 3, 2, 1):
        answer = await ada.post("/api/v1/me/link", json={"code": "WRNGC2DE"})
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "code"
        assert f"{left} more wrong" in answer.json()["detail"]
    paused = await ada.post("/api/v1/me/link", json={"code": "WRNGC2DE"})
    assert paused.status_code == 429 and int(paused.headers["retry-after"]) > 0


async def test_text_that_cannot_be_a_code_is_a_field_error_that_does_not_count(
    ada: Person,
) -> None:
    """A typo (too short, too long, a letter codes never have) can match no code: it says what a
    code looks like and leaves all five tries."""
    for typo in ("WRONG234", "ABCD", "WRNG0DE1", "K7PM-4QXT-Z"):
        answer = await ada.post("/api/v1/me/link", json={"code": typo})
        assert answer.status_code == 422, typo
        assert answer.json()["errors"][0]["field"] == "code"
        assert answer.json()["detail"].startswith("That isn't a link code: a link code has 8 ")
    answer = await ada.post("/api/v1/me/link", json={"code": "WRNGC2DE"})
    assert "4 more wrong codes" in answer.json()["detail"]


async def linked_person(api: httpx.AsyncClient, ada: Person, console: ConsoleSession) -> None:
    code = (await ada.post("/api/v1/me/link-code")).json()["code"]
    assert "Linked!" in await console.say(f"/link {code}", ":press 1")


async def test_reset_password_with_a_code_from_chat(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession, clock: SettableClock
) -> None:
    assert "no web account" in await console.say("/resetpassword")
    await linked_person(api, ada, console)
    assert f"Web account: {ada.email} · /resetpassword\n" in await console.say("/settings")
    shown = await console.say("/resetpassword")
    code = CODE.search(shown)
    assert code, shown
    body = {"email": ada.email, "code": code.group(1).lower(), "new_password": "brand new words"}
    weak = await api.post("/api/v1/auth/reset", json={**body, "new_password": "12345678"})
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    assert (await api.post("/api/v1/auth/reset", json=body)).status_code == 204
    # single use, and every refresh token is revoked
    assert (await api.post("/api/v1/auth/reset", json=body)).status_code == 400
    refresh = await api.post(
        "/api/v1/auth/refresh", json={"refresh_token": ada.tokens["refresh_token"]}
    )
    assert refresh.status_code == 401
    login = await api.post(
        "/api/v1/auth/login", json={"email": ada.email, "password": "brand new words"}
    )
    assert login.status_code == 200


async def test_reset_code_expires_after_15_minutes(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession, clock: SettableClock
) -> None:
    await linked_person(api, ada, console)
    code = CODE.search(await console.say("/resetpassword"))
    assert code
    clock.advance(timedelta(minutes=15))
    body = {"email": ada.email, "code": code.group(1), "new_password": "brand new words"}
    assert (await api.post("/api/v1/auth/reset", json=body)).status_code == 400


async def test_a_chat_person_can_add_email_and_password(
    api: httpx.AsyncClient, console: ConsoleSession, bot: HabitLinkBot
) -> None:
    await console.say("/newhabit Walk")
    code = CODE.search(await console.say("/link"))
    assert code
    web = await sign_up(api, "Walker")
    assert (await web.post("/api/v1/me/link", json={"code": code.group(1)})).status_code == 200
    assert "walker@example.com" in await console.say("/resetpassword")
