"""The producer's two reminder paths leave exactly the same database (PostgreSQL).

On PostgreSQL `Producer.reminders` is set-based (two statements a batch, the payload and the
dedupe key made in SQL); `set_based=False` runs the row path SQLite uses. Over a random mix of
people (time zones with DST changes, day starts, quiet hours, check-ins, snoozes (some for the
day before), downtime, weekday masks, habits due on chosen weekdays only, archived habits,
unreachable, banned and other-platform people, a dedupe key already queued, a reminder locked
by another transaction) both must leave the same outbox rows, byte for byte (ids, raw payload
text), the same reminder times and the same report. Also: the SQL form of the quiet-hours rule
equals `quiet_hour`, and the statements per batch.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import astuple
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import (
    Habit,
    HabitLog,
    Identity,
    Notification,
    Reminder,
    User,
    UserSettings,
)
from core.notify.due_reminders import quiet_hour, quiet_sql
from core.notify.producer import Producer, ProduceReport

PLATFORMS = ("console", "telegram")  # what runs; "discord" identities are not reachable
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata")
QUIET = (None, (22, 7), (13, 15), (0, 6), (23, 0), (8, 8))
NOWS = [
    datetime(2026, 3, 23, 9, 0, 20, tzinfo=UTC),  # an ordinary Monday morning
    datetime(2026, 3, 29, 1, 20, tzinfo=UTC),  # just after Berlin's spring-forward
    datetime(2026, 11, 1, 6, 40, tzinfo=UTC),  # inside New York's autumn fold
    datetime(2026, 4, 4, 15, 10, tzinfo=UTC),  # Lord Howe's half-hour fall back
]


def moment(rng: random.Random, now: datetime) -> datetime | None:
    """A due or snooze time: never, long stale, within the hour, just due, or not yet."""
    offsets = [None, -3 * 24 * 60, -70, -59, -30, -6, -5, -1, 0, 1, 60]
    minutes = rng.choice(offsets)
    return None if minutes is None else now.replace(second=0) + timedelta(minutes=minutes)


async def build(session: AsyncSession, now: datetime, seed: int, people: int = 60) -> None:
    rng = random.Random(seed)
    for n in range(1, people + 1):
        zone = rng.choice(ZONES)
        banned = now if rng.random() < 0.05 else None
        user = User(display_name=f"P{n}", created_at=now, banned_at=banned)
        session.add(user)
        await session.flush()
        quiet = rng.choice(QUIET)
        session.add(
            UserSettings(
                user_id=user.id,
                timezone=zone,
                day_start_hour=rng.choice((0, 0, 3, 6)),
                quiet_start=quiet[0] if quiet else None,
                quiet_end=quiet[1] if quiet else None,
            )
        )
        for k in range(rng.choice((0, 1, 1, 2))):
            session.add(
                Identity(
                    user_id=user.id,
                    platform=rng.choice(("console", "console", "telegram", "discord")),
                    external_id=f"{n}-{k}",
                    display_name=f"P{n}",
                    dm_chat_id=None if rng.random() < 0.1 else f"dm:{n}:{k}",
                    unreachable_at=now if rng.random() < 0.1 else None,
                    created_at=now,
                )
            )
        for h in range(rng.choice((1, 2))):
            kind = rng.choice(("daily", "daily", "weekdays", "weekly"))
            habit = Habit(
                user_id=user.id,
                title=f"H{n}.{h}",
                start_date=date(2026, 1, 1),
                created_at=now,
                archived_at=now if rng.random() < 0.05 else None,
                schedule_kind=kind,
                weekday_mask=rng.randrange(1, 128) if kind == "weekdays" else 0,
                times_per_week=3 if kind == "weekly" else 7,
            )
            session.add(habit)
            await session.flush()
            for days in (0, -1):
                if rng.random() < 0.3:
                    day = now.date() + timedelta(days=days)
                    session.add(HabitLog(habit_id=habit.id, day=day, status="done", created_at=now))
            for _ in range(rng.choice((1, 1, 2, 3))):
                local = time(rng.randrange(24), rng.choice((0, 15, 30, 45)))
                mask = rng.choice((127, 127, 0b0010101, 0b1100000, 1 << now.weekday()))
                session.add(
                    Reminder(
                        habit_id=habit.id,
                        local_time=local,
                        weekday_mask=mask,
                        next_due_at=moment(rng, now),
                        snoozed_until=moment(rng, now) if rng.random() < 0.3 else None,
                        snoozed_day=rng.choice((None, now.date(), now.date() - timedelta(days=1))),
                        created_at=now,
                    )
                )
    await session.flush()


OUTBOX_SQL = (
    "SELECT id, dedupe_key, kind, user_id, group_id, platform, chat_id, payload::text, due_at, "
    "status, attempts, next_attempt_at, claimed_by, claimed_until, sent_at, last_error, "
    "created_at FROM notifications ORDER BY id"
)


async def state(db: Database) -> tuple[Sequence[Any], Sequence[Any]]:
    async with db.session() as session:
        outbox = (await session.execute(text(OUTBOX_SQL))).all()
        times = "SELECT id, next_due_at, snoozed_until FROM reminders ORDER BY id"
        return outbox, (await session.execute(text(times))).all()


async def produce(db: Database, clock: SettableClock, set_based: bool, batch: int) -> Any:
    """Reset the outbox and the reminders' times, then produce once; (report, statements)."""
    async with db.session() as session:
        await session.execute(text("TRUNCATE notifications RESTART IDENTITY"))
        await session.execute(
            text(
                "UPDATE reminders SET next_due_at = o.a, snoozed_until = o.b "
                "FROM original_times o WHERE o.id = reminders.id "
                # (not the locked one, which no run moves: an UPDATE of it would wait)
                "AND (next_due_at, snoozed_until) IS DISTINCT FROM (o.a, o.b)"
            )
        )
        first = await session.scalar(text("SELECT min(id) FROM reminders"))
        # Already queued: the first reminder's key at its due time (ON CONFLICT DO NOTHING).
        due = await session.scalar(text(f"SELECT next_due_at FROM reminders WHERE id = {first}"))
        if due is not None:
            session.add(
                Notification(
                    dedupe_key=f"reminder:{first}:{due.isoformat()}",
                    kind="reminder",
                    platform="console",
                    chat_id="elsewhere",
                    due_at=due,
                    next_attempt_at=due,
                    created_at=due,
                )
            )
        await session.commit()
    before = db.statements
    async with db.session() as session:
        report = ProduceReport()
        await Producer(session, clock, PLATFORMS).reminders(report, batch, set_based=set_based)
        await session.commit()
    return report, db.statements - before


@pytest.mark.postgres
@pytest.mark.parametrize("now", NOWS, ids=lambda t: t.strftime("%m-%d"))
async def test_set_based_and_row_paths_leave_the_same_rows(
    pg_database: Database, now: datetime
) -> None:
    db = pg_database
    clock = SettableClock(now)
    async with db.session() as session:
        await build(session, now, seed=now.day)
        await session.execute(
            text(
                "CREATE TABLE original_times AS "
                "SELECT id, next_due_at AS a, snoozed_until AS b FROM reminders"
            )
        )
        await session.commit()
    # Another producer holds a lock on one due reminder: both paths skip it.
    locker = await db.engine.connect()
    try:
        await locker.begin()
        await locker.execute(
            text(
                "SELECT id FROM reminders WHERE next_due_at <= :now "
                "ORDER BY id OFFSET 3 LIMIT 1 FOR UPDATE"
            ),
            {"now": now},
        )
        try:
            results = {}
            for set_based in (True, False):
                for batch in (7, 1000):
                    report, _ = await produce(db, clock, set_based, batch)
                    results[(set_based, batch)] = (astuple(report), await state(db))
        finally:
            await locker.rollback()
    finally:
        await locker.close()
        async with db.session() as session:
            await session.execute(text("DROP TABLE original_times"))
            await session.commit()
    reference = results[(False, 1000)]
    for key, found in results.items():
        assert found == reference, key
    report = ProduceReport(*reference[0])
    # The mix really exercises every decision.
    assert min(report.queued, report.already_checked_in, report.quiet, report.unreachable) > 0
    assert report.rest_day > 0
    assert report.dropped > 0 and report.late > 0
    outbox, _ = reference[1]
    assert any('"snoozed": true' in row.payload for row in outbox)


@pytest.mark.postgres
async def test_quiet_hours_in_sql_equal_quiet_hour(pg_database: Database) -> None:
    cases = [(s, e, h) for s in (None, *range(24)) for e in (None, *range(24)) for h in range(24)]
    sql = (
        "SELECT s, e, h, " + quiet_sql("s", "e", "h") + " FROM unnest(CAST(:s AS INTEGER[]), "
        "CAST(:e AS INTEGER[]), CAST(:h AS INTEGER[])) AS v(s, e, h)"
    )
    params = {k: [c[i] for c in cases] for i, k in enumerate("seh")}
    async with pg_database.session() as session:
        found = (await session.execute(text(sql), params)).all()
    assert len(found) == len(cases)
    assert all(quiet is quiet_hour(s, e, h) for s, e, h, quiet in found)


async def test_reminder_statements_per_batch(database: Database) -> None:
    """Statements grow by batch, not by reminder: two a batch on PostgreSQL (lock and group,
    then move and queue), five on SQLite (due rows, chats, UPDATE, check-ins, INSERT)."""
    now = datetime(2026, 3, 23, 9, 0, 20, tzinfo=UTC)
    clock = SettableClock(now)
    async with database.session() as session:
        for n in range(1, 13):
            user = User(display_name=f"P{n}", created_at=now)
            session.add(user)
            await session.flush()
            session.add(UserSettings(user_id=user.id))
            session.add(
                Identity(
                    user_id=user.id,
                    platform="console",
                    external_id=str(n),
                    display_name=f"P{n}",
                    dm_chat_id=f"dm:{n}",
                    created_at=now,
                )
            )
            habit = Habit(user_id=user.id, title="Read", start_date=now.date(), created_at=now)
            session.add(habit)
            await session.flush()
            session.add(
                Reminder(
                    habit_id=habit.id,
                    local_time=time(9),
                    next_due_at=now.replace(second=0),
                    created_at=now,
                )
            )
        await session.commit()
    per_batch = 2 if database.engine.dialect.name == "postgresql" else 5
    counts = []
    for batch in (5, 12, 13):
        async with database.session() as session:
            await session.execute(
                text("UPDATE reminders SET next_due_at = :at"), {"at": now.replace(second=0)}
            )
            await session.execute(text("DELETE FROM notifications"))
            await session.commit()
        before = database.statements
        async with database.session() as session:
            report = ProduceReport()
            await Producer(session, clock, ["console"]).reminders(report, batch)
            await session.commit()
        assert report.queued == 12
        counts.append(database.statements - before)
    # 5 a batch: three full batches (5, 5, 2: the short one ends it); 12: one full batch and
    # an empty read; 13: one short batch.
    assert counts == [3 * per_batch, per_batch + 1, per_batch]


@pytest.mark.postgres
async def test_two_producers_at_once_queue_each_reminder_once(pg_database: Database) -> None:
    """Each producer locks its batch FOR UPDATE SKIP LOCKED: run side by side in small
    batches, they share the due reminders between them and queue each one exactly once."""
    now = datetime(2026, 3, 23, 9, 0, 20, tzinfo=UTC)
    clock = SettableClock(now)
    async with pg_database.session() as session:
        await build(session, now, seed=7, people=80)
        await session.commit()
    async with pg_database.session() as session:
        reference = ProduceReport()
        await Producer(session, clock, PLATFORMS).reminders(reference, set_based=False)
        await session.rollback()  # only to know what one producer would do

    connected = asyncio.Barrier(2)

    async def one() -> ProduceReport:
        async with pg_database.session() as session:
            # Both connected before either starts: otherwise one could queue everything while
            # the other is still opening its connection, and they would not run side by side.
            await session.execute(text("SELECT 1"))
            await connected.wait()
            report = ProduceReport()
            await Producer(session, clock, PLATFORMS).reminders(report, 5)
            await session.commit()
            return report

    first, second = await asyncio.gather(one(), one())
    both = [a + b for a, b in zip(astuple(first)[:6], astuple(second)[:6], strict=True)]
    assert both == list(astuple(reference)[:6])
    # Side by side, each took batches of its own. (Each queued some was asked before, but a
    # batch may hold only reminders that are dropped, late or on a rest day: queued 31 and 0,
    # the second's 5 reminders 2 dropped and 3 on rest days, on a quiet CI machine.)
    assert reference.queued > 0
    assert min(sum(astuple(r)[:6]) + r.rest_day for r in (first, second)) > 0
    async with pg_database.session() as session:
        keys = (await session.scalars(text("SELECT dedupe_key FROM notifications"))).all()
        still_due = await session.scalar(
            text("SELECT count(*) FROM reminders WHERE next_due_at <= :now"), {"now": now}
        )
    assert len(keys) == len(set(keys)) == reference.queued
    archived = await archived_due(pg_database, now)
    assert still_due == archived  # only archived habits' reminders stay due


async def archived_due(db: Database, now: datetime) -> int:
    async with db.session() as session:
        found = await session.scalar(
            text(
                "SELECT count(*) FROM reminders r JOIN habits h ON h.id = r.habit_id "
                "WHERE h.archived_at IS NOT NULL AND r.next_due_at <= :now"
            ),
            {"now": now},
        )
    return int(found or 0)
