"""Turn what is due (reminders, weekly summaries) into outbox rows, never as a burst of stale ones.

Reminders due within the last hour go out late, marked as late; older ones are dropped. Each
reminder's next time is computed after now, so downtime never replays missed days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock, local_date
from core.db.models import (
    Group,
    GroupChat,
    Habit,
    HabitLog,
    Identity,
    Reminder,
    Trust,
    UserSettings,
)
from core.notify.bulk import among, is_postgres, set_reminder_times, set_summary_times
from core.notify.due_reminders import (
    DROP_AFTER,
    LATE_AFTER,
    Times,
    dedupe_key,
    payload,
    quiet_hour,
    rest_day,
    set_based_batch,
)
from core.notify.outbox import NewNotification, Outbox
from core.reminders.timing import next_weekly
from core.summary.week import group_date, summary_week
from core.visibility import not_banned


@dataclass
class ProduceReport:
    queued: int = 0
    late: int = 0
    dropped: int = 0  # due more than an hour ago
    already_checked_in: int = 0
    quiet: int = 0
    unreachable: int = 0  # no private chat we may write to
    counts: dict[str, int] = field(default_factory=dict)
    rest_day: int = 0  # the habit is not due that day (Tuesday, for a mon wed fri habit)


def in_quiet_hours(settings: UserSettings, hour: int) -> bool:
    return quiet_hour(settings.quiet_start, settings.quiet_end, hour)


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

    async def reminders(
        self, report: ProduceReport, batch: int = 1000, *, set_based: bool = True
    ) -> None:
        """Every due reminder, in batches: on PostgreSQL set-based, two statements a batch
        (core/notify/due_reminders.py); on SQLite, or with `set_based=False` (the tests compare
        the two paths), row by row in Python."""
        # A loop, not recursion: each batch's rows are freed before the next batch is read
        # (recursing kept every batch alive, about 6.6 kB a reminder: 660 MB for 100,000).
        # Keyset: each batch starts after the last one's id, so no batch re-reads the rows
        # the earlier ones already moved on (their index entries stay until vacuum).
        one = self._reminder_set if set_based and is_postgres(self.session) else self._reminder_rows
        after = 0
        while (after := await one(report, batch, after)) > 0:
            pass

    async def _reminder_set(self, report: ProduceReport, batch: int, after: int) -> int:
        counts, last = await set_based_batch(
            self.session, self.clock.now(), self.clock.now, self.platforms, batch, after
        )
        report.queued += counts.queued
        report.late += counts.late
        report.dropped += counts.dropped
        report.already_checked_in += counts.already_checked_in
        report.quiet += counts.quiet
        report.unreachable += counts.unreachable
        report.rest_day += counts.rest_day
        return last

    async def _reminder_rows(self, report: ProduceReport, batch: int, after: int) -> int:
        """One batch of due reminders; returns the last id when the batch was full, else 0.

        Plain rows, not ORM objects, and one UPDATE and one INSERT for the whole batch; the
        time-zone arithmetic is done once per distinct (time, zone, weekdays) in the batch.
        """
        now = self.clock.now()
        due = or_(Reminder.next_due_at <= now, Reminder.snoozed_until <= now)
        stmt = (
            select(
                Reminder.id,
                Reminder.habit_id,
                Reminder.local_time,
                Reminder.weekday_mask,
                Reminder.next_due_at,
                Reminder.snoozed_until,
                Reminder.snoozed_day,
                Habit.user_id,
                Habit.schedule_kind,
                Habit.weekday_mask.label("habit_days"),
                UserSettings.timezone,
                UserSettings.day_start_hour,
                UserSettings.quiet_start,
                UserSettings.quiet_end,
            )
            .join(Habit, Habit.id == Reminder.habit_id)
            .join(UserSettings, UserSettings.user_id == Habit.user_id)
            .where(due, Habit.archived_at.is_(None), Reminder.id > after)
            .order_by(Reminder.id)
            .limit(batch)
            .with_for_update(skip_locked=True, of=Reminder)
        )
        rows = (await self.session.execute(stmt)).all()
        if not rows:
            return 0
        chats = await self._private_chats({row.user_id for row in rows})
        times = Times(now)
        fired: list[tuple[Any, datetime, bool]] = []
        moved: list[tuple[int, datetime | None, datetime | None]] = []
        for row in rows:
            instants, next_due_at, snoozed_until = times.fire(
                row.local_time,
                row.timezone,
                row.weekday_mask,
                row.day_start_hour,
                row.next_due_at,
                row.snoozed_until,
            )
            fired += [(row, at, snoozed) for at, snoozed in instants]
            moved.append((row.id, next_due_at, snoozed_until))
        await set_reminder_times(self.session, moved)
        whens = [
            times.for_day(times.when(at, r.timezone, r.day_start_hour), snoozed, r.snoozed_day)
            for r, at, snoozed in fired
        ]
        checked = await self._checked_in(
            {(r.habit_id, w.day) for (r, _, _), w in zip(fired, whens, strict=True)}
        )
        items: list[NewNotification] = []
        for (row, at, snoozed), when in zip(fired, whens, strict=True):
            if now - at > DROP_AFTER:
                report.dropped += 1
            elif (row.habit_id, when.day) in checked:
                report.already_checked_in += 1
            elif rest_day(row.schedule_kind, row.habit_days, when.day):
                report.rest_day += 1
            elif quiet_hour(row.quiet_start, row.quiet_end, when.hour):
                report.quiet += 1
            elif (identity := chats.get(row.user_id)) is None:
                report.unreachable += 1
            else:
                late = now - at > LATE_AFTER
                report.late += late
                items.append(
                    NewNotification(
                        dedupe_key=dedupe_key(row.id, when),
                        kind="reminder",
                        platform=identity[0],
                        chat_id=identity[1],
                        due_at=at,
                        user_id=row.user_id,
                        payload=payload(row.id, row.habit_id, when, late, snoozed),
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
        """Weekly summaries: each user with habits or trusting someone, and each group's chats.

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
        # Who has something to be told: an active habit, or people they trust (whose learnings
        # are the summary's insights, habits or not). One statement per batch.
        has_habit = (
            select(Habit.id)
            .where(Habit.user_id == UserSettings.user_id, Habit.archived_at.is_(None))
            .exists()
        )
        trusts = select(Trust.trustee_id).where(Trust.truster_id == UserSettings.user_id).exists()
        wanted = set(
            (
                await self.session.scalars(
                    select(UserSettings.user_id).where(
                        among(self.session, UserSettings.user_id, [s.user_id for s in due]),
                        or_(has_habit, trusts),
                    )
                )
            ).all()
        )
        chats = await self._private_chats(wanted)
        weekly = _Weekly(now)
        planned: list[tuple[int, datetime]] = []
        items: list[NewNotification] = []
        for settings in due:
            key = (settings.summary_weekday, settings.summary_hour, settings.timezone)
            # Never planned yet (a new user): this week's still counts if it is due within the hour.
            at = settings.next_summary_at or weekly.latest(*key)
            planned.append((settings.user_id, weekly.next(*key)))
            if at > now or now - at > DROP_AFTER or settings.user_id not in wanted:
                continue
            identity = chats.get(settings.user_id)
            if identity is None:
                report.unreachable += 1
                continue
            tz = ZoneInfo(settings.timezone)
            week = summary_week(local_date(at, tz, settings.day_start_hour))
            items.append(
                NewNotification(
                    dedupe_key=f"summary:{settings.user_id}:{week.isoformat()}",
                    kind="summary",
                    platform=identity[0],
                    chat_id=identity[1],
                    due_at=at,
                    user_id=settings.user_id,
                    # `at`: its insights are the learnings of the seven days up to it, so one
                    # posted after a summary goes out is in the next (summary_insights).
                    payload={"week": week.isoformat(), "at": at.isoformat()},
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
                    GroupChat.gone_at.is_(None),  # the bot was removed from it
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
            week = summary_week(group_date(group.timezone, at))
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
