"""The audit log: written by every admin action in its own unit of work; read-only otherwise.

There is deliberately no function to change or delete an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import AuditEntry, User

COMMAND_LINE = "command line"
PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditView:
    id: int
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: datetime


def label_of(actor: User | None) -> str:
    if actor is None:
        return COMMAND_LINE
    return actor.email or f"{actor.display_name} (#{actor.id})"


class AuditLog:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def record(
        self,
        actor: User | None,
        action: str,
        target_type: str,
        target_id: int | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Add one entry (flushed with the change it describes; committed with it or not at all).
        `actor` None means the command line."""
        self.session.add(
            AuditEntry(
                actor_id=actor.id if actor is not None else None,
                actor_label=label_of(actor),
                action=action,
                target_type=target_type,
                target_id=target_id,
                before=before,
                after=after,
                created_at=self.clock.now(),
            )
        )
        await self.session.flush()

    async def entries(
        self,
        *,
        action: str | None = None,
        target_type: str | None = None,
        target_id: int | None = None,
        actor_id: int | None = None,
        before_id: int | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[AuditView]:
        """Newest first; page with `before_id` (the last id of the previous page)."""
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(min(max(limit, 1), 500))
        if action is not None:
            stmt = stmt.where(AuditEntry.action == action)
        if target_type is not None:
            stmt = stmt.where(AuditEntry.target_type == target_type)
        if target_id is not None:
            stmt = stmt.where(AuditEntry.target_id == target_id)
        if actor_id is not None:
            stmt = stmt.where(AuditEntry.actor_id == actor_id)
        if before_id is not None:
            stmt = stmt.where(AuditEntry.id < before_id)
        return [
            AuditView(
                e.id,
                e.actor_id,
                e.actor_label,
                e.action,
                e.target_type,
                e.target_id,
                e.before,
                e.after,
                e.created_at,
            )
            for e in await self.session.scalars(stmt)
        ]
