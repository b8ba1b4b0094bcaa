from datetime import date

import pytest

from core.habits.schedule import (
    Overfull,
    Schedule,
    ScheduleError,
    ScheduleKind,
    TooOften,
    overfull_ending,
)


@pytest.mark.parametrize("text", ["daily", "Daily", "  every day ", "everyday", "", "7x"])
def test_parse_daily(text: str) -> None:
    assert Schedule.parse(text) == Schedule(ScheduleKind.DAILY)


@pytest.mark.parametrize(
    "text",
    ["mon wed fri", "Mon, Wed, Fri", "monday wednesday friday", "mo/we/fr", "mon and wed fri"],
)
def test_parse_weekday_names(text: str) -> None:
    schedule = Schedule.parse(text)
    assert schedule.kind is ScheduleKind.WEEKDAYS
    assert schedule.weekdays == frozenset({0, 2, 4})
    assert schedule.describe() == "Mon, Wed, Fri"


def test_parse_weekdays_and_weekends() -> None:
    assert Schedule.parse("weekdays").weekdays == frozenset({0, 1, 2, 3, 4})
    assert Schedule.parse("workdays").weekdays == frozenset({0, 1, 2, 3, 4})
    assert Schedule.parse("weekends").weekdays == frozenset({5, 6})
    assert Schedule.parse("tues thurs").weekdays == frozenset({1, 3})


def test_all_seven_weekdays_is_daily() -> None:
    assert Schedule.parse("mon tue wed thu fri sat sun") == Schedule.daily()


@pytest.mark.parametrize(
    "text", ["3x", "3X", "3 x", "3 times a week", "3 times per week", "3/week", "3 a week"]
)
def test_parse_times_a_week(text: str) -> None:
    schedule = Schedule.parse(text)
    assert schedule.kind is ScheduleKind.WEEKLY
    assert schedule.times_per_week == 3
    assert schedule.describe() == "3 times a week"


@pytest.mark.parametrize("text", ["1x", "once a week", "weekly", "1 time a week"])
def test_parse_once_a_week(text: str) -> None:
    schedule = Schedule.parse(text)
    assert schedule == Schedule.times_a_week(1)
    assert schedule.describe() == "once a week"


@pytest.mark.parametrize("text", ["sometimes", "3", "mon funday", "every other day", "x3"])
def test_parse_rejects_gibberish_with_a_friendly_message(text: str) -> None:
    with pytest.raises(ScheduleError) as info:
        Schedule.parse(text)
    message = str(info.value)
    assert "'daily'" in message
    assert "'mon wed fri'" in message
    assert "'3x'" in message


def test_parse_rejects_out_of_range_weekly_targets() -> None:
    with pytest.raises(ScheduleError, match="between 1 and 7 times a week"):
        Schedule.parse("0x")
    for text in ("8x", "10 times a week", "100x", "9/week"):
        with pytest.raises(TooOften, match="A week has only 7 days"):
            Schedule.parse(text)


@pytest.mark.parametrize(
    ("title", "found"),
    [
        ("Walk 8x", Overfull("Walk", "8x", weekly=False)),
        ("Walk 14 times", Overfull("Walk", "14 times", weekly=False)),
        ("Swim 10 times a week", Overfull("Swim", "10 times a week", weekly=True)),
        ("Swim 20 times per week", Overfull("Swim", "20 times per week", weekly=True)),
        ("Push ups 20x", None),  # reps: the name's
        ("Read 10 pages", None),
        ("Run 3x", None),
        ("8x", None),  # a title keeps a word
    ],
)
def test_overfull_ending(title: str, found: Overfull | None) -> None:
    assert overfull_ending(title) == found


def test_schedule_error_is_a_value_error() -> None:
    assert issubclass(ScheduleError, ValueError)


def test_constructor_validation() -> None:
    with pytest.raises(ScheduleError, match="at least one weekday"):
        Schedule(ScheduleKind.WEEKDAYS)
    with pytest.raises(ScheduleError):
        Schedule(ScheduleKind.WEEKDAYS, weekdays=frozenset({7}))
    with pytest.raises(ScheduleError):
        Schedule.times_a_week(0)
    assert Schedule.times_a_week(7) == Schedule.daily()


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule.daily(),
        Schedule.on_weekdays({0, 2, 4}),
        Schedule.on_weekdays({5, 6}),
        Schedule.on_weekdays({6}),
        Schedule.times_a_week(1),
        Schedule.times_a_week(3),
        Schedule.times_a_week(6),
    ],
)
def test_storage_round_trip(schedule: Schedule) -> None:
    restored = Schedule.from_storage(
        schedule.kind.value, schedule.weekday_mask, schedule.times_per_week
    )
    assert restored == schedule


def test_storage_values() -> None:
    assert Schedule.parse("mon wed fri").weekday_mask == 0b10101
    assert Schedule.parse("weekends").weekday_mask == 0b1100000
    assert Schedule.daily().weekday_mask == 0
    weekly = Schedule.parse("3x")
    assert (weekly.kind.value, weekly.weekday_mask, weekly.times_per_week) == ("weekly", 0, 3)
    # Irrelevant stored fields are ignored for the kind.
    assert Schedule.from_storage("daily", 0b101, 3) == Schedule.daily()
    assert Schedule.from_storage("weekly", 0b101, 2) == Schedule.times_a_week(2)


def test_is_scheduled_frequency_and_per_week() -> None:
    monday, tuesday = date(2025, 3, 10), date(2025, 3, 11)
    mwf = Schedule.parse("mon wed fri")
    assert mwf.is_scheduled(monday)
    assert not mwf.is_scheduled(tuesday)
    assert Schedule.parse("3x").is_scheduled(tuesday)
    assert Schedule.daily().is_scheduled(tuesday)
    assert Schedule.daily().frequency == 1.0
    assert mwf.frequency == 3 / 7
    assert Schedule.parse("2x").frequency == 2 / 7
    assert (Schedule.daily().per_week, mwf.per_week, Schedule.parse("2x").per_week) == (7, 3, 2)
    assert Schedule.daily().describe() == "every day"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("daily", "every day"),
        ("mon wed fri", "on Mon, Wed, Fri"),
        ("weekdays", "on weekdays"),
        ("sat sun", "on weekends"),
        ("3x", "3 times a week"),
    ],
)
def test_a_schedule_in_a_sentence(text: str, said: str) -> None:
    assert Schedule.parse(text).phrase() == said
