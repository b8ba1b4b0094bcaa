"""The Toolbox through the API: browse and search, one tool, share one (a few a day), use tools
for habits, and the tool finder offline (no AI key here; test_api_tool_finder.py has the AI)."""

from __future__ import annotations

from typing import Any

import pytest

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Tool
from core.uow import UnitOfWorkFactory
from tests.conftest import DEFAULT_NOW
from tests.support.admin import make_admin
from tests.web.conftest import Person, sign_up

TOOLS = "/api/v1/tools"
NEW_TOOL = {
    "title": "Walk-and-talk calls",
    "summary": "Take phone calls while walking, so catching up also gets you moving.",
    "steps": ["Pick the weekly calls", "Put on shoes before you dial", "Walk until you hang up"],
    "keywords": ["Walking", "calls", "walking"],
}


async def tool_id(person: Person, slug: str) -> int:
    answer = await person.get(f"{TOOLS}/by-name/{slug}")
    assert answer.status_code == 200, answer.text
    return int(answer.json()["id"])


async def test_browse_pages_search_and_one_tool(ada: Person) -> None:
    first = (await ada.get(TOOLS)).json()
    assert len(first["items"]) == 20 and first["next_cursor"]
    rest = (await ada.get(TOOLS, params={"cursor": first["next_cursor"]})).json()
    assert len(rest["items"]) == 11 and rest["next_cursor"] is None
    titles = [t["title"] for t in first["items"] + rest["items"]]
    assert titles == sorted(titles, key=str.lower) and len(set(titles)) == 31
    found = (await ada.get(TOOLS, params={"q": "phone"})).json()["items"]
    assert "Phone out of sight" in [t["title"] for t in found]
    assert (await ada.get(TOOLS, params={"q": "zzzz"})).json()["items"] == []
    assert (await ada.get(TOOLS, params={"q": "x" * 41})).status_code == 422
    assert (await ada.get(TOOLS, params={"cursor": "!!"})).status_code == 422
    woop = (await ada.get(f"{TOOLS}/{await tool_id(ada, 'woop')}")).json()
    assert woop["slug"] == "woop" and 3 <= len(woop["steps"]) <= 7
    assert woop["evidence"] == "research" and woop["origin"] == "seed"
    assert "Oettingen" in woop["source"]["citation"] and woop["author"] is None
    assert woop["evidence_label"].startswith("research")
    assert (await ada.get(f"{TOOLS}/999999")).status_code == 404
    missing = await ada.get(f"{TOOLS}/by-name/fone out of sight")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (
        "There is no tool called “fone out of sight”. Did you mean: Phone out of sight?"
    )
    assert (await ada.get(f"{TOOLS}/by-name/%20")).status_code == 422


async def test_share_a_tool_with_the_chat_rules_and_a_daily_limit(
    ada: Person, database: Database
) -> None:
    made = await ada.post(TOOLS, json=NEW_TOOL)
    assert made.status_code == 201, made.text
    tool = made.json()
    assert tool["author"] == "Ada" and tool["origin"] == "community"
    assert tool["evidence"] == "community" and tool["source"] is None
    assert tool["keywords"] == ["walking", "calls"] and tool["slug"].startswith("u-")
    bad: list[tuple[dict[str, Any], str]] = [
        ({**NEW_TOOL, "title": "walk-AND-talk calls"}, "title"),  # taken
        ({**NEW_TOOL, "title": "ab"}, "title"),
        ({**NEW_TOOL, "title": "Fine", "summary": "too short"}, "summary"),
        ({**NEW_TOOL, "title": "Fine", "steps": ["one", "two"]}, "steps"),
        ({**NEW_TOOL, "title": "Fine", "steps": ["s"] * 8}, "steps"),
        ({**NEW_TOOL, "title": "Fine", "steps": ["a", "b", "c" * 301]}, "steps"),
    ]
    for body, field in bad:
        answer = await ada.post(TOOLS, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"][0]["field"] == field, answer.text
    for steps in (["", " ", "x"], ["a", "\u00a0", "\x00", "b"]):  # blank steps are no steps
        answer = await ada.post(TOOLS, json={**NEW_TOOL, "title": "Fine", "steps": steps})
        assert answer.status_code == 422, (steps, answer.text)
        assert answer.json()["errors"][0]["field"] == "steps", answer.text
        assert "at least 3" in answer.json()["detail"], answer.text
    for n in (2, 3):
        assert (await ada.post(TOOLS, json={**NEW_TOOL, "title": f"Tool {n}"})).status_code == 201
    limited = await ada.post(TOOLS, json={**NEW_TOOL, "title": "Tool 4"})
    assert limited.status_code == 429 and "3 tools a day" in limited.json()["detail"]
    assert 0 < int(limited.headers["Retry-After"]) <= 24 * 3600  # until Ada's next day
    assert (await ada.get(TOOLS, params={"q": "tool 4"})).json()["items"] == []
    everyone = (await ada.get(TOOLS, params={"limit": 100})).json()["items"]
    assert len(everyone) == 34


async def test_a_shipped_tool_by_name_wins_over_a_community_namesake(
    ada: Person, database: Database
) -> None:
    taken = await ada.post(TOOLS, json={**NEW_TOOL, "title": "WOOP"})
    assert taken.status_code == 422 and taken.json()["errors"][0]["field"] == "title"
    async with database.session() as session:  # one made before that rule (or by a race)
        session.add(
            Tool(title="woop", description="Mine.", steps=["a", "b", "c"], created_at=DEFAULT_NOW)
        )
        await session.commit()
    answer = await ada.get(f"{TOOLS}/by-name/woop")  # README's example
    assert answer.status_code == 200, answer.text
    assert answer.json()["slug"] == "woop" and answer.json()["origin"] == "seed"


async def test_use_tools_for_a_habit(ada: Person) -> None:
    habit = (await ada.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    woop = await tool_id(ada, "woop")
    path = f"/api/v1/habits/{habit}/tools"
    used = await ada.request("PUT", f"{path}/{woop}")
    assert used.status_code == 200, used.text
    assert used.json()["changed"] is True and [t["slug"] for t in used.json()["tools"]] == ["woop"]
    assert (await ada.request("PUT", f"{path}/{woop}")).json()["changed"] is False
    # GET lists them; 'changed' is PUT's alone (a GET changed nothing to say so of)
    assert (await ada.get(path)).json() == {"habit_id": habit, "tools": used.json()["tools"]}
    card = (await ada.get(f"{TOOLS}/{woop}")).json()
    assert card["used_by"] == [{"id": habit, "title": "Run"}]
    assert (await ada.request("PUT", f"{path}/999999")).status_code == 404
    for slug in ("habit-stacking", "pomodoro", "fresh-start", "weekly-review"):
        assert (await ada.request("PUT", f"{path}/{await tool_id(ada, slug)}")).status_code == 200
    sixth = await ada.request("PUT", f"{path}/{await tool_id(ada, 'eat-the-frog')}")
    assert sixth.status_code == 422 and "5 tools already" in sixth.json()["detail"]
    assert len((await ada.get(path)).json()["tools"]) == 5
    assert (await ada.request("DELETE", f"{path}/{woop}")).status_code == 204
    assert (await ada.get(f"{TOOLS}/{woop}")).json()["used_by"] == []


async def test_stopping_a_tool_twice_is_a_204_as_archiving_twice_is(ada: Person) -> None:
    """Idempotent, as PUT of a tool in use (200, changed false) and archiving an archived habit
    (204) are: a tool the habit does not use is a 204 and nothing changes. A tool id that never
    was stays a 404."""
    habit = (await ada.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    path = f"/api/v1/habits/{habit}/tools"
    woop, frog = await tool_id(ada, "woop"), await tool_id(ada, "eat-the-frog")
    assert (await ada.request("PUT", f"{path}/{frog}")).status_code == 200
    for _ in range(2):
        answer = await ada.request("DELETE", f"{path}/{woop}")  # never used by this habit
        assert answer.status_code == 204, answer.text
        assert answer.content == b""
    assert (await ada.request("DELETE", f"{path}/{frog}")).status_code == 204
    assert (await ada.request("DELETE", f"{path}/{frog}")).status_code == 204
    assert (await ada.get(path)).json()["tools"] == []
    never = await ada.request("DELETE", f"{path}/999999")
    assert never.status_code == 404 and never.json()["code"] == "tool_unknown", never.text
    nohabit = await ada.request("DELETE", f"/api/v1/habits/999999/tools/{woop}")
    assert nohabit.status_code == 404 and nohabit.json()["code"] == "not_found", nohabit.text


async def test_the_finder_offline_gives_reasons_from_the_problem(ada: Person) -> None:
    problem = "I keep skipping the gym after work"
    answer = await ada.post(f"{TOOLS}/find", json={"problem": problem})
    assert answer.status_code == 200, answer.text
    finding = answer.json()
    assert finding["answered_by"] is None
    assert finding["footnote"] == "Ranked offline (no AI service is set up)."
    first, *others = finding["suggestions"]
    assert first["tool"]["slug"] == "environment-design" and len(others) == 2
    assert first["by_ai"] is False
    assert first["matched_words"] == ["skipping", "gym", "after", "work"]
    assert first["reason"].startswith("You wrote “skipping”, “gym”, “after” and “work”")
    assert all(s["reason"] and s["tool"]["id"] for s in finding["suggestions"])
    other = (await ada.post(f"{TOOLS}/find", json={"problem": "I bite my nails"})).json()
    assert other["suggestions"][0]["reason"] != first["reason"]


@pytest.mark.parametrize(
    ("problem", "status", "read"),
    [
        ("", 422, None),
        ("  \n ", 422, None),
        ("? 🙃", 422, None),
        ("gym " * 2500, 200, 500),
        ("g" * 10_001, 422, None),
    ],
    ids=["empty", "blank", "no words", "10,000 characters", "over the cap"],
)
async def test_the_finder_refuses_empty_and_huge_problems(
    ada: Person, problem: str, status: int, read: int | None
) -> None:
    answer = await ada.post(f"{TOOLS}/find", json={"problem": problem})
    assert answer.status_code == status, answer.text
    if status == 422:
        assert answer.json()["errors"][0]["field"] == "problem"
    else:
        assert answer.json()["read_characters"] == read
        assert len(answer.json()["suggestions"]) == 3


async def test_another_persons_community_tool_shows_its_author(ada: Person) -> None:
    bob = await sign_up(ada.api, "Bob")
    made = (await ada.post(TOOLS, json=NEW_TOOL)).json()
    seen = (await bob.get(f"{TOOLS}/{made['id']}")).json()
    assert seen["author"] == "Ada" and seen["used_by"] == []


async def test_a_tool_that_never_was_is_not_found_and_a_hidden_one_is_gone(
    ada: Person, database: Database, clock: SettableClock
) -> None:
    never = await ada.get(f"{TOOLS}/999999")
    assert never.status_code == 404 and never.json()["code"] == "tool_unknown", never.text
    assert never.json()["detail"] == (
        "There is no tool with the id 999999. Browse them with GET /api/v1/tools."
    )
    habit = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    use = await ada.request("PUT", f"/api/v1/habits/{habit}/tools/999999")
    assert use.status_code == 404 and use.json()["code"] == "tool_unknown"
    units = UnitOfWorkFactory(database, clock)
    admin = await make_admin(units)
    hidden = await tool_id(ada, "woop")
    async with units() as uow:
        assert await uow.admin.tools.hide(admin, hidden)
        await uow.commit()
    gone = await ada.get(f"{TOOLS}/{hidden}")
    assert gone.status_code == 404 and gone.json()["code"] == "tool_gone"
    assert "not in the Toolbox any more" in gone.json()["detail"]


async def test_a_habit_keeps_a_tool_an_admin_hid_until_it_is_detached(
    ada: Person, database: Database, clock: SettableClock
) -> None:
    """It was left out of the habit's tools and DELETE answered 404 tool_gone: no way to stop
    using it. Now it is listed with in_toolbox false, and DELETE detaches it; PUT stays refused."""
    habit = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    woop = await tool_id(ada, "woop")
    assert (await ada.request("PUT", f"/api/v1/habits/{habit}/tools/{woop}")).status_code == 200
    units = UnitOfWorkFactory(database, clock)
    admin = await make_admin(units)
    async with units() as uow:
        assert await uow.admin.tools.hide(admin, woop)
        await uow.commit()
    listed = (await ada.get(f"/api/v1/habits/{habit}/tools")).json()["tools"]
    assert [(t["id"], t["in_toolbox"]) for t in listed] == [(woop, False)]
    again = await ada.request("PUT", f"/api/v1/habits/{habit}/tools/{woop}")
    assert again.status_code == 404 and again.json()["code"] == "tool_gone"
    gone = await ada.request("DELETE", f"/api/v1/habits/{habit}/tools/{woop}")
    assert gone.status_code == 204, gone.text
    assert (await ada.get(f"/api/v1/habits/{habit}/tools")).json()["tools"] == []
