"""Turn what is due (reminders, weekly summaries) into outbox rows, never as a burst of stale ones.

Reminders due within the last hour go out late, marked as late; older ones are dropped. Each
reminder's next time is computed after now, so downtime never replays missed days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock, local_date
from core.db.models import (
    Group,
    GroupChat,
    Habit,
    HabitLog,
    Identity,
    Reminder,
    UserSettings,
)
from core.habits.history import week_start
from core.notify.bulk import among, is_postgres, set_reminder_times, set_summary_times
from core.notify.outbox import NewNotification, Outbox
from core.reminders.timing import next_occurrence, next_weekly
from core.visibility import not_banned

LATE_AFTER = timedelta(minutes=5)
DROP_AFTER = timedelta(hours=1)


@dataclass
class ProduceReport:
    queued: int = 0
    late: int = 0
    dropped: int = 0  # due more than an hour ago
    already_checked_in: int = 0
    quiet: int = 0
    unreachable: int = 0  # no private chat we may write to
    counts: dict[str, int] = field(default_factory=dict)


def in_quiet_hours(settings: UserSettings, hour: int) -> bool:
    return quiet_hour(settings.quiet_start, settings.quiet_end, hour)


def quiet_hour(start: int | None, end: int | None, hour: int) -> bool:
    """Whether `hour` (local) is in the quiet hours start..end (which may wrap midnight)."""
    if start is None or end is None or start == end:
        return False
    return start <= hour < end if start < end else hour >= start or hour < end


class _Times:
    """The time-zone arithmetic of one batch, each distinct question answered once.

    A burst is many reminders at a few local times in a few zones, so a batch of 1,000 asks
    `next_occurrence` a handful of times instead of 1,000 (it is exact either way: the answers
    depend only on the arguments and `now`, fixed for the batch)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._next: dict[tuple[dt_time, str, int], datetime] = {}
        self._latest: dict[tuple[dt_time, str, int], datetime] = {}
        self._when: dict[tuple[datetime, str, int], _When] = {}

    def next(self, at: dt_time, zone: str, mask: int) -> datetime:
        """The reminder's next time after now."""
        key = (at, zone, mask)
        if (found := self._next.get(key)) is None:
            found = self._next[key] = next_occurrence(at, ZoneInfo(zone), self.now, mask)
        return found

    def latest(self, at: dt_time, zone: str, mask: int) -> datetime:
        """Its first time after an hour ago (due within the hour when not after now)."""
        key = (at, zone, mask)
        if (found := self._latest.get(key)) is None:
            after = self.now - DROP_AFTER
            found = self._latest[key] = next_occurrence(at, ZoneInfo(zone), after, mask)
        return found

    def when(self, instant: datetime, zone: str, day_start_hour: int) -> _When:
        """What a reminder's message and checks need of its instant, in the user's zone."""
        key = (instant, zone, day_start_hour)
        if (found := self._when.get(key)) is None:
            local = instant.astimezone(ZoneInfo(zone))
            day = local_date(instant, ZoneInfo(zone), day_start_hour)
            found = _When(
                day, day.isoformat(), local.hour, local.strftime("%H:%M"), instant.isoformat()
            )
            self._when[key] = found
        return found


class _When(NamedTuple):
    day: date  # the user's day (core.clock.local_date)
    day_text: str
    hour: int  # local
    clock: str  # local "HH:MM"
    instant: str  # the UTC instant, ISO 8601


class Producer:
    def __init__(self, session: AsyncSession, clock: Clock, platforms: Iterable[str]) -> None:
        self.session = session
        self.clock = clock
        self.platforms = set(platforms)
        self.outbox = Outbox(session, clock)

    async def _private_chats(self, user_ids: set[int]) -> dict[int, tuple[str, str]]:
        """Where each user can be written to: (platform, chat) of their first reachable
        private chat."""
        if not user_ids or not self.platforms:
            return {}
        stmt = (
            select(Identity.user_id, Identity.platform, Identity.dm_chat_id)
            .where(
                among(self.session, Identity.user_id, user_ids),
                Identity.dm_chat_id.is_not(None),
                Identity.unreachable_at.is_(None),
                Identity.platform.in_(self.platforms),
                not_banned(Identity.user_id),  # banned people get no reminders or summaries
            )
            .order_by(Identity.id)
        )
        found: dict[int, tuple[str, str]] = {}
        for user_id, platform, chat in (await self.session.execute(stmt)).all():
            found.setdefault(user_id, (platform, chat or ""))
        return found

    async def reminders(self, report: ProduceReport, batch: int = 1000) -> None:
        # A loop, not recursion: each batch's rows are freed before the next batch is read
        # (recursing kept every batch alive, about 6.6 kB a reminder: 660 MB for 100,000).
        # Keyset: each batch starts after the last one's id, so no batch re-reads the rows
        # the earlier ones already moved on (their index entries stay until vacuum).
        after = 0
        while (after := await self._reminder_batch(report, batch, after)) > 0:
            pass

    async def _reminder_batch(self, report: ProduceReport, batch: int, after: int) -> int:
        """One batch of due reminders; returns the last id when the batch was full, else 0.

        Plain rows, not ORM objects, and one UPDATE and one INSERT for the whole batch; the
        time-zone arithmetic is done once per distinct (time, zone, weekdays) in the batch.
        """
        now = self.clock.now()
        due = or_(Reminder.next_due_at <= now, Reminder.snoozed_until <= now)
        columns: list[Any] = [
            Reminder.id,
            Reminder.habit_id,
            Reminder.local_time,
            Reminder.weekday_mask,
            Reminder.next_due_at,
            Reminder.snoozed_until,
            Habit.user_id,
            UserSettings.timezone,
            UserSettings.day_start_hour,
            UserSettings.quiet_start,
            UserSettings.quiet_end,
        ]
        pg = is_postgres(self.session)
        if pg:
            # Where each person can be written to, in the same statement (PostgreSQL only:
            # SQLite has no LATERAL): what _private_chats answers, one index probe per row.
            first_chat = (
                select(Identity.platform, Identity.dm_chat_id)
                .where(
                    Identity.user_id == Habit.user_id,
                    Identity.dm_chat_id.is_not(None),
                    Identity.unreachable_at.is_(None),
                    Identity.platform.in_(sorted(self.platforms)),
                    not_banned(Identity.user_id),  # banned people get no reminders
                )
                .order_by(Identity.id)
                .limit(1)
                .correlate(Habit)
                .lateral("chat")
            )
            columns += [first_chat.c.platform, first_chat.c.dm_chat_id]
        stmt = (
            select(*columns)
            .join(Habit, Habit.id == Reminder.habit_id)
            .join(UserSettings, UserSettings.user_id == Habit.user_id)
        )
        if pg:
            stmt = stmt.outerjoin(first_chat, true())
        stmt = (
            stmt.where(due, Habit.archived_at.is_(None), Reminder.id > after)
            .order_by(Reminder.id)
            .limit(batch)
            .with_for_update(skip_locked=True, of=Reminder)
        )
        rows = (await self.session.execute(stmt)).all()
        if not rows:
            return 0
        chats: dict[int, tuple[str, str]]
        if pg:
            chats = {r.user_id: (r.platform, r.dm_chat_id) for r in rows if r.platform}
        else:
            chats = await self._private_chats({row.user_id for row in rows})
        times = _Times(now)
        fired: list[tuple[Any, datetime, bool]] = []
        moved: list[tuple[int, datetime | None, datetime | None]] = []
        for row in rows:
            snoozed_until = row.snoozed_until
            if snoozed_until is not None and snoozed_until <= now:
                fired.append((row, snoozed_until, True))
                snoozed_until = None
            next_due_at = row.next_due_at
            if next_due_at is not None and next_due_at <= now:
                fired.append((row, next_due_at, False))
                key = (row.local_time, row.timezone, row.weekday_mask)
                if now - next_due_at > DROP_AFTER:
                    # After downtime: the stale one is dropped, but the latest occurrence may
                    # be within the hour, and then it still goes out (late).
                    latest = times.latest(*key)
                    if latest <= now:
                        fired.append((row, latest, False))
                next_due_at = times.next(*key)
            moved.append((row.id, next_due_at, snoozed_until))
        await set_reminder_times(self.session, moved)
        whens = [times.when(at, r.timezone, r.day_start_hour) for r, at, _ in fired]
        checked = await self._checked_in(
            {(r.habit_id, w.day) for (r, _, _), w in zip(fired, whens, strict=True)}
        )
        items: list[NewNotification] = []
        for (row, at, snoozed), when in zip(fired, whens, strict=True):
            if now - at > DROP_AFTER:
                report.dropped += 1
            elif (row.habit_id, when.day) in checked:
                report.already_checked_in += 1
            elif quiet_hour(row.quiet_start, row.quiet_end, when.hour):
                report.quiet += 1
            elif (identity := chats.get(row.user_id)) is None:
                report.unreachable += 1
            else:
                late = now - at > LATE_AFTER
                report.late += late
                items.append(
                    NewNotification(
                        dedupe_key=f"reminder:{row.id}:{when.instant}",
                        kind="reminder",
                        platform=identity[0],
                        chat_id=identity[1],
                        due_at=at,
                        user_id=row.user_id,
                        payload={
                            "reminder_id": row.id,
                            "habit_id": row.habit_id,
                            "day": when.day_text,
                            "late": late,
                            "snoozed": snoozed,
                            "local_time": when.clock,
                        },
                    )
                )
        report.queued += await self.outbox.enqueue(items)
        return int(rows[-1].id) if len(rows) == batch else 0

    async def _checked_in(self, days: set[tuple[int, date]]) -> set[tuple[int, date]]:
        if not days:
            return set()
        habit_ids = {h for h, _ in days}
        dates = {d for _, d in days}
        stmt = select(HabitLog.habit_id, HabitLog.day).where(
            among(self.session, HabitLog.habit_id, habit_ids),
            among(self.session, HabitLog.day, dates, dates=True),
        )
        return {(h, d) for h, d in (await self.session.execute(stmt)).all()}

    async def summaries(self, report: ProduceReport, batch: int = 1000) -> None:
        """Weekly summaries: each user with habits, and each group's chats.

        Both in batches, with the same statements per batch whatever it holds (plain rows, one
        UPDATE of the next times and one INSERT into the outbox per batch), so the cost is
        linear in people and in groups.
        """
        after = 0  # keyset, and a loop: see reminders()
        while (after := await self._summary_batch(report, batch, after)) > 0:
            pass
        after = 0
        while (after := await self._group_summary_batch(report, batch, after)) > 0:
            pass

    async def _summary_batch(self, report: ProduceReport, batch: int, after: int) -> int:
        """One batch of people; returns the last user id when the batch was full, else 0."""
        now = self.clock.now()
        stmt = (
            select(
                UserSettings.user_id,
                UserSettings.timezone,
                UserSettings.day_start_hour,
                UserSettings.summary_weekday,
                UserSettings.summary_hour,
                UserSettings.next_summary_at,
            )
            .where(
                UserSettings.summary_enabled.is_(True),
                or_(UserSettings.next_summary_at.is_(None), UserSettings.next_summary_at <= now),
                UserSettings.user_id > after,
            )
            .order_by(UserSettings.user_id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        due = (await self.session.execute(stmt)).all()
        if not due:
            return 0
        with_habits = set(
            (
                await self.session.scalars(
                    select(Habit.user_id).where(
                        among(self.session, Habit.user_id, [s.user_id for s in due]),
                        Habit.archived_at.is_(None),
                    )
                )
            ).all()
        )
        chats = await self._private_chats(with_habits)
        weekly = _Weekly(now)
        planned: list[tuple[int, datetime]] = []
        items: list[NewNotification] = []
        for settings in due:
            key = (settings.summary_weekday, settings.summary_hour, settings.timezone)
            # Never planned yet (a new user): this week's still counts if it is due within the hour.
            at = settings.next_summary_at or weekly.latest(*key)
            planned.append((settings.user_id, weekly.next(*key)))
            if at > now or now - at > DROP_AFTER or settings.user_id not in with_habits:
                continue
            identity = chats.get(settings.user_id)
            if identity is None:
                report.unreachable += 1
                continue
            tz = ZoneInfo(settings.timezone)
            week = week_start(local_date(at, tz, settings.day_start_hour))
            items.append(
                NewNotification(
                    dedupe_key=f"summary:{settings.user_id}:{week.isoformat()}",
                    kind="summary",
                    platform=identity[0],
                    chat_id=identity[1],
                    due_at=at,
                    user_id=settings.user_id,
                    payload={"week": week.isoformat()},
                )
            )
        await set_summary_times(self.session, "user_settings", planned)
        report.queued += await self.outbox.enqueue(items)
        return int(due[-1].user_id) if len(due) == batch else 0

    async def _group_summary_batch(self, report: ProduceReport, batch: int, after: int) -> int:
        """One batch of due groups: their chats in one query, looked up by group, not scanned.

        Returns the last group id when the batch was full, else 0."""
        now = self.clock.now()
        stmt = (
            select(
                Group.id,
                Group.timezone,
                Group.summary_weekday,
                Group.summary_hour,
                Group.next_summary_at,
            )
            .where(
                or_(Group.next_summary_at.is_(None), Group.next_summary_at <= now),
                Group.id > after,
            )
            .order_by(Group.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        groups = (await self.session.execute(stmt)).all()
        if not groups:
            return 0
        chats: dict[int, list[tuple[int, str, str]]] = {}
        if self.platforms:
            found = await self.session.execute(
                select(
                    GroupChat.group_id, GroupChat.id, GroupChat.platform, GroupChat.external_chat_id
                )
                .where(
                    among(self.session, GroupChat.group_id, [g.id for g in groups]),
                    GroupChat.platform.in_(self.platforms),
                )
                .order_by(GroupChat.id)
            )
            for group_id, chat_id, platform, external in found.all():
                chats.setdefault(group_id, []).append((chat_id, platform, external))
        weekly = _Weekly(now)
        planned: list[tuple[int, datetime]] = []
        items: list[NewNotification] = []
        for group in groups:
            key = (group.summary_weekday, group.summary_hour, group.timezone)
            at = group.next_summary_at or weekly.latest(*key)
            planned.append((group.id, weekly.next(*key)))
            if at > now or now - at > DROP_AFTER:
                continue
            week = week_start(at.astimezone(ZoneInfo(group.timezone)).date())
            for chat_id, platform, external in chats.get(group.id, ()):
                items.append(
                    NewNotification(
                        dedupe_key=f"group-summary:{group.id}:{chat_id}:{week.isoformat()}",
                        kind="group_summary",
                        platform=platform,
                        chat_id=external,
                        due_at=at,
                        group_id=group.id,
                        payload={"week": week.isoformat()},
                    )
                )
        await set_summary_times(self.session, "groups", planned)
        report.queued += await self.outbox.enqueue(items)
        return int(groups[-1].id) if len(groups) == batch else 0


class _Weekly:
    """`next_weekly` for one batch, once per distinct (weekday, hour, zone)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._cache: dict[tuple[int, int, str, datetime], datetime] = {}

    def _at(self, weekday: int, hour: int, zone: str, after: datetime) -> datetime:
        key = (weekday, hour, zone, after)
        if (found := self._cache.get(key)) is None:
            found = self._cache[key] = next_weekly(weekday, hour, ZoneInfo(zone), after)
        return found

    def next(self, weekday: int, hour: int, zone: str) -> datetime:
        return self._at(weekday, hour, zone, self.now)

    def latest(self, weekday: int, hour: int, zone: str) -> datetime:
        return self._at(weekday, hour, zone, self.now - DROP_AFTER)
