"""A habit's check-in history as plain data: the input of every statistic and chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    AWAY = "away"  # the habit was archived that day: nothing was owed


# Days a habit spent archived: (first, last) local dates, both included, oldest first. While
# it is archived its last range is open: (the day it was archived, date.max).
AwayRanges = tuple[tuple[date, date], ...]
OPEN_END = date.max


@dataclass(frozen=True)
class HabitHistory:
    """Everything the statistics need about one habit, in the user's local dates."""

    schedule: Schedule
    start: date  # local date the habit was created
    entries: Mapping[date, CheckinStatus] = field(default_factory=dict)
    # The days it spent archived: neutral, like skipped days, unless they hold a check-in (one
    # made before archiving, or a late one after restoring).
    away: AwayRanges = ()

    def status(self, day: date) -> CheckinStatus | None:
        """The check-in recorded for `day`, if any."""
        return self.entries.get(day)

    def is_away(self, day: date) -> bool:
        return any(lo <= day <= hi for lo, hi in self.away)

    def counted(self, day: date) -> CheckinStatus | None:
        """The status the statistics count for `day`: its check-in, else SKIPPED for a day
        the habit spent archived (neither kept nor broken), else None."""
        status = self.entries.get(day)
        if status is None and self.away and self.is_away(day):
            return CheckinStatus.SKIPPED
        return status


def merge_away(ranges: Iterable[tuple[date, date]]) -> AwayRanges:
    """Ranges sorted, with overlapping or touching ones joined and empty ones dropped."""
    out: list[tuple[date, date]] = []
    for lo, hi in sorted(r for r in ranges if r[0] <= r[1]):
        if out and (lo - out[-1][1]).days <= 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def dump_away(ranges: AwayRanges) -> str | None:
    """'2026-01-05/2026-01-20 2026-03-01/' for the database (an open range ends with the
    slash); None when empty."""
    return (
        " ".join(
            f"{lo.isoformat()}/{'' if hi == OPEN_END else hi.isoformat()}" for lo, hi in ranges
        )
        or None
    )


def load_away(text: str | None) -> AwayRanges:
    """The ranges `dump_away` wrote (anything unreadable is left out)."""
    out: list[tuple[date, date]] = []
    for part in (text or "").split():
        lo, _, hi = part.partition("/")
        try:
            out.append((date.fromisoformat(lo), date.fromisoformat(hi) if hi else OPEN_END))
        except ValueError:
            continue
    return merge_away(out)


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())
