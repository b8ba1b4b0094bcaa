"""Bad input met trying the API as a new client developer: each gets a clear problem with the
right status, and nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime, time

import httpx

from core.clock import SettableClock
from tests.support.console import ConsoleSession
from tests.web.conftest import Person, olives_group, sign_up
from web_admin.field_messages import NOT_A_DATE
from web_admin.problems import TOO_DEEP

HABITS = "/api/v1/habits"


async def test_an_empty_schedule_is_refused_not_read_as_daily(ada: Person) -> None:
    hid = (await ada.post(HABITS, json={"title": "Gym", "schedule": "mon wed fri"})).json()["id"]
    for empty in ("", "   ", None):
        answer = await ada.request("PATCH", f"{HABITS}/{hid}", json={"schedule": empty})
        assert answer.status_code == 422, (empty, answer.text)
        assert answer.json()["errors"][0]["field"] == "schedule"
    assert (await ada.get(f"{HABITS}/{hid}")).json()["schedule"] == "Mon, Wed, Fri"


async def test_a_patch_with_one_bad_field_changes_no_field(ada: Person) -> None:
    hid = (await ada.post(HABITS, json={"title": "Gym", "schedule": "mon wed fri"})).json()["id"]
    answer = await ada.request(
        "PATCH", f"{HABITS}/{hid}", json={"title": "Lift", "why": "Strong", "schedule": "often"}
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "schedule"
    habit = (await ada.get(f"{HABITS}/{hid}")).json()
    assert (habit["title"], habit["why"], habit["schedule"]) == ("Gym", None, "Mon, Wed, Fri")


async def test_a_non_member_of_a_public_group_is_told_members_only_and_how_to_join(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    _, gid = await olives_group(api, console)
    mia = await sign_up(api, "Mia")
    answer = await mia.get(f"/api/v1/groups/{gid}/proofs")
    assert answer.status_code == 403, answer.text
    body = answer.json()
    assert body["code"] == "members_only", body
    assert body["detail"] == (
        f"Only members of Runners can do that. Join it first (POST /api/v1/groups/{gid}/join)."
    )


async def test_leaving_a_group_one_is_not_in_changes_nothing(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    """Leave is idempotent, as join is (200, joined false): a leave sent again, or by someone who
    never joined a public group, is a 204 that changes nothing. It was a 403 telling them to join
    the group first."""
    olive, gid = await olives_group(api, console)
    mia = await sign_up(api, "Mia")
    never = await mia.post(f"/api/v1/groups/{gid}/leave")
    assert never.status_code == 204, never.text
    assert (await mia.post(f"/api/v1/groups/{gid}/join")).json()["joined"]
    for _ in range(2):
        left = await mia.post(f"/api/v1/groups/{gid}/leave")
        assert left.status_code == 204, left.text
    assert (await mia.get("/api/v1/groups/mine")).json() == []
    assert (await olive.get(f"/api/v1/groups/{gid}")).json()["members"] == 1


async def test_json_nested_too_deep_to_read_is_said_plainly(ada: Person) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    headers = {**ada.headers, "Content-Type": "application/json"}
    answer = await ada.api.post(HABITS, content=deep, headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "not_json"
    assert answer.json()["detail"] == TOO_DEEP
    assert (await ada.get(HABITS)).json() == []


async def test_an_empty_invite_code_asks_for_one(ada: Person) -> None:
    for empty in ("", "   "):
        answer = await ada.post("/api/v1/groups/join", json={"invite_code": empty})
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "invite_code"
    assert (await ada.get("/api/v1/groups/mine")).json() == []


async def test_a_profile_field_given_as_null_is_refused_as_empty_is(ada: Person) -> None:
    """As a habit's title or schedule: a field that can't be cleared, given null, is a 422 on
    that field (never a 200 that changed nothing), and the other fields given do not change."""
    before = (await ada.get("/api/v1/me")).json()
    for field in ("timezone", "display_name", "day_start_hour"):
        for empty in (None, "") if field != "day_start_hour" else (None,):
            answer = await ada.request(
                "PATCH",
                "/api/v1/me",
                json={field: empty, "day_start_hour": 4}
                if field != "day_start_hour"
                else {field: empty, "timezone": "Asia/Tokyo"},
            )
            assert answer.status_code == 422, (field, empty, answer.text)
            problem = answer.json()
            assert problem["code"] == "invalid_request", problem
            assert [e["field"] for e in problem["errors"]] == [field], problem
    assert (await ada.get("/api/v1/me")).json() == before


async def test_a_number_is_not_taken_as_a_date(ada: Person, clock: SettableClock) -> None:
    """Pydantic's lax dates read a number, or digits in quotes, as seconds since 1970: a client
    sending a timestamp (or a mistyped id) for `date` got a check-in on some day it never wrote.
    Dates are YYYY-MM-DD text only, in bodies, queries and paths alike."""
    today = clock.now().astimezone(UTC).date()
    seconds = int(datetime.combine(today, time(), UTC).timestamp())
    hid = (await ada.post(HABITS, json={"title": "Read"})).json()["id"]
    for value in (seconds, str(seconds), seconds * 1000, 20270301):
        answer = await ada.post(f"{HABITS}/{hid}/checkins", json={"date": value})
        assert answer.status_code == 422, (value, answer.text)
        assert answer.json()["errors"][0]["field"] == "date"
        assert answer.json()["errors"][0]["message"] == f"date should be {NOT_A_DATE}."
    assert (await ada.get(f"{HABITS}/{hid}")).json()["done_total"] == 0
    week = await ada.get(f"{HABITS}/week", params={"start": str(seconds)})
    undo = await ada.request("DELETE", f"{HABITS}/{hid}/checkins/{seconds}")
    goal = await ada.request(
        "PATCH", "/api/v1/lifebook", json={"goals": [{"text": "Read 4 books", "due": seconds}]}
    )
    for answer, field in ((week, "start"), (undo, "day"), (goal, "goals.0.due")):
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0] | {"code": ""} == {
            "field": field,
            "message": f"{field} should be {NOT_A_DATE}.",
            "code": "",
        }
    assert (await ada.post(f"{HABITS}/{hid}/checkins", json={"date": str(today)})).is_success
