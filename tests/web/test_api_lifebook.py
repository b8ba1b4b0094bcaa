"""The Lifebook through the API: read, change each section under the chat's limits, goals one
at a time, habits serving a goal or value, erasure; and the chat sees the same Lifebook."""

from __future__ import annotations

from typing import Any

from tests.support.console import ConsoleSession
from tests.web.conftest import Person, link_console_user

BOOK = "/api/v1/lifebook"


async def patch(person: Person, body: dict[str, Any]) -> Any:
    return await person.request("PATCH", BOOK, json=body)


async def test_an_empty_lifebook_then_every_section(ada: Person) -> None:
    empty = (await ada.get(BOOK)).json()
    assert empty["vision"] is None and empty["values"] == [] and empty["goals"] == []
    assert empty["ai_allowed"] is False and empty["schema_version"] == 2
    assert "health" in empty["suggested_values"] and "work" in empty["suggested_domains"]
    answer = await patch(
        ada,
        {
            "vision": "  Healthy,   calm and close to my family ",
            "values": ["Health", "family", "health", " "],
            "identity": ["someone who moves every day", "I am a reader"],
            "goals": [{"text": "Run 5 km", "due": "2026-06-30"}, {"text": "Read 4 books"}],
            "domains": ["health", "relationships"],
        },
    )
    assert answer.status_code == 200, answer.text
    book = answer.json()
    assert book["vision"] == "Healthy, calm and close to my family"
    assert [v["name"] for v in book["values"]] == ["Health", "family"]  # duplicates dropped
    assert book["values"][0]["serves_key"] == "value:health"
    assert book["identity"] == ["I am someone who moves every day", "I am a reader"]
    assert [(g["id"], g["text"], g["due"]) for g in book["goals"]] == [
        ("g1", "Run 5 km", "2026-06-30"),
        ("g2", "Read 4 books", None),
    ]
    assert book["domains"] == ["health", "relationships"]
    assert (await ada.get(BOOK)).json() == book
    cleared = (await patch(ada, {"vision": "", "domains": []})).json()
    assert cleared["vision"] is None and cleared["domains"] == []
    assert cleared["values"] == book["values"]  # sections not given stay


async def test_limits_name_the_field_and_change_nothing(ada: Person) -> None:
    await patch(ada, {"vision": "Calm", "values": ["health"]})
    before = (await ada.get(BOOK)).json()
    cases = [
        ({"values": [f"v{i}" for i in range(6)]}, "values", "at most 5"),
        ({"vision": "x" * 601}, "vision", "600"),
        ({"values": ["x" * 41]}, "values", "40 characters"),
        ({"identity": ["I am " + "x" * 200]}, "identity", "200 characters"),
        ({"goals": [{"text": f"Goal {i}"} for i in range(11)]}, "goals", "at most 10"),
        ({"goals": [{"text": "Run", "due": "1900-01-01"}]}, "goals.0.due", "2000"),
        ({"goals": [{"text": "Run", "due": "2026-03-22"}]}, "goals", "has passed already"),
        ({"vision": "Fine", "values": [f"v{i}" for i in range(6)]}, "values", "at most 5"),
        ({"values": ["x"] * 51}, "values", ""),  # over the body's cap: pydantic says so
    ]
    for body, field, words in cases:
        answer = await patch(ada, body)
        assert answer.status_code == 422, (body, answer.text)
        problem = answer.json()
        assert problem["errors"][0]["field"] == field, problem
        assert words in problem["errors"][0]["message"], problem
    assert (await ada.get(BOOK)).json() == before


async def test_goals_one_at_a_time(ada: Person) -> None:
    await patch(ada, {"goals": [{"text": "Run 5 km"}]})
    added = await ada.post(f"{BOOK}/goals", json={"text": " Read  4 books ", "due": "2026-05-01"})
    assert added.status_code == 201, added.text
    assert [(g["id"], g["text"]) for g in added.json()["goals"]] == [
        ("g1", "Run 5 km"),
        ("g2", "Read 4 books"),
    ]
    removed = await ada.request("DELETE", f"{BOOK}/goals/g1")
    assert [g["id"] for g in removed.json()["goals"]] == ["g2"]
    assert (await ada.request("DELETE", f"{BOOK}/goals/g1")).status_code == 404
    assert (await ada.request("DELETE", f"{BOOK}/goals/nope")).status_code == 422
    assert (await ada.post(f"{BOOK}/goals", json={"text": "   "})).status_code == 422
    past = await ada.post(f"{BOOK}/goals", json={"text": "Swim", "due": "2026-03-01"})
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "due"
    assert "2026-03-01 has passed already" in past.json()["errors"][0]["message"]
    for i in range(9):
        assert (await ada.post(f"{BOOK}/goals", json={"text": f"G{i}"})).status_code == 201
    full = await ada.post(f"{BOOK}/goals", json={"text": "One too many"})
    assert full.status_code == 422 and full.json()["errors"][0]["field"] == "goals"
    assert len((await ada.get(BOOK)).json()["goals"]) == 10


async def test_habits_serve_a_goal_or_value_and_erasure_unlinks_them(ada: Person) -> None:
    await patch(ada, {"values": ["Health"], "goals": [{"text": "Run 5 km"}]})
    run = (await ada.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    read = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    linked = await ada.request("PUT", f"/api/v1/habits/{run}/serves", json={"serves": "goal:g1"})
    assert linked.json() == {"habit_id": run, "serves": "goal:g1", "label": "Run 5 km"}
    linked = await ada.request(
        "PUT", f"/api/v1/habits/{read}/serves", json={"serves": "VALUE:health"}
    )
    assert linked.json()["label"] == "Health"
    book = (await ada.get(BOOK)).json()
    assert book["goals"][0]["habits"] == [{"id": run, "title": "Run"}]
    assert book["values"][0]["habits"] == [{"id": read, "title": "Read"}]
    wrong = await ada.request("PUT", f"/api/v1/habits/{run}/serves", json={"serves": "value:x"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "serves"
    assert (await ada.get(f"/api/v1/habits/{run}/serves")).json()["label"] == "Run 5 km"
    none = await ada.request("PUT", f"/api/v1/habits/{run}/serves", json={"serves": None})
    assert none.json() == {"habit_id": run, "serves": None, "label": None}
    erased = await ada.request("DELETE", BOOK)
    assert erased.status_code == 204
    assert (await ada.get(BOOK)).json()["values"] == []
    assert (await ada.get(f"/api/v1/habits/{read}/serves")).json()["serves"] is None


async def test_the_chat_and_the_api_share_one_lifebook(
    ada: Person, console: ConsoleSession
) -> None:
    await link_console_user(ada, console, "Ada")
    await patch(ada, {"vision": "A calm grandmother", "values": ["family"], "ai_allowed": True})
    out = await console.say(":user Ada", ":chat dm", "/lifebook")
    assert "A calm grandmother" in out and "family" in out
    assert "Shared with the AI tool finder: on" in out
    await console.say("/lifebook identity someone who walks; I am kind", "/lifebook ai off")
    book = (await ada.get(BOOK)).json()
    assert book["identity"] == ["I am someone who walks", "I am kind"]
    assert book["ai_allowed"] is False


async def test_a_goal_id_given_as_serves_says_which_key_to_give(ada: Person) -> None:
    """A goal's `id` (g1) for `serves` was "That is not in your Lifebook (any more)", though the
    goal was there: it says to give the goal's serves_key."""
    await patch(ada, {"goals": [{"text": "Run 5 km"}]})
    run = (await ada.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    for given in ("g1", "health"):
        answer = await ada.request("PUT", f"/api/v1/habits/{run}/serves", json={"serves": given})
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"] == [
            {
                "field": "serves",
                "message": "Give the serves_key of a goal or value from GET /api/v1/lifebook, "
                "such as goal:g1 or value:health.",
                "code": "invalid_value",
            }
        ]


async def test_a_goal_id_not_in_a_goals_form_is_told_the_form(ada: Person) -> None:
    """DELETE /lifebook/goals/zzz said "That is not in the form this field takes.", without
    saying which form. The 422 names it; its code stays string_pattern_mismatch."""
    for wrong in ("zzz", "3", "g", "G3", "g12345"):
        answer = await ada.request("DELETE", f"{BOOK}/goals/{wrong}")
        assert answer.status_code == 422, (wrong, answer.text)
        problem = answer.json()
        assert problem["code"] == "invalid_request"
        assert problem["errors"] == [
            {
                "field": "goal_id",
                "message": "goal_id should be a goal's id: g and its number, such as g3.",
                "code": "string_pattern_mismatch",
            }
        ]
