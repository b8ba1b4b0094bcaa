"""Who is asking comes before what they sent: every API route is an ApiRoute, so a body that is
not JSON is answered only once the sign-in it needs has been checked.

FastAPI reads a JSON body before it solves a route's dependencies, and refuses one that does not
parse (422) before `current_user` runs: a caller with no token, or a bad one, learned that their
body was broken instead of being told to sign in (401). The documented way to change how a route
reads its request is a Request subclass handed to it by the route class: here `json()` keeps a
body it cannot read as an Unreadable value instead of raising, and a multipart form that cannot
be read (Starlette's 400) is kept as a form FastAPI's validation refuses. FastAPI then solves the
dependencies as for any body (sign-in refusals are raised there, first), and the body's field
fails to validate; web_admin/problems.py answers that failure as it answered unreadable JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException


class Unreadable:
    """A request body sent as JSON that could not be read as JSON."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    @property
    def malformed(self) -> bool:
        """Not JSON (cut short, a stray character); otherwise too deeply nested, or not text."""
        return isinstance(self.error, json.JSONDecodeError)


# A form that could not be read comes to FastAPI as a form with only this field, which no form
# has: its RequestBody model (extra="forbid") refuses it, so validation fails after the sign-in.
UNREADABLE_FORM = "\x00unreadable"


def form_failure(body: object) -> str | None:
    """Why a multipart form could not be read ("Invalid multipart data."), if `body` is one."""
    if isinstance(body, FormData) and UNREADABLE_FORM in body:
        return str(body[UNREADABLE_FORM])
    return None


class BodyAfterSignIn(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                return await super().json()
            except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
                self._json = Unreadable(exc)
        return self._json

    async def _get_form(
        self,
        *,
        max_files: int | float = 1000,
        max_fields: int | float = 1000,
        max_part_size: int = 1024 * 1024,
    ) -> FormData:
        try:
            return await super()._get_form(
                max_files=max_files, max_fields=max_fields, max_part_size=max_part_size
            )
        except HTTPException as exc:  # Starlette's 400 for a broken multipart body
            return FormData([(UNREADABLE_FORM, exc.detail)])


class ApiRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            return await handler(BodyAfterSignIn(request.scope, request.receive))

        return handle
