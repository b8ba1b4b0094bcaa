"""The OpenAPI document as the API answers: every error response of every operation is
`application/problem+json` with the Problem schema, and a 429 names its Retry-After header.

FastAPI puts a response's model under the route's own media type (application/json, which no
error is sent as) and gives a response declared only by its description (login's 401, reset's
400, ...) no content at all, so a client generated from the document could not read an error's
`code`. The document is put right once, when it is first built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from web_admin.problems import PROBLEM

PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
RETRY_AFTER = {
    "description": "How many seconds to wait before trying again",
    "schema": {"type": "integer", "minimum": 1},
}


def is_error(status: str) -> bool:
    """4XX, 5XX and every status from 400 on."""
    return status[:1] in ("4", "5")


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Every error response of `document` said as problem+json, in place; the document."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if not is_error(status):
                    continue
                response["content"] = {PROBLEM: {"schema": dict(PROBLEM_SCHEMA)}}
                if status == "429":
                    response.setdefault("headers", {})["Retry-After"] = dict(RETRY_AFTER)
    return document


def install(app: FastAPI) -> None:
    """`app.openapi()` (and /openapi.json) gives the document with its errors put right."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
