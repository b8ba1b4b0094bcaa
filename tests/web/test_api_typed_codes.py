"""Codes typed through the API as a person types them: an invite code in another case."""

from __future__ import annotations

import httpx

from tests.e2e.test_console_group_week import invite_code
from tests.support.console import ConsoleSession
from tests.web.conftest import sign_up


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
