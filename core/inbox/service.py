"""Store each delivered update before confirming it to the platform; mark it handled in the
transaction of its effect. After a crash the unhandled ones are handled again, and a platform
that delivers one twice (confirmed too late) finds it already known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.engine import Database
from core.db.models import InboxUpdate

# Handled updates are kept this long, to recognise one the platform delivers a second time.
KEEP_HANDLED = timedelta(days=2)


@dataclass(frozen=True)
class InboxEntry:
    update_id: int
    payload: str


class Inbox:
    """The updates of one platform ("telegram") in the database."""

    def __init__(self, db: Database, clock: Clock, platform: str) -> None:
        self.db = db
        self.clock = clock
        self.platform = platform

    async def accept(self, entries: list[InboxEntry]) -> list[InboxEntry]:
        """Store the entries in one transaction; returns those not seen before, in order."""
        if not entries:
            return []
        now = self.clock.now()
        async with self.db.session() as session:
            known = set(
                (
                    await session.scalars(
                        select(InboxUpdate.update_id).where(
                            InboxUpdate.platform == self.platform,
                            InboxUpdate.update_id.in_([e.update_id for e in entries]),
                        )
                    )
                ).all()
            )
            fresh: list[InboxEntry] = []
            for entry in entries:
                if entry.update_id in known:
                    continue
                known.add(entry.update_id)
                fresh.append(entry)
            if fresh:
                dialect = session.get_bind().dialect.name
                insert = pg_insert if dialect == "postgresql" else sqlite_insert
                rows = [
                    {
                        "platform": self.platform,
                        "update_id": e.update_id,
                        "payload": e.payload,
                        "received_at": now,
                        "handled_at": None,
                    }
                    for e in fresh
                ]
                await session.execute(insert(InboxUpdate).on_conflict_do_nothing(), rows)
            await session.commit()
        return fresh

    async def prune(self) -> None:
        """Forget handled updates older than KEEP_HANDLED."""
        async with self.db.session() as session:
            await session.execute(
                delete(InboxUpdate).where(
                    InboxUpdate.platform == self.platform,
                    InboxUpdate.handled_at < self.clock.now() - KEEP_HANDLED,
                )
            )
            await session.commit()

    async def pending(self) -> list[InboxEntry]:
        """Updates stored but not handled (a crash interrupted them), oldest first."""
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(InboxUpdate.update_id, InboxUpdate.payload)
                    .where(InboxUpdate.platform == self.platform, InboxUpdate.handled_at.is_(None))
                    .order_by(InboxUpdate.update_id)
                )
            ).all()
        return [InboxEntry(update_id, payload) for update_id, payload in rows]

    async def finish(self, update_id: int) -> None:
        """Mark an update handled (when its handling changed nothing, or failed)."""
        async with self.db.session() as session:
            await mark_handled(session, self.platform, update_id, self.clock)
            await session.commit()


async def mark_handled(session: AsyncSession, platform: str, update_id: int, clock: Clock) -> None:
    """Mark an update handled inside the caller's transaction (with the update's effect)."""
    await session.execute(
        update(InboxUpdate)
        .where(
            InboxUpdate.platform == platform,
            InboxUpdate.update_id == update_id,
            InboxUpdate.handled_at.is_(None),
        )
        .values(handled_at=clock.now())
    )
