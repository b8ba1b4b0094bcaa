"""A habit's week: how many of its due days were done (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.clock import local_date
from core.habits.history import CheckinStatus, HabitHistory, week_start
from core.habits.schedule import ScheduleKind


def week_done_and_due(history: HabitHistory, monday: date, today: date) -> tuple[int, int]:
    """Done days this week, and how many were due (skipped days, and days the habit spent
    archived, are not due). A day a weekdays habit is not due is left out even when done: it
    is recorded (and a day toward 66), but owed nothing, as the streak and the rates count."""
    days = [monday + timedelta(days=i) for i in range(7)]
    live = [d for d in days if d >= history.start]
    schedule = history.schedule
    done = sum(
        1
        for d in live
        if d <= today and history.status(d) is CheckinStatus.DONE and schedule.is_scheduled(d)
    )
    skipped = sum(1 for d in live if history.status(d) is CheckinStatus.SKIPPED)
    # days it spent archived: as if they were not in the week (a check-in there still counts)
    away = [d for d in live if history.status(d) is None and history.is_away(d)]
    if schedule.kind is ScheduleKind.WEEKLY:
        # The streaks' rule (core/habits/stats.py): at most the days left once skipped and away
        # days are taken out. (Less the skips, a week of 3 done and a skip read "3/2".)
        due = min(schedule.times_per_week, len(live) - len(away) - skipped)
    else:
        owed = [d for d in live if schedule.is_scheduled(d)]
        due = len(owed) - sum(1 for d in away if schedule.is_scheduled(d)) - skipped
    return done, max(due, 0)


def local_week_window(
    timezone: str, day_start_hour: int, monday: date
) -> tuple[datetime, datetime]:
    """The person's week starting `monday`, as UTC instants [since, until): from the start of
    their Monday (their day start, in their zone) to the start of the next Monday."""
    since = datetime.combine(monday, time(day_start_hour), ZoneInfo(timezone)).astimezone(UTC)
    return since, since + timedelta(days=7)


def group_date(timezone: str, instant: datetime) -> date:
    """A group's date at `instant`, in the group's zone: its week is the same for every member
    (a member in Tokyo on Monday morning still sees the Berlin group's Sunday week)."""
    return local_date(instant, ZoneInfo(timezone))


def summary_week(day: date) -> date:
    """The Monday of the week a weekly summary sent on local `day` is about: the week most of
    the last seven days fall in. Sent Thursday to Sunday, that is the week under way; sent
    Monday to Wednesday, the week that just ended (a Monday morning summary of a week not yet
    begun would be empty)."""
    return week_start(day - timedelta(days=3))
