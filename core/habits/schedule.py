"""When a habit is due: every day, on chosen weekdays, or N times a week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.text import shorten

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_ALIASES: dict[str, int] = {}
for _i, _name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
):
    for _alias in (_name, _name + "s", _name[:3], _name[:2]):  # 'on mondays': each Monday
        _WEEKDAY_ALIASES[_alias] = _i
_WEEKDAY_ALIASES["tues"] = 1
_WEEKDAY_ALIASES["thur"] = 3
_WEEKDAY_ALIASES["thurs"] = 3


class ScheduleKind(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    WEEKLY = "weekly"  # N times a week, on any days


class ScheduleError(ValueError):
    """The text does not describe a schedule; the message is safe to show a user."""


TOO_OFTEN = "A week has only 7 days, so a habit can be due up to 7× a week (7× is every day)."


class TooOften(ScheduleError):
    """How often, said as more than 7 times a week ('8x', '10 times a week')."""

    def __init__(self, times: int, *, weekly: bool) -> None:
        super().__init__(TOO_OFTEN)
        self.times = times  # 100 for any count of three digits or more
        self.weekly = weekly  # said with 'a week' ('9x a week'), not bare ('8x')


@dataclass(frozen=True)
class Schedule:
    kind: ScheduleKind = ScheduleKind.DAILY
    weekdays: frozenset[int] = frozenset()  # 0 = Monday ... 6 = Sunday, for WEEKDAYS
    times_per_week: int = 7  # for WEEKLY, 1..7

    def __post_init__(self) -> None:
        if self.kind is ScheduleKind.WEEKDAYS and not self.weekdays:
            raise ScheduleError("Choose at least one weekday.")
        if any(d < 0 or d > 6 for d in self.weekdays):
            raise ScheduleError("Weekdays run from Monday (0) to Sunday (6).")
        if self.kind is ScheduleKind.WEEKLY and not 1 <= self.times_per_week <= 7:
            raise ScheduleError("A weekly target is between 1 and 7 times a week.")

    @classmethod
    def daily(cls) -> Schedule:
        return cls(ScheduleKind.DAILY)

    @classmethod
    def on_weekdays(cls, days: frozenset[int] | set[int]) -> Schedule:
        days = frozenset(days)
        if len(days) == 7:
            return cls.daily()
        return cls(ScheduleKind.WEEKDAYS, weekdays=days)

    @classmethod
    def times_a_week(cls, n: int) -> Schedule:
        if n == 7:
            return cls.daily()
        return cls(ScheduleKind.WEEKLY, times_per_week=n)

    # --- storage -------------------------------------------------------------------------
    @property
    def weekday_mask(self) -> int:
        return sum(1 << d for d in self.weekdays)

    @classmethod
    def from_storage(cls, kind: str, weekday_mask: int, times_per_week: int) -> Schedule:
        k = ScheduleKind(kind)
        days = frozenset(d for d in range(7) if weekday_mask & (1 << d))
        return cls(
            k,
            weekdays=days if k is ScheduleKind.WEEKDAYS else frozenset(),
            times_per_week=times_per_week if k is ScheduleKind.WEEKLY else 7,
        )

    # --- meaning -------------------------------------------------------------------------
    def is_scheduled(self, day: date) -> bool:
        """True when the habit is due on that day (every day counts for N-times-a-week)."""
        if self.kind is ScheduleKind.WEEKDAYS:
            return day.weekday() in self.weekdays
        return True

    @property
    def frequency(self) -> float:
        """Scheduled repetitions per day (Loop Habit Tracker's f)."""
        if self.kind is ScheduleKind.DAILY:
            return 1.0
        if self.kind is ScheduleKind.WEEKDAYS:
            return len(self.weekdays) / 7
        return self.times_per_week / 7

    @property
    def per_week(self) -> int:
        """How many times a week the habit is due."""
        if self.kind is ScheduleKind.DAILY:
            return 7
        if self.kind is ScheduleKind.WEEKDAYS:
            return len(self.weekdays)
        return self.times_per_week

    def describe(self) -> str:
        if self.kind is ScheduleKind.DAILY:
            return "every day"
        if self.kind is ScheduleKind.WEEKDAYS:
            return ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))
        n = self.times_per_week
        return "once a week" if n == 1 else f"{n} times a week"

    def phrase(self) -> str:
        """`describe` as said in a sentence: 'every day', 'on weekdays', 'on Mon, Wed, Fri',
        '3 times a week' ("Created Read, on Mon, Wed, Fri.")."""
        if self.kind is not ScheduleKind.WEEKDAYS:
            return self.describe()
        days = set(self.weekdays)
        if days == {0, 1, 2, 3, 4}:
            return "on weekdays"
        if days == {5, 6}:
            return "on weekends"
        return f"on {self.describe()}"

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """Read 'daily', 'weekdays', 'weekends', 'mon wed fri', '3x', '3 times a week'."""
        t = text.strip().lower().replace("×", "x")  # '3× a week', as its button says
        if t in {"", "daily", "every day", "everyday", "each day", "7x"}:
            return cls.daily()
        if t in {"weekdays", "weekday", "workdays", "mon-fri"}:  # 'every weekday' too
            return cls.on_weekdays({0, 1, 2, 3, 4})
        if t in {"weekends", "weekend"}:
            return cls.on_weekdays({5, 6})
        m = re.fullmatch(r"(\d+)\s*(x|times?)?(\s*(a|per|/)\s*week)?", t)
        if m and (m.group(2) or m.group(3)):
            digits = m.group(1).lstrip("0") or "0"
            n = int(digits) if len(digits) <= 2 else 100
            if n > 7:
                raise TooOften(n, weekly=bool(m.group(3)))
            if n < 1:
                raise ScheduleError("A weekly target is between 1 and 7 times a week.")
            return cls.times_a_week(n)
        if t in {"once a week", "weekly"}:
            return cls.times_a_week(1)
        if t in {"twice a week", "twice weekly"}:
            return cls.times_a_week(2)
        words = [w for w in re.split(r"[\s,;/&+]+|\band\b", t) if w]  # mon, wed & fri
        days: set[int] = set()
        for w in words:
            if w not in _WEEKDAY_ALIASES:
                raise ScheduleError(
                    f"I can't read {shorten(text.strip())!r} as a schedule. Try 'daily', "
                    "'mon wed fri', 'weekdays' or '3x' (three times a week)."
                )
            days.add(_WEEKDAY_ALIASES[w])
        return cls.on_weekdays(days)


CONNECTORS = frozenset({"on", "every", "each"})  # 'Gym on weekdays': not the title's
MAX_SCHEDULE_WORDS = 16  # 'every mon, tue, wed and fri' is far shorter


def parse_said(text: str) -> Schedule:
    """A schedule as said after a title or in its own field: what `Schedule.parse` reads, or
    that with 'on', 'every' or 'each' before it ('on weekdays', 'every mon wed'). Nothing said
    is no schedule (ScheduleError), not a daily one."""
    words = text.split()
    if not words or len(words) > MAX_SCHEDULE_WORDS:
        raise ScheduleError(
            "I can't read that as a schedule. Try 'daily', 'mon wed fri', 'weekdays' or '3x'."
        )
    try:
        return Schedule.parse(" ".join(words))  # 'every day' is one already
    except ScheduleError:
        if len(words) > 1 and words[0].lower() in CONNECTORS:
            return Schedule.parse(" ".join(words[1:]))
        raise


def is_said_schedule(text: str) -> bool:
    try:
        parse_said(text)
    except ScheduleError:
        return False
    return True


# A bare count at the end of a one-line title up to this reads as how often ('Walk 8x', up to
# twice a day); above it as the habit's own count, reps ('Push ups 20x'), part of its name.
MOST_SAID_A_WEEK = 14


@dataclass(frozen=True)
class Overfull:
    """A one-line title whose last words ask for more than 7 times a week."""

    name: str  # the words before them ('Walk')
    said: str  # those words ('8x', '10 times a week')
    weekly: bool  # said with 'a week'


def overfull_ending(title: str) -> Overfull | None:
    """The last words of a one-line title (a word left before them) that say how often, more
    than 7 times a week: 'Walk 8x', 'Swim 10 times a week'; a bare count above
    MOST_SAID_A_WEEK ('Push ups 20x') is the name's, and 'Read 10 pages' says no schedule."""
    words = title.split()
    for k in range(min(len(words) - 1, 5), 0, -1):  # '8 times per week' is 4 words
        try:
            parse_said(" ".join(words[-k:]))
        except TooOften as exc:
            if exc.weekly or exc.times <= MOST_SAID_A_WEEK:
                return Overfull(" ".join(words[:-k]), " ".join(words[-k:]), exc.weekly)
        except ScheduleError:
            continue
    return None
