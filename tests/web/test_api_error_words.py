"""The domain's refusals in the API's terms: never a chat command (an API user has no /done), the
request field they are about in `errors`, and the chat keeps its own wording."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from core.errors import Code
from tests.support.console import ConsoleSession
from tests.web.conftest import Person, olives_group, sign_up
from web_admin.error_words import WORDS

CHAT_COMMAND = re.compile(r"(?:^|[\s(“'])/(?!api/)[a-z]+")  # /done, /join; not /api/v1/...
FACTS: dict[str, Any] = {
    "title": "Read",
    "same": "Read",
    "start": date(2026, 3, 23),
    "day": date(2026, 3, 22),
    "schedule": "on Mon",
    "group": "Runners",
    "group_id": 7,
    "limit": 50,
    "typed": "woop",
    "habit": "Read",
}


def refused(answer: httpx.Response, status: int = 422) -> tuple[str, dict[str, str]]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    errors = {e["field"]: e["message"] for e in problem.get("errors", [])}
    for said in [problem["detail"], *errors.values()]:
        assert not CHAT_COMMAND.search(said), problem
    return problem["detail"], errors


def test_every_code_has_api_words_and_none_names_a_chat_command() -> None:
    for code in Code:
        said = WORDS[code].say(FACTS)
        assert said and not CHAT_COMMAND.search(said), (code, said)


async def test_a_skip_before_the_start_names_the_date_field_and_no_command(ada: Person) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    answer = await ada.post(
        f"/api/v1/habits/{hid}/checkins", json={"date": "2026-03-20", "status": "skipped"}
    )
    detail, errors = refused(answer)
    assert detail == (
        "Read starts on 2026-03-23, so there is nothing to skip on 2026-03-20. A check-in with "
        "status 'done' for that day would start it there."
    )
    assert errors == {"date": detail}


async def test_a_skip_on_a_rest_day_names_the_date_field(ada: Person) -> None:
    made = await ada.post("/api/v1/habits", json={"title": "Gym", "schedule": "mon wed fri"})
    hid = made.json()["id"]
    answer = await ada.post(  # 2026-03-24 is a Tuesday, after the start (Monday 23rd)
        f"/api/v1/habits/{hid}/checkins", json={"date": "2026-03-24", "status": "skipped"}
    )
    assert answer.status_code == 422, answer.text  # a day in the future is refused first
    today = await ada.post(  # so: a rest day in the past, after a done that starts it earlier
        f"/api/v1/habits/{hid}/checkins", json={"date": "2026-03-16"}
    )
    assert today.status_code == 200, today.text
    answer = await ada.post(
        f"/api/v1/habits/{hid}/checkins", json={"date": "2026-03-17", "status": "skipped"}
    )
    detail, errors = refused(answer)
    assert detail == (
        "Gym is not due on Tuesdays (it is on Mon, Wed, Fri), so there is nothing to skip on "
        "2026-03-17."
    )
    assert errors == {"date": detail}


async def test_restoring_beside_the_same_title_names_the_title_field(ada: Person) -> None:
    old = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    assert (await ada.post(f"/api/v1/habits/{old}/archive")).status_code == 204
    assert (await ada.post("/api/v1/habits", json={"title": "read"})).status_code == 201
    detail, errors = refused(await ada.post(f"/api/v1/habits/{old}/restore"))
    assert "PATCH /api/v1/habits/{habit_id}" in detail and errors == {"title": detail}


async def test_group_and_learning_refusals_speak_of_routes(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    olive, gid = await olives_group(api, console)
    mia = await sign_up(api, "Mia")
    assert (await mia.post(f"/api/v1/groups/{gid}/join")).status_code == 200
    detail, _ = refused(await olive.post(f"/api/v1/groups/{gid}/leave"), 403)
    assert detail.startswith("You own Runners, and it has other members")
    learning = {"content": "Start tiny"}
    assert (await mia.post(f"/api/v1/groups/{gid}/learnings", json=learning)).status_code == 201
    detail, errors = refused(await mia.post(f"/api/v1/groups/{gid}/learnings", json=learning))
    assert detail == f"You already shared that in Runners (GET /api/v1/groups/{gid}/learnings)."
    assert errors == {"content": detail}
    # The chat keeps its words.
    await console.say(":user Olive", ":chat group Runners", "/learn Keep going")
    said = await console.say("/learn Keep going")
    assert "You already shared that in Runners (/learnings)." in said, said


async def test_a_serves_value_that_is_no_key_names_the_api_route(ada: Person) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    answer = await ada.request("PUT", f"/api/v1/habits/{hid}/serves", json={"serves": "health"})
    _, errors = refused(answer)  # "GET /lifebook" reads as the chat's /lifebook
    assert "GET /api/v1/lifebook" in errors["serves"], errors


async def test_an_empty_learning_names_the_content_field_and_no_command(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    olive, gid = await olives_group(api, console)
    for empty in ("", "   "):
        answer = await olive.post(f"/api/v1/groups/{gid}/learnings", json={"content": empty})
        detail, errors = refused(answer)
        assert answer.json()["code"] == "learning_empty" and errors == {"content": detail}
    assert (await olive.get(f"/api/v1/groups/{gid}/learnings")).json()["items"] == []


# Refusals whose words name a chat command yet carry no code: each is raised only on a path the
# API does not take (the API has ids, not a habit's name or number; no group is made, nor anyone
# kicked, through it; it checks a tool finder's problem and a goal's text itself; it has no
# reminders).
CHAT_ONLY = {
    ("core/reminders/service.py", "add"),
    ("core/social/learnings.py", "delete_nth"),
    ("core/finder/service.py", "find"),
    ("core/lifebook/service.py", "add_goal"),
    ("core/groups/names.py", "clean_name"),
    ("core/groups/service.py", "create"),
    ("core/groups/service.py", "_may_remove"),
    ("core/habits/service.py", "find"),
}
REFUSALS = {"HabitLinkError", "InvalidInput", "InvalidField", "NotFound", "Forbidden"}


def test_every_core_refusal_naming_a_chat_command_has_a_code_or_is_chat_only() -> None:
    """A new refusal worded with a command (Send /join first) must carry a code, for the API
    to say it in its own terms (WORDS), unless it can only come from the chat."""
    root = Path(__file__).resolve().parents[2]
    found: list[str] = []
    for path in sorted((root / "core").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            where = (str(path.relative_to(root)), function.name)
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                    continue
                if call.func.id not in REFUSALS or any(k.arg == "code" for k in call.keywords):
                    continue
                texts = [
                    n.value
                    for n in ast.walk(call)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
                if any(CHAT_COMMAND.search(t) for t in texts) and where not in CHAT_ONLY:
                    found.append(f"{where[0]}:{call.lineno} {' '.join(texts)[:80]}")
    assert not found, found


async def test_a_skip_of_a_day_done_is_refused_as_the_chat_refuses_it(ada: Person) -> None:
    """A skip never replaces a done: the chat says so and how to skip instead; the API answered
    200 as if the skip were taken (status 'done', changed false)."""
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    assert (await ada.post(f"/api/v1/habits/{hid}/checkins", json={})).status_code == 200
    answer = await ada.post(f"/api/v1/habits/{hid}/checkins", json={"status": "skipped"})
    detail, errors = refused(answer)
    assert answer.json()["code"] == "already_done"
    assert detail == (
        "Read was already done on 2026-03-23. To skip it instead, take the done back first: "
        f"DELETE /api/v1/habits/{hid}/checkins/2026-03-23."
    )
    assert errors == {"status": detail}
    assert (await ada.get(f"/api/v1/habits/{hid}")).json()["today"]["status"] == "done"
    # A done again, or a skip of a day skipped, is still taken as it is: nothing to refuse.
    again = await ada.post(f"/api/v1/habits/{hid}/checkins", json={"status": "done"})
    assert again.status_code == 200 and not again.json()["changed"]
    await ada.request("DELETE", f"/api/v1/habits/{hid}/checkins/2026-03-23")
    for changed in (True, False):
        skip = await ada.post(f"/api/v1/habits/{hid}/checkins", json={"status": "skipped"})
        assert skip.status_code == 200 and skip.json()["changed"] is changed
        assert skip.json()["status"] == "skipped"
