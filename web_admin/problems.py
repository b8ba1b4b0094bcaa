"""Errors as RFC 9457 problem+json, a request id on every response and log line, a body cap.

No stack trace leaves the server: an unexpected exception is logged (with the request id) and the
client gets a plain 500 problem naming that id. Validation errors name the field.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from http import HTTPStatus
from typing import Any, get_args

from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import (
    Ambiguous,
    Forbidden,
    HabitLinkError,
    InvalidField,
    NotFound,
    StorageConflict,
    StorageError,
)
from core.media.storage import MediaStoreError
from web_admin.error_codes import ALL_CODES, Err, for_status, of_field, of_refusal
from web_admin.error_words import field_of, said
from web_admin.field_messages import (
    NOT_NULLABLE,
    field_kind,
    field_message,
    is_null,
    null_message,
)
from web_admin.routing import Unreadable, form_failure

log = logging.getLogger("habitlink.web")
PROBLEM = "application/problem+json"
REQUEST_ID = "X-Request-ID"
NOT_JSON = "The request body is not valid JSON."
NOT_OBJECT = "The request body should be a JSON object."
TOO_DEEP = "The request body could not be read as JSON: it is not valid, or nested too deeply."
PARSE_FAILED = "There was an error parsing the body"  # FastAPI's, when its JSON reader gives up
NO_BODY = "This request needs a JSON object as its body, sent with Content-Type: application/json."
NO_ROUTE = "There is nothing at this address. The API is under /api/v1; its routes are at /docs."
UNKNOWN_FIELD = "There is no field of this name here; check its spelling."
# A field name (or a list position) a sentence may safely name: not any text a client sent.
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|[0-9]{1,4}")
SEND_JSON = "Send the body as JSON, with the header Content-Type: application/json."
MULTIPART = "multipart/form-data"
SEND_FORM = (
    "Send this as a form, Content-Type: multipart/form-data, with the photo as a file"
    " (with curl: -F photo=@run.jpg -F note=...)."
)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


class FieldError(BaseModel):
    field: str
    message: str = Field(
        description="For people: what is wrong and what to give instead. A wrong type, a "
        "missing, unknown or null field is said in a sentence that names the field: "
        '"title should be text, in quotes.", "title can\'t be null; give text, in quotes."'
    )
    code: str = Field(
        description="What is wrong with the field, for a program: Pydantic's error type "
        "(missing, string_too_long, int_parsing, ...), unknown_field, not_nullable (null for a "
        "field that can't be null: give a value, or leave an optional field out), not_json, "
        "no_body, not_object, invalid_value (breaks one of HabitLink's rules), or the "
        "problem's code."
    )


class Problem(BaseModel):
    """RFC 9457 problem details, with `code` (an extension member) to branch on."""

    type: str = "about:blank"
    title: str
    status: int
    code: str = Field(
        description="What went wrong, as a stable word to branch on (the other texts are for "
        "people and may change). Field errors carry their own codes in `errors`.",
        json_schema_extra={"enum": list(ALL_CODES)},
    )
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class ApiError(Exception):
    """An HTTP error with a message for the client (and optional headers such as Retry-After)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: Err | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field  # the request field it is about, for the problem's `errors`
        self.code = code.value if code is not None else for_status(status)
        self.headers = headers or {}


def problem(
    request: Request,
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        code=code or for_status(status),
        detail=detail,
        instance=request.url.path,
        request_id=request_id.get(),
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status, headers=headers, media_type=PROBLEM
    )


def _field_name(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model an annotation holds (itself, or through lists, optionals and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for a in get_args(annotation) if (m := _model_in(a)) is not None), None)


def _model_at(body: object, path: Sequence[int | str]) -> type[BaseModel] | None:
    """The model found at `path` inside a body (list positions skipped), if it is one."""
    model = _model_in(body)
    for part in path:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None
        model = _model_in(model.model_fields[part].annotation)
    return model


def _unknown_field(body: object, loc: tuple[int | str, ...]) -> str:
    """What to say of a field a body does not have: its name (when it is a plain one: the
    client typed it) and the fields it has, so a typo is plain."""
    name = str(loc[-1]) if loc else ""
    said = UNKNOWN_FIELD
    if FIELD_NAME.fullmatch(name):
        said = f"There is no field {name} here; check its spelling."
    model = _model_at(body, loc[1:-1])
    if model is None:
        return said
    return f"{said} The fields are: {', '.join(model.model_fields)}."


def _optional(body: object, loc: tuple[int | str, ...]) -> bool:
    """Whether the body's field at `loc` may be left out (a list's item never may)."""
    model = _model_at(body, loc[1:-1])
    name = loc[-1] if loc else None
    if model is None or not isinstance(name, str) or name not in model.model_fields:
        return False
    return not model.model_fields[name].is_required()


def _field_error(error: Mapping[str, Any], body: object = None) -> FieldError:
    if error.get("type") == "json_invalid":  # its loc is ("body", the character offset)
        return FieldError(field="body", message=NOT_JSON, code="not_json")
    loc = tuple(error.get("loc", ()))
    if loc == ("body",) and error.get("type") == "missing":
        return FieldError(field="body", message=NO_BODY, code="no_body")
    field = _field_name(loc)
    if error.get("type") == "extra_forbidden":
        return FieldError(field=field, message=_unknown_field(body, loc), code="unknown_field")
    if is_null(error):
        message = null_message(field, error, optional=_optional(body, loc))
        return FieldError(field=field, message=message, code=NOT_NULLABLE)
    return FieldError(field=field, message=field_message(field, error), code=field_kind(error))


def _summary(errors: Sequence[FieldError]) -> str:
    """A 422's detail: its one error's sentence, or which fields are wrong (those a sentence may
    safely name: an unknown field's name is the client's text)."""
    if len(errors) == 1:
        return errors[0].message
    named = [e.field for e in errors if all(FIELD_NAME.fullmatch(p) for p in e.field.split("."))]
    if not named:
        return "Some fields are not valid."
    return f"Some fields are not valid: {', '.join(dict.fromkeys(named))}."


def _body_not_an_object(errors: Sequence[Any]) -> bool:
    """FastAPI's answer to a body that is no object: JSON that is a list, a number or null,
    or a body it did not read as JSON at all (another Content-Type, or none)."""
    return any(
        tuple(e.get("loc", ())) == ("body",)
        and e.get("type") in {"model_attributes_type", "dict_type"}
        for e in errors
    )


def _is_json(content_type: str) -> bool:
    subtype = content_type.split(";", 1)[0].strip().lower().rpartition("/")[2]
    return subtype == "json" or subtype.endswith("+json")


def _is_form(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in (MULTIPART, "application/x-www-form-urlencoded")


def _allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """Every method some route answers on the scope's path (asked of each route, so included
    routers and mounted apps count too), in the usual order."""
    allowed: list[str] = []
    for method in METHODS:
        probe = {**scope, "method": method}
        for route in routes:
            match, child = route.matches(probe)
            if match == Match.FULL and isinstance(route, Mount):
                if method in _allowed_methods(route.routes, {**probe, **child}):
                    allowed.append(method)
                    break
            elif match == Match.FULL:
                allowed.append(method)
                break
    return allowed


def _fixed_route_methods(app: FastAPI, path: str) -> list[str]:
    """The methods of the API's route at exactly this address with no parameter in it
    (`/api/v1/groups/join`), from the OpenAPI document; [] when there is none. A path parameter
    that fails to read may be such a route asked with another method: GET /groups/join is
    matched as GET /groups/{group_id}, whose group_id "join" is not a number."""
    operations = app.openapi().get("paths", {}).get(path, {})
    return [m for m in METHODS if m.lower() in operations]


def install_problem_handlers(app: FastAPI) -> None:
    async def validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        if isinstance(exc.body, Unreadable):  # only now, once the sign-in was checked
            if not exc.body.malformed:  # [[[[...: too deep to read
                return problem(request, 400, TOO_DEEP, code=Err.NOT_JSON)
            body = [FieldError(field="body", message=NOT_JSON, code="not_json")]
            return problem(request, 422, NOT_JSON, errors=body)
        broken_form = form_failure(exc.body)
        if broken_form is not None:
            return problem(request, 400, broken_form)
        if _body_not_an_object(exc.errors()):
            if not _is_json(request.headers.get("content-type", "")):
                return problem(request, 415, SEND_JSON, headers={"Accept": "application/json"})
            body = [FieldError(field="body", message=NOT_OBJECT, code="not_object")]
            return problem(request, 422, NOT_OBJECT, errors=body)
        if any(tuple(e.get("loc", ()))[:1] == ("path",) for e in exc.errors()):
            allowed = _fixed_route_methods(app, request.url.path)
            if allowed and request.method not in allowed:  # GET /groups/join: not a group id
                allow = ", ".join(allowed)
                detail = f"This address does not take {request.method}; it takes {allow}."
                return problem(request, 405, detail, headers={"Allow": allow})
        route = request.scope.get("route")
        body_field = getattr(route, "body_field", None) if isinstance(route, APIRoute) else None
        form = body_field is not None and isinstance(body_field.field_info, params.Form)
        if form and not _is_form(request.headers.get("content-type", "")):
            return problem(request, 415, SEND_FORM, headers={"Accept": MULTIPART})
        model = body_field.field_info.annotation if body_field is not None else None
        errors = [_field_error(e, model) for e in exc.errors()]
        whole = [
            e.message for e in errors if e.field == "body" and e.message in (NOT_JSON, NO_BODY)
        ]
        return problem(request, 422, whole[0] if whole else _summary(errors), errors=errors)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else None
        headers = dict(exc.headers or {})
        code = None
        if exc.status_code == 404 and detail == HTTPStatus.NOT_FOUND.phrase:  # no such route
            detail, code = NO_ROUTE, Err.NO_ROUTE
        if exc.status_code == 400 and detail == PARSE_FAILED:  # [[[[...: recursion too deep
            detail, code = TOO_DEEP, Err.NOT_JSON
        if exc.status_code == 405:  # Starlette names only the methods of the first route found
            allowed = _allowed_methods(app.router.routes, request.scope)
            if allowed:
                headers["Allow"] = ", ".join(allowed)
                detail = (
                    f"This address does not take {request.method}; it takes {headers['Allow']}."
                )
        return problem(request, exc.status_code, detail, code=code, headers=headers)

    async def api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        errors = None
        if exc.field is not None:
            errors = [FieldError(field=exc.field, message=exc.detail, code=exc.code)]
        return problem(
            request, exc.status, exc.detail, code=exc.code, errors=errors, headers=exc.headers
        )

    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HabitLinkError)
        if isinstance(exc, MediaStoreError):
            log.warning("media store error", extra={"operation": exc.operation})
            return problem(request, 503, exc.message, code=Err.MEDIA_UNAVAILABLE)
        detail = said(exc)  # in the API's terms, not the chat's
        code = of_refusal(exc)
        if isinstance(exc, NotFound):
            return problem(request, 404, detail, code=code)
        if isinstance(exc, Forbidden):
            return problem(request, 403, detail, code=code)
        field = exc.field if isinstance(exc, InvalidField) else field_of(exc)
        if field is not None:
            errors = [FieldError(field=field, message=detail, code=of_field(exc))]
            return problem(request, 422, detail, code=code, errors=errors)
        if isinstance(exc, Ambiguous):
            candidates = ", ".join(exc.candidates)
            return problem(request, 422, f"{detail} Which one: {candidates}?", code=code)
        return problem(request, 422, detail, code=code)

    async def storage_error(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, StorageConflict):
            log.warning("storage conflict", exc_info=exc)
            detail = "That collided with another change. Please try again."
            return problem(request, 409, detail, code=Err.CONFLICT)
        log.error("storage error", exc_info=exc)
        detail = "The service could not reach its storage. Nothing changed."
        return problem(request, 503, detail, code=Err.STORAGE_UNAVAILABLE)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("request failed", exc_info=exc)
        detail = "Something went wrong on our side. Nothing was changed."
        return problem(request, 500, detail, code=Err.INTERNAL_ERROR)

    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HabitLinkError, domain_error)
    app.add_exception_handler(StorageError, storage_error)
    app.add_exception_handler(RedisError, storage_error)
    app.add_exception_handler(Exception, unexpected)


_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _factory(*args, **kwargs)
    rid = request_id.get()
    if rid is not None and not hasattr(record, "request_id"):
        record.request_id = rid
    return record


def tag_log_records() -> None:
    """Every log line written while a request is handled carries its request id."""
    if logging.getLogRecordFactory() is not _record_with_request_id:
        logging.setLogRecordFactory(_record_with_request_id)


class RequestContext:
    """ASGI middleware: a request id (the client's X-Request-ID when sane, else a new one) on the
    response and in the logs; an access log line without the query string; and a cap on the
    request body (413 beyond `max_body` bytes, checked as the body streams in)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID.lower().encode(), rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            body = await self._read_body(receive)
            if body is None:
                status = 413
                await _send_too_large(send_with_id, self.max_body, scope.get("path", ""), rid)
                return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_id)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id.reset(token)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it is over the cap."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text: str = value.decode("latin-1")
            if 0 < len(text) <= 64 and all(c.isalnum() or c in "-_." for c in text):
                return text
    return None


async def _send_too_large(
    send: Callable[[Message], Awaitable[None]], limit: int, path: str, rid: str
) -> None:
    body = Problem(
        title=HTTPStatus(413).phrase,
        status=413,
        code=Err.BODY_TOO_LARGE,
        detail=f"The request body is larger than {limit} bytes.",
        instance=path,
        request_id=rid,
    ).model_dump_json(exclude_none=True)
    headers: MutableMapping[str, str] = {"content-type": PROBLEM}
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()]
            + [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})
