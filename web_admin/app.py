"""The FastAPI application: the JSON API under /api/v1 over the core services, health checks,
OpenAPI at /openapi.json and its docs page at /docs, and the admin at /admin (web_admin.admin).

`create_app(web)` builds the app around ready-made parts (tests pass their own database and
clock); `build_web(settings)` makes those parts from Settings for `habitlink web`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from pydantic import BaseModel
from starlette.types import ASGIApp

from bot.app import sync_toolbox, tool_finder_from_settings
from bot.config import Settings
from bot.metrics import HTTP_REQUESTS, HTTP_SECONDS
from core.accounts.passwords import Passwords
from core.clock import Clock, SystemClock
from core.db.engine import Database
from core.db.schema import ensure_schema
from core.errors import StorageError
from core.finder.service import ToolFinder
from core.media.limits import MAX_UPLOAD_BYTES
from core.uow import UnitOfWorkFactory
from web_admin import (
    auth,
    groups,
    habits,
    learnings,
    lifebook,
    me,
    media,
    openapi_doc,
    proofs,
    social,
    toolbox,
)
from web_admin.admin.site import mount_admin
from web_admin.context import Web
from web_admin.problems import (
    Problem,
    RequestContext,
    install_problem_handlers,
    problem,
    tag_log_records,
)
from web_admin.throttle import LoginThrottle

log = logging.getLogger("habitlink.web")
MAX_BODY = MAX_UPLOAD_BYTES + 64 * 1024  # a proof photo and its form fields
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": Problem, "content": {"application/problem+json": {}}},
    "5XX": {"model": Problem, "content": {"application/problem+json": {}}},
}


STATIC = files("web_admin") / "static"
ICONS = {"/favicon.ico": "image/x-icon", "/favicon.svg": "image/svg+xml"}


class Health(BaseModel):
    status: str


def create_app(web: Web) -> FastAPI:
    tag_log_records()
    # /docs and /redoc with Swagger UI's and ReDoc's files served here, not from a CDN: the docs
    # work on a network without the internet, and the browser asks no third party.
    app = FastAPIOffline(
        favicon_url="/favicon.svg",
        title="HabitLink API",
        version="1",
        description="Habits, groups, proofs, learnings, the Lifebook and the Toolbox of "
        "HabitLink, for web and apps. "
        "Sign in at /api/v1/auth/login and send the access token as a bearer token. "
        "Errors are RFC 9457 problem details whose `code` is a stable word to branch on.",
        responses=PROBLEM_RESPONSES,
    )
    app.state.web = web
    install_problem_handlers(app)
    for module in (auth, me, habits, groups, proofs, learnings, social, media, lifebook, toolbox):
        app.include_router(module.router)

    @app.middleware("http")
    async def count_requests(request: Request, call_next: Any) -> Any:
        started = time.perf_counter()
        root = request.scope.get("root_path", "")
        response = await call_next(request)
        matched = request.scope.get("route")
        # A mounted app's routes (the admin's) under its mount path: /admin/login, not /login.
        mount = request.scope.get("root_path", "")[len(root) :]
        path = getattr(matched, "path", None)
        route = mount + path if isinstance(path, str) else "unmatched"
        HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        HTTP_SECONDS.labels(route).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body = await asyncio.to_thread(generate_latest, REGISTRY)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    for path, media_type in ICONS.items():  # the browser asks for one on every page, admin's too
        app.add_api_route(
            path, icon_route(path, media_type), methods=["GET"], include_in_schema=False
        )

    async def healthz() -> Health:
        return Health(status="ok")

    async def readyz(request: Request) -> Any:
        try:
            await web.db.ping()
        except StorageError:
            log.warning("not ready: the database does not answer", exc_info=True)
            return problem(request, 503, "The database does not answer.")
        return Health(status="ready")

    app.add_api_route(
        "/healthz",
        healthz,
        methods=["GET"],
        response_model=Health,
        tags=["health"],
        summary="The process is up",
    )
    app.add_api_route(
        "/readyz",
        readyz,
        methods=["GET"],
        response_model=Health,
        tags=["health"],
        summary="The database answers",
        responses={503: {"model": Problem}},
    )
    # HEAD too: uptime monitors often ask with it (the answer without its body). Routes of
    # their own, out of the OpenAPI document, whose operation ids must each be unique.
    for path, endpoint in (("/healthz", healthz), ("/readyz", readyz)):
        app.add_api_route(
            path, endpoint, methods=["HEAD"], response_model=Health, include_in_schema=False
        )

    openapi_doc.install(app)
    mount_admin(app, web)
    origins = web.settings.cors_origin_list
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    return app


def icon_route(path: str, media_type: str) -> Callable[[], Awaitable[Response]]:
    """An endpoint serving the icon file at `path` (shipped in web_admin/static)."""
    icon = (STATIC / path.lstrip("/")).read_bytes()

    async def serve_icon() -> Response:
        return Response(
            icon, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
        )

    return serve_icon


def asgi(app: FastAPI) -> ASGIApp:
    """The app as served: request ids, access log and the body cap around it."""
    return RequestContext(app, MAX_BODY)


@asynccontextmanager
async def build_web(settings: Settings, *, clock: Clock | None = None) -> AsyncIterator[Web]:
    """The shared parts from Settings; the schema is checked (and on SQLite upgraded) first."""
    clock = clock or SystemClock()
    db = Database(settings.effective_database_url)
    finder: ToolFinder | None = None
    try:
        await ensure_schema(db, auto_upgrade=settings.uses_embedded_database)
        store = settings.media_store()
        # The shipped Toolbox, as the bot brings it in at start: the admin's tool list is full
        # even when `habitlink web` runs alone (the bot never started on this database).
        await sync_toolbox(
            UnitOfWorkFactory(db, clock, default_timezone=settings.default_timezone, media=store)
        )
        finder = tool_finder_from_settings(settings, clock)
        yield Web(
            settings=settings,
            db=db,
            clock=clock,
            media=store,
            passwords=Passwords(),
            throttle=LoginThrottle.from_settings(settings.redis_url, settings.redis_prefix),
            finder=finder,
        )
    finally:
        if finder is not None and finder.chooser is not None:
            await finder.chooser.close()
        await db.dispose()
