"""Toolbox entries: approve or hide community tools, edit seed tools (core.admin.tools checks
them against the same rules as the seed file and /addtool)."""

from __future__ import annotations

from typing import Any

from sqladmin import expose
from sqladmin.filters import StaticValuesFilter
from sqladmin.flash import Flash
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.db.models import Tool, ToolOrigin, ToolStatus
from core.errors import HabitLinkError
from web_admin.admin.auth import signed_in
from web_admin.admin.base import AdminView, Button, name_of, unit_of

LISTS = ("steps", "keywords", "problems")  # edited one item per line


class ToolView(AdminView, model=Tool):
    name = "Toolbox entry"
    name_plural = "Toolbox"
    icon = "fa-solid fa-toolbox"
    column_list = ["id", "title", "origin", "status", "evidence", "author", "created_at"]
    column_details_list = [
        "id", "slug", "title", "origin", "status", "evidence", "description", "steps",
        "keywords", "problems", "author", "created_at", "updated_at",
    ]  # fmt: skip
    column_labels = {
        "id": "Id", "slug": "Slug", "title": "Title", "origin": "Origin", "status": "Status",
        "evidence": "Evidence", "description": "Summary", "steps": "Steps",
        "keywords": "Keywords", "problems": "Problems", "author": "Author",
        "created_at": "Added", "updated_at": "Changed",
    }  # fmt: skip
    column_formatters = column_formatters_detail = {"author": name_of}
    column_searchable_list = ["title", "description"]
    column_sortable_list = ["id", "title", "status", "created_at"]
    column_default_sort = [("id", True)]
    column_filters = [
        StaticValuesFilter(Tool.status, [(s.value, s.value) for s in ToolStatus], "Status"),
        StaticValuesFilter(Tool.origin, [(o.value, o.value) for o in ToolOrigin], "Origin"),
    ]

    def buttons(self, request: Request, model: Any) -> list[Button]:
        buttons = []
        if model.status != ToolStatus.APPROVED.value:
            buttons.append(Button("Approve", self.action_url(request, model, "approve"), "success"))
        if model.status != ToolStatus.HIDDEN.value:
            buttons.append(Button("Hide", self.action_url(request, model, "hide"), "warning"))
        if model.origin == ToolOrigin.SEED.value:
            url = self.action_url(request, model, "change")
            buttons.append(Button("Edit", url, "primary", method="get"))
        return buttons

    @expose("/{pk:int}/approve", methods=["POST"])
    async def approve(self, request: Request) -> Response:
        return await self.act(
            request, "Approved.", lambda uow, actor, pk: uow.admin.tools.approve(actor, pk)
        )

    @expose("/{pk:int}/hide", methods=["POST"])
    async def hide(self, request: Request) -> Response:
        return await self.act(
            request,
            "Hidden from /tools, /findtool and the habits' lists.",
            lambda uow, actor, pk: uow.admin.tools.hide(actor, pk),
        )

    @expose("/{pk}/change", methods=["GET", "POST"])
    async def change(self, request: Request) -> Response:
        """A seed tool's edit form; saving goes through core.admin.tools.edit."""
        tool = await self.get_object_for_details(request)  # None for a path that names no id
        if tool is None:
            raise HTTPException(404, "There is no such tool.")
        if tool.origin != ToolOrigin.SEED.value:
            raise HTTPException(404, "Only seed tools are edited here.")
        values = {
            "title": tool.title,
            "summary": tool.description,
            **{key: "\n".join(getattr(tool, key)) for key in LISTS},
        }
        error = None
        if request.method == "POST":
            form = await request.form()
            values = {k: str(form.get(k, "")) for k in values}
            changes: dict[str, Any] = {"title": values["title"], "summary": values["summary"]}
            for key in LISTS:
                changes[key] = [line.strip() for line in values[key].splitlines() if line.strip()]
            try:
                async with unit_of(self.web) as uow:
                    await uow.admin.tools.edit(signed_in(request).id, tool.id, **changes)
                    await uow.commit()
            except HabitLinkError as refused:
                error = str(refused)
            else:
                Flash.success(request, "Saved.")
                target = request.url_for("admin:details", identity=self.identity, pk=str(tool.id))
                return RedirectResponse(target, status_code=303)
        return await self.templates.TemplateResponse(
            request,
            "habitlink/tool_edit.html",
            {"model_view": self, "tool": tool, "values": values, "error": error},
            status_code=400 if error else 200,
        )
