"""Bad input met trying the API as a new client developer: each gets a clear problem with the
right status, and nothing changes."""

from __future__ import annotations

from tests.web.conftest import Person

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
