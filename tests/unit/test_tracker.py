from datetime import date, timedelta

from core.habits.history import CheckinStatus, DayMark, HabitHistory
from core.habits.schedule import Schedule
from core.habits.tracker import day_mark, week_marks

DONE, SKIPPED = CheckinStatus.DONE, CheckinStatus.SKIPPED
TODAY = date(2025, 3, 12)  # a Wednesday
MON = date(2025, 3, 10)


def day(offset: int) -> date:
    """A date relative to the Monday of the current week (0 = Mon 10 March 2025)."""
    return MON + timedelta(days=offset)


def test_daily_marks() -> None:
    history = HabitHistory(
        Schedule.daily(),
        start=day(-3),  # Friday of last week
        entries={day(-3): DONE, day(-1): SKIPPED, day(0): DONE, day(4): DONE},
    )
    assert day_mark(history, day(-4), TODAY) is DayMark.BEFORE_START
    assert day_mark(history, day(-3), TODAY) is DayMark.DONE
    assert day_mark(history, day(-2), TODAY) is DayMark.MISSED
    assert day_mark(history, day(-1), TODAY) is DayMark.SKIPPED
    assert day_mark(history, day(0), TODAY) is DayMark.DONE
    assert day_mark(history, day(1), TODAY) is DayMark.MISSED
    assert day_mark(history, day(2), TODAY) is DayMark.PENDING
    assert day_mark(history, day(3), TODAY) is DayMark.FUTURE
    # An entry in the future is still shown as the future.
    assert day_mark(history, day(4), TODAY) is DayMark.FUTURE


def test_before_start_wins_over_an_entry() -> None:
    history = HabitHistory(Schedule.daily(), start=day(1), entries={day(0): DONE})
    assert day_mark(history, day(0), TODAY) is DayMark.BEFORE_START


def test_today_done_or_skipped() -> None:
    done = HabitHistory(Schedule.daily(), start=day(0), entries={TODAY: DONE})
    skipped = HabitHistory(Schedule.daily(), start=day(0), entries={TODAY: SKIPPED})
    assert day_mark(done, TODAY, TODAY) is DayMark.DONE
    assert day_mark(skipped, TODAY, TODAY) is DayMark.SKIPPED


def test_weekday_habit_week() -> None:
    history = HabitHistory(
        Schedule.parse("mon wed fri"),
        start=day(-7),
        entries={day(0): DONE, day(1): DONE},  # Tuesday is a bonus day
    )
    assert week_marks(history, MON, TODAY) == [
        DayMark.DONE,  # Mon
        DayMark.DONE,  # Tue, not scheduled but done
        DayMark.PENDING,  # Wed = today
        DayMark.FUTURE,
        DayMark.FUTURE,
        DayMark.FUTURE,
        DayMark.FUTURE,
    ]
    assert week_marks(history, day(-7), TODAY) == [
        DayMark.MISSED,
        DayMark.NOT_SCHEDULED,
        DayMark.MISSED,
        DayMark.NOT_SCHEDULED,
        DayMark.MISSED,
        DayMark.NOT_SCHEDULED,
        DayMark.NOT_SCHEDULED,
    ]


def test_not_scheduled_today() -> None:
    history = HabitHistory(Schedule.parse("mon fri"), start=day(-7))
    assert day_mark(history, TODAY, TODAY) is DayMark.NOT_SCHEDULED


def test_weekly_habit_is_open_never_missed() -> None:
    history = HabitHistory(
        Schedule.parse("3x"),
        start=day(-2),  # Saturday of last week
        entries={day(-1): DONE, day(0): SKIPPED},
    )
    assert week_marks(history, day(-7), TODAY) == [
        DayMark.BEFORE_START,
        DayMark.BEFORE_START,
        DayMark.BEFORE_START,
        DayMark.BEFORE_START,
        DayMark.BEFORE_START,
        DayMark.OPEN,  # Sat, past, not done
        DayMark.DONE,  # Sun
    ]
    assert week_marks(history, MON, TODAY) == [
        DayMark.SKIPPED,
        DayMark.OPEN,  # Tue, past
        DayMark.OPEN,  # Wed, today
        DayMark.FUTURE,
        DayMark.FUTURE,
        DayMark.FUTURE,
        DayMark.FUTURE,
    ]


def test_week_marks_moves_to_monday() -> None:
    history = HabitHistory(Schedule.daily(), start=day(-30))
    assert week_marks(history, TODAY, TODAY) == week_marks(history, MON, TODAY)
    assert len(week_marks(history, day(6), TODAY)) == 7
