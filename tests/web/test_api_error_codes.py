"""Every problem body carries a stable `code` a client branches on (not the English detail), each
field error its own, and the OpenAPI document lists them all."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from core.errors import Code, StorageConflict, StorageError
from tests.web.conftest import PASSWORD, Person, sign_up
from web_admin.app import asgi, create_app
from web_admin.context import Web
from web_admin.error_codes import Err

HABITS = "/api/v1/habits"


def coded(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["code"] == code, body
    return body


def field_codes(body: dict[str, Any]) -> dict[str, str]:
    return {e["field"]: e["code"] for e in body["errors"]}


async def test_validation_errors_say_what_is_wrong_with_each_field(ada: Person) -> None:
    body = coded(await ada.post(HABITS, json={"title": 5, "colour": "red"}), 422, "invalid_request")
    assert field_codes(body) == {"title": "string_type", "colour": "unknown_field"}
    body = coded(await ada.post(HABITS, json={}), 422, "invalid_request")
    assert field_codes(body) == {"title": "missing"}
    as_json = {**ada.headers, "Content-Type": "application/json"}
    garbled = await ada.api.post(HABITS, content=b"{", headers=as_json)
    assert field_codes(coded(garbled, 422, "invalid_request")) == {"body": "not_json"}
    listed = await ada.post(HABITS, json=["Read"])
    assert field_codes(coded(listed, 422, "invalid_request")) == {"body": "not_object"}
    coded(await ada.post(HABITS, content=b"title=Read"), 415, "unsupported_media_type")


async def test_sign_in_problems_have_their_own_codes(api: httpx.AsyncClient, ada: Person) -> None:
    coded(await api.get("/api/v1/me"), 401, "not_signed_in")
    garbage = {"Authorization": "Bearer not.a.token"}
    coded(await api.get("/api/v1/me", headers=garbage), 401, "token_invalid")
    wrong = {"email": ada.email, "password": "wrong password"}
    coded(await api.post("/api/v1/auth/login", json=wrong), 401, "wrong_login")
    refresh = {"refresh_token": "nonsense"}
    coded(await api.post("/api/v1/auth/refresh", json=refresh), 401, "wrong_refresh_token")
    for _ in range(4):
        await api.post("/api/v1/auth/login", json=wrong)
    blocked = await api.post("/api/v1/auth/login", json=wrong)
    coded(blocked, 429, "login_throttled")
    assert int(blocked.headers["retry-after"]) > 0


async def test_a_deleted_account_token_is_signed_out(api: httpx.AsyncClient) -> None:
    bob = await sign_up(api, "Bob")
    gone = await bob.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert gone.status_code == 204, gone.text
    body = coded(await bob.get("/api/v1/me"), 401, "signed_out")
    assert "/link" not in body["detail"]  # a chat command means nothing to an API client


async def test_missing_things_and_addresses(ada: Person, api: httpx.AsyncClient) -> None:
    coded(await ada.get(f"{HABITS}/999999"), 404, "not_found")
    coded(await ada.get("/api/v1/nothing-here"), 404, "no_route")
    coded(await api.put("/healthz"), 405, "method_not_allowed")


async def test_a_domain_refusal_keeps_its_core_code(ada: Person) -> None:
    hid = (await ada.post(HABITS, json={"title": "Read"})).json()["id"]
    early = {"date": "2026-03-20", "status": "skipped"}
    body = coded(await ada.post(f"{HABITS}/{hid}/checkins", json=early), 422, "skip_before_start")
    assert field_codes(body) == {"date": "skip_before_start"}


async def test_a_taken_email_is_told_apart_from_a_malformed_one(api: httpx.AsyncClient) -> None:
    await sign_up(api, "Ada")
    again = {"email": "ada@example.com", "password": "another long one 42", "display_name": "A"}
    body = coded(await api.post("/api/v1/auth/register", json=again), 422, "email_taken")
    assert field_codes(body) == {"email": "email_taken"}
    bad = {**again, "email": "not an address"}
    body = coded(await api.post("/api/v1/auth/register", json=bad), 422, "invalid_request")
    assert field_codes(body) == {"email": "invalid_value"}


async def test_the_openapi_document_lists_every_code(api: httpx.AsyncClient) -> None:
    schemas = (await api.get("/openapi.json")).json()["components"]["schemas"]
    problem = schemas["Problem"]
    assert "code" in problem["required"]
    listed = set(problem["properties"]["code"]["enum"])
    assert {e.value for e in Err} | {c.value for c in Code} == listed
    assert "code" in schemas["FieldError"]["required"]


async def test_too_long_an_optional_text_is_said_in_characters(ada: Person) -> None:
    body = coded(
        await ada.post(HABITS, json={"title": "Read", "why": "x" * 600}), 422, "invalid_request"
    )
    assert body["errors"] == [
        {
            "field": "why",
            "message": "why is too long: keep it to at most 500 characters.",
            "code": "string_too_long",
        }
    ]
    assert (await ada.get(HABITS)).json() == []


async def test_text_that_is_not_unicode_is_said_plainly(ada: Person) -> None:
    as_json = {**ada.headers, "Content-Type": "application/json"}
    answer = await ada.api.post(HABITS, content=b'{"title": "\\ud800"}', headers=as_json)
    body = coded(answer, 422, "invalid_request")
    assert field_codes(body) == {"title": "string_unicode"}
    assert body["errors"][0]["message"].startswith("title has a character that is not valid")


async def test_a_refusal_said_of_a_field_keeps_its_code(ada: Person) -> None:
    hid = (await ada.post(HABITS, json={"title": "Read"})).json()["id"]
    tools = [t["id"] for t in (await ada.get("/api/v1/tools?limit=6")).json()["items"]]
    for tool in tools[:5]:
        assert (await ada.request("PUT", f"{HABITS}/{hid}/tools/{tool}")).status_code == 200
    full = await ada.request("PUT", f"{HABITS}/{hid}/tools/{tools[5]}")
    assert field_codes(coded(full, 422, "habit_tools_full")) == {"tool_id": "habit_tools_full"}
    gone = await ada.request("PUT", f"{HABITS}/{hid}/serves", json={"serves": "goal:g9"})
    assert field_codes(coded(gone, 422, "not_in_lifebook")) == {"serves": "not_in_lifebook"}


async def test_a_day_out_of_reach_says_which_way(ada: Person) -> None:
    hid = (await ada.post(HABITS, json={"title": "Read"})).json()["id"]
    later = {"date": "2026-03-24"}  # the clock's today is 2026-03-23
    body = coded(await ada.post(f"{HABITS}/{hid}/checkins", json=later), 422, "day_in_future")
    assert field_codes(body) == {"date": "day_in_future"}
    undo = await ada.request("DELETE", f"{HABITS}/{hid}/checkins/2026-03-01")
    assert field_codes(coded(undo, 422, "day_too_far_back")) == {"day": "day_too_far_back"}


async def test_storage_failures_and_the_unexpected_have_codes(web: Web) -> None:
    """What no request can be made to do on purpose, through routes added here that fail so."""
    app = create_app(web)
    failures: dict[str, Exception] = {
        "/conflict": StorageConflict("a unique key taken meanwhile"),
        "/storage": StorageError("the database is away"),
        "/bug": RuntimeError("a bug"),
    }
    for path, failure in failures.items():
        app.add_api_route(path, failing(failure))
    transport = httpx.ASGITransport(app=asgi(app), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        coded(await client.get("/conflict"), 409, "conflict")
        coded(await client.get("/storage"), 503, "storage_unavailable")
        coded(await client.get("/bug"), 500, "internal_error")


def failing(failure: Exception) -> Callable[[], Awaitable[None]]:
    async def fail() -> None:
        raise failure

    return fail
