"""Turn what is due (reminders, weekly summaries) into outbox rows, never as a burst of stale ones.

Reminders due within the last hour go out late, marked as late; older ones are dropped. Each
reminder's next time is computed after now, so downtime never replays missed days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
    UserSettings,
)
from core.habits.history import week_start
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
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None or start == end:
        return False
    return start <= hour < end if start < end else hour >= start or hour < end


class Producer:
    def __init__(self, session: AsyncSession, clock: Clock, platforms: Iterable[str]) -> None:
        self.session = session
        self.clock = clock
        self.platforms = set(platforms)
        self.outbox = Outbox(session, clock)

    async def _private_chats(self, user_ids: set[int]) -> dict[int, Identity]:
        """Where each user can be written to: their first reachable private chat."""
        if not user_ids or not self.platforms:
            return {}
        stmt = (
            select(Identity)
            .where(
                Identity.user_id.in_(user_ids),
                Identity.dm_chat_id.is_not(None),
                Identity.unreachable_at.is_(None),
                Identity.platform.in_(self.platforms),
                not_banned(Identity.user_id),  # banned people get no reminders or summaries
            )
            .order_by(Identity.id)
        )
        found: dict[int, Identity] = {}
        for identity in (await self.session.scalars(stmt)).all():
            found.setdefault(identity.user_id, identity)
        return found

    async def reminders(self, report: ProduceReport, batch: int = 1000) -> None:
        # A loop, not recursion: each batch's rows are freed before the next batch is read
        # (recursing kept every batch alive, about 6.6 kB a reminder: 660 MB for 100,000).
        while await self._reminder_batch(report, batch) == batch:
            pass

    async def _reminder_batch(self, report: ProduceReport, batch: int) -> int:
        now = self.clock.now()
        due = or_(Reminder.next_due_at <= now, Reminder.snoozed_until <= now)
        stmt = (
            select(Reminder, Habit, UserSettings)
            .join(Habit, Habit.id == Reminder.habit_id)
            .join(UserSettings, UserSettings.user_id == Habit.user_id)
            .where(due, Habit.archived_at.is_(None))
            .order_by(Reminder.id)
            .limit(batch)
            .with_for_update(skip_locked=True, of=Reminder)
        )
        rows = (await self.session.execute(stmt)).all()
        chats = await self._private_chats({h.user_id for _, h, _ in rows})
        fired: list[tuple[Reminder, Habit, UserSettings, datetime, bool]] = []
        for reminder, habit, settings in rows:
            tz = ZoneInfo(settings.timezone)
            if reminder.snoozed_until is not None and reminder.snoozed_until <= now:
                fired.append((reminder, habit, settings, reminder.snoozed_until, True))
                reminder.snoozed_until = None
            if reminder.next_due_at is not None and reminder.next_due_at <= now:
                fired.append((reminder, habit, settings, reminder.next_due_at, False))
                if now - reminder.next_due_at > DROP_AFTER:
                    # After downtime: the stale one is dropped, but the latest occurrence may
                    # be within the hour, and then it still goes out (late).
                    latest = next_occurrence(
                        reminder.local_time, tz, now - DROP_AFTER, reminder.weekday_mask
                    )
                    if latest <= now:
                        fired.append((reminder, habit, settings, latest, False))
                reminder.next_due_at = next_occurrence(
                    reminder.local_time, tz, now, reminder.weekday_mask
                )
        days = {
            (h.id, local_date(at, ZoneInfo(s.timezone), s.day_start_hour))
            for _, h, s, at, _ in fired
        }
        checked = await self._checked_in(days)
        items: list[NewNotification] = []
        for reminder, habit, settings, at, snoozed in fired:
            tz = ZoneInfo(settings.timezone)
            day = local_date(at, tz, settings.day_start_hour)
            if now - at > DROP_AFTER:
                report.dropped += 1
            elif (habit.id, day) in checked:
                report.already_checked_in += 1
            elif in_quiet_hours(settings, at.astimezone(tz).hour):
                report.quiet += 1
            elif (identity := chats.get(habit.user_id)) is None:
                report.unreachable += 1
            else:
                late = now - at > LATE_AFTER
                report.late += late
                items.append(
                    NewNotification(
                        dedupe_key=f"reminder:{reminder.id}:{at.isoformat()}",
                        kind="reminder",
                        platform=identity.platform,
                        chat_id=identity.dm_chat_id or "",
                        due_at=at,
                        user_id=habit.user_id,
                        payload={
                            "reminder_id": reminder.id,
                            "habit_id": habit.id,
                            "day": day.isoformat(),
                            "late": late,
                            "snoozed": snoozed,
                            "local_time": at.astimezone(tz).strftime("%H:%M"),
                        },
                    )
                )
        report.queued += await self.outbox.enqueue(items)
        return len(rows)

    async def _checked_in(self, days: set[tuple[int, date]]) -> set[tuple[int, date]]:
        if not days:
            return set()
        habit_ids = {h for h, _ in days}
        dates = {d for _, d in days}
        stmt = select(HabitLog.habit_id, HabitLog.day).where(
            HabitLog.habit_id.in_(habit_ids), HabitLog.day.in_(dates)
        )
        return {(h, d) for h, d in (await self.session.execute(stmt)).all()}

    async def summaries(self, report: ProduceReport, batch: int = 1000) -> None:
        """Weekly summaries: each user with habits, and each group's chats.

        Both in batches, with the same statements per batch whatever it holds, so the cost is
        linear in people and in groups.
        """
        while await self._summary_batch(report, batch) == batch:  # a loop: see reminders()
            pass
        while await self._group_summary_batch(report, batch) == batch:
            pass

    async def _summary_batch(self, report: ProduceReport, batch: int) -> int:
        now = self.clock.now()
        stmt = (
            select(UserSettings)
            .where(
                UserSettings.summary_enabled.is_(True),
                or_(UserSettings.next_summary_at.is_(None), UserSettings.next_summary_at <= now),
            )
            .order_by(UserSettings.user_id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        due = list((await self.session.scalars(stmt)).all())
        with_habits = set(
            (
                await self.session.scalars(
                    select(Habit.user_id).where(
                        Habit.user_id.in_([s.user_id for s in due]), Habit.archived_at.is_(None)
                    )
                )
            ).all()
        )
        chats = await self._private_chats(with_habits)
        items: list[NewNotification] = []
        for settings in due:
            tz = ZoneInfo(settings.timezone)
            # Never planned yet (a new user): this week's still counts if it is due within the hour.
            at = settings.next_summary_at or next_weekly(
                settings.summary_weekday, settings.summary_hour, tz, now - DROP_AFTER
            )
            settings.next_summary_at = next_weekly(
                settings.summary_weekday, settings.summary_hour, tz, now
            )
            if at > now or now - at > DROP_AFTER or settings.user_id not in with_habits:
                continue
            identity = chats.get(settings.user_id)
            if identity is None:
                report.unreachable += 1
                continue
            week = week_start(local_date(at, tz, settings.day_start_hour))
            items.append(
                NewNotification(
                    dedupe_key=f"summary:{settings.user_id}:{week.isoformat()}",
                    kind="summary",
                    platform=identity.platform,
                    chat_id=identity.dm_chat_id or "",
                    due_at=at,
                    user_id=settings.user_id,
                    payload={"week": week.isoformat()},
                )
            )
        report.queued += await self.outbox.enqueue(items)
        return len(due)

    async def _group_summary_batch(self, report: ProduceReport, batch: int) -> int:
        """One batch of due groups: their chats in one query, looked up by group, not scanned."""
        now = self.clock.now()
        stmt = (
            select(Group)
            .where(or_(Group.next_summary_at.is_(None), Group.next_summary_at <= now))
            .order_by(Group.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        groups = list((await self.session.scalars(stmt)).all())
        if not groups:
            return 0
        chats: dict[int, list[GroupChat]] = {}
        if self.platforms:
            found = await self.session.scalars(
                select(GroupChat)
                .where(
                    GroupChat.group_id.in_([g.id for g in groups]),
                    GroupChat.platform.in_(self.platforms),
                )
                .order_by(GroupChat.id)
            )
            for chat in found.all():
                chats.setdefault(chat.group_id, []).append(chat)
        items: list[NewNotification] = []
        for group in groups:
            tz = ZoneInfo(group.timezone)
            at = group.next_summary_at or next_weekly(
                group.summary_weekday, group.summary_hour, tz, now - DROP_AFTER
            )
            group.next_summary_at = next_weekly(group.summary_weekday, group.summary_hour, tz, now)
            if at > now or now - at > DROP_AFTER:
                continue
            week = week_start(at.astimezone(tz).date())
            for chat in chats.get(group.id, ()):
                items.append(
                    NewNotification(
                        dedupe_key=f"group-summary:{group.id}:{chat.id}:{week.isoformat()}",
                        kind="group_summary",
                        platform=chat.platform,
                        chat_id=chat.external_chat_id,
                        due_at=at,
                        group_id=group.id,
                        payload={"week": week.isoformat()},
                    )
                )
        report.queued += await self.outbox.enqueue(items)
        return len(groups)
