"""When a local time of day next happens, in UTC, across daylight-saving changes.

A time in the spring-forward gap fires at the first valid minute after it; an ambiguous time in
the autumn fold fires once, at its first occurrence; 07:30 stays 07:30 local all year.

A reminder's weekdays are the person's days: with a day that starts at 03:00, a 01:00 reminder
"on Monday" comes in the night after Monday (Tuesday 01:00 on the calendar), which is still
Monday for them, the day its Done checks in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.habits.schedule import ScheduleKind

ALL_DAYS = 0b1111111


def weekday_allowed(mask: int, day: date) -> bool:
    return bool(mask & (1 << day.weekday()))


def due_days(mask: int, schedule_kind: str, habit_days: int) -> int:
    """The days a reminder comes: its own, less the days its habit is not due (a reminder of a
    mon wed fri habit never comes on a Tuesday); every day is due for the other schedules."""
    return mask & habit_days if schedule_kind == ScheduleKind.WEEKDAYS.value else mask


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `at` on local `day`: the first occurrence, or the end of a gap."""
    wall = datetime.combine(day, at.replace(tzinfo=None))
    first = wall.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == wall:
        return utc  # it exists (for an ambiguous time fold=0 is the first occurrence)
    # In a gap: walk from just before it to the first minute that reaches the wanted wall time.
    probe = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    probe = probe.replace(second=0, microsecond=0)
    for _ in range(24 * 60):
        probe += timedelta(minutes=1)
        if probe.astimezone(tz).replace(tzinfo=None) >= wall:
            return probe
    raise AssertionError(f"no valid local time after {wall} in {tz}")  # pragma: no cover


def next_occurrence(
    at: time, tz: ZoneInfo, after: datetime, weekday_mask: int = ALL_DAYS, day_start_hour: int = 0
) -> datetime:
    """The first instant strictly after `after` when it is `at` local time on an allowed day
    (the person's day: before `day_start_hour` it is still the day before)."""
    if not weekday_mask & ALL_DAYS:
        raise ValueError("a reminder needs at least one weekday")
    day = after.astimezone(tz).date() - timedelta(days=1)
    owner = timedelta(days=1) if at.hour < day_start_hour else timedelta(0)
    for _ in range(16):
        if weekday_allowed(weekday_mask, day - owner):
            candidate = local_instant(day, at, tz)
            if candidate > after:
                return candidate
        day += timedelta(days=1)
    raise AssertionError("unreachable: some weekday is allowed")  # pragma: no cover


def next_weekly(weekday: int, hour: int, tz: ZoneInfo, after: datetime) -> datetime:
    """The next `weekday` at `hour`:00 local (weekly summaries)."""
    return next_occurrence(time(hour), tz, after, 1 << weekday)
