"""The Toolbox, moderated: approve or hide community tools, edit any tool (seed ones too).

Status (core.db.models.ToolStatus): a community tool starts "new" and shows at once; an admin
approves it (kept, reviewed) or hides it (gone from /tools, /findtool and the API's Toolbox; a
habit already using it keeps it, listed as no longer in the Toolbox, until its person detaches
it, so approving it again loses nobody's choice). Seed tools are "approved". An edit of a seed
tool lasts: when a release changes the shipped seed file, core.toolbox.service.sync_seed
leaves the tools an admin edited as they are (it finds them by this module's `tool.edit` audit
entries) and logs a warning for each.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.admin.audit import AuditLog
from core.admin.guard import require_admin
from core.clock import Clock
from core.db.models import Tool, ToolOrigin, ToolStatus
from core.errors import InvalidInput, NotFound
from core.toolbox.service import EDITED
from core.toolbox.spec import Source, ToolSpec
from core.validation import build

NO_TOOL = "There is no such tool."
PAGE_SIZE = 100
EDITABLE = ("title", "summary", "steps", "keywords", "problems")


def _state(tool: Tool) -> dict[str, Any]:
    return {
        "status": tool.status,
        "title": tool.title,
        "summary": tool.description,
        "steps": list(tool.steps),
        "keywords": list(tool.keywords),
        "problems": list(tool.problems),
    }


class ToolModeration:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditLog) -> None:
        self.session = session
        self.clock = clock
        self.audit = audit

    async def tools(
        self,
        actor_id: int,
        *,
        status: ToolStatus | None = None,
        origin: ToolOrigin | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[Tool]:
        """Tools newest first, filtered by status and origin (hidden ones included)."""
        await require_admin(self.session, actor_id)
        stmt = select(Tool).order_by(Tool.id.desc()).limit(min(max(limit, 1), 1000))
        if status is not None:
            stmt = stmt.where(Tool.status == ToolStatus(status).value)
        if origin is not None:
            stmt = stmt.where(Tool.origin == ToolOrigin(origin).value)
        return list(await self.session.scalars(stmt))

    async def approve(self, actor_id: int, tool_id: int) -> bool:
        """False when it was approved already. Approving a hidden tool shows it again."""
        return await self._set_status(actor_id, tool_id, ToolStatus.APPROVED)

    async def hide(self, actor_id: int, tool_id: int) -> bool:
        """False when it was hidden already."""
        return await self._set_status(actor_id, tool_id, ToolStatus.HIDDEN)

    async def _set_status(self, actor_id: int, tool_id: int, status: ToolStatus) -> bool:
        actor = await require_admin(self.session, actor_id)
        tool = await self._tool(tool_id)
        if tool.status == status.value:
            return False
        before = tool.status
        tool.status = status.value
        await self.session.flush()
        await self.audit.record(
            actor,
            f"tool.{'approve' if status is ToolStatus.APPROVED else 'hide'}",
            "tool",
            tool.id,
            before={"status": before, "title": tool.title},
            after={"status": tool.status, "title": tool.title},
        )
        return True

    async def edit(self, actor_id: int, tool_id: int, **changes: Any) -> Tool:
        """Change a tool's title, summary, steps, keywords or problems; the same rules as the
        seed file and /addtool (core.toolbox.spec.ToolSpec). Unknown fields are refused."""
        actor = await require_admin(self.session, actor_id)
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise InvalidInput(f"These can't be edited: {', '.join(sorted(unknown))}.")
        tool = await self._tool(tool_id)
        before = _state(tool)
        fields: dict[str, Any] = {
            "slug": tool.slug,
            "title": tool.title,
            "summary": tool.description,
            "steps": tuple(tool.steps),
            "keywords": tuple(tool.keywords),
            "problems": tuple(tool.problems),
            "source": Source.model_validate(tool.source) if tool.source else None,
            "evidence": tool.evidence,
        }
        fields.update(changes)
        spec = build(ToolSpec, **fields)
        if spec.title.lower() != tool.title.lower():
            taken = await self.session.scalar(
                select(Tool.id).where(Tool.title.ilike(spec.title), Tool.id != tool.id)
            )
            if taken is not None:
                raise InvalidInput(f"Another tool is called “{spec.title}” already.")
        tool.title = spec.title
        tool.description = spec.summary
        tool.steps = list(spec.steps)
        tool.keywords = list(spec.keywords)
        tool.problems = list(spec.problems)
        tool.updated_at = self.clock.now()
        await self.session.flush()
        after = _state(tool)
        changed = [k for k in after if after[k] != before[k]]
        await self.audit.record(
            actor,
            EDITED,
            "tool",
            tool.id,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
        return tool

    async def _tool(self, tool_id: int) -> Tool:
        tool = await self.session.scalar(select(Tool).where(Tool.id == tool_id).with_for_update())
        if tool is None:
            raise NotFound(NO_TOOL)
        return tool
