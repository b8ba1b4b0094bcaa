"""Days a habit spent archived (HabitHistory.away) are neutral for every statistic: neither kept
nor broken, like skipped days, unless they hold a check-in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.charts import HEATMAP_COLOURS, NEUTRAL, heatmap_mark
from core.habits.history import (
    OPEN_END,
    CheckinStatus,
    DayMark,
    HabitHistory,
    dump_away,
    load_away,
    merge_away,
)
from core.habits.schedule import Schedule
from core.habits.stats import compute_stats, strength_series
from core.habits.tracker import week_marks
from core.summary.week import week_done_and_due

DONE, SKIPPED = CheckinStatus.DONE, CheckinStatus.SKIPPED
START = date(2025, 1, 6)  # a Monday
DAILY = Schedule.daily()


def day(n: int) -> date:
    return START + timedelta(days=n)


def daily_history(away: tuple[tuple[date, date], ...]) -> HabitHistory:
    """Done days 0-9, away days 10-19 (nothing logged), done days 20-22 (today is 22)."""
    entries = {day(i): DONE for i in [*range(10), *range(20, 23)]}
    return HabitHistory(DAILY, START, entries, away)


def test_days_away_neither_break_nor_extend_the_streak() -> None:
    stats = compute_stats(daily_history(((day(10), day(19)),)), day(22))
    assert (stats.current_streak, stats.best_streak) == (13, 13)
    assert stats.done_total == 13
    # The same days without the range are missed: the streak restarts after them.
    plain = compute_stats(daily_history(()), day(22))
    assert (plain.current_streak, plain.best_streak) == (3, 10)


def test_days_away_keep_the_strength_where_it_was() -> None:
    history = daily_history(((day(10), day(19)),))
    series = strength_series(history, day(22))
    assert series[10:20] == [series[9]] * 10  # frozen while away
    assert series[20] > series[9]
    assert strength_series(daily_history(()), day(22))[19] < series[9] * 0.6


def test_days_away_are_not_due_in_the_rates() -> None:
    # today (22) is done; the 7-day window holds away days 16-19 and done days 20-22
    stats = compute_stats(daily_history(((day(10), day(19)),)), day(22))
    assert stats.rate_7 == 1.0
    assert stats.rate_30 == 1.0
    plain = compute_stats(daily_history(()), day(22))
    assert plain.rate_7 == pytest.approx(3 / 7)


def test_a_check_in_on_a_day_away_counts() -> None:
    """One made before archiving (that day is the first away), or a late one after restoring."""
    history = HabitHistory(
        DAILY, START, {day(0): DONE, day(1): DONE, day(4): DONE}, ((day(1), day(3)),)
    )
    stats = compute_stats(history, day(4))
    assert (stats.current_streak, stats.done_total) == (3, 3)
    assert history.counted(day(1)) is DONE
    assert history.counted(day(2)) is SKIPPED
    assert history.counted(day(4)) is DONE
    assert history.counted(day(5)) is None


def test_today_right_after_the_days_away_is_due_and_open() -> None:
    history = HabitHistory(DAILY, START, {day(0): DONE}, ((day(1), day(5)),))
    stats = compute_stats(history, day(6))  # restored today, not done yet
    assert stats.current_streak == 1
    assert stats.rate_7 == 1.0  # day 0 done; the days away and today (still open) not due
    marks = week_marks(history, START, day(6))
    assert marks == [DayMark.DONE, *[DayMark.AWAY] * 5, DayMark.PENDING]


def test_weekly_targets_shrink_with_the_days_away() -> None:
    """3 times a week: a week with 5 days away owes at most 2 (the days left)."""
    three = Schedule.times_a_week(3)
    entries = {day(i): DONE for i in (0, 1, 2, 12, 13)}  # week 1: two done, Sat and Sun
    history = HabitHistory(three, START, entries, ((day(7), day(11)),))
    stats = compute_stats(history, day(14))  # Monday of week 2
    assert (stats.current_streak, stats.best_streak, stats.streak_unit) == (2, 2, "weeks")
    assert compute_stats(HabitHistory(three, START, entries), day(14)).current_streak == 0
    assert week_done_and_due(history, day(7), day(13)) == (2, 2)
    assert week_done_and_due(HabitHistory(three, START, entries), day(7), day(13)) == (2, 3)


def test_weekday_schedule_away_days_are_shown_as_away() -> None:
    mwf = Schedule.parse("mon wed fri")
    history = HabitHistory(mwf, START, {day(0): DONE}, ((day(1), day(3)),))
    marks = week_marks(history, START, day(6))
    assert marks == [
        DayMark.DONE,
        DayMark.AWAY,
        DayMark.AWAY,
        DayMark.AWAY,
        DayMark.MISSED,  # Friday: back, due and not done
        DayMark.NOT_SCHEDULED,
        DayMark.NOT_SCHEDULED,
    ]
    assert week_done_and_due(history, START, day(6)) == (1, 2)  # Mon and Fri


def test_ranges_merge_and_survive_the_database_column() -> None:
    ranges = merge_away(
        [
            (day(20), day(25)),
            (day(1), day(3)),
            (day(4), day(6)),
            (day(22), day(30)),
            (day(9), day(8)),
        ]
    )
    assert ranges == ((day(1), day(6)), (day(20), day(30)))
    assert load_away(dump_away(ranges)) == ranges
    assert dump_away(()) is None
    archived = merge_away([*ranges, (day(31), OPEN_END)])  # archived again the day after
    assert archived == ((day(1), day(6)), (day(20), OPEN_END))
    assert dump_away(archived) == "2025-01-07/2025-01-12 2025-01-26/"
    assert load_away(dump_away(archived)) == archived
    assert load_away(None) == () and load_away("") == ()
    assert load_away("2025-01-01/2025-01-02 nonsense 2025-02-30/2025-03-01") == (
        (date(2025, 1, 1), date(2025, 1, 2)),
    )


def test_the_heatmap_shows_days_away_as_nothing_owed() -> None:
    history = HabitHistory(DAILY, START, {day(0): DONE, day(2): DONE}, ((day(1), day(3)),))
    marks = [heatmap_mark(history, day(i), day(5)) for i in range(6)]
    assert marks == [
        DayMark.DONE,
        DayMark.AWAY,
        DayMark.DONE,  # a check-in on a day away is shown as any
        DayMark.AWAY,
        DayMark.MISSED,
        DayMark.PENDING,
    ]
    assert HEATMAP_COLOURS[DayMark.AWAY] == NEUTRAL
