"""Weekly summaries send the same SQL statements for 3 groups as for 40: no scan per group.

Groups are made with the ORM (an owner, two chats each, due now); Producer.summaries runs as
Notifier.produce runs it, and every chat of every group gets its summary row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Group, GroupChat, Notification, User
from core.notify.producer import Producer, ProduceReport

PLATFORM = "console"


async def add_groups(db: Database, now: datetime, first: int, count: int) -> None:
    async with db.session() as session:
        owner = User(display_name=f"Owner {first}", created_at=now)
        session.add(owner)
        await session.flush()
        for n in range(first, first + count):
            group = Group(
                name=f"Group {n}",
                owner_id=owner.id,
                invite_code=f"code{n}",
                timezone="UTC",
                summary_weekday=now.weekday(),
                summary_hour=now.hour,
                next_summary_at=now,
                created_at=now,
            )
            session.add(group)
            await session.flush()
            for suffix in ("a", "b"):
                session.add(
                    GroupChat(
                        group_id=group.id,
                        platform=PLATFORM,
                        external_chat_id=f"group:{n}{suffix}",
                        created_at=now,
                    )
                )
            # A chat on a platform that is not running: no summary for it.
            session.add(
                GroupChat(
                    group_id=group.id, platform="telegram", external_chat_id=f"-{n}", created_at=now
                )
            )
        await session.commit()


async def produce(db: Database, clock: SettableClock, batch: int = 1000) -> tuple[int, int]:
    """(statements sent, summaries queued) for one Producer.summaries run."""
    before = db.statements
    async with db.session() as session:
        report = ProduceReport()
        await Producer(session, clock, [PLATFORM]).summaries(report, batch)
        await session.commit()
    return db.statements - before, report.queued


async def group_summary_rows(db: Database) -> int:
    async with db.session() as session:
        stmt = select(func.count()).where(Notification.kind == "group_summary")
        return int(await session.scalar(stmt) or 0)


async def test_summary_statements_do_not_grow_with_groups(
    database: Database, clock: SettableClock
) -> None:
    await add_groups(database, clock.now(), 1, 3)
    few, queued_few = await produce(database, clock)
    assert queued_few == 3 * 2
    await add_groups(database, clock.now(), 100, 40)
    many, queued_many = await produce(database, clock)
    assert queued_many == 40 * 2  # the 3 first groups are planned for next week now
    assert few == many
    assert await group_summary_rows(database) == 43 * 2
    nothing, queued = await produce(database, clock)  # all planned: nothing is due
    assert queued == 0 and nothing < few


async def test_summary_statements_grow_by_batch_not_by_group(
    database: Database, clock: SettableClock
) -> None:
    """In batches of 4: 8 groups send one batch's statements more than 4 groups, 12 two more."""
    counts = []
    for first, count in ((1, 4), (100, 8), (200, 12)):
        await add_groups(database, clock.now(), first, count)
        statements, queued = await produce(database, clock, batch=4)
        assert queued == count * 2
        counts.append(statements)
    assert counts[1] - counts[0] == counts[2] - counts[1] > 0
