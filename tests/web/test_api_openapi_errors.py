"""The OpenAPI document describes the errors as the API sends them: every error response of every
operation is `application/problem+json` with the Problem schema (its `code` to branch on), and a
429 names its Retry-After header. A client generated from the document can read the errors."""

from __future__ import annotations

from typing import Any

import httpx
from jsonschema import Draft202012Validator

from tests.web.conftest import PASSWORD, sign_up

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def error_responses(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, status, response) of every documented error: 4XX, 5XX, 400 to 599."""
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    found.append((method.upper(), path, status, response))
    return found


async def test_every_documented_error_is_a_problem_json(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()
    errors = error_responses(document)
    assert len(errors) > 100, errors  # 4XX and 5XX of every operation, and the named ones
    wrong = [
        (method, path, status, response.get("content"))
        for method, path, status, response in errors
        if response.get("content") != {"application/problem+json": {"schema": PROBLEM_REF}}
    ]
    assert wrong == [], wrong[:5]
    throttled = [(m, p, r) for m, p, s, r in errors if s == "429"]
    assert throttled, "login, reset, me/password and DELETE me answer 429"
    for method, path, response in throttled:
        assert "Retry-After" in response.get("headers", {}), (method, path)


async def test_a_wrong_password_is_answered_as_the_document_says(api: httpx.AsyncClient) -> None:
    """POST auth/login documents its 401: the answer's type is there, and its body fits."""
    await sign_up(api, "Ada")
    document = (await api.get("/openapi.json")).json()
    answer = await api.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD + "!"}
    )
    assert answer.status_code == 401 and answer.json()["code"] == "wrong_login"
    documented = document["paths"]["/api/v1/auth/login"]["post"]["responses"]["401"]
    media_type = answer.headers["content-type"]
    assert media_type in documented.get("content", {}), documented
    schema = documented["content"][media_type]["schema"]
    # The schema's references are into the document: check against it with the document's parts.
    validator = Draft202012Validator({**schema, "components": document["components"]})
    assert list(validator.iter_errors(answer.json())) == []
