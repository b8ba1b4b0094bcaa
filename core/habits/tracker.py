"""The weekly tracker: what one day of a habit looks like (done, missed, pending, ...)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TypeVar

from core.habits.history import CheckinStatus, DayMark, HabitHistory
from core.habits.history import week_start as monday_of
from core.habits.schedule import ScheduleKind

__all__ = ["day_mark", "week_marks", "week_rows"]

T = TypeVar("T")


def day_mark(history: HabitHistory, day: date, today: date) -> DayMark:
    """The tracker cell for `day`, seen from the user's local `today`.

    Order of the rules: before the habit existed, in the future, done, skipped, away (the
    habit was archived that day, `HabitHistory.away`); then for N-times-a-week habits an
    empty day is OPEN (never MISSED); for daily and weekday habits an unscheduled day is
    NOT_SCHEDULED, an empty due today is PENDING and an empty due day in the past is MISSED.
    """
    if day < history.start:
        return DayMark.BEFORE_START
    if day > today:
        return DayMark.FUTURE
    status = history.status(day)
    if status is CheckinStatus.DONE:
        return DayMark.DONE
    if status is CheckinStatus.SKIPPED:
        return DayMark.SKIPPED
    if history.away and history.is_away(day):
        return DayMark.AWAY
    if history.schedule.kind is ScheduleKind.WEEKLY:
        return DayMark.OPEN
    if not history.schedule.is_scheduled(day):
        return DayMark.NOT_SCHEDULED
    if day == today:
        return DayMark.PENDING
    return DayMark.MISSED


def week_marks(history: HabitHistory, week_start: date, today: date) -> list[DayMark]:
    """Seven marks, Monday to Sunday, for the week holding `week_start`.

    `week_start` should be a Monday; any other date is moved back to the Monday of its week.
    """
    monday = monday_of(week_start)
    return [day_mark(history, monday + timedelta(days=i), today) for i in range(7)]


def week_rows(
    habits: Iterable[tuple[T, HabitHistory]], week_start: date, today: date
) -> list[tuple[T, list[DayMark]]]:
    """The weekly tracker's rows, in the order given: each habit with its seven marks (its days
    before it began are BEFORE_START). A habit begun after that week has no row: all its days
    there were before it. /week in the chat and GET /api/v1/habits/week show these."""
    monday = monday_of(week_start)
    sunday = monday + timedelta(days=6)
    return [
        (habit, week_marks(history, monday, today))
        for habit, history in habits
        if history.start <= sunday
    ]
