"""Putting the admin together: SQLAdmin mounted at /admin on the web app, on core's database
(its session maker; web_admin writes no SQL of its own), with HabitLink's sign-in, CSRF check,
templates and views. Each app gets its own copies of the view classes, since SQLAdmin keeps
its wiring on the classes and tests build several apps in one process."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqladmin import Admin
from sqladmin.authentication import login_required
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.config import WeakSecret, require_strong_secret
from web_admin.admin.auth import AdminAuth
from web_admin.admin.base import AdminPage, AdminView, cell
from web_admin.admin.csrf import csrf_token
from web_admin.admin.headers import AdminHeaders
from web_admin.admin.views import VIEWS
from web_admin.context import Web

log = logging.getLogger("habitlink.web.admin")
TEMPLATES = Path(__file__).parent / "templates"
BASE_URL = "/admin"
NO_SECRET = (
    "<!doctype html><title>Admin unavailable</title><h1>The admin is switched off</h1>"
    "<p>Its sign-in cookie is signed with SECRET_KEY, and this server runs with a weak or "
    "default one. Set SECRET_KEY (see the README) and restart <code>habitlink web</code>.</p>"
)


class HabitLinkAdmin(Admin):
    def __init__(self, app: FastAPI, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        # SQLAdmin signs out on GET, so any other site could sign an admin out with a link or
        # an image. Here GET only asks, and the POST (CSRF-checked like every POST) signs out.
        routes = self.admin.router.routes
        for i, route in enumerate(routes):
            if isinstance(route, Route) and route.name == "logout":
                routes[i] = Route(
                    "/logout", endpoint=self.logout, name="logout", methods=["GET", "POST"]
                )

    @login_required
    async def index(self, request: Request) -> Response:
        """The dashboard is the first page."""
        return RedirectResponse(request.url_for("admin:view-dashboard"), status_code=302)

    @login_required
    async def edit(self, request: Request) -> Response:
        """No view has SQLAdmin's generic edit form (changes go through the audited actions).
        Its URL answered a bare 403 even for a row that isn't there: a missing row is the 404
        page, as its details page is; one that is gets a refusal that names its page."""
        view = self._find_model_view(request.path_params["identity"])
        if view.can_edit or not view.is_accessible(request):
            answer: Response = await super().edit(request)  # SQLAdmin's own checks (403)
            return answer
        row = await view.get_object_for_details(request)
        if row is None:
            raise HTTPException(404, "There is no such thing (any more).")
        page = request.url_for(
            "admin:details", identity=view.identity, pk=str(request.path_params["pk"])
        )
        raise HTTPException(
            403,
            f"{view.name} rows are not edited here: what an admin can change is on its page, "
            f"{page.path}.",
        )

    async def logout(self, request: Request) -> Response:
        if request.method == "POST":  # the CSRF middleware has checked the token by now
            return await super().logout(request)
        if "user_id" not in request.session:  # signed out already
            return RedirectResponse(request.url_for("admin:login"), status_code=302)
        return await self.templates.TemplateResponse(request, "habitlink/sign_out.html", {})


def mount_admin(app: FastAPI, web: Web) -> None:
    """/admin on `app`; with a weak SECRET_KEY only a page that says how to switch it on."""
    try:
        require_strong_secret("SECRET_KEY", web.settings.secret_key, "The admin signs with it.")
    except WeakSecret:
        log.warning("the admin at /admin is off: SECRET_KEY is weak or the default one")

        @app.get(BASE_URL, include_in_schema=False)
        @app.get(BASE_URL + "/{rest:path}", include_in_schema=False)
        async def admin_off() -> HTMLResponse:
            return HTMLResponse(NO_SECRET, status_code=503)

        return
    auth = AdminAuth(web)
    admin = HabitLinkAdmin(
        app,
        session_maker=web.db.sessionmaker,
        base_url=BASE_URL,
        title="HabitLink admin",
        favicon_url="/favicon.svg",
        templates_dir=str(TEMPLATES),
        middlewares=[Middleware(AdminHeaders)],
        authentication_backend=auth,
    )
    auth.templates = admin.templates
    admin.templates.env.globals["csrf_token"] = csrf_token
    admin.templates.env.filters["cell"] = cell
    for view in VIEWS:
        # A copy per app: SQLAdmin and we keep per-app wiring (session maker, web) on the class.
        own: type[AdminView] | type[AdminPage] = type(view.__name__, (view,), {"web": web})
        admin.add_view(own)
