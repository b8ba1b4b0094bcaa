"""The outbox: pending, sending, sent, failed and unreachable notifications (core.admin.outbox),
with a retry for the failed and unreachable ones."""

from __future__ import annotations

from sqladmin import expose
from sqladmin.flash import Flash
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.admin.outbox import OutboxFilter
from web_admin.admin.auth import signed_in
from web_admin.admin.base import AdminPage, apply_change, path_id, unit_of


class OutboxPage(AdminPage):
    name = "Outbox"
    icon = "fa-solid fa-paper-plane"

    @expose("/outbox", methods=["GET"], identity="outbox")
    async def outbox(self, request: Request) -> Response:
        wanted = request.query_params.get("status", OutboxFilter.FAILED.value)
        try:
            status = OutboxFilter(wanted)
        except ValueError:
            raise HTTPException(404, f"There is no outbox status {wanted!r}.") from None
        actor = signed_in(request).id
        async with unit_of(self.web) as uow:
            counts = await uow.admin.outbox.counts(actor)
            rows = await uow.admin.outbox.list(actor, status)
        return await self.templates.TemplateResponse(
            request,
            "habitlink/outbox.html",
            {
                "title": "Outbox",
                "counts": counts,
                "status": status.value,
                "statuses": [s.value for s in OutboxFilter],
                "rows": rows,
                "retryable": status in (OutboxFilter.FAILED, OutboxFilter.UNREACHABLE),
            },
        )

    @expose("/outbox/{pk:int}/retry", methods=["POST"], identity="outbox-retry")
    async def retry(self, request: Request) -> Response:
        missing = "There is no such notification."
        pk = path_id(request, missing)
        applied, row = await apply_change(
            self.web, request, lambda uow, actor: uow.admin.outbox.retry(actor, pk), missing=missing
        )
        if applied and row is not None:
            Flash.success(request, f"Notification {row.id} is queued to be sent again.")
        back = request.headers.get("referer") or str(request.url_for("admin:view-outbox"))
        if not back.startswith(str(request.base_url)):
            back = str(request.url_for("admin:view-outbox"))
        return RedirectResponse(back, status_code=303)
