"""A caller who is not signed in hears that first, whatever the body: a body that is not JSON
(cut short, nested too deep, not text) is named only to a signed-in caller, or on a route that
needs no sign-in."""

from __future__ import annotations

import httpx
import pytest

from tests.web.conftest import Person

NOT_JSON = b'{"title": "Read",'
DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("content", [NOT_JSON, DEEP, b"\xff\xfe"], ids=["cut", "deep", "bytes"])
@pytest.mark.parametrize(("token", "code"), [(None, "not_signed_in"), ("garbage", "token_invalid")])
async def test_not_signed_in_comes_before_a_body_that_is_not_json(
    api: httpx.AsyncClient, content: bytes, token: str | None, code: str
) -> None:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    for method, path in (("POST", "/api/v1/habits"), ("PATCH", "/api/v1/me")):
        answer = await api.request(method, path, content=content, headers=headers)
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.json()["code"] == code, answer.text
        assert "WWW-Authenticate" in answer.headers


async def test_signed_in_a_body_that_is_not_json_is_still_named(
    ada: Person, api: httpx.AsyncClient
) -> None:
    headers = ada.headers | {"Content-Type": "application/json"}
    cut = await api.post("/api/v1/habits", content=NOT_JSON, headers=headers)
    assert cut.status_code == 422, cut.text
    assert cut.json()["code"] == "invalid_request"
    assert cut.json()["errors"] == [
        {"field": "body", "message": "The request body is not valid JSON.", "code": "not_json"}
    ]
    deep = await api.post("/api/v1/habits", content=DEEP, headers=headers)
    assert deep.status_code == 400 and deep.json()["code"] == "not_json", deep.text
    register = await api.post("/api/v1/auth/register", content=NOT_JSON, headers=headers)
    assert register.status_code == 422, register.text  # no sign-in needed: the body's fault
    assert register.json()["errors"][0]["code"] == "not_json"
    assert (await ada.get("/api/v1/habits")).json() == []


async def test_every_route_that_needs_sign_in_says_so_before_reading_the_body(
    api: httpx.AsyncClient,
) -> None:
    """Each operation the OpenAPI document lists with a JSON or form body and a bearer token."""
    document = (await api.get("/openapi.json")).json()
    checked = forms = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation or not operation.get("security"):
                continue
            kind = next(iter(operation["requestBody"]["content"]))
            content, headers = NOT_JSON, {"Content-Type": "application/json"}
            if "form" in kind:  # the proof upload
                content = b"garbage"  # no part at all: Starlette's "Invalid multipart data."
                headers = {"Content-Type": "multipart/form-data; boundary=x"}
            real = path
            for name in ("habit_id", "group_id", "tool_id", "learning_id", "user_id", "goal_id"):
                real = real.replace("{" + name + "}", "g1" if name == "goal_id" else "1")
            answer = await api.request(method.upper(), real, content=content, headers=headers)
            assert answer.status_code == 401, (method, path, answer.text)
            assert answer.json()["code"] == "not_signed_in", (method, path, answer.text)
            checked += 1
            forms += "form" in kind
    assert checked >= 10 and forms >= 1


async def test_signed_in_a_form_that_cannot_be_read_is_still_a_400(ada: Person) -> None:
    for content_type in ("multipart/form-data", "multipart/form-data; boundary=x"):
        headers = ada.headers | {"Content-Type": content_type}
        answer = await ada.api.post("/api/v1/groups/1/proofs", content=b"garbage", headers=headers)
        assert answer.status_code == 400, answer.text
        assert answer.json()["code"] == "bad_request"
        assert answer.json()["detail"] in (
            "Missing boundary in multipart.",
            "Invalid multipart data.",
        )
