"""Archived habits through the API: GET habits/archived (paged, newest first, with their
history) and POST habits/{id}/restore, with the chat's rules (core/habits/archive.py)."""

from __future__ import annotations

from datetime import timedelta

import httpx

from core.clock import SettableClock
from core.habits.archive import MAX_ACTIVE_HABITS
from tests.web.conftest import PASSWORD, Person, sign_up


async def habit(person: Person, title: str, *days: str) -> int:
    created = await person.post("/api/v1/habits", json={"title": title})
    assert created.status_code == 201, created.text
    hid: int = created.json()["id"]
    for day in days:
        done = await person.post(f"/api/v1/habits/{hid}/checkins", json={"date": day})
        assert done.status_code == 200, done.text
    return hid


async def archive(person: Person, hid: int) -> None:
    assert (await person.post(f"/api/v1/habits/{hid}/archive")).status_code == 204


async def test_archived_habits_are_listed_newest_first_in_pages(ada: Person) -> None:
    assert (await ada.get("/api/v1/habits/archived")).json() == {"items": [], "next_cursor": None}
    read = await habit(ada, "Read", "2026-03-21", "2026-03-22", "2026-03-23")
    run = await habit(ada, "Run", "2026-03-23")
    await habit(ada, "Swim")
    await archive(ada, read)
    await archive(ada, run)
    listed = (await ada.get("/api/v1/habits/archived")).json()
    assert [h["title"] for h in listed["items"]] == ["Run", "Read"]
    assert listed["items"][1] == {
        "id": read,
        "title": "Read",
        "schedule": "every day",
        "start_date": "2026-03-21",
        "archived_at": listed["items"][1]["archived_at"],
        "done_total": 3,
        "best_streak": 3,
        "streak_unit": "days",
    }
    assert listed["items"][1]["archived_at"].startswith("2026-03-23T09:00")
    first = (await ada.get("/api/v1/habits/archived", params={"limit": 1})).json()
    assert [h["title"] for h in first["items"]] == ["Run"] and first["next_cursor"]
    params = {"limit": 1, "cursor": first["next_cursor"]}
    second = (await ada.get("/api/v1/habits/archived", params=params)).json()
    assert [h["title"] for h in second["items"]] == ["Read"] and second["next_cursor"] is None
    bad = await ada.get("/api/v1/habits/archived", params={"cursor": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
    # The active list, and reading one by id, still leave them out.
    assert [h["title"] for h in (await ada.get("/api/v1/habits")).json()] == ["Swim"]
    assert (await ada.get(f"/api/v1/habits/{read}")).status_code == 404


async def test_restore_brings_it_back_with_its_history(ada: Person) -> None:
    read = await habit(ada, "Read", "2026-03-22", "2026-03-23")
    await habit(ada, "Swim")
    before = (await ada.get(f"/api/v1/habits/{read}/stats")).json()
    await archive(ada, read)
    restored = await ada.post(f"/api/v1/habits/{read}/restore")
    assert restored.status_code == 200, restored.text
    body = restored.json()
    assert (body["id"], body["title"], body["done_total"], body["streak"]) == (read, "Read", 2, 2)
    assert body["today"]["status"] == "done"
    assert (await ada.get(f"/api/v1/habits/{read}/stats")).json() == before
    assert [h["title"] for h in (await ada.get("/api/v1/habits")).json()] == ["Swim", "Read"]
    assert (await ada.get("/api/v1/habits/archived")).json()["items"] == []
    # Restoring it again (a retry, a second click) answers it as it is and changes nothing,
    # as a check-in of a day already done does; only a habit of yours can be restored.
    again = await ada.post(f"/api/v1/habits/{read}/restore")
    assert again.status_code == 200, again.text
    assert again.json() == body
    assert [h["title"] for h in (await ada.get("/api/v1/habits")).json()] == ["Swim", "Read"]
    gone = await ada.post("/api/v1/habits/999999/restore")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


async def test_archiving_an_archived_habit_again_changes_nothing(ada: Person) -> None:
    read = await habit(ada, "Read", "2026-03-23")
    await archive(ada, read)
    first = (await ada.get("/api/v1/habits/archived")).json()["items"]
    again = await ada.post(f"/api/v1/habits/{read}/archive")
    assert again.status_code == 204, again.text
    assert (await ada.get("/api/v1/habits/archived")).json()["items"] == first
    gone = await ada.post("/api/v1/habits/999999/archive")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


async def test_someone_elses_archived_habit_is_not_there(
    api: httpx.AsyncClient, ada: Person
) -> None:
    read = await habit(ada, "Read")
    await archive(ada, read)
    bob = await sign_up(api, "Bob")
    assert (await bob.get("/api/v1/habits/archived")).json()["items"] == []
    assert (await bob.post(f"/api/v1/habits/{read}/restore")).status_code == 404
    assert (await bob.post(f"/api/v1/habits/{read}/archive")).status_code == 404
    assert (await bob.get("/api/v1/habits")).json() == []
    assert [h["id"] for h in (await ada.get("/api/v1/habits/archived")).json()["items"]] == [read]


async def test_a_restore_that_breaks_a_rule_changes_nothing(ada: Person) -> None:
    read = await habit(ada, "Read", "2026-03-23")
    await archive(ada, read)
    await habit(ada, "  READ ")
    clash = await ada.post(f"/api/v1/habits/{read}/restore")
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] == "title"
    assert "You already have a habit called “READ”, so Read can't come back" in clash.text
    assert [h["id"] for h in (await ada.get("/api/v1/habits/archived")).json()["items"]] == [read]
    assert [h["title"] for h in (await ada.get("/api/v1/habits")).json()] == ["READ"]
    for i in range(1, MAX_ACTIVE_HABITS):
        await habit(ada, f"Habit {i:02d}")
    await ada.request(
        "DELETE", f"/api/v1/habits/{(await ada.get('/api/v1/habits')).json()[0]['id']}"
    )
    await habit(ada, "Habit 50")  # 50 active, none called Read
    full = await ada.post(f"/api/v1/habits/{read}/restore")
    assert full.status_code == 422
    assert full.json()["detail"].startswith("You already have 50 habits, so Read can't come back")
    assert len((await ada.get("/api/v1/habits")).json()) == MAX_ACTIVE_HABITS
    assert len((await ada.get("/api/v1/habits/archived")).json()["items"]) == 1


async def test_the_days_away_neither_keep_nor_break_its_stats(
    ada: Person, clock: SettableClock
) -> None:
    """In the person's days: in Tokyo, 09:00 UTC Mon 23 Mar is Monday evening; 20:00 UTC on
    Thu 2 Apr is Friday morning there, so Mon 23 Mar - Thu 2 Apr were away."""
    zoned = await ada.request("PATCH", "/api/v1/me", json={"timezone": "Asia/Tokyo"})
    assert zoned.status_code == 200, zoned.text
    read = await habit(ada, "Read", "2026-03-21", "2026-03-22", "2026-03-23")
    before = (await ada.get(f"/api/v1/habits/{read}/stats")).json()
    await archive(ada, read)
    clock.advance(timedelta(days=10, hours=11))
    login = {"email": ada.email, "password": PASSWORD}  # the access token has expired
    ada.tokens = (await ada.api.post("/api/v1/auth/login", json=login)).json()
    restored = await ada.post(f"/api/v1/habits/{read}/restore")
    assert restored.status_code == 200, restored.text
    assert (restored.json()["streak"], restored.json()["today"]["date"]) == (3, "2026-04-03")
    after = (await ada.get(f"/api/v1/habits/{read}/stats")).json()
    # Today is due (still open): the strength is Loop's for an open day, 3 done days before.
    assert after == {**before, "strength": round((1 - 0.5 ** (3 / 13)) * 0.5 ** (1 / 13), 4)} | {
        "rate_7": None  # nothing was due in the last 7 days but today
    }
    document = (await ada.get("/api/v1/me/export")).json()
    assert document["habits"][0]["days_away"] == [{"from": "2026-03-23", "to": "2026-04-02"}]
    done = await ada.post(f"/api/v1/habits/{read}/checkins", json={"date": "2026-04-03"})
    assert done.status_code == 200, done.text
    # Four done days in a row for Loop, 1 - 0.5^(4/13); the days away were never missed.
    assert (await ada.get(f"/api/v1/habits/{read}/stats")).json() == {
        **before,
        "current_streak": 4,
        "best_streak": 4,
        "strength": round(1 - 0.5 ** (4 / 13), 4),
        "done_total": 4,
    }


async def test_an_archived_habit_can_be_deleted(api: httpx.AsyncClient, ada: Person) -> None:
    """DELETE habits/{id} of a habit GET habits/archived lists deletes it and its history, even
    when it could not come back (an active habit has its title): it was a 404, 'no such habit'."""
    read = await habit(ada, "Read", "2026-03-22", "2026-03-23")
    await archive(ada, read)
    await habit(ada, "Read")
    assert (await ada.post(f"/api/v1/habits/{read}/restore")).status_code == 422
    bob = await sign_up(api, "Bob")
    assert (await bob.request("DELETE", f"/api/v1/habits/{read}")).status_code == 404
    deleted = await ada.request("DELETE", f"/api/v1/habits/{read}")
    assert deleted.status_code == 204, deleted.text
    assert (await ada.get("/api/v1/habits/archived")).json()["items"] == []
    exported = (await ada.get("/api/v1/me/export")).json()["habits"]
    assert [h["title"] for h in exported] == ["Read"] and exported[0]["checkins"] == []
    again = await ada.request("DELETE", f"/api/v1/habits/{read}")
    assert again.status_code == 404 and again.json()["code"] == "not_found"
    assert (await ada.post(f"/api/v1/habits/{read}/restore")).status_code == 404
