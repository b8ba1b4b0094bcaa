"""When a reminder's local time happens, in UTC, across daylight-saving changes (pure functions).

The zones: Europe/Berlin and America/New_York (one-hour shifts), Australia/Lord_Howe (a 30-minute
shift) and Asia/Kolkata (no DST). Transitions in 2026:
  Berlin     spring 03-29 02:00 -> 03:00 (01:00Z)   autumn 10-25 03:00 -> 02:00 (01:00Z)
  New York   spring 03-08 02:00 -> 03:00 (07:00Z)   autumn 11-01 02:00 -> 01:00 (06:00Z)
  Lord Howe  spring 10-04 02:00 -> 02:30 (15:30Z)   autumn 04-05 02:00 -> 01:30 (15:00Z)
The same rules are exercised end to end through the Producer in tests/integration/test_producer.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.db.models import UserSettings
from core.notify.producer import in_quiet_hours
from core.reminders.timing import (
    ALL_DAYS,
    local_instant,
    next_occurrence,
    next_weekly,
    weekday_allowed,
)

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
LORD_HOWE, KOLKATA = "Australia/Lord_Howe", "Asia/Kolkata"
MON, WED, FRI, SUN = 0, 2, 4, 6


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def chain(at: time, zone: str, start: datetime, count: int, mask: int = ALL_DAYS) -> list[str]:
    """The next `count` occurrences after `start`, each from the previous one (as the producer
    advances a reminder), as UTC "MM-DD HH:MM" in 2026."""
    found: list[str] = []
    after = start
    for _ in range(count):
        after = next_occurrence(at, ZoneInfo(zone), after, mask)
        found.append(after.strftime("%m-%d %H:%M"))
    return found


def z(text: str) -> datetime:
    """ "03-28 06:30" -> 2026-03-28 06:30 UTC."""
    return utc(f"2026-{text.replace(' ', 'T')}")


def local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


# --- 07:30 stays 07:30 ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "first_day", "expected"),
    [
        (BERLIN, date(2026, 3, 28), ["03-28 06:30", "03-29 05:30", "03-30 05:30"]),
        (BERLIN, date(2026, 10, 24), ["10-24 05:30", "10-25 06:30", "10-26 06:30"]),
        (NEW_YORK, date(2026, 3, 7), ["03-07 12:30", "03-08 11:30", "03-09 11:30"]),
        (NEW_YORK, date(2026, 10, 31), ["10-31 11:30", "11-01 12:30", "11-02 12:30"]),
        (LORD_HOWE, date(2026, 4, 4), ["04-03 20:30", "04-04 21:00", "04-05 21:00"]),
        (LORD_HOWE, date(2026, 10, 3), ["10-02 21:00", "10-03 20:30", "10-04 20:30"]),
        (KOLKATA, date(2026, 3, 28), ["03-28 02:00", "03-29 02:00", "03-30 02:00"]),
        (KOLKATA, date(2026, 10, 24), ["10-24 02:00", "10-25 02:00", "10-26 02:00"]),
    ],
)
def test_0730_stays_0730_local_across_the_change(
    zone: str, first_day: date, expected: list[str]
) -> None:
    start = local_midnight(first_day, zone)
    assert chain(time(7, 30), zone, start, 3) == expected
    for instant in expected:
        local = z(instant).astimezone(ZoneInfo(zone))
        assert local.strftime("%H:%M") == "07:30"
    days = [first_day + timedelta(days=i) for i in range(3)]
    assert [local_instant(d, time(7, 30), ZoneInfo(zone)) for d in days] == [z(e) for e in expected]


def test_0730_is_0730_on_every_day_of_the_year() -> None:
    for zone in (BERLIN, NEW_YORK, LORD_HOWE, KOLKATA):
        tz = ZoneInfo(zone)
        day = date(2026, 1, 1)
        while day.year == 2026:
            local = local_instant(day, time(7, 30), tz).astimezone(tz)
            assert (local.date(), local.time()) == (day, time(7, 30)), (zone, day)
            day += timedelta(days=1)


# --- the spring-forward gap ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "day", "at", "fires_utc", "fires_local"),
    [
        (BERLIN, date(2026, 3, 29), time(2, 30), "2026-03-29T01:00", "03:00"),
        (BERLIN, date(2026, 3, 29), time(2, 0), "2026-03-29T01:00", "03:00"),
        (BERLIN, date(2026, 3, 29), time(2, 59), "2026-03-29T01:00", "03:00"),
        (BERLIN, date(2026, 3, 29), time(3, 0), "2026-03-29T01:00", "03:00"),
        (BERLIN, date(2026, 3, 29), time(1, 59), "2026-03-29T00:59", "01:59"),
        (NEW_YORK, date(2026, 3, 8), time(2, 15), "2026-03-08T07:00", "03:00"),
        (NEW_YORK, date(2026, 3, 8), time(1, 59), "2026-03-08T06:59", "01:59"),
        (LORD_HOWE, date(2026, 10, 4), time(2, 15), "2026-10-03T15:30", "02:30"),
        (LORD_HOWE, date(2026, 10, 4), time(2, 0), "2026-10-03T15:30", "02:30"),
        (LORD_HOWE, date(2026, 10, 4), time(2, 29), "2026-10-03T15:30", "02:30"),
        (LORD_HOWE, date(2026, 10, 4), time(2, 30), "2026-10-03T15:30", "02:30"),
        (LORD_HOWE, date(2026, 10, 4), time(1, 59), "2026-10-03T15:29", "01:59"),
    ],
)
def test_a_time_in_the_gap_fires_at_the_first_valid_minute_after(
    zone: str, day: date, at: time, fires_utc: str, fires_local: str
) -> None:
    tz = ZoneInfo(zone)
    instant = local_instant(day, at, tz)
    assert instant == utc(fires_utc)
    assert instant.astimezone(tz).strftime("%Y-%m-%d %H:%M") == f"{day} {fires_local}"


@pytest.mark.parametrize(
    ("zone", "first_day", "at", "expected"),
    [
        (BERLIN, date(2026, 3, 28), time(2, 30), ["03-28 01:30", "03-29 01:00", "03-30 00:30"]),
        (NEW_YORK, date(2026, 3, 7), time(2, 15), ["03-07 07:15", "03-08 07:00", "03-09 06:15"]),
        (LORD_HOWE, date(2026, 10, 3), time(2, 15), ["10-02 15:45", "10-03 15:30", "10-04 15:15"]),
    ],
)
def test_the_gap_day_fires_once_and_the_next_day_is_normal(
    zone: str, first_day: date, at: time, expected: list[str]
) -> None:
    assert chain(at, zone, local_midnight(first_day, zone), 3) == expected


# --- the autumn fold: an ambiguous time fires once -----------------------------------------
@pytest.mark.parametrize(
    ("zone", "first_day", "at", "expected", "second_pass"),
    [
        # 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET); only the first fires.
        (
            BERLIN,
            date(2026, 10, 24),
            time(2, 30),
            ["10-24 00:30", "10-25 00:30", "10-26 01:30"],
            "10-25 01:30",
        ),
        (
            NEW_YORK,
            date(2026, 10, 31),
            time(1, 30),
            ["10-31 05:30", "11-01 05:30", "11-02 06:30"],
            "11-01 06:30",
        ),
        (
            LORD_HOWE,
            date(2026, 4, 4),
            time(1, 45),
            ["04-03 14:45", "04-04 14:45", "04-05 15:15"],
            "04-04 15:15",
        ),
    ],
)
def test_an_ambiguous_time_fires_exactly_once(
    zone: str, first_day: date, at: time, expected: list[str], second_pass: str
) -> None:
    tz = ZoneInfo(zone)
    assert chain(at, zone, local_midnight(first_day, zone), 3) == expected
    # The wall clock really shows that time twice on the middle day ...
    twice = z(second_pass).astimezone(tz)
    first = z(expected[1]).astimezone(tz)
    assert twice.time() == first.time() == at and twice.date() == first.date()
    assert twice.utcoffset() != first.utcoffset()
    # ... and asked between the two passes, or at the second, the answer is the next day.
    for after in (z(expected[1]) + timedelta(minutes=1), z(second_pass)):
        assert next_occurrence(at, tz, after) == z(expected[2])


# --- every minute of every transition day, against a brute-force oracle ---------------------
@pytest.mark.parametrize(
    ("zone", "day"),
    [
        (BERLIN, date(2026, 3, 29)),
        (BERLIN, date(2026, 10, 25)),
        (NEW_YORK, date(2026, 3, 8)),
        (NEW_YORK, date(2026, 11, 1)),
        (LORD_HOWE, date(2026, 4, 5)),
        (LORD_HOWE, date(2026, 10, 4)),
        (KOLKATA, date(2026, 3, 29)),
    ],
)
def test_every_minute_of_a_transition_day(zone: str, day: date) -> None:
    """local_instant(day, t) is the first UTC minute whose wall clock reads t or later: an
    existing time at its (first) occurrence, a time in the gap at the gap's end."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day - timedelta(days=1), time(12), tzinfo=UTC)
    minutes = [start + timedelta(minutes=i) for i in range(4 * 24 * 60)]
    walls = [m.astimezone(tz).replace(tzinfo=None) for m in minutes]
    i = 0
    gaps = folds = 0
    for minute in range(24 * 60):
        wall = datetime.combine(day, time(minute // 60, minute % 60))
        while walls[i] < wall:
            i += 1
        got = local_instant(day, wall.time(), tz)
        assert got == minutes[i], wall
        gaps += walls[i] != wall
        folds += walls.count(wall) == 2
    expected = {
        (BERLIN, 3): (60, 0),
        (BERLIN, 10): (0, 60),
        (NEW_YORK, 3): (60, 0),
        (NEW_YORK, 11): (0, 60),
        (LORD_HOWE, 4): (0, 30),
        (LORD_HOWE, 10): (30, 0),
        (KOLKATA, 3): (0, 0),
    }[(zone, day.month)]
    assert (gaps, folds) == expected


# --- strictly after, weekdays, weekly summaries ---------------------------------------------
def test_next_occurrence_is_strictly_after() -> None:
    tz = ZoneInfo(BERLIN)
    at = utc("2026-03-24T06:30")  # Tue 07:30 CET
    assert next_occurrence(time(7, 30), tz, at - timedelta(seconds=1)) == at
    assert next_occurrence(time(7, 30), tz, at) == utc("2026-03-25T06:30")
    # Late in the local evening, already the next day in UTC terms for an eastern zone.
    tokyo = ZoneInfo("Asia/Tokyo")
    assert next_occurrence(time(0, 10), tokyo, utc("2026-03-23T15:05")) == utc("2026-03-23T15:10")


def test_weekday_masks() -> None:
    tz = ZoneInfo(BERLIN)
    mon_wed_fri = (1 << MON) | (1 << WED) | (1 << FRI)
    start = utc("2026-03-23T09:00")  # Monday, after 07:30 local
    assert chain(time(7, 30), BERLIN, start, 4, mon_wed_fri) == [
        "03-25 06:30",  # Wed
        "03-27 06:30",  # Fri
        "03-30 05:30",  # Mon, after the switch to CEST
        "04-01 05:30",  # Wed
    ]
    assert chain(time(7, 30), BERLIN, start, 2, 1 << SUN) == [
        "03-29 05:30",
        "04-05 05:30",
    ]
    assert weekday_allowed(mon_wed_fri, date(2026, 3, 25))  # a Wednesday
    assert not weekday_allowed(mon_wed_fri, date(2026, 3, 24))
    for bad in (0, 1 << 7):
        with pytest.raises(ValueError, match="at least one weekday"):
            next_occurrence(time(7, 30), tz, start, bad)


def test_weekly_summary_time_follows_local_sunday_1800() -> None:
    berlin = ZoneInfo(BERLIN)
    assert next_weekly(SUN, 18, berlin, utc("2026-03-16T09:00")) == utc("2026-03-22T17:00")
    assert next_weekly(SUN, 18, berlin, utc("2026-03-23T09:00")) == utc("2026-03-29T16:00")
    assert next_weekly(SUN, 18, berlin, utc("2026-03-29T16:00")) == utc("2026-04-05T16:00")
    assert next_weekly(SUN, 18, ZoneInfo(KOLKATA), utc("2026-03-23T09:00")) == utc(
        "2026-03-29T12:30"
    )
    assert next_weekly(MON, 7, ZoneInfo(NEW_YORK), utc("2026-03-23T09:00")) == utc(
        "2026-03-23T11:00"
    )


# --- quiet hours ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "end", "quiet"),
    [
        (22, 7, {22, 23, 0, 1, 2, 3, 4, 5, 6}),  # wraps midnight; the end hour is not quiet
        (13, 15, {13, 14}),
        (0, 6, {0, 1, 2, 3, 4, 5}),
        (23, 0, {23}),
        (None, None, set()),
        (8, 8, set()),  # an empty range, not the whole day
    ],
)
def test_quiet_hours(start: int | None, end: int | None, quiet: set[int]) -> None:
    settings = UserSettings(quiet_start=start, quiet_end=end)
    assert {h for h in range(24) if in_quiet_hours(settings, h)} == quiet
