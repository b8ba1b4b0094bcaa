"""Statistics over years of history from a stored checkpoint and a few recent weeks of logs.

`compute_stats` (core/habits/stats.py) walks a habit's whole history. Everything it keeps
between days is small: the current and best streak, Loop's score, the done count. A
`Checkpoint` stores that state for every day before `day` (a Monday at least a week back, so
before any day a check-in may still change, core/days.py MAX_DAYS_BACK). `stats_at` then
continues from it over the days since, read from a bounded window of logs, and gives exactly
the numbers `compute_stats` gives over the full history (tests/unit/test_aggregate_property.py).

A checkpoint holds only while the days before it stay as they were: a check-in or undo for
an earlier day (possible only when the person's time zone moved), a schedule change, or a
restore whose days away start before it drops it (core/habits/service.py, archive.py), and
it names the schedule it was computed for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from core.habits.history import AwayRanges, CheckinStatus, HabitHistory, week_start
from core.habits.schedule import Schedule, ScheduleKind
from core.habits.stats import (
    HabitStats,
    _completion_rate,
    _day_streaks,
    _days,
    _scheduled_flags,
    _week_streaks,
    compute_stats,
    loop_frequency,
    loop_score,
    loop_window,
    streak_unit,
)

__all__ = [
    "LOOP_REACH",
    "WINDOW_DAYS",
    "Checkpoint",
    "advance",
    "after_write",
    "checkpoint_day",
    "checkpoint_of",
    "evaluate",
    "recent_history",
    "schedule_key",
    "stats_at",
    "usable",
    "window_start",
]

# The longest rolling window of Loop's score: 7 days, doubled for habits due less than daily.
LOOP_REACH: Final = 14
# Logs read per habit: today and the 41 days before. A usable checkpoint is at most 27 days
# old (see `usable`), so the window covers its Loop reach and the 30-day rate.
WINDOW_DAYS: Final = 42
_MAX_AGE: Final = WINDOW_DAYS - 1 - LOOP_REACH  # days from the checkpoint to today, at most
_FROZEN: Final = 7  # a check-in may still change today and the 7 days before (MAX_DAYS_BACK)

_DONE = CheckinStatus.DONE


@dataclass(frozen=True)
class Checkpoint:
    """The statistics' state over every day before `day`."""

    day: date  # the first day not covered; a Monday
    start: date  # the habit's start as far as the days before `day` tell
    schedule: str  # `schedule_key` of the schedule it was computed for
    run: int  # current streak (days or weeks) at the end of the day before `day`
    best: int
    score: float  # Loop's score
    done: int  # done days before `day`

    def dump(self) -> str:
        """One line for the database; `repr` keeps the score's every bit."""
        return (
            f"{self.day.isoformat()} {self.start.isoformat()} {self.schedule} "
            f"{self.run} {self.best} {self.score!r} {self.done}"
        )

    @classmethod
    def load(cls, text: str | None) -> Checkpoint | None:
        """The checkpoint `dump` wrote; None for NULL or anything else (it is then remade)."""
        if not text:
            return None
        try:
            day, start, schedule, run, best, score, done = text.split(" ")
            return cls(
                date.fromisoformat(day),
                date.fromisoformat(start),
                schedule,
                int(run),
                int(best),
                float(score),
                int(done),
            )
        except ValueError:
            return None


def schedule_key(schedule: Schedule) -> str:
    return f"{schedule.kind.value}/{schedule.weekday_mask}/{schedule.times_per_week}"


def checkpoint_day(today: date) -> date:
    """Where a checkpoint is kept: the Monday on or before the last day no check-in can change."""
    return week_start(today - timedelta(days=_FROZEN))


def window_start(today: date) -> date:
    """The first day of logs `stats_at` needs for `today`."""
    return today - timedelta(days=WINDOW_DAYS - 1)


def usable(checkpoint: Checkpoint | None, schedule: Schedule, today: date) -> bool:
    """Can `stats_at` continue from this checkpoint for `today` with the window's logs?"""
    if checkpoint is None or checkpoint.schedule != schedule_key(schedule):
        return False
    age = (today - checkpoint.day).days
    return _FROZEN <= age <= _MAX_AGE and checkpoint.day.weekday() == 0


def _lookup(history: HabitHistory) -> Callable[[date], CheckinStatus | None]:
    """Each day's status as the statistics count it (`HabitHistory.counted`)."""
    return history.counted if history.away else history.entries.get


def _fold(
    schedule: Schedule,
    start: date,
    status_of: Callable[[date], CheckinStatus | None],
    state: tuple[int, int, float, int],
    first: date,
    last: date,
    open_last: bool,
) -> tuple[int, int, float, int]:
    """(run, best, score, done) after the days first..last, continuing from `state`.

    `first` is the habit's start or a Monday after it; `status_of` must know the LOOP_REACH
    days before `first` as well (days before `start` have none).
    """
    run, best, score, done = state
    if last < first:
        return state
    n = (last - first).days + 1
    days: list[CheckinStatus | None] = [status_of(first + timedelta(days=i)) for i in range(n)]
    if schedule.kind is ScheduleKind.WEEKLY:
        run, best = _week_streaks(days, first, schedule.times_per_week, run, best, open_last)
    else:
        flags = _scheduled_flags(schedule, first, n)
        run, best = _day_streaks(days, flags, run, best, open_last)
    numerator, denominator = loop_frequency(schedule)
    reach = loop_window(numerator, denominator)[1]
    before = [
        status_of(first - timedelta(days=k)) if first - timedelta(days=k) >= start else None
        for k in range(reach, 0, -1)
    ]
    score = loop_score(days, numerator, denominator, score, before)
    done += sum(1 for s in days if s is _DONE)
    return run, best, score, done


def checkpoint_of(history: HabitHistory, start_date: date, day: date) -> Checkpoint:
    """The checkpoint at `day` (a Monday) from a habit's full history.

    `start_date` is the habit's stored start; the checkpoint's start leaves out entries on or
    after `day`, which the window will show again.
    """
    if day.weekday() != 0:
        raise ValueError("a checkpoint starts on a Monday")
    start = min([start_date, *(d for d in history.entries if d < day)])
    run, best, score, done = _fold(
        history.schedule,
        start,
        _lookup(history),
        (0, 0, 0.0, 0),
        start,
        day - timedelta(days=1),
        False,
    )
    return Checkpoint(day, start, schedule_key(history.schedule), run, best, score, done)


def advance(checkpoint: Checkpoint, history: HabitHistory, day: date) -> Checkpoint:
    """The checkpoint moved forward to `day` with the window's history (`stats_at`'s input)."""
    if day.weekday() != 0 or day < checkpoint.day:
        raise ValueError("a checkpoint moves forward to a Monday")
    start = min(checkpoint.start, history.start)
    first = max(checkpoint.day, start)
    state = (checkpoint.run, checkpoint.best, checkpoint.score, checkpoint.done)
    run, best, score, done = _fold(
        history.schedule, start, _lookup(history), state, first, day - timedelta(days=1), False
    )
    new_start = min([checkpoint.start, *(d for d in history.entries if d < day)])
    return Checkpoint(day, new_start, checkpoint.schedule, run, best, score, done)


def stats_at(checkpoint: Checkpoint, history: HabitHistory, today: date) -> HabitStats:
    """`compute_stats` of the full history, from a usable checkpoint and the window's history.

    `history` holds the entries from `window_start(today)` on, with `start` the earlier of the
    habit's stored start and those entries (`recent_history`).
    """
    schedule = history.schedule
    start = min(checkpoint.start, history.start)
    first = max(checkpoint.day, start)
    state = (checkpoint.run, checkpoint.best, checkpoint.score, checkpoint.done)
    run, best, score, done = _fold(schedule, start, _lookup(history), state, first, today, True)
    rates = HabitHistory(
        schedule, max(start, today - timedelta(days=29)), history.entries, history.away
    )
    days = _days(rates, today)
    return HabitStats(
        current_streak=run,
        best_streak=best,
        streak_unit=streak_unit(schedule),
        strength=score,
        done_total=done,
        rate_7=_completion_rate(rates, days, 7),
        rate_30=_completion_rate(rates, days, 30),
    )


def recent_history(
    schedule: Schedule,
    start_date: date,
    checkpoint: Checkpoint,
    entries: dict[date, CheckinStatus],
    away: AwayRanges = (),
) -> HabitHistory:
    """The window's history with the habit's true start (the checkpoint knows earlier entries)."""
    return HabitHistory(schedule, min([start_date, checkpoint.start, *entries]), entries, away)


def evaluate(
    checkpoint: Checkpoint | None,
    schedule: Schedule,
    start_date: date,
    entries: dict[date, CheckinStatus],
    today: date,
    away: AwayRanges = (),
) -> tuple[HabitStats, HabitHistory, Checkpoint]:
    """A habit's statistics, the history it shows, and the checkpoint to keep from now on.

    With a checkpoint `usable` for today, `entries` are the logs from `window_start(today)` on
    and the history returned is that window's; without one they are all the habit's logs,
    the statistics come from `compute_stats` and a new checkpoint is made. `away` are the
    days the habit spent archived (`HabitHistory.away`).
    """
    keep_at = checkpoint_day(today)
    if checkpoint is None:
        history = HabitHistory(schedule, min([start_date, *entries]), entries, away)
        return compute_stats(history, today), history, checkpoint_of(history, start_date, keep_at)
    history = recent_history(schedule, start_date, checkpoint, entries, away)
    stats = stats_at(checkpoint, history, today)
    if checkpoint.day < keep_at:
        checkpoint = advance(checkpoint, history, keep_at)
    return stats, history, checkpoint


def after_write(checkpoint: Checkpoint | None, day: date) -> Checkpoint | None:
    """The checkpoint after a check-in, skip or undo for `day`: dropped when it covers the day."""
    return None if checkpoint is not None and day < checkpoint.day else checkpoint
