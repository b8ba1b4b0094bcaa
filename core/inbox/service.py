"""Store each delivered update before confirming it to the platform; mark it handled in the
transaction of its effect. After a crash the unhandled ones are handled again, and a platform
that delivers one twice (confirmed too late) finds it already known."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.dialects import dialect_insert
from core.db.models import InboxUpdate

# Handled updates are kept this long, to recognise one the platform delivers a second time.
KEEP_HANDLED = timedelta(days=2)
# Built once (every update runs it): each call binds only the values. No InboxUpdate objects
# are loaded where it runs, so the session has nothing to synchronise.
# A Core statement on the table: SQLAlchemy runs it as plain SQL, without the ORM's bulk
# UPDATE setup.
_INBOX: Table = InboxUpdate.__table__  # type: ignore[assignment]
_MARK_HANDLED = (
    update(_INBOX)
    .where(
        _INBOX.c.platform == bindparam("b_platform"),
        _INBOX.c.update_id == bindparam("b_update_id"),
        _INBOX.c.handled_at.is_(None),
    )
    .values(handled_at=bindparam("now"), reply=bindparam("b_reply"))
)


@dataclass(frozen=True)
class InboxEntry:
    update_id: int
    payload: str


@dataclass(frozen=True)
class PendingReply:
    update_id: int
    payload: str  # the update, as it arrived
    reply: str  # the reply, as the bot layer encoded it


class InboxStore:
    """The inbox on a unit of work's session (`uow.inbox`); the caller commits."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def accept(self, platform: str, entries: list[InboxEntry]) -> list[InboxEntry]:
        """Store the entries; returns those not seen before, in order."""
        if not entries:
            return []
        known = set(
            (
                await self.session.scalars(
                    select(InboxUpdate.update_id).where(
                        InboxUpdate.platform == platform,
                        InboxUpdate.update_id.in_([e.update_id for e in entries]),
                    )
                )
            ).all()
        )
        fresh: list[InboxEntry] = []
        for entry in entries:
            if entry.update_id not in known:
                known.add(entry.update_id)
                fresh.append(entry)
        if fresh:
            now = self.clock.now()
            insert = dialect_insert(self.session)
            rows = [
                {
                    "platform": platform,
                    "update_id": e.update_id,
                    "payload": e.payload,
                    "received_at": now,
                    "handled_at": None,
                }
                for e in fresh
            ]
            await self.session.execute(insert(InboxUpdate).on_conflict_do_nothing(), rows)
        return fresh

    async def pending(self, platform: str) -> list[InboxEntry]:
        """Updates stored but not handled (a crash interrupted them), oldest first."""
        rows = (
            await self.session.execute(
                select(InboxUpdate.update_id, InboxUpdate.payload)
                .where(InboxUpdate.platform == platform, InboxUpdate.handled_at.is_(None))
                .order_by(InboxUpdate.update_id)
            )
        ).all()
        return [InboxEntry(update_id, payload) for update_id, payload in rows]

    async def mark_handled(self, platform: str, update_id: int, reply: str | None = None) -> None:
        """Mark an update handled: in the transaction of its effect, or after it changed
        nothing (or failed). `reply` is what to send for it, kept until `reply_sent`."""
        params = {
            "b_platform": platform,
            "b_update_id": update_id,
            "now": self.clock.now(),
            "b_reply": reply,
        }
        await self.session.execute(_MARK_HANDLED, params)

    async def replies_sent(self, platform: str, update_ids: Sequence[int]) -> None:
        """These updates' replies were sent (or given up on): never send them again."""
        await self.session.execute(
            update(InboxUpdate)
            .where(
                InboxUpdate.platform == platform,
                InboxUpdate.update_id.in_(update_ids),
                InboxUpdate.reply.is_not(None),
            )
            .values(reply=None)
        )

    async def unsent(self, platform: str) -> list[PendingReply]:
        """Replies of handled updates that a crash kept from being sent, oldest first."""
        rows = (
            await self.session.execute(
                select(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.reply)
                .where(
                    InboxUpdate.platform == platform,
                    InboxUpdate.handled_at.is_not(None),
                    InboxUpdate.reply.is_not(None),
                )
                .order_by(InboxUpdate.update_id)
            )
        ).all()
        return [PendingReply(u, p, r) for u, p, r in rows if r is not None]

    async def prune(self, platform: str) -> None:
        """Forget handled updates older than KEEP_HANDLED."""
        await self.session.execute(
            delete(InboxUpdate).where(
                InboxUpdate.platform == platform,
                InboxUpdate.handled_at < self.clock.now() - KEEP_HANDLED,
            )
        )
