"""The outbox, seen by an admin: notifications by status, and a retry of one that failed.

Statuses as listed here: pending, sending, sent, failed, and "unreachable" (failed because the
person blocked the bot or left: core.notify's `give_up` with an error starting "unreachable:",
see bot.delivery). "failed" lists only the other failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.admin.audit import AuditLog
from core.admin.guard import require_admin
from core.clock import Clock
from core.db.models import Notification, NotificationStatus
from core.errors import InvalidInput, NotFound
from core.redaction import redact_credentials

PAGE_SIZE = 50
UNREACHABLE_PREFIX = "unreachable:"


class OutboxFilter(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class NotificationRow:
    id: int
    kind: str
    status: str  # one of OutboxFilter's values
    user_id: int | None
    group_id: int | None
    platform: str
    chat_id: str
    due_at: datetime
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    created_at: datetime


def _unreachable() -> ColumnElement[bool]:
    return and_(
        Notification.status == NotificationStatus.FAILED.value,
        Notification.last_error.startswith(UNREACHABLE_PREFIX, autoescape=True),
    )


def _where(status: OutboxFilter) -> ColumnElement[bool]:
    if status is OutboxFilter.UNREACHABLE:
        return _unreachable()
    if status is OutboxFilter.FAILED:
        return and_(
            Notification.status == NotificationStatus.FAILED.value,
            not_(func.coalesce(Notification.last_error, "").startswith(UNREACHABLE_PREFIX)),
        )
    return Notification.status == status.value


def _row(n: Notification) -> NotificationRow:
    status = n.status
    if status == NotificationStatus.FAILED.value and (n.last_error or "").startswith(
        UNREACHABLE_PREFIX
    ):
        status = OutboxFilter.UNREACHABLE.value
    return NotificationRow(
        n.id,
        n.kind,
        status,
        n.user_id,
        n.group_id,
        n.platform,
        n.chat_id,
        n.due_at,
        n.attempts,
        n.next_attempt_at,
        n.sent_at,
        # Stored redacted (core.notify.outbox); again here for rows written before that.
        redact_credentials(n.last_error) if n.last_error is not None else None,
        n.created_at,
    )


class OutboxAdmin:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditLog) -> None:
        self.session = session
        self.clock = clock
        self.audit = audit

    async def counts(self, actor_id: int) -> dict[str, int]:
        """How many notifications are in each status (one query)."""
        await require_admin(self.session, actor_id)
        unreachable = _unreachable()
        rows = await self.session.execute(
            select(Notification.status, unreachable, func.count()).group_by(
                Notification.status, unreachable
            )
        )
        counts = {f.value: 0 for f in OutboxFilter}
        for status, is_unreachable, n in rows.all():
            key = OutboxFilter.UNREACHABLE.value if is_unreachable else status
            counts[key] = counts.get(key, 0) + int(n)
        return counts

    async def list(
        self,
        actor_id: int,
        status: OutboxFilter | str | None = None,
        *,
        before_id: int | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[NotificationRow]:
        """Newest first; page with `before_id`."""
        await require_admin(self.session, actor_id)
        stmt = select(Notification).order_by(Notification.id.desc()).limit(min(max(limit, 1), 500))
        if status is not None:
            try:
                wanted = OutboxFilter(status)
            except ValueError:
                raise InvalidInput(f"There is no outbox status {status!r}.") from None
            stmt = stmt.where(_where(wanted))
        if before_id is not None:
            stmt = stmt.where(Notification.id < before_id)
        return [_row(n) for n in await self.session.scalars(stmt)]

    async def retry(self, actor_id: int, notification_id: int) -> NotificationRow:
        """Send a failed (or unreachable) notification again: pending, due now, attempts from 0."""
        actor = await require_admin(self.session, actor_id)
        n = await self.session.scalar(
            select(Notification).where(Notification.id == notification_id).with_for_update()
        )
        if n is None:
            raise NotFound("There is no such notification.")
        if n.status != NotificationStatus.FAILED.value:
            raise InvalidInput(f"Only failed notifications can be retried; this one is {n.status}.")
        shown = _row(n)
        before: dict[str, Any] = {
            "status": shown.status,
            "attempts": n.attempts,
            "last_error": shown.last_error,
        }
        n.status = NotificationStatus.PENDING.value
        n.attempts = 0
        n.next_attempt_at = self.clock.now()
        n.claimed_by = n.claimed_until = None
        await self.session.flush()
        await self.audit.record(
            actor,
            "notification.retry",
            "notification",
            n.id,
            before=before,
            after={
                "status": n.status,
                "attempts": 0,
                "next_attempt_at": n.next_attempt_at.isoformat(),
            },
        )
        return _row(n)
