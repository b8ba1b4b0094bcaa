"""HTTP rules every route keeps: cursors only as the API gave them (one codec for every paged
list), a body that is not JSON named as the body, and a 405 that lists every allowed method."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.web.conftest import Person
from web_admin.schemas import encode_cursor

PAGED = ["/api/v1/tools", "/api/v1/learnings", "/api/v1/groups/public"]


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


FORGED = [
    b64("-1"),  # negative
    b64("0"),  # never handed out: the first page has no cursor
    b64("1e3"),  # not a whole number
    b64("+5"),  # not written as the API writes it
    b64("007"),  # leading zeros
    b64("٣"),  # a digit, but not an ASCII one
    b64(" 20"),
    b64("9" * 20),  # out of range
    b64("20|1"),  # too many parts
    b64("20") + "==",  # padded, which the API never does
    "MR",  # base64 with stray bits: decodes to "1" too
    "garbage",
    "!!",
]


@pytest.mark.parametrize("path", PAGED)
async def test_a_cursor_the_api_did_not_give_is_refused_by_name(ada: Person, path: str) -> None:
    for cursor in FORGED:
        answer = await ada.get(path, params={"cursor": cursor})
        assert answer.status_code == 422, (path, cursor, answer.text)
        problem = answer.json()
        assert problem["errors"] == [
            {
                "field": "cursor",
                "message": "That cursor is not valid; start again without one.",
                "code": "invalid_value",
            }
        ], (path, cursor, problem)


@pytest.mark.parametrize("path", PAGED)
async def test_a_cursor_the_api_gives_is_taken(ada: Person, path: str) -> None:
    answer = await ada.get(path, params={"cursor": encode_cursor(20)})
    assert answer.status_code == 200, answer.text  # past the end: an empty page
    assert answer.json()["next_cursor"] is None


async def test_tool_cursors_page_through_the_toolbox(ada: Person) -> None:
    first = (await ada.get("/api/v1/tools", params={"limit": 3})).json()
    assert first["next_cursor"] == encode_cursor(3)
    second = (await ada.get("/api/v1/tools", params={"cursor": first["next_cursor"]})).json()
    assert second["items"][0] == (await ada.get("/api/v1/tools")).json()["items"][3]


async def test_a_body_that_is_not_json_is_named_as_the_body(ada: Person) -> None:
    for content in (b'{"title": "Read",', b"not json at all", b'{"title": }'):
        headers = ada.headers | {"Content-Type": "application/json"}
        answer = await ada.api.post("/api/v1/habits", content=content, headers=headers)
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert problem["errors"] == [
            {"field": "body", "message": "The request body is not valid JSON.", "code": "not_json"}
        ], problem
        assert problem["detail"] == "The request body is not valid JSON."


async def test_a_field_error_still_names_its_field(ada: Person) -> None:
    answer = await ada.post("/api/v1/tools", json={"title": "x", "summary": 5, "steps": [1]})
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"summary", "steps.0"}, answer.text


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/habits", {"GET", "POST"}),
        ("POST", "/api/v1/habits/1", {"GET", "PATCH", "DELETE"}),
        ("PATCH", "/api/v1/tools", {"GET", "POST"}),
        ("DELETE", "/api/v1/lifebook/goals", {"POST"}),
    ],
)
async def test_405_lists_every_method_the_path_has(
    api: httpx.AsyncClient, method: str, path: str, allowed: set[str]
) -> None:
    answer = await api.request(method, path)
    assert answer.status_code == 405, answer.text
    assert set(answer.headers["Allow"].split(", ")) == allowed, answer.headers["Allow"]
    assert answer.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
async def test_a_json_body_sent_as_another_type_is_a_415_and_changes_nothing(
    ada: Person, content_type: str | None
) -> None:
    """FastAPI reads a body as JSON only when its Content-Type says so; the rest used to be a
    422 saying `Input should be a valid dictionary or object to extract fields from`."""
    headers = ada.headers | ({"Content-Type": content_type} if content_type else {})
    body = b'{"title": "Read", "schedule": "daily"}'
    answer = await ada.api.post("/api/v1/habits", content=body, headers=headers)
    assert answer.status_code == 415, answer.text
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "Content-Type: application/json" in answer.json()["detail"]
    assert (await ada.get("/api/v1/habits")).json() == []


async def test_json_that_is_not_an_object_is_named_as_the_body(ada: Person) -> None:
    for content in (b"[1, 2]", b"null", b"5", b'"text"'):
        headers = ada.headers | {"Content-Type": "application/json; charset=utf-8"}
        answer = await ada.api.patch("/api/v1/me", content=content, headers=headers)
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert problem["errors"] == [
            {
                "field": "body",
                "message": "The request body should be a JSON object.",
                "code": "not_object",
            }
        ], problem


async def test_a_405_says_in_words_which_methods_the_path_takes(api: httpx.AsyncClient) -> None:
    answer = await api.put("/api/v1/habits")
    assert answer.json()["detail"] == "This address does not take PUT; it takes GET, POST."


async def test_an_address_with_no_route_points_at_the_api_and_its_docs(ada: Person) -> None:
    for path in ("/api/v1/nothing", "/", "/api/v2/habits"):
        answer = await ada.get(path)
        assert answer.status_code == 404, answer.text
        assert answer.json()["detail"] == (
            "There is nothing at this address. The API is under /api/v1; its routes are at /docs."
        )
    missing = await ada.get("/api/v1/habits/999")  # a route's own 404 keeps its words
    assert missing.json()["detail"] == "There is no such habit."


@pytest.mark.parametrize("content_type", [None, "application/json"])
async def test_a_request_without_its_body_says_it_needs_one(
    ada: Person, content_type: str | None
) -> None:
    headers = ada.headers | ({"Content-Type": content_type} if content_type else {})
    answer = await ada.api.request("DELETE", "/api/v1/me", headers=headers)
    assert answer.status_code == 422, answer.text
    needs = (
        "This request needs a JSON object as its body, sent with Content-Type: application/json."
    )
    assert answer.json()["detail"] == needs
    assert answer.json()["errors"] == [{"field": "body", "message": needs, "code": "no_body"}]
    assert (await ada.get("/api/v1/me")).status_code == 200  # still there


async def test_a_date_that_does_not_read_as_one_says_how_to_write_it(ada: Person) -> None:
    habit = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    answers = [
        await ada.post(f"/api/v1/habits/{habit}/checkins", json={"date": "yesterday"}),
        await ada.post(f"/api/v1/habits/{habit}/checkins", json={"date": "2026-13-45"}),
        await ada.post(f"/api/v1/habits/{habit}/checkins", json={"date": 5.5}),
        await ada.get("/api/v1/habits/week", params={"start": "30/11/2026"}),
        await ada.request("DELETE", f"/api/v1/habits/{habit}/checkins/notadate"),
        await ada.request("PATCH", "/api/v1/lifebook", json={"goals": [{"text": "R", "due": "x"}]}),
    ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        (error,) = answer.json()["errors"]
        said = f"{error['field']} should be a date as YYYY-MM-DD, such as 2027-03-01."
        assert error["message"] == said, error
    assert (await ada.get(f"/api/v1/habits/{habit}")).json()["done_total"] == 0


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/api/v1/tools/find", "POST"), ("/api/v1/groups/join", "POST")],
)
async def test_a_fixed_address_asked_with_another_method_is_a_405_not_an_id_error(
    ada: Person, path: str, allowed: str
) -> None:
    """GET /tools/find used to be read as GET /tools/{tool_id}: a 422 saying tool_id should
    be an integer, about a field the caller never sent."""
    answer = await ada.get(path)
    assert answer.status_code == 405, answer.text
    assert answer.headers["Allow"] == allowed
    assert answer.json()["detail"] == f"This address does not take GET; it takes {allowed}."


async def test_a_word_where_an_id_goes_is_still_named_as_that_id(ada: Person) -> None:
    answer = await ada.get("/api/v1/habits/abc")
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["habit_id"]
