"""Every field error of a 422 is a sentence that names its field, so a client that shows only the
messages still says which field is wrong: a wrong type, a missing field, an unknown field. A null
for a field that cannot be null says that it can't be null (code `not_nullable`), not the
message of a wrong type; and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Person

RAW = ("Input should", "Field required", "Extra inputs", "pydantic", "Value error")
HABIT_FIELDS = "title, schedule, why, identity_goal, minimal_dose, implementation_intention, cue"
KEEP = "Leave the field out to keep it."
CASES: list[tuple[str, str, dict[str, Any], str, str, str]] = [
    ("POST", "/habits", {"title": 5}, "title", "title should be text, in quotes.", "string_type"),
    ("POST", "/habits", {"why": "calm"}, "title", "title is required.", "missing"),
    (
        "POST",
        "/habits",
        {"title": "Run", "tittle": "Run"},
        "tittle",
        "There is no field tittle here; check its spelling. The fields are: "
        f"{HABIT_FIELDS}, reward.",
        "unknown_field",
    ),
    (
        "POST",
        "/habits",
        {"title": None},
        "title",
        "title can't be null; give text, in quotes.",
        "not_nullable",
    ),
    (
        "POST",
        "/habits",
        {"title": "Run", "schedule": None},
        "schedule",
        "schedule can't be null; give text, in quotes, or leave the field out.",
        "not_nullable",
    ),
    (
        "PATCH",
        "/habits/{hid}",
        {"title": None},
        "title",
        f"title can't be null; give the habit's title. {KEEP}",
        "not_nullable",
    ),
    (
        "PATCH",
        "/habits/{hid}",
        {"schedule": 3},
        "schedule",
        "schedule should be text, in quotes.",
        "string_type",
    ),
    (
        "POST",
        "/habits/{hid}/checkins",
        {"status": None},
        "status",
        "status can't be null; give 'done' or 'skipped', or leave the field out.",
        "not_nullable",
    ),
    (
        "POST",
        "/habits/{hid}/checkins",
        {"status": 5},
        "status",
        "status should be 'done' or 'skipped'.",
        "literal_error",
    ),
    (
        "POST",
        "/habits/{hid}/checkins",
        {"date": 20260323},
        "date",
        "date should be a date as YYYY-MM-DD, such as 2027-03-01.",
        "date_type",
    ),
    (
        "PATCH",
        "/me",
        {"day_start_hour": "3"},
        "day_start_hour",
        "day_start_hour should be a whole number without quotes, such as 3.",
        "int_type",
    ),
    (
        "PATCH",
        "/me",
        {"day_start_hour": None},
        "day_start_hour",
        "day_start_hour can't be null; give an hour from 0 to 6 (the day starts then). "
        "Leave the field out to keep yours.",
        "not_nullable",
    ),
    (
        "PATCH",
        "/lifebook",
        {"ai_allowed": "yes"},
        "ai_allowed",
        "ai_allowed should be true or false.",
        "bool_type",
    ),
    (
        "PATCH",
        "/lifebook",
        {"ai_allowed": None},
        "ai_allowed",
        f"ai_allowed can't be null; give true or false. {KEEP}",
        "not_nullable",
    ),
    (
        "PATCH",
        "/lifebook",
        {"values": [None]},
        "values.0",
        "values.0 can't be null; give text, in quotes.",
        "not_nullable",
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "field", "message", "code"), CASES)
async def test_each_field_error_names_its_field(
    ada: Person, method: str, path: str, body: dict[str, Any], field: str, message: str, code: str
) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    before = [(await ada.get(f"/api/v1{p}")).json() for p in ("/habits", "/me", "/lifebook")]
    answer = await ada.request(method, "/api/v1" + path.format(hid=hid), json=body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["code"] == "invalid_request" and problem["status"] == 422
    assert problem["errors"] == [{"field": field, "message": message, "code": code}]
    assert problem["detail"] == message  # one error: a client showing only the detail says it
    assert not any(raw in answer.text for raw in RAW), answer.text
    after = [(await ada.get(f"/api/v1{p}")).json() for p in ("/habits", "/me", "/lifebook")]
    assert after == before


async def test_several_errors_each_name_their_own_field(ada: Person) -> None:
    answer = await ada.api.post("/api/v1/auth/register", json={"email": None, "password": 7})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == "Some fields are not valid: email, password, display_name."
    assert answer.json()["errors"] == [
        {
            "field": "email",
            "message": "email can't be null; give text, in quotes.",
            "code": "not_nullable",
        },
        {
            "field": "password",
            "message": "password should be text, in quotes.",
            "code": "string_type",
        },
        {"field": "display_name", "message": "display_name is required.", "code": "missing"},
    ]


async def test_the_document_names_the_null_code(ada: Person) -> None:
    document = (await ada.get("/openapi.json")).json()
    said = document["components"]["schemas"]["FieldError"]["properties"]["code"]["description"]
    assert "not_nullable" in said
