import dataclasses
import math
from collections.abc import Iterable
from datetime import date, timedelta

import pytest

from core.habits.history import CheckinStatus, HabitHistory
from core.habits.schedule import Schedule
from core.habits.stats import (
    HABIT_FORMATION_TARGET,
    TYPICAL_RANGE,
    HabitStats,
    best_streak,
    completion_rate,
    compute_stats,
    current_streak,
    loop_frequency,
    loop_score_series,
    streak_unit,
    strength,
    strength_series,
)

DONE, SKIPPED = CheckinStatus.DONE, CheckinStatus.SKIPPED
TODAY = date(2025, 3, 12)  # a Wednesday
MON = date(2025, 3, 10)  # Monday of the current week
DAILY = Schedule.daily()
MWF = Schedule.parse("mon wed fri")
THREE_X = Schedule.parse("3x")


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def week(w: int, weekday: int) -> date:
    """Weekday (0 = Mon) of the week `w` weeks before the current one."""
    return MON - timedelta(weeks=w) + timedelta(days=weekday)


def hist(
    schedule: Schedule,
    start: date,
    done: Iterable[date] = (),
    skipped: Iterable[date] = (),
) -> HabitHistory:
    entries = {d: DONE for d in done}
    entries.update({d: SKIPPED for d in skipped})
    return HabitHistory(schedule, start, entries)


def streaks(history: HabitHistory) -> tuple[int, int]:
    return current_streak(history, TODAY), best_streak(history, TODAY)


def test_constants() -> None:
    assert HABIT_FORMATION_TARGET == 66
    assert TYPICAL_RANGE == (18, 254)


# --- day streaks --------------------------------------------------------------------------


def test_daily_streak_today_open_does_not_break() -> None:
    done = [ago(n) for n in range(7, 15)] + [ago(n) for n in range(1, 6)]  # ago(6) missed
    history = hist(DAILY, ago(14), done)
    assert streaks(history) == (5, 8)


def test_daily_streak_today_done_counts() -> None:
    done = [ago(n) for n in range(7, 15)] + [ago(n) for n in range(0, 6)]
    assert streaks(hist(DAILY, ago(14), done)) == (6, 8)


def test_daily_streak_missed_yesterday_breaks() -> None:
    history = hist(DAILY, ago(5), [ago(n) for n in range(2, 6)])
    assert streaks(history) == (0, 4)
    assert streaks(hist(DAILY, ago(5), [ago(n) for n in range(0, 6) if n != 1])) == (1, 4)


def test_daily_streak_skip_neither_breaks_nor_adds() -> None:
    history = hist(DAILY, ago(6), [ago(n) for n in (1, 2, 4, 5, 6)], [ago(3)])
    assert streaks(history) == (5, 5)


def test_skipped_today_keeps_streak() -> None:
    history = hist(DAILY, ago(3), [ago(3), ago(2), ago(1)], [TODAY])
    assert streaks(history) == (3, 3)


def test_weekday_streak_ignores_unscheduled_days() -> None:
    mwf_days = [week(2, 0), week(2, 2), week(2, 4), week(1, 0), week(1, 2), week(1, 4), MON]
    history = hist(MWF, week(2, 0), mwf_days)
    assert streaks(history) == (7, 7)  # today (Wed) still open
    # A bonus Saturday neither adds nor breaks.
    assert streaks(hist(MWF, week(2, 0), [*mwf_days, week(1, 5)])) == (7, 7)
    assert streaks(hist(MWF, week(2, 0), [*mwf_days, TODAY])) == (8, 8)


def test_weekday_streak_missed_scheduled_day_breaks() -> None:
    done = [week(2, 0), week(2, 2), week(2, 4), week(1, 0), week(1, 4), MON]  # missed Wed
    assert streaks(hist(MWF, week(2, 0), done)) == (2, 4)


def test_streaks_before_start_and_entries_before_start() -> None:
    assert streaks(hist(DAILY, ago(-1))) == (0, 0)
    # Entries dated before the start are ignored.
    assert streaks(hist(DAILY, ago(1), [ago(3), ago(2), ago(1)])) == (1, 1)


# --- week streaks -------------------------------------------------------------------------


def mwf_weeks(*weeks_ago: int) -> list[date]:
    return [week(w, d) for w in weeks_ago for d in (0, 2, 4)]


def test_weekly_streak_counts_met_weeks_current_week_neutral() -> None:
    history = hist(THREE_X, week(3, 0), [*mwf_weeks(3, 2, 1), MON])
    assert streak_unit(THREE_X) == "weeks"
    assert streaks(history) == (3, 3)


def test_weekly_streak_current_week_met_adds() -> None:
    history = hist(THREE_X, week(3, 0), [*mwf_weeks(3, 2, 1), MON, week(0, 1), TODAY])
    assert streaks(history) == (4, 4)


def test_weekly_streak_finished_week_below_target_breaks() -> None:
    done = [*mwf_weeks(4, 3, 1), week(2, 0), week(2, 6)]  # only two in week 2
    assert streaks(hist(THREE_X, week(4, 0), done)) == (1, 2)


def test_weekly_streak_partial_first_week_lowers_target() -> None:
    # Started on a Saturday: the first week only has two days, so two check-ins meet it.
    start = week(3, 5)
    assert streaks(hist(THREE_X, start, [week(3, 5), week(3, 6), *mwf_weeks(2, 1)])) == (3, 3)
    # One of two is not enough.
    assert streaks(hist(THREE_X, start, [week(3, 6), *mwf_weeks(2, 1)])) == (2, 2)
    # Started on a Sunday: one check-in meets the first week.
    assert streaks(hist(THREE_X, week(3, 6), [week(3, 6), *mwf_weeks(2, 1)])) == (3, 3)


def test_weekly_streak_skips_lower_the_target() -> None:
    skips = [week(2, d) for d in (1, 2, 3, 4, 5)]
    done = [*mwf_weeks(3, 1), week(2, 0), week(2, 6)]
    # Five skipped days leave two available days: two check-ins meet the week.
    assert streaks(hist(THREE_X, week(3, 0), done, skips)) == (3, 3)
    # Without the skips the same two check-ins break the streak.
    assert streaks(hist(THREE_X, week(3, 0), done)) == (1, 1)


def test_weekly_streak_fully_skipped_week_is_neutral() -> None:
    skips = [week(2, d) for d in range(7)]
    assert streaks(hist(THREE_X, week(3, 0), mwf_weeks(3, 1), skips)) == (2, 2)
    # Six skips leave a target of one, which an empty week misses.
    assert streaks(hist(THREE_X, week(3, 0), mwf_weeks(3, 1), skips[:6])) == (1, 1)


def test_weekly_streak_of_a_habit_started_today() -> None:
    assert streaks(hist(THREE_X, TODAY)) == (0, 0)
    assert streaks(hist(Schedule.parse("1x"), TODAY, [TODAY])) == (1, 1)


# --- strength: Loop Habit Tracker reference values -----------------------------------------
# Reference numbers come from Loop Habit Tracker's own test suite, iSoron/uhabits
# uhabits-core/src/jvmTest/java/org/isoron/uhabits/core/models/ScoreListTest.kt,
# class YesNoScoreListTest (dev branch at 5aa8744e, release v2.3.1). Loop checks them with
# IsCloseTo(expected, E = 1e-6) and its listed values are truncated, so we use the same
# absolute tolerance. In that test "check(i)" marks the day i days before today done and
# the computation starts at the oldest entry, which we model as history.start.

E = 1e-6

# YesNoScoreListTest.test_getValue: newest first; Loop's trailing zeros are before the start.
LOOP_20_DAYS = [
    0.655747, 0.636894, 0.617008, 0.596033, 0.573910, 0.550574, 0.525961, 0.500000,
    0.472617, 0.443734, 0.413270, 0.381137, 0.347244, 0.311495, 0.273788, 0.234017,
    0.192067, 0.147820, 0.101149, 0.051922,
]  # fmt: skip


def newest_first(history: HabitHistory) -> list[float]:
    return strength_series(history, TODAY)[::-1]


def test_twenty_consecutive_days_reference_value() -> None:
    history = hist(DAILY, ago(19), [ago(n) for n in range(20)])
    assert strength(history, TODAY) == pytest.approx(0.655747, abs=E)
    assert newest_first(history) == pytest.approx(LOOP_20_DAYS, abs=E)
    # Closed form for a perfect run: 1 - 0.5 ** (days / 13); day 13 is exactly one half.
    assert newest_first(history)[7] == pytest.approx(0.5, abs=1e-12)


def test_loop_get_value_with_skip() -> None:
    # YesNoScoreListTest.test_getValueWithSkip: check(0, 20), skips 5, 10 and 11 days ago.
    history = hist(DAILY, ago(19), [ago(n) for n in range(20)], [ago(5), ago(10), ago(11)])
    expected = [
        0.596033, 0.573910, 0.550574, 0.525961, 0.500000, 0.472617, 0.472617, 0.443734,
        0.413270, 0.381137, 0.347244, 0.347244, 0.347244, 0.311495, 0.273788, 0.234017,
        0.192067, 0.147820, 0.101149, 0.051922,
    ]  # fmt: skip
    assert newest_first(history) == pytest.approx(expected, abs=E)


def test_loop_get_value_with_skip_2() -> None:
    # YesNoScoreListTest.test_getValueWithSkip2: check(5), skip 4 days ago, nothing since.
    history = hist(DAILY, ago(5), [ago(5)], [ago(4)])
    expected = [0.041949, 0.044247, 0.046670, 0.049226, 0.051922, 0.051922]
    assert newest_first(history) == pytest.approx(expected, abs=E)


def test_loop_recompute_and_add_then_remove() -> None:
    # YesNoScoreListTest.test_recompute: check(0, 2) scores 0.101149 as a daily habit and
    # 0.054816 as Frequency(1, 2), which has no HabitLink schedule, so the generic series.
    assert strength(hist(DAILY, ago(1), [ago(1), TODAY]), TODAY) == pytest.approx(0.101149, abs=E)
    assert loop_score_series([DONE, DONE], 1, 2)[-1] == pytest.approx(0.054816, abs=E)
    # YesNoScoreListTest.test_addThenRemove: one check today = 0.051922, none = 0.
    assert strength(hist(DAILY, TODAY, [TODAY]), TODAY) == pytest.approx(0.051922, abs=E)
    assert strength(hist(DAILY, TODAY), TODAY) == 0.0


def test_loop_imperfect_non_daily() -> None:
    # YesNoScoreListTest.test_imperfectNonDaily: 2 check-ins every 7 days for 100 weeks.
    done = [ago(7 * k + j) for k in range(100) for j in (0, 1)]
    start = ago(7 * 99 + 1)  # the oldest entry
    assert strength(hist(THREE_X, start, done), TODAY) == pytest.approx(2 / 3, abs=E)
    assert strength(hist(Schedule.parse("4x"), start, done), TODAY) == pytest.approx(0.5, abs=E)


def test_loop_irregular_non_daily() -> None:
    # YesNoScoreListTest.test_irregularNonDaily: once a week, alternating first/last weekday.
    done = [ago(14 * k + j) for k in range(100) for j in (0, 13)]
    history = hist(Schedule.parse("1x"), ago(14 * 99 + 13), done)
    assert strength(history, TODAY) == pytest.approx(1.0, abs=1e-3)


def test_loop_should_achieve_high_score_in_reasonable_time() -> None:
    # YesNoScoreListTest.shouldAchieveHighScoreInReasonableTime.
    daily = hist(DAILY, ago(89), [ago(i) for i in range(90)])
    assert strength(daily, TODAY) > 0.99
    weekly_days = [ago(7 * i) for i in range(39)]
    assert strength(hist(Schedule.parse("1x"), ago(7 * 38), weekly_days), TODAY) > 0.99
    # The same habit switched to Frequency(1, 30) with monthly checks added (generic series).
    checked = set(weekly_days) | {ago(30 * i) for i in range(18)}
    values = [DONE if ago(n) in checked else None for n in range(30 * 17, -1, -1)]
    assert loop_score_series(values, 1, 30)[-1] > 0.99


# --- strength: our schedule mapping -------------------------------------------------------


def test_loop_frequency_mapping() -> None:
    assert loop_frequency(DAILY) == (1, 1)
    assert loop_frequency(THREE_X) == (3, 7)
    assert loop_frequency(MWF) == (3, 7)
    assert loop_score_series([DONE] * 3, 7, 7) == loop_score_series([DONE] * 3, 1, 1)


def test_non_daily_strength_uses_doubled_window() -> None:
    # Like Loop, 3/7 uses 6 check-ins over 14 days: one check-in scores (1 - m) / 6.
    m = 0.5 ** (math.sqrt(3 / 7) / 13)
    assert strength(hist(THREE_X, TODAY, [TODAY]), TODAY) == pytest.approx(
        0.005717219714356, abs=1e-12
    )
    assert (1 - m) / 6 == pytest.approx(0.005717219714356, abs=1e-12)
    # Weekday habits count any day like Loop does: Mon done, Tue and Wed keep 1/6 of target.
    mwf = hist(MWF, MON, [MON])
    assert strength(mwf, TODAY) == pytest.approx(0.016570027873669, abs=1e-12)
    assert strength(hist(THREE_X, MON, [MON]), TODAY) == strength(mwf, TODAY)


def test_non_daily_skip_freezes_score() -> None:
    history = hist(THREE_X, ago(3), [ago(3), ago(2)], [ago(1), TODAY])
    series = strength_series(history, TODAY)
    assert series[1] == series[2] == series[3] > series[0] > 0


def test_perfect_weekday_habit_converges_to_one() -> None:
    start = week(60, 0)
    done = [
        start + timedelta(days=i) for i in range(60 * 7 + 3) if (start + timedelta(i)).weekday() < 5
    ]
    history = hist(Schedule.parse("weekdays"), start, done)
    assert strength(history, TODAY) == pytest.approx(1.0, abs=1e-6)


def test_strength_before_start() -> None:
    assert strength_series(hist(DAILY, ago(-2)), TODAY) == []
    assert strength(hist(DAILY, ago(-2)), TODAY) == 0.0


def test_loop_score_series_rejects_bad_frequency() -> None:
    with pytest.raises(ValueError):
        loop_score_series([DONE], 0, 7)


# --- completion rates ---------------------------------------------------------------------


def test_daily_completion_rate() -> None:
    history = hist(DAILY, ago(40), [ago(n) for n in (1, 2, 3, 5, 6)])  # ago(4) missed
    assert completion_rate(history, TODAY, 7) == pytest.approx(5 / 6)
    assert completion_rate(history, TODAY, 30) == pytest.approx(5 / 29)
    done_today = hist(DAILY, ago(40), [ago(n) for n in (0, 1, 2, 3, 5, 6)])
    assert completion_rate(done_today, TODAY, 7) == pytest.approx(6 / 7)


def test_daily_completion_rate_excludes_skips() -> None:
    history = hist(DAILY, ago(40), [ago(n) for n in (1, 2, 3, 5, 6)], [ago(4)])
    assert completion_rate(history, TODAY, 7) == 1.0
    skipped_today = hist(DAILY, ago(40), [ago(n) for n in (1, 2, 3, 5, 6)], [TODAY])
    assert completion_rate(skipped_today, TODAY, 7) == pytest.approx(5 / 6)


def test_completion_rate_window_starts_at_start() -> None:
    history = hist(DAILY, ago(2), [ago(3), ago(2)])  # ago(3) is before the start
    assert completion_rate(history, TODAY, 7) == 0.5
    assert completion_rate(history, TODAY, 30) == 0.5


def test_completion_rate_none_when_nothing_due() -> None:
    assert completion_rate(hist(DAILY, TODAY), TODAY, 7) is None
    assert completion_rate(hist(DAILY, TODAY, [TODAY]), TODAY, 7) == 1.0
    assert completion_rate(hist(DAILY, ago(-3)), TODAY, 7) is None
    assert completion_rate(hist(THREE_X, TODAY), TODAY, 7) is None
    assert completion_rate(hist(DAILY, ago(2), skipped=[ago(2), ago(1)]), TODAY, 7) is None
    with pytest.raises(ValueError):
        completion_rate(hist(DAILY, ago(2)), TODAY, 0)


def test_weekday_completion_rate() -> None:
    # Window Thu 6 .. Wed 12 March: due Fri 7 and Mon 10 (Wed 12 is today and open).
    history = hist(MWF, week(2, 0), [week(1, 4), week(1, 5)])  # Fri done, bonus Saturday
    assert completion_rate(history, TODAY, 7) == 0.5


def test_weekly_completion_rate() -> None:
    history = hist(THREE_X, ago(40), [ago(1), ago(3)])
    # Six counted days (today open): expected 3 * 6 / 7.
    assert completion_rate(history, TODAY, 7) == pytest.approx(2 / (18 / 7))
    with_skip = hist(THREE_X, ago(40), [ago(1), ago(3)], [ago(6)])
    assert completion_rate(with_skip, TODAY, 7) == pytest.approx(2 / (15 / 7))
    with_today = hist(THREE_X, ago(40), [ago(1), ago(3), TODAY])
    assert completion_rate(with_today, TODAY, 7) == 1.0
    busy = hist(THREE_X, ago(40), [ago(n) for n in range(1, 6)])
    assert completion_rate(busy, TODAY, 7) == 1.0
    assert completion_rate(busy, TODAY, 30) == pytest.approx(5 / (3 * 29 / 7))


# --- compute_stats ------------------------------------------------------------------------


def test_compute_stats() -> None:
    done = [ago(n) for n in range(7, 15)] + [ago(n) for n in range(1, 6)]  # ago(6) missed
    stats = compute_stats(hist(DAILY, ago(14), [*done, ago(20), ago(-1)]), TODAY)
    m = 0.5 ** (1 / 13)
    expected_strength = ((1 - m**8) * m * m**5 + (1 - m**5)) * m
    assert (stats.current_streak, stats.best_streak, stats.streak_unit) == (5, 8, "days")
    assert stats.strength == pytest.approx(expected_strength, abs=1e-12)
    assert stats.strength == pytest.approx(0.460945325281373, abs=1e-12)
    assert stats.done_total == 13  # the entries before the start and in the future do not count
    assert stats.rate_7 == pytest.approx(5 / 6)
    assert stats.rate_30 == pytest.approx(13 / 14)
    with pytest.raises(dataclasses.FrozenInstanceError):
        stats.current_streak = 1  # type: ignore[misc]


def test_compute_stats_weekly_and_before_start() -> None:
    stats = compute_stats(hist(THREE_X, week(3, 0), [*mwf_weeks(3, 2, 1), MON]), TODAY)
    assert (stats.current_streak, stats.best_streak, stats.streak_unit) == (3, 3, "weeks")
    assert stats.done_total == 10
    assert compute_stats(hist(DAILY, ago(-1)), TODAY) == HabitStats(
        0, 0, "days", 0.0, 0, None, None
    )


def test_compute_stats_over_five_years() -> None:
    # Every 13th day is missed, every 11th skipped.
    # (Speed is measured by bench/bench_stats.py, never by a timed test.)
    start = TODAY - timedelta(days=5 * 365)
    entries = {
        start + timedelta(days=i): (SKIPPED if i % 11 == 0 else DONE)
        for i in range(5 * 365 + 1)
        if i % 13 != 0
    }
    history = HabitHistory(DAILY, start, entries)
    stats = compute_stats(history, TODAY)
    assert stats.best_streak == 11  # a run of 12 days always holds one skipped (11th) day
    assert stats.current_streak == 5  # day 1825 is the 5th day after the miss on day 1820
    assert stats.done_total == sum(1 for s in entries.values() if s is DONE)
