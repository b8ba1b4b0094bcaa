"""GET /api/v1/habits/week shows what the chat's /week shows: a habit's days before it began are
`before_start` (blank in the chat's text, "Not started" in its picture), and a habit begun after
the week asked for is not in it. The OpenAPI document lists every value a day can take."""

from __future__ import annotations

from datetime import timedelta

import httpx

from core.clock import SettableClock
from core.habits.history import DayMark
from tests.support.console import ConsoleSession
from tests.web.conftest import PASSWORD, Person, link_console_user

WEEK = "/api/v1/habits/week"


async def days_later(person: Person, clock: SettableClock, days: int) -> None:
    """The clock moves on, and the person signs in again (an access token lasts minutes)."""
    clock.advance(timedelta(days=days))
    login = {"email": person.email, "password": PASSWORD}
    person.tokens = (await person.api.post("/api/v1/auth/login", json=login)).json()


async def test_days_before_a_habit_began_are_before_start_as_in_the_chat(
    ada: Person, clock: SettableClock, console: ConsoleSession
) -> None:
    await link_console_user(ada, console, "Ada")
    await ada.post("/api/v1/habits", json={"title": "Read"})  # Monday 23 March
    await days_later(ada, clock, 2)
    await ada.post("/api/v1/habits", json={"title": "Run"})  # Wednesday 25 March
    this_week = (await ada.get(WEEK)).json()
    assert this_week["start"] == "2026-03-23"
    assert {h["title"]: h["days"] for h in this_week["habits"]} == {
        "Read": ["missed", "missed", "pending", *["future"] * 4],
        "Run": ["before_start", "before_start", "pending", *["future"] * 4],
    }
    chat = await console.say(":user Ada", ":chat dm", "/week")
    assert " Read           ✗ ✗ ○\n" in chat and " Run                ○\n" in chat, chat


async def test_a_habit_begun_after_the_week_is_not_in_it_as_in_the_chat(
    ada: Person, clock: SettableClock, console: ConsoleSession
) -> None:
    await link_console_user(ada, console, "Ada")
    await ada.post("/api/v1/habits", json={"title": "Read"})  # Monday 23 March
    await days_later(ada, clock, 7)
    await ada.post("/api/v1/habits", json={"title": "Run"})  # Monday 30 March
    last_week = (await ada.get(WEEK, params={"start": "2026-03-25"})).json()
    assert last_week["start"] == "2026-03-23"
    assert [h["title"] for h in last_week["habits"]] == ["Read"]
    assert "Run" not in await console.say(":user Ada", ":chat dm", "/week last")
    earlier = (await ada.get(WEEK, params={"start": "2026-03-16"})).json()
    assert earlier == {"start": "2026-03-16", "habits": []}
    said = await console.say("/week 2026-03-16")
    assert "None of your habits existed yet that week." in said


async def test_the_document_lists_every_value_of_a_day(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    items = schemas["HabitWeek"]["properties"]["days"]["items"]
    mark = schemas[items["$ref"].rpartition("/")[2]] if "$ref" in items else items
    assert set(mark["enum"]) == {m.value for m in DayMark}
    assert (
        "before_start (the habit had not begun"
        in schemas["HabitWeek"]["properties"]["days"]["description"]
    )
    assert "not in it" in schemas["Week"]["properties"]["habits"]["description"]
