"""A day written in a way /done, /skip and /undo do not read ('3/3', '22.03.2026', 'march 22',
'21st'): it is taken as part of the habit's name, which then matches nothing. Said as the day it
is, instead of "I can't find a habit called 'read 3/3'" with a button that would check the habit
in for today, not the day they meant.

Only reached when a habit was not found (never on a check-in's way), and only when the words
before the date name one of the habits that were offered instead.
"""

from __future__ import annotations

import calendar
import re

from bot.commands import Kind
from bot.messages import Request, Rich, command, rich
from bot.router import Router
from core.errors import NotFound
from core.habits.matching import match_title

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


def misread_day(exc: NotFound, request: Request, router: Router) -> Rich | None:
    """The reply for a habit not found because a day's words were read into its name, or None."""
    cmd = router.commands.get(request.command or "")
    if cmd is None or request.options is not None or request.button is not None:
        return None
    kinds = [p.kind for p in cmd.params]
    if Kind.DAY not in kinds or Kind.HABIT not in kinds or not exc.choices:
        return None
    words = exc.typed.split()
    n = _date_words(words)
    if not n or n == len(words):
        return None
    habit_words = " ".join(words[:-n])
    if match_title(habit_words, [c.title for c in exc.choices]).found is None:
        return None
    said = " ".join(words[-n:])
    return rich(
        said,
        " is not a day I can read. Name the day as today, yesterday, a weekday (mon), "
        "-2 (two days ago) or YYYY-MM-DD, up to 7 days back: ",
        command(cmd.name, f"{habit_words} yesterday", as_code=False),
        ".",
    )
