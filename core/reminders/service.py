"""Add, list and remove reminders; keep each one's next due time in UTC."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock, local_date
from core.db.models import Habit, HabitLog, Reminder, User, UserSettings
from core.errors import InvalidInput
from core.habits.schedule import Schedule, is_said_schedule
from core.reminders.timing import ALL_DAYS, next_occurrence

MAX_PER_HABIT = 5


class StillDue(NamedTuple):
    reminder: Reminder
    habit: Habit
    today: date  # the person's day now


_TIME = re.compile(r"(?:at\s+)?(\d{1,2})(?:(?:[:.]| +)(\d{2}))?\s*(am|pm)?", re.IGNORECASE)
_HOUR, _MINUTES = (
    re.compile(r"\d{1,2}"),
    re.compile(r"\d{2}(?:am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE),
)
_NAMED = {"noon": time(12), "midday": time(12), "midnight": time(0)}
MERIDIEMS = frozenset({"am", "pm", "a.m.", "p.m."})


def _plain(text: str) -> str:
    """'7 p.m.' -> '7 pm': the dotted forms as the plain ones."""
    folded = text.strip().lower()
    return folded.replace("a.m.", "am").replace("p.m.", "pm")


def parse_time(text: str) -> time | None:
    """'07:30', '7:30', '19:05', '19.05', '12 30', '7 30pm', '7pm', '7:30 am', '7 p.m.', 'noon',
    'midnight', 'at 7pm', and a whole hour on the 24-hour clock ('7', '19', 'at 7') -> a time;
    None when it isn't one."""
    plain = _plain(text)
    named = _NAMED.get(plain.removeprefix("at ").strip())
    if named is not None:
        return named
    match = _TIME.fullmatch(plain)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def spaced_time(words: Sequence[str]) -> int:
    """How many of these words make a time written with a space for the colon: an hour and two
    digits of minutes ('12 30', '7 05'), with am or pm if they like ('7 30pm', '7 30 p.m.');
    0 when they don't begin with one. Whether it is a time of day is left to parse_time."""
    if len(words) < 2 or not (_HOUR.fullmatch(words[0]) and _MINUTES.fullmatch(words[1])):
        return 0
    return 3 if len(words) > 2 and words[2].lower() in MERIDIEMS else 2


def is_bare_hour(word: str) -> bool:
    """'7', '19', '07' (and '25', which then is said to be no time): a number that can only be
    meant as an hour where a time is expected; whether it is one is left to the reader."""
    return word.isdecimal() and len(word) <= 2


def reads_as_days(words: list[str]) -> bool:
    """Whether the words after a reminder's time name its days (or there are none)."""
    return not words or is_said_schedule(" ".join(words))


def looks_like_time(word: str) -> bool:
    plain = _plain(word)
    if plain in _NAMED:
        return True
    return bool(_TIME.fullmatch(plain)) and (
        ":" in plain or "." in plain or plain[-2:] in {"am", "pm"}
    )


def _on_days(mask: int) -> str:
    if mask == ALL_DAYS:
        return "every day"
    return "on " + Schedule.on_weekdays({d for d in range(7) if mask & (1 << d)}).describe()


class ReminderService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def add(
        self, user: User, habit: Habit, at: time, weekday_mask: int = ALL_DAYS
    ) -> Reminder:
        existing = list(
            (
                await self.session.scalars(select(Reminder).where(Reminder.habit_id == habit.id))
            ).all()
        )
        # The same time on a day in common would come twice that day; on other days it is
        # another reminder (mon wed and tue thu at 08:00).
        common = 0
        for r in existing:
            if r.local_time == at:
                common |= r.weekday_mask & weekday_mask
        if common:
            raise InvalidInput(
                f"{habit.title} already has a reminder at {at:%H:%M} {_on_days(common)}."
            )
        if len(existing) >= MAX_PER_HABIT:
            raise InvalidInput(
                f"{habit.title} has {MAX_PER_HABIT} reminders, the most a habit can have. To make "
                "room, see their numbers with /reminders and remove one with /unremind N."
            )
        now = self.clock.now()
        reminder = Reminder(
            habit_id=habit.id,
            local_time=at,
            weekday_mask=weekday_mask,
            next_due_at=next_occurrence(
                at,
                ZoneInfo(user.settings.timezone),
                now,
                weekday_mask,
                user.settings.day_start_hour,
            ),
            created_at=now,
        )
        self.session.add(reminder)
        await self.session.flush()
        return reminder

    async def for_user(self, user: User) -> list[tuple[Reminder, Habit]]:
        stmt = (
            select(Reminder, Habit)
            .join(Habit, Habit.id == Reminder.habit_id)
            .where(Habit.user_id == user.id, Habit.archived_at.is_(None))
            .order_by(Reminder.local_time, Habit.position, Reminder.id)
        )
        return [(r, h) for r, h in (await self.session.execute(stmt)).all()]

    async def get(self, reminder_id: int) -> Reminder | None:
        return await self.session.get(Reminder, reminder_id)

    async def still_due(self, reminder_id: int, day: date) -> StillDue | None:
        """A reminder and its habit, if it still applies that day: neither deleted, the habit
        not archived and not checked in (done or skipped) that day; with its person's today
        (a snoozed reminder may be yesterday's). One query."""
        stmt = (
            select(Reminder, Habit, HabitLog.id, UserSettings.timezone, UserSettings.day_start_hour)
            .join(Habit, Habit.id == Reminder.habit_id)
            .join(UserSettings, UserSettings.user_id == Habit.user_id)
            .outerjoin(HabitLog, and_(HabitLog.habit_id == Habit.id, HabitLog.day == day))
            .where(Reminder.id == reminder_id)
        )
        found = (await self.session.execute(stmt)).first()
        if found is None:
            return None
        reminder, habit, logged, zone, day_start = found
        if habit.archived_at is not None or logged is not None:
            return None
        return StillDue(reminder, habit, local_date(self.clock.now(), ZoneInfo(zone), day_start))

    def snooze(self, reminder: Reminder, until: datetime, day: date) -> None:
        """Again at `until`, still as the reminder of `day` (the user's day it was for)."""
        reminder.snoozed_until = until
        reminder.snoozed_day = day

    async def remove(self, reminder: Reminder) -> None:
        await self.session.delete(reminder)
        await self.session.flush()

    async def reschedule_all(self, user: User) -> int:
        """After a time-zone (or day start) change: every reminder's next time, from now, in the
        new zone. A snooze stays: it is an hour from when it was pressed, wherever they are,
        and still the reminder of the day it was snoozed on."""
        tz = ZoneInfo(user.settings.timezone)
        now = self.clock.now()
        pairs = await self.for_user(user)
        for reminder, _habit in pairs:
            reminder.next_due_at = next_occurrence(
                reminder.local_time, tz, now, reminder.weekday_mask, user.settings.day_start_hour
            )
        return len(pairs)
