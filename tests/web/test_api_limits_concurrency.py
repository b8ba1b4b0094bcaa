"""Per-person limits hold when the API gets a person's requests all at once (the chat takes a
person's requests one at a time; the API does not), on SQLite as on PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx

from core.habits.service import MAX_ACTIVE_HABITS
from core.toolbox.service import MAX_TOOLS_PER_HABIT
from tests.web.conftest import Person

AT_ONCE = 10


async def new_habit(ada: Person, title: str) -> httpx.Response:
    return await ada.post("/api/v1/habits", json={"title": title, "schedule": "daily"})


async def test_habits_created_at_once_stop_at_the_limit(ada: Person) -> None:
    for i in range(MAX_ACTIVE_HABITS - 1):
        assert (await new_habit(ada, f"Habit {i}")).status_code == 201
    answers = await asyncio.gather(*(new_habit(ada, f"Rush {i}") for i in range(AT_ONCE)))
    assert sorted(a.status_code for a in answers) == [201] + [422] * (AT_ONCE - 1)
    listed = (await ada.get("/api/v1/habits")).json()
    assert len(listed) == MAX_ACTIVE_HABITS


async def test_tools_added_at_once_stop_at_the_limit(ada: Person) -> None:
    habit = (await new_habit(ada, "Read")).json()["id"]
    page = (await ada.get("/api/v1/tools")).json()
    tools = [t["id"] for t in page["items"]]
    while len(tools) < AT_ONCE and page.get("next_cursor"):
        page = (await ada.get("/api/v1/tools", params={"cursor": page["next_cursor"]})).json()
        tools += [t["id"] for t in page["items"]]
    assert len(tools) >= AT_ONCE
    answers = await asyncio.gather(
        *(ada.request("PUT", f"/api/v1/habits/{habit}/tools/{t}") for t in tools[:AT_ONCE])
    )
    assert sorted(a.status_code for a in answers) == [200] * MAX_TOOLS_PER_HABIT + [422] * (
        AT_ONCE - MAX_TOOLS_PER_HABIT
    )
    used = (await ada.get(f"/api/v1/habits/{habit}/tools")).json()["tools"]
    assert len(used) == MAX_TOOLS_PER_HABIT
