"""The admin services on one unit of work: `uow.admin.people.ban(actor_id, user_id)` and so on."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from core.admin.audit import PAGE_SIZE, AuditLog, AuditView
from core.admin.dashboard import Dashboard
from core.admin.guard import require_admin
from core.admin.moderation import Moderation
from core.admin.outbox import OutboxAdmin
from core.admin.people import People
from core.admin.roles import Roles
from core.admin.tools import ToolModeration
from core.clock import Clock
from core.db.models import User
from core.media.storage import MediaStore


class Admin:
    """Every call takes the acting admin's id and checks it (core.admin.guard) each time."""

    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        media: MediaStore | None,
        discarded: set[str] | None = None,
    ) -> None:
        self.session = session
        self.clock = clock
        self.media = media
        # Proof image keys whose files go after the unit of work commits (core.media.discard).
        self.discarded: set[str] = set() if discarded is None else discarded
        self._audit = AuditLog(session, clock)

    async def require(self, actor_id: int) -> User:
        """The acting admin, or core.admin.guard.NotAdmin (a Forbidden)."""
        return await require_admin(self.session, actor_id)

    async def audit_log(
        self,
        actor_id: int,
        *,
        action: str | None = None,
        target_type: str | None = None,
        target_id: int | None = None,
        by: int | None = None,
        before_id: int | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[AuditView]:
        """Read-only: entries newest first; `by` is the admin who acted; page with `before_id`."""
        await require_admin(self.session, actor_id)
        return await self._audit.entries(
            action=action,
            target_type=target_type,
            target_id=target_id,
            actor_id=by,
            before_id=before_id,
            limit=limit,
        )

    @cached_property
    def roles(self) -> Roles:
        return Roles(self.session, self._audit)

    @cached_property
    def people(self) -> People:
        return People(self.session, self.clock, self._audit)

    @cached_property
    def moderation(self) -> Moderation:
        return Moderation(self.session, self.clock, self._audit, self.media, self.discarded)

    @cached_property
    def tools(self) -> ToolModeration:
        return ToolModeration(self.session, self.clock, self._audit)

    @cached_property
    def outbox(self) -> OutboxAdmin:
        return OutboxAdmin(self.session, self.clock, self._audit)

    @cached_property
    def dashboard(self) -> Dashboard:
        return Dashboard(self.session, self.clock)
