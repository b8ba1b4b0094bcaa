"""A link code refused through the API: worded for an API client (no "send /link CODE"; the code
comes from the bot, the answer goes to POST /api/v1/me/link), with a code per reason."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx

from core.clock import SettableClock
from tests.support.console import ConsoleSession
from tests.web.conftest import PASSWORD, Person, sign_up
from tests.web.test_api_error_words import CHAT_COMMAND

LINK = "/api/v1/me/link"
CODE = re.compile(r"code: ([A-Z0-9]{8,10})")


def refused(answer: httpx.Response, code: str, status: int = 422) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["code"] == code, body
    assert not CHAT_COMMAND.search(body["detail"]), body["detail"]
    if status == 422:
        assert body["errors"] == [{"field": "code", "message": body["detail"], "code": code}]
    return body


async def chat_code(console: ConsoleSession) -> str:
    found = CODE.search(await console.say("/link"))
    assert found
    return found.group(1)


async def test_a_malformed_and_an_unknown_code(ada: Person) -> None:
    body = refused(await ada.post(LINK, json={"code": "ABCD"}), "link_code_malformed")
    assert "POST /api/v1/me/link" in body["detail"]
    refused(await ada.post(LINK, json={"code": "WRNGC2DE"}), "link_code_unknown")


async def test_an_expired_code_and_one_already_brought_in(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession, clock: SettableClock
) -> None:
    code = await chat_code(console)
    clock.advance(timedelta(minutes=16))
    login = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    ada = Person(api, login.json(), ada.email)  # the access token expired meanwhile
    body = refused(await ada.post(LINK, json={"code": code}), "link_code_expired")
    assert "bot" in body["detail"]
    fresh = await chat_code(console)
    assert (await ada.post(LINK, json={"code": fresh})).status_code == 200
    again = refused(await ada.post(LINK, json={"code": fresh}), "link_code_used")
    assert again["detail"] == (
        "That code has already been used: its account is part of this profile now. Nothing to do."
    )


async def test_a_code_used_by_another_account_says_it_was_used(
    api: httpx.AsyncClient, ada: Person, console: ConsoleSession
) -> None:
    code = await chat_code(console)
    assert (await ada.post(LINK, json={"code": code})).status_code == 200
    bob = await sign_up(api, "Bob")
    body = refused(await bob.post(LINK, json={"code": code}), "link_code_used")
    assert body["detail"] == (
        "That code has already been used. Ask the bot for a new one in a private chat with the "
        "account to join this one."
    )


async def test_a_live_code_of_this_profile_is_already_linked(
    ada: Person, console: ConsoleSession
) -> None:
    """The console account joined Ada's; a new code it makes is of Ada's own profile."""
    assert (await ada.post(LINK, json={"code": await chat_code(console)})).status_code == 200
    body = refused(await ada.post(LINK, json={"code": await chat_code(console)}), "already_linked")
    assert body["detail"] == (
        "This web account is already part of your HabitLink profile. Nothing to do."
    )


async def test_a_code_this_account_made(ada: Person) -> None:
    own = (await ada.post("/api/v1/me/link-code")).json()["code"]
    refused(await ada.post(LINK, json={"code": own}), "link_code_own")


async def test_too_many_wrong_codes(ada: Person) -> None:
    for _ in range(4):
        await ada.post(LINK, json={"code": "WRNGC2DE"})
    refused(await ada.post(LINK, json={"code": "WRNGC2DE"}), "link_code_throttled", 429)
