"""The shipped Toolbox goes into a fresh database once, however many requests need it at once
(core.toolbox.service.sync_seed), on SQLite as on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import httpx

from core.toolbox.spec import load_seed
from tests.web.conftest import Person, sign_up

AT_ONCE = 6


def share(person: Person, n: int) -> Awaitable[httpx.Response]:
    body = {
        "title": f"Seed race tool {n}",
        "summary": "Shared on a fresh database, while the shipped tools go in.",
        "steps": ["First step", "Second step", "Third step"],
    }
    return person.post("/api/v1/tools", json=body)


async def test_first_reads_at_once_seed_the_toolbox_once(ada: Person) -> None:
    answers = await asyncio.gather(*(ada.get("/api/v1/tools") for _ in range(AT_ONCE)))
    assert [a.status_code for a in answers] == [200] * AT_ONCE, [a.text for a in answers]
    woop = await ada.get("/api/v1/tools", params={"q": "woop"})
    assert [t["slug"] for t in woop.json()["items"]] == ["woop"]


async def test_first_shares_at_once_seed_the_toolbox_once(
    api: httpx.AsyncClient, ada: Person
) -> None:
    people = [ada, *[await sign_up(api, name) for name in ("Bea", "Cy", "Dee", "Eve", "Flo")]]
    answers = await asyncio.gather(*(share(p, n) for n, p in enumerate(people)))
    assert [a.status_code for a in answers] == [201] * len(people), [a.text for a in answers]
    seed = [t for t in await all_tools(ada) if t["origin"] == "seed"]
    assert len(seed) == len(load_seed().tools)


async def all_tools(person: Person) -> list[dict[str, object]]:
    page = (await person.get("/api/v1/tools")).json()
    tools = list(page["items"])
    while page.get("next_cursor"):
        page = (await person.get("/api/v1/tools", params={"cursor": page["next_cursor"]})).json()
        tools += page["items"]
    return tools
