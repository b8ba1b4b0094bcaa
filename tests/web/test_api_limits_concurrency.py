"""Per-person limits hold when the API gets a person's requests all at once (the chat takes a
person's requests one at a time; the API does not), on SQLite as on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import httpx

from core.habits.archive import MAX_ACTIVE_HABITS
from core.toolbox.service import MAX_TOOLS_PER_HABIT
from tests.web.conftest import Person

AT_ONCE = 10
# Each share waits for the one before it to commit: a shorter queue keeps every wait far below
# the 3 s lock timeout on a loaded machine.
SHARES_AT_ONCE = 6


async def new_habit(ada: Person, title: str) -> httpx.Response:
    return await ada.post("/api/v1/habits", json={"title": title, "schedule": "daily"})


async def test_habits_created_at_once_stop_at_the_limit(ada: Person) -> None:
    for i in range(MAX_ACTIVE_HABITS - 1):
        assert (await new_habit(ada, f"Habit {i}")).status_code == 201
    answers = await asyncio.gather(*(new_habit(ada, f"Rush {i}") for i in range(AT_ONCE)))
    assert sorted(a.status_code for a in answers) == [201] + [422] * (AT_ONCE - 1)
    listed = (await ada.get("/api/v1/habits")).json()
    assert len(listed) == MAX_ACTIVE_HABITS


async def test_habits_restored_at_once_stop_at_the_limit_and_at_a_shared_title(
    ada: Person,
) -> None:
    archived = []
    for title in [f"Spare {i}" for i in range(AT_ONCE - 2)] + ["Read", "read"]:
        hid = (await new_habit(ada, title)).json()["id"]
        assert (await ada.post(f"/api/v1/habits/{hid}/archive")).status_code == 204
        archived.append(hid)
    for i in range(MAX_ACTIVE_HABITS - 3):
        assert (await new_habit(ada, f"Habit {i}")).status_code == 201
    answers = await asyncio.gather(*(ada.post(f"/api/v1/habits/{h}/restore") for h in archived))
    # Three places left, and only one of the two Reads may take one.
    assert sorted(a.status_code for a in answers) == [200] * 3 + [422] * (AT_ONCE - 3)
    listed = (await ada.get("/api/v1/habits")).json()
    assert len(listed) == MAX_ACTIVE_HABITS
    assert sum(h["title"].lower() == "read" for h in listed) <= 1
    left = (await ada.get("/api/v1/habits/archived")).json()["items"]
    assert len(left) == AT_ONCE - 3


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


async def test_tools_shared_at_once_past_the_daily_limit_all_get_429(ada: Person) -> None:
    def share(n: int) -> Awaitable[httpx.Response]:
        body = {
            "title": f"Rush tool {n}",
            "summary": "Something shared many times at once, to race the daily limit.",
            "steps": ["First step", "Second step", "Third step"],
        }
        return ada.post("/api/v1/tools", json=body)

    assert (await ada.get("/api/v1/tools")).status_code == 200  # the seed is in, as in serving
    answers = await asyncio.gather(*(share(n) for n in range(SHARES_AT_ONCE)))
    per_day = 3  # TOOLS_PER_DAY's default
    assert sorted(a.status_code for a in answers) == [201] * per_day + [429] * (
        SHARES_AT_ONCE - per_day
    ), [a.text for a in answers]
    later = await share(SHARES_AT_ONCE)  # the sequential path, for comparison
    for refused in [a for a in answers if a.status_code == 429] + [later]:
        assert refused.status_code == 429
        assert refused.json()["detail"] == later.json()["detail"]
        assert "3 tools a day" in refused.json()["detail"]
        assert 0 < int(refused.headers["Retry-After"]) <= 24 * 3600
    shared = (await ada.get("/api/v1/tools", params={"q": "rush"})).json()["items"]
    assert len(shared) == per_day
