"""What a request must be, as a client meets it: the OpenAPI document says of a field what the
API takes (optional is not nullable), a boolean is JSON's true or false and an integer a JSON
number."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from tests.web.conftest import Person
from web_admin.proofs import ProofForm
from web_admin.schemas import RequestBody

BOOK = "/api/v1/lifebook"


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def nullable(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "null" or any(
        option.get("type") == "null" for option in prop.get("anyOf", [])
    )


async def test_patch_fields_that_cannot_be_null_are_optional_not_nullable(
    api: httpx.AsyncClient,
) -> None:
    """A generated client sends what the document allows: a field shown nullable must take
    null. The profile's fields and a habit's title and schedule can be left out, not cleared."""
    found = schemas((await api.get("/openapi.json")).json())
    profile = found["ProfilePatch"]
    assert "required" not in profile
    for name in ("display_name", "timezone", "day_start_hour"):
        prop = profile["properties"][name]
        assert not nullable(prop) and "default" not in prop, (name, prop)
    habit = found["HabitPatch"]
    assert "required" not in habit
    for name in ("title", "schedule"):
        prop = habit["properties"][name]
        assert not nullable(prop) and "default" not in prop, (name, prop)
    for name in ("why", "identity_goal", "minimal_dose", "cue", "reward"):  # null clears these
        assert nullable(habit["properties"][name]), name
    book = found["LifebookPatch"]["properties"]
    assert not nullable(book["ai_allowed"]) and "default" not in book["ai_allowed"]
    assert nullable(book["vision"])  # a section: null clears it


async def test_null_is_no_answer_to_may_the_ai_read_it(ada: Person) -> None:
    """ai_allowed null was taken and changed nothing, though the document said null clears a
    Lifebook's fields: it is a yes or a no, never cleared."""
    await ada.request("PATCH", BOOK, json={"ai_allowed": True})
    answer = await ada.request("PATCH", BOOK, json={"vision": "Calm", "ai_allowed": None})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [
        {
            "field": "ai_allowed",
            "message": "ai_allowed can't be null; give true or false. Leave the field out to "
            "keep it.",
            "code": "not_nullable",
        }
    ]
    book = (await ada.get(BOOK)).json()
    assert book["ai_allowed"] is True and book["vision"] is None


async def test_null_is_refused_on_the_field_and_a_nullable_field_takes_it(ada: Person) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Gym", "why": "Strong"})).json()["id"]
    title = await ada.request("PATCH", f"/api/v1/habits/{hid}", json={"title": None})
    assert title.status_code == 422, title.text
    assert title.json()["errors"] == [
        {
            "field": "title",
            "message": "title can't be null; give the habit's title. Leave the field out to keep "
            "it.",
            "code": "not_nullable",
        }
    ]
    cleared = await ada.request("PATCH", f"/api/v1/habits/{hid}", json={"why": None})
    assert cleared.status_code == 200 and cleared.json()["why"] is None, cleared.text
    name = await ada.request("PATCH", "/api/v1/me", json={"display_name": None})
    assert name.status_code == 422, name.text
    assert name.json()["errors"] == [
        {
            "field": "display_name",
            "message": "display_name can't be null; tell us what to call you. Leave the field "
            "out to keep yours.",
            "code": "not_nullable",
        }
    ]
    assert (await ada.get("/api/v1/me")).json()["display_name"] == "Ada"


@pytest.mark.parametrize("given", ["yes", "true", "1", 1, 0, "on"])
async def test_a_boolean_is_true_or_false_only(ada: Person, given: object) -> None:
    answer = await ada.request("PATCH", BOOK, json={"vision": "Calm", "ai_allowed": given})
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["code"] == "invalid_request"
    assert problem["errors"] == [
        {
            "field": "ai_allowed",
            "message": "ai_allowed should be true or false.",
            "code": "bool_type",
        }
    ]
    book = (await ada.get(BOOK)).json()
    assert book["ai_allowed"] is False and book["vision"] is None
    taken = await ada.request("PATCH", BOOK, json={"ai_allowed": True})
    assert taken.status_code == 200 and taken.json()["ai_allowed"] is True, taken.text


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("3", "day_start_hour should be a whole number without quotes, such as 3."),
        ("x", "day_start_hour should be a whole number without quotes, such as 3."),
        (3.0, "day_start_hour should be a whole number, such as 3."),
        (True, "day_start_hour should be a whole number, such as 3."),
    ],
)
async def test_an_integer_is_a_json_number_only(ada: Person, given: object, said: str) -> None:
    """day_start_hour took "3" (text) as 3, as lax Pydantic does; a JSON number only now."""
    before = (await ada.get("/api/v1/me")).json()["day_start_hour"]
    answer = await ada.request("PATCH", "/api/v1/me", json={"day_start_hour": given})
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["code"] == "invalid_request"
    assert problem["errors"] == [{"field": "day_start_hour", "message": said, "code": "int_type"}]
    assert (await ada.get("/api/v1/me")).json()["day_start_hour"] == before
    taken = await ada.request("PATCH", "/api/v1/me", json={"day_start_hour": 3})
    assert taken.status_code == 200 and taken.json()["day_start_hour"] == 3, taken.text


def every_request_body(model: type[BaseModel] = RequestBody) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for sub in model.__subclasses__():
        found += [sub, *every_request_body(sub)]
    return found


def test_every_boolean_a_request_takes_is_strict() -> None:
    """A boolean field added later is strict too (a body's model is a RequestBody)."""
    checked = 0
    for model in every_request_body():
        for name, field in model.model_fields.items():
            if "bool" not in str(field.annotation):
                continue
            checked += 1
            with pytest.raises(ValidationError) as refused:
                model.model_validate({name: "yes"})
            assert any(e["loc"] == (name,) for e in refused.value.errors()), (model, name)
    assert checked >= 1


def test_every_integer_a_json_body_takes_is_strict() -> None:
    """An integer field added later is strict too; a multipart form's fields are text, so the
    proof form (and a query's or a path's numbers) read digits as before."""
    checked = 0
    for model in every_request_body():
        if model is ProofForm:
            continue
        for name, field in model.model_fields.items():
            if "int" not in str(field.annotation):
                continue
            checked += 1
            with pytest.raises(ValidationError) as refused:
                model.model_validate({name: "3"})
            assert any(e["loc"][0] == name for e in refused.value.errors()), (model, name)
    assert checked >= 1


async def test_the_proof_upload_is_documented_as_the_multipart_form_it_takes(
    api: httpx.AsyncClient,
) -> None:
    """A file can only come in multipart/form-data (an urlencoded form has no files): a client
    generated from the document must send that, not what it listed before."""
    document = (await api.get("/openapi.json")).json()
    upload = document["paths"]["/api/v1/groups/{group_id}/proofs"]["post"]["requestBody"]
    assert list(upload["content"]) == ["multipart/form-data"], upload
