"""Queue notifications once (dedupe keys) and claim them in batches, safely from many processes.

On PostgreSQL several dispatchers claim with FOR UPDATE SKIP LOCKED; on SQLite one process runs.
A claim is a lease: a dispatcher that dies mid-batch leaves rows in 'sending' whose lease runs
out, and the next dispatcher claims them again. Each row is marked sent right after its send.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.dialects import dialect_insert
from core.db.models import Notification, NotificationStatus
from core.notify.bulk import ENQUEUE_SQL, dumps, is_postgres
from core.redaction import redact_credentials

MAX_ATTEMPTS = 5
DEFAULT_LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class NewNotification:
    dedupe_key: str
    kind: str
    platform: str
    chat_id: str
    due_at: datetime
    user_id: int | None = None
    group_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimedNotification:
    """A notification a worker holds a lease on: what to send, where, and how often it was tried."""

    id: int
    dedupe_key: str
    kind: str
    platform: str
    chat_id: str
    user_id: int | None
    group_id: int | None
    payload: dict[str, Any]
    attempts: int  # including this one
    parts_sent: int  # messages of it that arrived in earlier attempts
    claimed_until: datetime | None  # the end of the lease
    next_attempt_at: datetime

    @classmethod
    def of(cls, row: Notification) -> ClaimedNotification:
        return cls(
            id=row.id,
            dedupe_key=row.dedupe_key,
            kind=row.kind,
            platform=row.platform,
            chat_id=row.chat_id,
            user_id=row.user_id,
            group_id=row.group_id,
            payload=dict(row.payload),
            attempts=row.attempts,
            parts_sent=row.parts_sent,
            claimed_until=row.claimed_until,
            next_attempt_at=row.next_attempt_at,
        )


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox: for the metrics (outbox depth, age of the oldest due)."""

    waiting: int  # pending or being sent
    oldest_due_at: datetime | None  # of the pending notifications due now


class Outbox:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def enqueue(self, items: Sequence[NewNotification]) -> int:
        """Insert what is not queued yet (by dedupe key); returns how many were new."""
        if not items:
            return 0
        now = self.clock.now()
        if is_postgres(self.session):
            # One statement with eight arrays: see core/notify/bulk.py.
            params = {
                "keys": [n.dedupe_key for n in items],
                "kinds": [n.kind for n in items],
                "platforms": [n.platform for n in items],
                "chats": [n.chat_id for n in items],
                "due": [n.due_at for n in items],
                "users": [n.user_id for n in items],
                "groups": [n.group_id for n in items],
                "payloads": [dumps(n.payload) for n in items],
                "status": NotificationStatus.PENDING.value,
                "now": now,
            }
            return int((await self.session.execute(ENQUEUE_SQL, params)).scalar_one())
        rows = [
            {
                "dedupe_key": n.dedupe_key,
                "kind": n.kind,
                "platform": n.platform,
                "chat_id": n.chat_id,
                "due_at": n.due_at,
                "user_id": n.user_id,
                "group_id": n.group_id,
                "payload": n.payload,
                "status": NotificationStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for n in items
        ]
        stmt = dialect_insert(self.session)(Notification).on_conflict_do_nothing(
            index_elements=["dedupe_key"]
        )
        result = await self.session.execute(stmt.returning(Notification.id), rows)
        return len(result.all())

    async def claim(
        self, worker: str, limit: int, *, lease: timedelta = DEFAULT_LEASE
    ) -> list[ClaimedNotification]:
        """Take up to `limit` due notifications (and any whose lease ran out) for this worker.

        Two queries, each a range scan of ix_notifications_status_next_attempt_at: expired
        leases first (few, and oldest), then pending rows in due order. One query with OR
        made PostgreSQL scan and sort the whole queue for every batch.
        """
        now = self.clock.now()
        expired = and_(
            Notification.status == NotificationStatus.SENDING.value,
            Notification.claimed_until < now,
        )
        pending = and_(
            Notification.status == NotificationStatus.PENDING.value,
            Notification.next_attempt_at <= now,
        )
        claimed = await self._claim(expired, worker, limit, now + lease)
        if len(claimed) < limit:
            claimed += await self._claim(pending, worker, limit - len(claimed), now + lease)
        return claimed

    async def _claim(
        self, condition: ColumnElement[bool], worker: str, limit: int, until: datetime
    ) -> list[ClaimedNotification]:
        due = (
            select(Notification.id)
            .where(condition)
            .order_by(Notification.status, Notification.next_attempt_at, Notification.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(Notification)
            .where(Notification.id.in_(due.scalar_subquery()))
            .values(
                status=NotificationStatus.SENDING.value,
                claimed_by=worker,
                claimed_until=until,
                attempts=Notification.attempts + 1,
            )
            .returning(Notification)
            .execution_options(synchronize_session=False)
        )
        claimed = [ClaimedNotification.of(row) for row in (await self.session.scalars(stmt)).all()]
        claimed.sort(key=lambda n: (n.next_attempt_at, n.id))
        return claimed

    async def backlog(self) -> Backlog:
        waiting = (NotificationStatus.PENDING.value, NotificationStatus.SENDING.value)
        count = await self.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.status.in_(waiting))
        )
        oldest = await self.session.scalar(
            select(func.min(Notification.due_at)).where(
                Notification.status == NotificationStatus.PENDING.value,
                Notification.next_attempt_at <= self.clock.now(),
            )
        )
        return Backlog(count or 0, oldest)

    async def mark_sent(self, notification_id: int) -> None:
        await self._set(
            notification_id,
            status=NotificationStatus.SENT.value,
            sent_at=self.clock.now(),
            claimed_until=None,
            last_error=None,
        )

    async def record_parts_sent(self, notification_id: int, parts: int) -> None:
        """The first `parts` messages of a notification arrived: a retry starts after them."""
        await self._set(notification_id, parts_sent=parts)

    async def retry_later(self, notification: ClaimedNotification, error: str) -> None:
        """A temporary failure: back off exponentially; give up after MAX_ATTEMPTS."""
        if notification.attempts >= MAX_ATTEMPTS:
            await self.give_up(notification.id, error)
            return
        delay = timedelta(seconds=min(3600, 15 * 2 ** (notification.attempts - 1)))
        await self._set(
            notification.id,
            status=NotificationStatus.PENDING.value,
            next_attempt_at=self.clock.now() + delay,
            claimed_until=None,
            last_error=redact_credentials(error)[:1000],
        )

    async def give_up(self, notification_id: int, error: str) -> None:
        await self._set(
            notification_id,
            status=NotificationStatus.FAILED.value,
            claimed_until=None,
            last_error=redact_credentials(error)[:1000],
        )

    async def _set(self, notification_id: int, **values: object) -> None:
        await self.session.execute(
            update(Notification)
            .where(Notification.id == notification_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
