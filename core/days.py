"""Which local day a person means: today, yesterday, a weekday name, -N or YYYY-MM-DD."""

from __future__ import annotations

import re
from datetime import date, timedelta

from core.errors import Code, InvalidInput
from core.text import shorten

MAX_DAYS_BACK = 7
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_LEADS = frozenset({"on", "last"})  # 'on monday', 'last tue'
_ANY = date(2000, 1, 3)  # a Monday, for telling whether words are a day at all


def _read_day(word: str, today: date) -> date | None:
    """The day a word names, or None when the word is not a day at all; a weekday may come
    after 'on' ('on monday': the last Monday, today included) or 'last' ('last monday': the
    Monday before today)."""
    w = " ".join(word.split()).lower()
    before, _, rest = w.partition(" ")
    if before in _LEADS and rest:
        day = _read_weekday(rest, today)
        return day - timedelta(days=7) if day == today and before == "last" else day
    if w in {"today", "tod"}:
        return today
    if w in {"tomorrow", "tmrw"}:
        return today + timedelta(days=1)
    if w in {"yesterday", "yday", "yest"}:
        return today - timedelta(days=1)
    if re.fullmatch(r"-\d+", w):
        if len(w[1:].lstrip("0")) > 3:  # -1000 and longer: too far back, no date to compute
            raise InvalidInput(
                f"{shorten(w, 12)} is more than {MAX_DAYS_BACK} days ago; check-ins go back one "
                "week at most."
            )
        return today - timedelta(days=int(w[1:]))
    if _ISO.fullmatch(w):
        y, m, d = (int(p) for p in w.split("-"))
        try:
            return date(y, m, d)
        except ValueError:
            raise InvalidInput(f"{word.strip()} is not a real date. Use YYYY-MM-DD.") from None
    return _read_weekday(w, today)


def _read_weekday(w: str, today: date) -> date | None:
    """'mon', 'monday': the last such day, today included."""
    if len(w) >= 3 and w.isalpha():
        for i, name in enumerate(_WEEKDAYS):
            if name.startswith(w):
                return today - timedelta(days=(today.weekday() - i) % 7)
    return None


def day_words(words: list[str]) -> int:
    """How many of these words name a day: one ('monday', '-2'), or two for a weekday after
    'on' or 'last' ('last tue'); 0 when they don't begin with one."""
    if len(words) >= 2 and words[0].lower() in _LEADS and looks_like_day(" ".join(words[:2])):
        return 2
    return 1 if words and looks_like_day(words[0]) else 0


def looks_like_day(word: str) -> bool:
    try:
        return _read_day(word, _ANY) is not None
    except InvalidInput:
        return True


def parse_day(text: str, today: date) -> date:
    """Read a day the user named and check it is within the last week and not in the future."""
    if not text.strip():
        return today
    day = _read_day(text, today)
    if day is None:
        raise InvalidInput(
            f"I can't read {shorten(text.strip())!r} as a day. Use today, yesterday, a weekday "
            "or a date like 2026-03-29."
        )
    return check_day(day, today)


def in_checkin_window(day: date, today: date) -> bool:
    """True for today and the days a check-in may still change (MAX_DAYS_BACK)."""
    return 0 <= (today - day).days <= MAX_DAYS_BACK


def check_day(day: date, today: date) -> date:
    if day > today:
        raise InvalidInput(
            f"{day.isoformat()} is in the future; you can only check in for today or earlier.",
            code=Code.DAY_IN_FUTURE,
            facts={"day": day},
        )
    if (today - day).days > MAX_DAYS_BACK:
        raise InvalidInput(
            f"{day.isoformat()} is more than {MAX_DAYS_BACK} days ago; "
            "check-ins go back one week at most.",
            code=Code.DAY_TOO_FAR_BACK,
            facts={"day": day, "limit": MAX_DAYS_BACK},
        )
    return day
