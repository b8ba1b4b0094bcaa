"""CSRF protection for the admin: a random token in the signed session cookie, which every
POST (or other unsafe request) must send back in a `csrf_token` form field or an
`X-CSRF-Token` header. Pages put it into their forms with the `csrf_token(request)` template
function. A request without it, or with another one, is refused with 403 before any view runs.

The middleware sits inside the session middleware (it reads the session) and in front of
SQLAdmin's routes, so it covers the sign-in form, SQLAdmin's own edit forms and our actions.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 1024 * 1024  # admin forms are a few fields; nothing here uploads files
REFUSED = (
    "<!doctype html><title>Refused</title><h1>403: this form was refused</h1>"
    "<p>The form did not carry this session's security token (it may be old, or come from "
    "another site). Go back, reload the page and try again.</p>"
)


def csrf_token(request: Request) -> str:
    """This session's token, made on first use (the sign-in page makes it for visitors)."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def new_csrf_token(request: Request) -> str:
    """A fresh token, e.g. on signing in (a token seen before signing in stops working)."""
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return str(request.session[SESSION_KEY])


def _form_token(body: bytes, content_type: str) -> str | None:
    if content_type.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(FIELD)
        return values[0] if values else None
    if content_type.startswith("multipart/form-data"):
        # SQLAdmin's edit forms are multipart; the token is one plain field among them.
        marker = f'name="{FIELD}"'.encode()
        start = body.find(marker)
        if start < 0:
            return None
        value_start = body.find(b"\r\n\r\n", start)
        value_end = body.find(b"\r\n", value_start + 4)
        if value_start < 0 or value_end < 0:
            return None
        return body[value_start + 4 : value_end].decode("latin-1")
    return None


class CsrfMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        expected = scope.get("session", {}).get(SESSION_KEY)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body: bytes | None = None
        sent = headers.get(HEADER)
        if sent is None:
            body, complete = await _read_body(receive)
            if not complete:
                await HTMLResponse(REFUSED, status_code=413)(scope, receive, send)
                return
            sent = _form_token(body, headers.get("content-type", ""))
        if not (
            isinstance(expected, str)
            and sent is not None
            and hmac.compare_digest(sent.encode(), expected.encode())
        ):
            await HTMLResponse(REFUSED, status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive if body is None else _replay(body, receive), send)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body we read, handed to the app as if it had just arrived."""
    delivered = False

    async def again() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
