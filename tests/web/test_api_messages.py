"""A 422's messages are plain sentences naming the field, the same on every route, never
Pydantic's wording ("Input should be a valid integer", "String should have at least 1
character", ...); the problem's shape (detail, errors of field and message) stays as documented."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Person

RAW = ("Input should", "String should", "List should", "Field required", "Value error")


def named(answer: Any) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["title"] == "Unprocessable Entity" and problem["detail"], problem
    return {e["field"]: e["message"] for e in problem["errors"]}


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "message"),
    [
        (
            "GET",
            "/api/v1/habits/abc",
            None,
            "habit_id",
            "habit_id should be a whole number, such as 3.",
        ),
        (
            "GET",
            "/api/v1/habits/archived?limit=x",
            None,
            "limit",
            "limit should be a whole number, such as 3.",
        ),
        ("GET", "/api/v1/tools?limit=0", None, "limit", "limit should be a number of at least 1."),
        (
            "GET",
            "/api/v1/tools?limit=1000",
            None,
            "limit",
            "limit should be a number of at most 100.",
        ),
        (
            "PATCH",
            "/api/v1/me",
            {"day_start_hour": "x"},
            "day_start_hour",
            "day_start_hour should be a whole number without quotes, such as 3.",
        ),
        (
            "POST",
            "/api/v1/habits",
            {"title": "Run", "why": 5},
            "why",
            "why should be text, in quotes.",
        ),
        (
            "POST",
            "/api/v1/habits",
            {"title": "x" * 300},
            "title",
            "title is too long: keep it to at most 200 characters.",
        ),
        (
            "POST",
            "/api/v1/habits/1/checkins",
            {"status": "maybe"},
            "status",
            "status should be 'done' or 'skipped'.",
        ),
        (
            "PATCH",
            "/api/v1/lifebook",
            {"values": "calm"},
            "values",
            "values should be a list, in [ ].",
        ),
        ("POST", "/api/v1/tools", {"title": "Walk"}, "summary", "summary is required."),
        (
            "PATCH",
            "/api/v1/me",
            {"display_name": True},
            "display_name",
            "display_name should be text, in quotes.",
        ),
    ],
)
async def test_common_mistakes_are_said_plainly(
    ada: Person, method: str, path: str, body: object, field: str, message: str
) -> None:
    if "checkins" in path:
        await ada.post("/api/v1/habits", json={"title": "Read"})
    answer = await ada.request(method, path, json=body) if body is not None else await ada.get(path)
    errors = named(answer)
    assert errors[field] == message, errors
    assert not any(m.startswith(RAW) for m in errors.values()), errors


async def test_a_missing_body_field_and_a_bad_form_field_are_plain_too(ada: Person) -> None:
    errors = named(await ada.api.post("/api/v1/auth/register", json={}))
    assert errors == {f: f"{f} is required." for f in ("email", "password", "display_name")}
    errors = named(await ada.post("/api/v1/groups/1/proofs", data={"habit_id": "x"}))
    assert errors == {
        "photo": "photo is required.",
        "habit_id": "habit_id should be a whole number, such as 3.",
    }


async def test_a_proof_sent_as_json_or_text_says_to_send_a_file(ada: Person) -> None:
    """JSON to the multipart upload said `photo: Field required`; text for the photo said
    "Expected UploadFile, received: <class 'str'>"."""
    answer = await ada.post("/api/v1/groups/1/proofs", json={"habit_id": 1})
    assert answer.status_code == 415, answer.text
    assert answer.headers["Accept"] == "multipart/form-data"
    assert "multipart/form-data" in answer.json()["detail"]
    errors = named(await ada.post("/api/v1/groups/1/proofs", files={"photo": (None, "some text")}))
    assert errors == {"photo": "photo should be a file, not text (with curl: -F photo=@run.jpg)."}
