"""A habit's check-in history as plain data: the input of every statistic and chart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from core.habits.schedule import Schedule


class CheckinStatus(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"


class DayMark(StrEnum):
    """One cell of the weekly tracker."""

    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"  # due, in the past, not done
    PENDING = "pending"  # today, due, not done yet
    OPEN = "open"  # past or today, not done, but not required (N-times-a-week habits)
    NOT_SCHEDULED = "not_scheduled"
    FUTURE = "future"
    BEFORE_START = "before_start"  # the habit did not exist yet


@dataclass(frozen=True)
class HabitHistory:
    """Everything the statistics need about one habit, in the user's local dates."""

    schedule: Schedule
    start: date  # local date the habit was created
    entries: Mapping[date, CheckinStatus] = field(default_factory=dict)

    def status(self, day: date) -> CheckinStatus | None:
        return self.entries.get(day)


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())
