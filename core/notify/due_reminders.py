"""Due reminders, the pieces both of the producer's paths share, and its set-based path.

Both paths decide the same way: `fire` says which instants of a reminder go off now and where
it moves next (`next_occurrence` in Python, with its DST rules), and each fired instant is
dropped (more than an hour old), or held back (already checked in that local day, a day the
habit is not due, quiet hours, no private chat), or queued with `payload`.

The row path (`Producer._reminder_rows`, SQLite's) reads every due reminder and decides in
Python. The set-based path (PostgreSQL) sends two statements per batch and never brings a
reminder row into Python: the first locks the batch and returns it grouped by *shape* (local
time, zone, weekdays, due and snoozed instants, day start), a handful of groups for a burst of
1,000; Python answers `fire` once per shape; the second statement moves every reminder to its
shape's next time and queues each fired instant that passes the checks, with its dedupe key
and payload made in SQL from per-shape text, in one data-modifying statement.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import local_date
from core.db.models import NotificationStatus
from core.habits.schedule import ScheduleKind
from core.reminders.timing import ALL_DAYS, due_days, next_occurrence, weekday_allowed

LATE_AFTER = timedelta(minutes=5)
DROP_AFTER = timedelta(hours=1)


class When(NamedTuple):
    day: date  # the user's day (core.clock.local_date)
    day_text: str
    hour: int  # local
    clock: str  # local "HH:MM"
    instant: str  # the UTC instant, ISO 8601


class Times:
    """The time-zone arithmetic of one batch, each distinct question answered once.

    A burst is many reminders at a few local times in a few zones, so a batch of 1,000 asks
    `next_occurrence` a handful of times instead of 1,000 (it is exact either way: the answers
    depend only on the arguments and `now`, fixed for the batch)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._next: dict[tuple[dt_time, str, int, int], datetime] = {}
        self._latest: dict[tuple[dt_time, str, int, int], datetime] = {}
        self._when: dict[tuple[datetime, str, int], When] = {}

    def next(self, at: dt_time, zone: str, mask: int, day_start: int) -> datetime:
        """The reminder's next time after now."""
        key = (at, zone, mask, day_start)
        if (found := self._next.get(key)) is None:
            tz = ZoneInfo(zone)
            found = self._next[key] = next_occurrence(at, tz, self.now, mask, day_start)
        return found

    def latest(self, at: dt_time, zone: str, mask: int, day_start: int) -> datetime:
        """Its first time after an hour ago (due within the hour when not after now)."""
        key = (at, zone, mask, day_start)
        if (found := self._latest.get(key)) is None:
            after, tz = self.now - DROP_AFTER, ZoneInfo(zone)
            found = self._latest[key] = next_occurrence(at, tz, after, mask, day_start)
        return found

    def when(self, instant: datetime, zone: str, day_start_hour: int) -> When:
        """What a reminder's message and checks need of its instant, in the user's zone."""
        key = (instant, zone, day_start_hour)
        if (found := self._when.get(key)) is None:
            local = instant.astimezone(ZoneInfo(zone))
            day = local_date(instant, ZoneInfo(zone), day_start_hour)
            found = When(
                day, day.isoformat(), local.hour, local.strftime("%H:%M"), instant.isoformat()
            )
            self._when[key] = found
        return found

    def for_day(self, when: When, snoozed: bool, snoozed_day: date | None) -> When:
        """A snoozed reminder stays the reminder of the day it was snoozed on (one snoozed
        past midnight is still the day before's); any other is its instant's day."""
        if not snoozed or snoozed_day is None or snoozed_day == when.day:
            return when
        return when._replace(day=snoozed_day, day_text=snoozed_day.isoformat())

    def fire(
        self,
        at: dt_time,
        zone: str,
        mask: int,
        day_start: int,
        next_due_at: datetime | None,
        snoozed_until: datetime | None,
    ) -> tuple[list[tuple[datetime, bool]], datetime | None, datetime | None]:
        """(fired instants as (instant, snoozed), new next_due_at, new snoozed_until)."""
        now = self.now
        fired: list[tuple[datetime, bool]] = []
        if snoozed_until is not None and snoozed_until <= now:
            fired.append((snoozed_until, True))
            snoozed_until = None
        if next_due_at is not None and next_due_at <= now:
            fired.append((next_due_at, False))
            if now - next_due_at > DROP_AFTER:
                # After downtime: the stale one is dropped, but the latest occurrence may be
                # within the hour, and then it still goes out (late).
                latest = self.latest(at, zone, mask, day_start)
                if latest <= now:
                    fired.append((latest, False))
            next_due_at = self.next(at, zone, mask, day_start)
        return fired, next_due_at, snoozed_until


def quiet_hour(start: int | None, end: int | None, hour: int) -> bool:
    """Whether `hour` (local) is in the quiet hours start..end (which may wrap midnight)."""
    if start is None or end is None or start == end:
        return False
    return start <= hour < end if start < end else hour >= start or hour < end


def rest_day(schedule_kind: str, habit_days: int, day: date) -> bool:
    """Whether `day` is off a chosen-weekdays habit's schedule (nothing is owed: no reminder)."""
    return not weekday_allowed(due_days(ALL_DAYS, schedule_kind, habit_days), day)


# `rest_day` in SQL, over the moved reminder `m` and its fired instant's day `f.day`.
REST_DAY_SQL = (
    f"m.schedule_kind = '{ScheduleKind.WEEKDAYS.value}' AND "
    "(m.habit_days & (1 << (CAST(EXTRACT(ISODOW FROM f.day) AS INTEGER) - 1))) = 0"
)


def quiet_sql(start: str, end: str, hour: str) -> str:
    """`quiet_hour` as an SQL condition (never NULL) over three SQL expressions."""
    return (
        f"({start} IS NOT NULL AND {end} IS NOT NULL AND {start} <> {end} AND CASE "
        f"WHEN {start} < {end} THEN {hour} >= {start} AND {hour} < {end} "
        f"ELSE {hour} >= {start} OR {hour} < {end} END)"
    )


def dedupe_key(reminder_id: int, when: When) -> str:
    return f"reminder:{reminder_id}:{when.instant}"


def payload(
    reminder_id: int, habit_id: int, when: When, late: bool, snoozed: bool
) -> dict[str, Any]:
    return {
        "reminder_id": reminder_id,
        "habit_id": habit_id,
        "day": when.day_text,
        "late": late,
        "snoozed": snoozed,
        "local_time": when.clock,
    }


# The set-based path's payload is PAYLOAD_HEAD (with the ids) || the instant's tail: exactly
# the text json.dumps(payload(...)) gives, as the row path stores it (tests compare the two).
PAYLOAD_HEAD = "'{\"reminder_id\": ' || d.id || ', \"habit_id\": ' || d.habit_id"


def payload_tail(when: When, late: bool, snoozed: bool) -> str:
    """json.dumps of the payload after its two ids (which the statement puts in front)."""
    whole = json.dumps(payload(0, 0, when, late, snoozed))
    head = '{"reminder_id": 0, "habit_id": 0'
    assert whole.startswith(head)
    return whole[len(head) :]


# --- the set-based path (PostgreSQL) -----------------------------------------------------------
# 1. Lock a batch (keyset by id, FOR UPDATE SKIP LOCKED as before) and group it by shape.
DUE_SQL = text(
    """
WITH batch AS MATERIALIZED (
    SELECT r.id, r.local_time, r.weekday_mask, r.next_due_at, r.snoozed_until, r.snoozed_day,
           s.timezone, s.day_start_hour
    FROM reminders r
    JOIN habits h ON h.id = r.habit_id
    JOIN user_settings s ON s.user_id = h.user_id
    WHERE (r.next_due_at <= :now OR r.snoozed_until <= :now)
      AND h.archived_at IS NULL AND r.id > :after
    ORDER BY r.id
    LIMIT :batch
    FOR UPDATE OF r SKIP LOCKED
)
SELECT local_time, timezone, weekday_mask, next_due_at, snoozed_until, day_start_hour,
       snoozed_day, array_agg(id) AS ids
FROM batch
GROUP BY local_time, timezone, weekday_mask, next_due_at, snoozed_until, day_start_hour,
         snoozed_day
"""
)

# 2. Move every reminder of the batch to its shape's times, and queue what passes the checks
# (the row path's order: checked in, quiet hours, no private chat), in the row path's order
# (by reminder, then fired instant), so the outbox ids come out the same.
PRODUCE_SQL = text(
    f"""
WITH shapes AS (
    SELECT * FROM unnest(CAST(:next AS TIMESTAMPTZ[]), CAST(:snoozed AS TIMESTAMPTZ[]))
        WITH ORDINALITY AS v(next_due_at, snoozed_until, shape)
), moved AS (
    UPDATE reminders t SET next_due_at = v.next_due_at, snoozed_until = v.snoozed_until
    FROM unnest(CAST(:ids AS INTEGER[]), CAST(:shape_of AS INTEGER[])) AS b(id, shape)
        JOIN shapes v ON v.shape = b.shape, habits h
    WHERE t.id = b.id AND h.id = t.habit_id
    RETURNING t.id, t.habit_id, h.user_id, h.schedule_kind, h.weekday_mask AS habit_days, b.shape
), fired AS (
    SELECT * FROM unnest(CAST(:f_shape AS INTEGER[]), CAST(:f_at AS TIMESTAMPTZ[]),
                         CAST(:f_day AS DATE[]), CAST(:f_hour AS INTEGER[]),
                         CAST(:f_key AS TEXT[]), CAST(:f_tail AS TEXT[]),
                         CAST(:f_late AS BOOLEAN[]))
        WITH ORDINALITY AS f(shape, at, day, hour, key, tail, late, ord)
), decided AS (
    SELECT m.id, m.habit_id, m.user_id, f.at, f.key, f.tail, f.late, f.ord,
           i.platform, i.dm_chat_id,
           CASE WHEN EXISTS (SELECT 1 FROM habit_logs l
                             WHERE l.habit_id = m.habit_id AND l.date = f.day) THEN 'checked'
                WHEN {REST_DAY_SQL} THEN 'rest'
                WHEN {quiet_sql("s.quiet_start", "s.quiet_end", "f.hour")} THEN 'quiet'
                WHEN i.platform IS NULL THEN 'unreachable'
                ELSE 'queue' END AS verdict
    FROM moved m
    JOIN fired f ON f.shape = m.shape
    JOIN user_settings s ON s.user_id = m.user_id
    LEFT JOIN LATERAL (
        SELECT platform, dm_chat_id FROM identities
        WHERE identities.user_id = m.user_id AND dm_chat_id IS NOT NULL
          AND unreachable_at IS NULL AND platform = ANY(CAST(:platforms AS VARCHAR[]))
          AND NOT EXISTS (SELECT 1 FROM users u
                          WHERE u.id = identities.user_id AND u.banned_at IS NOT NULL)
        ORDER BY identities.id
        LIMIT 1
    ) i ON true
), queued AS (
    INSERT INTO notifications (dedupe_key, kind, platform, chat_id, due_at, user_id, group_id,
                               payload, status, attempts, next_attempt_at, created_at)
    SELECT 'reminder:' || d.id || d.key, 'reminder', d.platform, d.dm_chat_id, d.at, d.user_id,
           NULL, CAST({PAYLOAD_HEAD} || d.tail AS JSON), :status, 0, :now, :now
    FROM decided d
    WHERE d.verdict = 'queue'
    ORDER BY d.id, d.ord
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM queued) AS queued,
       count(*) FILTER (WHERE verdict = 'queue' AND late) AS late,
       count(*) FILTER (WHERE verdict = 'checked') AS already_checked_in,
       count(*) FILTER (WHERE verdict = 'quiet') AS quiet,
       count(*) FILTER (WHERE verdict = 'unreachable') AS unreachable,
       count(*) FILTER (WHERE verdict = 'rest') AS rest_day
FROM decided
"""
)


class Counts(NamedTuple):
    queued: int
    late: int
    already_checked_in: int
    quiet: int
    unreachable: int
    dropped: int
    rest_day: int = 0


async def set_based_batch(
    session: AsyncSession,
    now: datetime,
    enqueued_at: Callable[[], datetime],
    platforms: Collection[str],
    batch: int,
    after: int,
) -> tuple[Counts, int]:
    """One batch, two statements; returns its counts and the last id when it was full, else 0.

    `enqueued_at` is called for the outbox rows' time (the Outbox's clock reading)."""
    shapes = (await session.execute(DUE_SQL, {"now": now, "after": after, "batch": batch})).all()
    if not shapes:
        return Counts(0, 0, 0, 0, 0, 0, 0), 0
    times = Times(now)
    ids: list[int] = []
    shape_of: list[int] = []
    new_next: list[datetime | None] = []
    new_snoozed: list[datetime | None] = []
    fired_rows: list[tuple[Any, ...]] = []  # the non-dropped fired instants, by shape
    dropped = 0
    for n, shape in enumerate(shapes, 1):
        at, zone, mask, next_due_at, snoozed_until, day_start, snoozed_day, members = shape
        ids += members
        shape_of += [n] * len(members)
        fired, next_due_at, snoozed_until = times.fire(
            at, zone, mask, day_start, next_due_at, snoozed_until
        )
        new_next.append(next_due_at)
        new_snoozed.append(snoozed_until)
        for instant, snoozed in fired:
            if now - instant > DROP_AFTER:
                dropped += len(members)
                continue
            when = times.for_day(times.when(instant, zone, day_start), snoozed, snoozed_day)
            late = now - instant > LATE_AFTER
            tail = payload_tail(when, late, snoozed)
            fired_rows.append((n, instant, when.day, when.hour, f":{when.instant}", tail, late))
    names = ("f_shape", "f_at", "f_day", "f_hour", "f_key", "f_tail", "f_late")
    params: dict[str, Any] = {name: [r[i] for r in fired_rows] for i, name in enumerate(names)}
    params |= {
        "ids": ids,
        "shape_of": shape_of,
        "next": new_next,
        "snoozed": new_snoozed,
        "platforms": sorted(platforms),
        "status": NotificationStatus.PENDING.value,
        "now": enqueued_at(),
    }
    queued, late, checked, quiet, unreachable, rest = (
        await session.execute(PRODUCE_SQL, params)
    ).one()
    counts = Counts(queued, late, checked, quiet, unreachable, dropped, rest)
    return counts, (max(ids) if len(ids) == batch else 0)
