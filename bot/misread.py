"""Words of a day or a time that the command's parameter does not read, taken as part of the
habit's name, which then matches nothing. Said as the day or time they are, instead of "I can't
find a habit called 'read 3/3'" with a button (or a typed pick, bot/handlers/pick.py) that would
act on the habit for today, or at another time, than the one meant:

- a day written in a way /done, /skip and /undo do not read ('3/3', '22.03.2026', 'march 22',
  '21st'), or said before the habit ('/done yesterday run');
- a count of days that is no day to check in: ahead ('/done read +1', said to be in the future)
  or a bare 0 ('/done read 0': -0 and today read as today);
- a count of days back written another way ('--3', '-3d', '–3' with a phone's dash, '- 3',
  '-1.5'), given as the -N that works;
- a bare number after the habit ('/done read 3'): three days back or the 3rd, it can't tell;
- a day's word a typo away from one ('yesterdy', 'last tusday'), or days back said in words
  ('2 days ago'), given as the day that works;
- a time written as an hour and one digit of minutes ('/remind read 12 3'): /remind reads
  '12 30' and a bare hour ('7'), so '12 3' was the habit 'read 12' at 03:00;
- a time said before the habit ('/remind 7pm read') or with no habit ('/remind 7:30'), which
  was taken for the habit's name, so the time was said to be missing.

Only reached when a habit was not found (never on a check-in's way), and only when the words
before the day or the hour name one of the habits that were offered instead. A day given in an
option of its own (Discord's day:) that does not read gets the same help (misread_day_option),
its examples written as options.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.commands import Command, Kind, Param
from bot.messages import Request, Rich, Span, command, rich
from bot.router import Router
from bot.views import plural
from core.days import MAX_DAYS_BACK, day_words
from core.errors import NotFound
from core.habits.matching import fold, match_title
from core.reminders.service import reads_as_days


def misread(exc: NotFound, request: Request, router: Router) -> Rich | None:
    """What to say for a habit not found because a day's or a time's words were read into its
    name, or None when that is not what happened."""
    cmd = router.commands.get(request.command or "")
    if cmd is None or request.options is not None or request.button is not None:
        return None  # typed words only: options and presses put no day or hour in a name
    if not exc.choices:
        return None
    return misread_day(exc, cmd) or misread_time(exc, cmd, request.args)


def _offered(habit_words: str, exc: NotFound) -> bool:
    """Whether the words before the day or the hour name one of the habits offered instead."""
    return match_title(habit_words, [c.title for c in exc.choices]).found is not None


def _offered_without(day: list[str], habit_words: str, exc: NotFound) -> bool:
    """Whether the words after the day name an offered habit whose name has no word of the
    day: '/done mon meeting' with "Monday meeting" is a typo of its name, not a day first."""
    titles = [c.title for c in exc.choices]
    found = match_title(habit_words, titles).found
    return found is not None and not any(fold(w) in fold(titles[found]) for w in day)


_NUMERIC = re.compile(r"\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?\.?")  # 3/3, 22.03.2026, 2026/3/22
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)\.?")  # 21st
_DAY_NUMBER = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\.?")  # 22, 21st, 22.
_MONTHS = frozenset(
    {m.lower() for name in calendar.month_name[1:] for m in (name, name[:3])} | {"sept"}
)


def _date_words(words: list[str]) -> int:
    """How many of the last words write a date the day parameter does not read (0: none)."""
    folded = [w.lower().rstrip(",") for w in words[-2:]]
    if not folded:
        return 0
    last, before = folded[-1], (folded[0] if len(folded) == 2 else "")
    if _NUMERIC.fullmatch(last) or _ORDINAL.fullmatch(last):
        return 2 if before in _MONTHS else 1  # 'march 21st' or '21st'
    if before in _MONTHS and _DAY_NUMBER.fullmatch(last):
        return 2  # 'march 22'
    if last in _MONTHS and _DAY_NUMBER.fullmatch(before):
        return 2  # '22 march'
    return 0


@dataclass(frozen=True)
class _Said:
    """How the habit and the day came: typed in one line (the habit is the words before the day
    when they name an offered habit) or as options (the habit is the habit option's words)."""

    cmd: Command
    names_habit: Callable[[str], bool]
    options: bool = False

    def example(self, habit_words: str, day: str = "") -> Span:
        """The command with this habit and day, as they are given: '/done read -3', or
        '/done habit:read day:-3' where options are (Discord shows its own command's name)."""
        if not self.options:
            return command(self.cmd.name, f"{habit_words} {day}".strip(), as_code=False)
        habit, when = (_param(self.cmd, k) for k in (Kind.HABIT, Kind.DAY))
        args = f"{habit}:{habit_words}" + (f" {when}:{day}" if day else "")
        return command(self.cmd.name, args, as_code=False)


def _param(cmd: Command, kind: Kind) -> str:
    return next(p.name for p in cmd.params if p.kind is kind)


def _habit_and_day(cmd: Command) -> bool:
    kinds = [p.kind for p in cmd.params]
    return Kind.DAY in kinds and Kind.HABIT in kinds


def misread_day(exc: NotFound, cmd: Command) -> Rich | None:
    """The reply for a habit not found because a day's words were read into its name, or None."""
    if not _habit_and_day(cmd):
        return None
    words = exc.typed.split()
    first = day_words(words)  # '/done yesterday run': the day said first
    if 0 < first < len(words) and _offered_without(words[:first], " ".join(words[first:]), exc):
        moved = f"{' '.join(words[first:])} {' '.join(words[:first])}"
        return rich("The day goes after the habit: ", command(cmd.name, moved, as_code=False), ".")
    return _day_reply(words, _Said(cmd, lambda habit_words: _offered(habit_words, exc)))


def misread_day_option(cmd: Command, param: Param, options: Mapping[str, str]) -> Rich | None:
    """The reply for a day option that does not read as a day ('--3', '+1', '3/3'), the help
    typed words get, or None when it is no such slip (then the day's own refusal stands)."""
    if param.kind is not Kind.DAY or not _habit_and_day(cmd):
        return None
    habit, day = options.get(_param(cmd, Kind.HABIT), ""), options.get(param.name, "")
    if not habit.split():
        return None
    habit_words = " ".join(habit.split())
    said = _Said(cmd, lambda words: words == habit_words, options=True)
    return _day_reply([*habit_words.split(), *day.split()], said)


def _day_reply(words: list[str], said: _Said) -> Rich | None:
    """What to say for the habit's words followed by a day's that do not read as one."""
    offset = (
        _offset(words, said)
        or _days_back(words, said)
        or _bare_number(words, said)
        or _misspelt_day(words, said)
    )
    if offset is not None:
        return offset
    n = _date_words(words)
    if not n or n == len(words):
        return None
    habit_words = " ".join(words[:-n])
    if not said.names_habit(habit_words):
        return None
    return rich(
        " ".join(words[-n:]),
        " is not a day I can read. Name the day as today, yesterday, a weekday (mon), "
        "-2 (two days ago) or YYYY-MM-DD, up to 7 days back: ",
        said.example(habit_words, "yesterday"),
        ".",
    )


_AHEAD = re.compile(r"\+\d{1,3}")  # +1: days ahead, as -1 is a day back
_ZERO = re.compile(r"\+?0{1,3}")  # 0 days back (-0 reads as today)


def _offset(words: list[str], told: _Said) -> Rich | None:
    """The reply for a count of days after the habit that is no day to check in: ahead (+1)
    or a bare 0; None otherwise."""
    said = words[-1] if len(words) > 1 else ""
    ahead = bool(_AHEAD.fullmatch(said)) and int(said) > 0
    if not (ahead or _ZERO.fullmatch(said)):
        return None
    habit_words = " ".join(words[:-1])
    if not told.names_habit(habit_words):
        return None
    if ahead:
        return rich(
            f"{said} is a day in the future: you can check in today or up to {MAX_DAYS_BACK} "
            "days back (",
            told.example(habit_words, "-2"),
            " is two days ago).",
        )
    return rich(
        f"{said} is not a day I can read: for today send ",
        told.example(habit_words),
        f", for a day back -1 (yesterday) up to -{MAX_DAYS_BACK}.",
    )


# Days back written otherwise than -3: '--3', '-3d', '-3 days', '–3' or '−3' (a phone's dash,
# the minus sign), '- 3' as two words, '-3.' with a full stop, or in words: '3 days ago';
# '-1.5' has no whole count.
_DASHES = "-‐‑‒–—−"
_DAYS_BACK = re.compile(
    rf"[{_DASHES}]+ ?(\d{{1,3}}) ?(?:d|days?)?[.,!]?|(\d{{1,3}}) ?(?:d|days?) ago[.,!]?"
    rf"|[{_DASHES}]+ ?\d+[.,]\d+[.,!]?",
    re.IGNORECASE,
)


def _days_back(words: list[str], told: _Said) -> Rich | None:
    """The reply for a count of days back after the habit written in a way the day parameter
    does not read ('/done read --3'), with the -N that works; None otherwise."""
    for n in (1, 2, 3):  # '-3d', or '- 3' and '-3 days' as two words, '3 days ago' as three
        said = " ".join(words[-n:])
        found = _DAYS_BACK.fullmatch(said) if len(words) > n else None
        if found is not None:
            break
    else:
        return None
    habit_words = " ".join(words[:-n])
    if not told.names_habit(habit_words):
        return None
    count = found.group(1) or found.group(2)
    days = int(count) if count else None
    lead = f"{said} is not a day I can read: "
    if days == 0:
        return rich(lead + "for today send ", told.example(habit_words), ".")
    if days is None or days > MAX_DAYS_BACK:
        return rich(
            lead + "for a day back send ",
            told.example(habit_words, "-1"),
            f" (yesterday), up to -{MAX_DAYS_BACK}.",
        )
    return rich(
        lead + f"for {plural(days, 'day')} ago send ",
        told.example(habit_words, f"-{days}"),
        f" (days back go up to -{MAX_DAYS_BACK}).",
    )


_DAY_NAMES = ("today", "yesterday", "tomorrow", *(d.lower() for d in calendar.day_name))
_TYPO_LIKENESS = 0.8  # 'yesterdy', 'mondy', 'tusday', 'tomorow'; not 'monkey' or 'study'


def _misspelt_day(words: list[str], told: _Said) -> Rich | None:
    """The reply for a day's word a typo away after the habit ('/done read yesterdy', 'last
    tusday'), with the day it is like, or that tomorrow is no day to check in; None otherwise."""
    typo = words[-1].rstrip(".,!").lower() if len(words) > 1 else ""
    if len(typo) < 4 or not typo.isalpha():
        return None
    close = difflib.get_close_matches(typo, _DAY_NAMES, n=1, cutoff=_TYPO_LIKENESS)
    if not close:
        return None
    meant = close[0]
    lead = words[-2].lower() if len(words) > 2 and meant in _DAY_NAMES[3:] else ""
    n = 2 if lead in ("on", "last") else 1
    habit_words, said = " ".join(words[:-n]), " ".join(words[-n:])
    if not told.names_habit(habit_words):
        return None
    if meant == "tomorrow":
        return rich(
            f"{said} is not a day I can read, and tomorrow is in the future: you can check in "
            f"today or up to {MAX_DAYS_BACK} days back (",
            told.example(habit_words, "-2"),
            " is two days ago).",
        )
    day = f"{lead} {meant}" if n == 2 else meant
    return rich(
        f"{said} is not a day I can read. Did you mean ", told.example(habit_words, day), "?"
    )


_BARE = re.compile(r"\d{1,2}")  # 3: three days ago (-3) or the 3rd?


def _bare_number(words: list[str], told: _Said) -> Rich | None:
    """The reply for a bare number after the habit ('/done read 3'), which could be days back
    or a day of the month; None otherwise. A habit named so ("Read 3") was found before."""
    said = words[-1] if len(words) > 1 else ""
    if not _BARE.fullmatch(said) or not 1 <= int(said) <= 31:
        return None
    habit_words = " ".join(words[:-1])
    if not told.names_habit(habit_words):
        return None
    n = int(said)
    suffix = "th" if 11 <= n <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    days = plural(n, "day")
    unclear = f"I can't tell whether {n} means {days} ago or the {n}{suffix}. "
    as_date = told.example(habit_words, "YYYY-MM-DD")
    if n > MAX_DAYS_BACK:
        return rich(
            unclear + f"You can check in up to {MAX_DAYS_BACK} days back (",
            told.example(habit_words, "-2"),
            " is two days ago); for a date, write it as ",
            as_date,
            ".",
        )
    return rich(
        unclear + f"For {days} ago send ",
        told.example(habit_words, f"-{n}"),
        "; for a date, write it as ",
        as_date,
        f" (up to {MAX_DAYS_BACK} days back).",
    )


def misread_time(exc: NotFound, cmd: Command, args: str) -> Rich | None:
    """The reply for a habit not found because an hour was read into its name, or None."""
    if Kind.TIME not in [p.kind for p in cmd.params]:
        return None
    typed = exc.typed.split()
    words = args.split()
    after = words[len(typed) : len(typed) + 1]
    if len(typed) < 2 or words[: len(typed)] != typed or not after:
        return None
    hour, minutes = typed[-1], after[0]
    if not (hour.isdecimal() and len(hour) <= 2 and minutes.isdecimal() and len(minutes) == 1):
        return None
    habit_words = " ".join(typed[:-1])
    if not _offered(habit_words, exc):
        return None
    spaced = f"{int(hour):02d}:0{minutes}"
    return rich(
        f"{hour} {minutes}",
        " is not a time I can read: write the minutes with two digits, as in ",
        command(cmd.name, f"{habit_words} {spaced}", as_code=False),
        f" or {int(hour):02d}:{minutes}0.",
    )


_SHORT_MINUTES = re.compile(r"(\d{1,2})[.,:](\d)")  # 7.5, 19,2, 7:5


def short_minutes(command_name: str, words: list[str]) -> str | None:
    """What to say for a time written with one digit after the point ('/remind run 7.5'),
    which the time parameter does not read, so it was taken into the habit's name and the
    time was missing: 7.5 may be 7:05 or half past 7. None when no word after the first is
    one followed by days or nothing."""
    for i, word in enumerate(words[1:], 1):
        match = _SHORT_MINUTES.fullmatch(word)
        if match is None or int(match.group(1)) > 23 or not reads_as_days(words[i + 1 :]):
            continue  # '/remind run 7.5 km': a name with a number in it
        hour, digit = int(match.group(1)), match.group(2)
        tenths = "30" if digit == "5" else f"{digit}0"  # 7.5: half past seven
        before, after = " ".join(words[:i]), "".join(f" {w}" for w in words[i + 1 :])
        return (
            f"{word} is not a time I can read ({hour}:0{digit}? {hour}:{tenths}?): write the "
            f"minutes with two digits, as in /{command_name} {before} {hour:02d}:{tenths}{after}"
            f" or /{command_name} {before} {hour:02d}:0{digit}{after}."
        )
    return None


def time_first(cmd: Command, words: list[str], time_words: int) -> str | None:
    """What to say when the words begin with a time (`time_words` of them, 0: they don't) that
    was read as the habit's name: the habit goes before it ('/remind 7pm read'), or is
    missing ('/remind 7:30'); None otherwise."""
    if not time_words:
        return None
    said, rest = " ".join(words[:time_words]), words[time_words:]
    at = next(i for i in range(len(rest) + 1) if reads_as_days(rest[i:]))  # the days after it
    days = "".join(f" {w}" for w in rest[at:])
    if not at:
        return f"Which habit? Name it before the time: /{cmd.name} HABIT {said}{days}"
    habit = " ".join(rest[:at])
    return f"The time goes after the habit: /{cmd.name} {habit} {said}{days}"
