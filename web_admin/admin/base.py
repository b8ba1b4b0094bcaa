"""What every admin page shares: read-only SQLAdmin views (no generic create, edit or delete),
reachable only by the signed-in admin of this request, and actions that are POST forms handled
by core.admin's services (which check the role again and write the audit log)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from markupsafe import Markup
from sqladmin import BaseView, ModelView
from sqladmin.flash import Flash
from sqladmin.formatters import BASE_FORMATTERS
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.db.models import Group, Habit, User
from core.errors import Forbidden, HabitLinkError, NotFound
from core.numbers import parse_int
from core.uow import UnitOfWork
from web_admin.admin.auth import SignedIn, signed_in
from web_admin.context import Web

log = logging.getLogger("habitlink.web.admin")
Change = Callable[[UnitOfWork, int, int], Awaitable[object]]
T = TypeVar("T")


def moment(value: datetime) -> str:
    """Times to the minute, in UTC (the database's time; people's local days vary)."""
    return value.strftime("%Y-%m-%d %H:%M UTC")


def lines(value: list[Any]) -> Markup:
    """A list (a tool's steps, keywords, problems) one item a line, not Python's ['...']."""
    return Markup("<br>").join(str(item) for item in value)


FORMATTERS: dict[type[Any], Callable[[Any], Any]] = {
    **BASE_FORMATTERS,
    datetime: moment,
    list: lines,
}


@dataclass(frozen=True)
class Link:
    """A cell that leads to another admin page."""

    text: str
    url: str


def link_to(request: Request, identity: str, pk: int, text: object = None) -> Link:
    url = str(request.url_for("admin:details", identity=identity, pk=str(pk)))
    return Link(str(pk if text is None else text), url)


def name_of(model: Any, attribute: Any) -> str:
    """A related row by its name, not its id: a person, a group, a habit (a column formatter
    for the models' read-only relationships such as a learning's `author`)."""
    related = getattr(model, str(attribute))
    if related is None:
        return ""
    if isinstance(related, User):
        return related.display_name
    if isinstance(related, Group):
        return related.name
    if isinstance(related, Habit):
        return related.title
    return str(related.id)


def cell(value: object) -> str:
    """A value in one of our own tables (details sections, the outbox)."""
    if value is None:
        return ""
    if isinstance(value, Link):
        return Markup('<a href="{}">{}</a>').format(value.url, value.text)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def path_id(request: Request, missing: str = "Not Found") -> int:
    """The row id in the path, or 404: letters, fractions and numbers past 32 bits name no
    row (handed to the database as they are, they failed with a 500)."""
    pk = parse_int(str(request.path_params.get("pk", "")), low=1)
    if pk is None:
        raise HTTPException(404, missing)
    return pk


def unit_of(web: Web) -> UnitOfWork:
    return UnitOfWork(
        web.db, web.clock, default_timezone=web.settings.default_timezone, media=web.media
    )


@dataclass(frozen=True)
class Button:
    """One action on a details page: a POST form with the CSRF token."""

    label: str
    url: str
    style: str = "secondary"
    confirm: str | None = None
    method: str = "post"  # "get": a plain link to a page (such as an edit form)
    field: str | None = None  # a text field sent along (its name), such as a ban's reason
    placeholder: str = ""


def signed_in_here(request: Request) -> bool:
    return isinstance(getattr(request.state, "admin", None), SignedIn)


class AdminPage(BaseView):
    """A custom page (the dashboard); `web` is set on a copy of the class per app."""

    web: ClassVar[Web]

    def is_accessible(self, request: Request) -> bool:
        return signed_in_here(request)


class AdminView(ModelView):
    web: ClassVar[Web]
    can_create = False
    can_edit = False
    can_delete = False
    can_export = False
    can_import = False
    page_size = 25
    column_type_formatters = FORMATTERS
    column_type_formatters_detail = FORMATTERS
    details_template = "habitlink/details.html"

    def is_accessible(self, request: Request) -> bool:
        return signed_in_here(request)

    async def get_object_for_details(self, request: Request) -> Any:
        """The row of a details (or edit) page; None, a 404, when the path names no row id."""
        if parse_int(str(request.path_params.get("pk", "")), low=1) is None:
            return None
        return await super().get_object_for_details(request)

    def buttons(self, request: Request, model: Any) -> list[Button]:
        """The actions offered on this thing's details page."""
        return []

    async def images(self, request: Request, model: Any) -> list[str]:
        """Pictures shown on the details page (a proof's photo)."""
        return []

    async def sections(
        self, request: Request, model: Any
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        """Extra tables under the details (a title and its rows)."""
        return []

    def hide_button(self, request: Request, model: Any) -> Button:
        """Hide, or Unhide when it is hidden (`hidden_at`): learnings and proofs."""
        if model.hidden_at is None:
            return Button("Hide", self.action_url(request, model, "hide"), "warning")
        return Button("Unhide", self.action_url(request, model, "unhide"), "success")

    def action_url(self, request: Request, model: Any, slug: str) -> str:
        base = str(request.url_for("admin:index")).rstrip("/")
        return f"{base}/{self.identity}/{model.id}/{slug}"

    async def act(self, request: Request, done: str, change: Change) -> Response:
        """Run one change through core in its own unit of work, then back to the details
        page with a message. `change(uow, admin_id, pk)`; False means nothing changed."""
        missing = "There is no such thing (any more)."
        pk = path_id(request, missing)
        applied, outcome = await apply_change(
            self.web, request, lambda uow, actor: change(uow, actor, pk), missing=missing
        )
        if applied:
            admin = signed_in(request).id
            log.info("admin action", extra={"user_id": admin, "action": request.url.path})
            if outcome is False:
                Flash.info(request, "Nothing changed: it was like that already.")
            else:
                Flash.success(request, done)
        target = request.url_for("admin:details", identity=self.identity, pk=str(pk))
        return RedirectResponse(target, status_code=303)


async def apply_change(
    web: Web,
    request: Request,
    change: Callable[[UnitOfWork, int], Awaitable[T]],
    *,
    missing: str,
) -> tuple[bool, T | None]:
    """Run `change(uow, admin_id)` in its own unit of work and commit: (True, its result).
    When core refuses it, the reason is flashed: (False, None). Someone who is not an admin
    gets 403, a thing that is not there 404 saying `missing`."""
    try:
        async with unit_of(web) as uow:
            outcome = await change(uow, signed_in(request).id)
            await uow.commit()
    except Forbidden:
        raise HTTPException(403, "Only an admin of this HabitLink can do that.") from None
    except NotFound:
        raise HTTPException(404, missing) from None
    except HabitLinkError as refused:
        Flash.error(request, str(refused))
        return False, None
    return True, outcome
