"""Streaks, habit strength and completion rates, computed from a `HabitHistory`.

Everything here is a pure function of (history, today) in the user's local dates. Days after
`today` and entries dated before `history.start` are ignored. `compute_stats` walks the days
from the start to today a constant number of times, so years of history stay cheap.

Habit strength follows Loop Habit Tracker (iSoron/uhabits, `Score.compute` and the boolean
branch of `ScoreList.recompute`, v2.3.1): an exponential moving average of how much of the
target was met in a rolling window, with skipped days freezing the score.

Days a habit spent archived (`HabitHistory.away`) count as skipped days everywhere here,
unless they hold a check-in: neither kept nor broken.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from core.habits.history import CheckinStatus, HabitHistory
from core.habits.schedule import Schedule, ScheduleKind

__all__ = [
    "HABIT_FORMATION_TARGET",
    "TYPICAL_RANGE",
    "HabitStats",
    "StreakUnit",
    "best_streak",
    "completion_rate",
    "compute_stats",
    "current_streak",
    "loop_frequency",
    "loop_score",
    "loop_score_series",
    "loop_window",
    "streak_unit",
    "strength",
    "strength_series",
]

# Lally et al. (2010), "How are habits formed": median 66 days to automaticity, range 18-254.
HABIT_FORMATION_TARGET: Final = 66
TYPICAL_RANGE: Final = (18, 254)

StreakUnit = Literal["days", "weeks"]

_DONE = CheckinStatus.DONE
_SKIPPED = CheckinStatus.SKIPPED

# One status per day from history.start (index 0) through today (last index).
_Days = list[CheckinStatus | None]


@dataclass(frozen=True)
class HabitStats:
    current_streak: int
    best_streak: int
    streak_unit: StreakUnit
    strength: float  # 0..1, Loop Habit Tracker's score
    done_total: int  # done days since the start, for "day N of 66"
    rate_7: float | None  # None when nothing was due in the window
    rate_30: float | None


# --- shared helpers -----------------------------------------------------------------------


def _days(history: HabitHistory, today: date) -> _Days:
    """Statuses of every day from the start through today, as the statistics count them
    (`HabitHistory.counted`: days the habit spent archived are skipped); O(days + entries)."""
    if today < history.start:
        return []
    n = (today - history.start).days + 1
    out: _Days = [None] * n
    for lo, hi in history.away:
        for i in range(max(0, (lo - history.start).days), min(n, (hi - history.start).days + 1)):
            out[i] = _SKIPPED
    for day, status in history.entries.items():
        i = (day - history.start).days
        if 0 <= i < n:
            out[i] = status
    return out


def _scheduled_flags(schedule: Schedule, start: date, n: int) -> list[bool]:
    """Whether each of the n days from `start` is a due day (always True unless WEEKDAYS)."""
    if schedule.kind is not ScheduleKind.WEEKDAYS:
        return [True] * n
    by_weekday = [d in schedule.weekdays for d in range(7)]
    first = start.weekday()
    return [by_weekday[(first + i) % 7] for i in range(n)]


def streak_unit(schedule: Schedule) -> StreakUnit:
    """N-times-a-week habits count weeks; daily and weekday habits count days."""
    return "weeks" if schedule.kind is ScheduleKind.WEEKLY else "days"


# --- streaks ------------------------------------------------------------------------------


def _day_streaks(
    days: _Days, scheduled: list[bool], run: int = 0, best: int = 0, open_last: bool = True
) -> tuple[int, int]:
    """(current, best) for daily / weekday habits, continuing from (run, best).

    Only due days count. Unscheduled and skipped days are neutral, a past due day that is
    not done ends the run, and today (the last day, when `open_last`) stays open until it
    is done.
    """
    last = len(days) - 1 if open_last else -1
    for i, status in enumerate(days):
        if not scheduled[i] or status is _SKIPPED:
            continue
        if status is _DONE:
            run += 1
            if run > best:
                best = run
        elif i != last:
            run = 0
    return run, best


def _week_streaks(
    days: _Days, start: date, per_week: int, run: int = 0, best: int = 0, open_last: bool = True
) -> tuple[int, int]:
    """(current, best) in Monday-Sunday weeks for N-times-a-week habits, from (run, best).

    A week's target is min(N, its days on/after the start minus its skipped days). Weeks with
    no target are neutral; a finished week below target ends the run; the current week (the
    last, when `open_last`) adds one once met and is neutral until then.
    """
    if not days:
        return run, best
    first = start.weekday()
    n_weeks = (first + len(days) - 1) // 7 + 1
    done = [0] * n_weeks
    skipped = [0] * n_weeks
    for i, status in enumerate(days):
        if status is _DONE:
            done[(first + i) // 7] += 1
        elif status is _SKIPPED:
            skipped[(first + i) // 7] += 1
    open_week = n_weeks - 1 if open_last else n_weeks
    for w in range(n_weeks):
        available = 7 - first if w == 0 else 7
        target = min(per_week, available - skipped[w])
        if target <= 0:
            continue
        if done[w] >= target:
            run += 1
            if run > best:
                best = run
        elif w < open_week:
            run = 0
    return run, best


def _streaks(history: HabitHistory, days: _Days) -> tuple[int, int]:
    schedule = history.schedule
    if schedule.kind is ScheduleKind.WEEKLY:
        return _week_streaks(days, history.start, schedule.times_per_week)
    return _day_streaks(days, _scheduled_flags(schedule, history.start, len(days)))


def current_streak(history: HabitHistory, today: date) -> int:
    """Current run of done due days (or met weeks, see `streak_unit`)."""
    return _streaks(history, _days(history, today))[0]


def best_streak(history: HabitHistory, today: date) -> int:
    """Longest run ever, in the same unit as `current_streak`; always >= it."""
    return _streaks(history, _days(history, today))[1]


# --- strength (Loop Habit Tracker score) --------------------------------------------------


def loop_frequency(schedule: Schedule) -> tuple[int, int]:
    """The schedule as Loop's Frequency(numerator, denominator): repetitions per days."""
    if schedule.kind is ScheduleKind.DAILY:
        return 1, 1
    return schedule.per_week, 7


def loop_score_series(
    values: Sequence[CheckinStatus | None], numerator: int, denominator: int
) -> list[float]:
    """Loop's boolean score for each day of `values` (oldest first), starting from 0.

    multiplier m = 0.5 ** (sqrt(f) / 13) with f = numerator / denominator, and each day that
    is not skipped: score = score * m + completed * (1 - m), where `completed` is
    min(1, done days in the last `denominator` days / numerator). Like Loop, habits with
    f < 1 use a window and numerator twice as large to smooth out irregular weeks. A skipped
    day keeps the previous score.
    """
    out: list[float] = []
    loop_score(values, numerator, denominator, out=out)
    return out


def loop_window(numerator: int, denominator: int) -> tuple[int, int, float]:
    """Loop's (numerator, denominator, multiplier) as the score uses them (see above)."""
    if numerator <= 0 or denominator <= 0:
        raise ValueError("numerator and denominator must be positive")
    if numerator == denominator:
        numerator = denominator = 1
    freq = numerator / denominator
    if freq < 1.0:
        numerator *= 2
        denominator *= 2
    return numerator, denominator, math.pow(0.5, math.sqrt(freq) / 13.0)


def loop_score(
    values: Sequence[CheckinStatus | None],
    numerator: int,
    denominator: int,
    score: float = 0.0,
    before: Sequence[CheckinStatus | None] = (),
    out: list[float] | None = None,
) -> float:
    """The score after the last of `values`, continuing from `score`.

    `before` holds the days just before `values` (oldest first) that the rolling window of
    the first days still sees; days before the habit's start are None. Appends each day's
    score to `out` when given.
    """
    numerator, denominator, multiplier = loop_window(numerator, denominator)
    seen = [*before[max(0, len(before) - denominator) :], *values]
    offset = len(seen) - len(values)
    rolling = sum(1 for s in seen[:offset] if s is _DONE)
    for i in range(offset, len(seen)):
        status = seen[i]
        if status is _DONE:
            rolling += 1
        if i >= denominator and seen[i - denominator] is _DONE:
            rolling -= 1
        if status is not _SKIPPED:
            completed = min(1.0, rolling / numerator)
            score = score * multiplier + completed * (1 - multiplier)
        if out is not None:
            out.append(score)
    return score


def _strength_series(history: HabitHistory, days: _Days) -> list[float]:
    numerator, denominator = loop_frequency(history.schedule)
    return loop_score_series(days, numerator, denominator)


def strength_series(history: HabitHistory, today: date) -> list[float]:
    """The strength on every day from the start through today (empty before the start)."""
    return _strength_series(history, _days(history, today))


def strength(history: HabitHistory, today: date) -> float:
    """Habit strength today, 0..1 (0.0 before the habit starts)."""
    series = strength_series(history, today)
    return series[-1] if series else 0.0


# --- completion rate ----------------------------------------------------------------------


def _completion_rate(history: HabitHistory, days: _Days, window: int) -> float | None:
    if window <= 0:
        raise ValueError("the window must be at least one day")
    n = len(days)
    lo = max(0, n - window)
    last = n - 1
    schedule = history.schedule
    if schedule.kind is ScheduleKind.WEEKLY:
        counted = done = 0
        for i in range(lo, n):
            status = days[i]
            if status is _DONE:
                counted += 1
                done += 1
            elif status is None and i != last:
                counted += 1
        expected = schedule.times_per_week * counted / 7
        if expected <= 0:
            return None
        return min(1.0, done / expected)
    scheduled = _scheduled_flags(schedule, history.start + timedelta(days=lo), n - lo)
    due = done = 0
    for k, i in enumerate(range(lo, n)):
        if not scheduled[k]:
            continue
        status = days[i]
        if status is _DONE:
            due += 1
            done += 1
        elif status is None and i != last:
            due += 1
    return done / due if due else None


def completion_rate(history: HabitHistory, today: date, days: int) -> float | None:
    """Share of due check-ins done in the last `days` days ending today.

    Daily / weekday habits: done due days / due days, where due days are the scheduled days
    in the window on/after the start, minus skipped ones, minus today while it is not done.
    N-times-a-week habits: done days / (N * counted days / 7), capped at 1.0, where counted
    days are the window's days on/after the start minus skipped ones (and minus today while
    it is not done). None when nothing was due.
    """
    return _completion_rate(history, _days(history, today), days)


# --- everything at once -------------------------------------------------------------------


def compute_stats(history: HabitHistory, today: date) -> HabitStats:
    days = _days(history, today)
    current, best = _streaks(history, days)
    series = _strength_series(history, days)
    return HabitStats(
        current_streak=current,
        best_streak=best,
        streak_unit=streak_unit(history.schedule),
        strength=series[-1] if series else 0.0,
        done_total=sum(1 for s in days if s is _DONE),
        rate_7=_completion_rate(history, days, 7),
        rate_30=_completion_rate(history, days, 30),
    )
