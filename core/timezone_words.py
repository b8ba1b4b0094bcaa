"""Words people use for a clock rather than a place: abbreviations (PST, CET) and spoken names
(pacific time, eastern, central european time).

A word whose clock one place stands for is read as that place's zone, which knows when summer
time starts: PST and PDT are America/Los_Angeles, never IANA's legacy zones named `PST8PDT` or
`EST` (the latter a fixed UTC-5 all year). EST is read as US Eastern time although Panama and
Jamaica keep it too: the reply says how the word was read, so someone there names their city.
A word several clocks share (IST: India, Israel, Ireland; CST: the US and China; MST: Denver,
and Arizona without summer time; GMT: the UK in winter, Iceland and West Africa all year) gets
its places offered instead.
"""

from __future__ import annotations

from typing import Final

# Each zone a word may be read as, with how the reply names that clock.
_LABELS: Final[dict[str, str]] = {
    "America/New_York": "US Eastern time",
    "America/Chicago": "US Central time",
    "America/Denver": "US Mountain time",
    "America/Los_Angeles": "US Pacific time",
    "America/Anchorage": "Alaska time",
    "Pacific/Honolulu": "Hawaii time",
    "America/Halifax": "Atlantic time",
    "Europe/London": "UK time",
    "Europe/Lisbon": "Western European time",
    "Europe/Berlin": "Central European time",
    "Europe/Athens": "Eastern European time",
    "Europe/Moscow": "Moscow time",
    "Africa/Johannesburg": "South Africa time",
    "Asia/Karachi": "Pakistan time",
    "Asia/Hong_Kong": "Hong Kong time",
    "Asia/Singapore": "Singapore time",
    "Asia/Tokyo": "Japan time",
    "Asia/Seoul": "Korea time",
    "Australia/Perth": "Western Australia time",
    "Australia/Adelaide": "Australian Central time",
    "Australia/Sydney": "Australian Eastern time",
    "Pacific/Auckland": "New Zealand time",
}

# Abbreviations, and POSIX names IANA keeps as legacy zones (EST5EDT), read as one place.
_ONE_PLACE: Final[dict[str, str]] = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "est5edt": "America/New_York",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "cst6cdt": "America/Chicago",
    "mdt": "America/Denver",
    "mst7mdt": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "pst8pdt": "America/Los_Angeles",
    "akst": "America/Anchorage",
    "akdt": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "adt": "America/Halifax",
    "bst": "Europe/London",
    "wet": "Europe/Lisbon",
    "west": "Europe/Lisbon",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "met": "Europe/Berlin",
    "eest": "Europe/Athens",
    "msk": "Europe/Moscow",
    "sast": "Africa/Johannesburg",
    "pkt": "Asia/Karachi",
    "hkt": "Asia/Hong_Kong",
    "sgt": "Asia/Singapore",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "awst": "Australia/Perth",
    "acdt": "Australia/Adelaide",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "mountain daylight": "America/Denver",  # Arizona keeps no daylight time
    "atlantic daylight": "America/Halifax",
}

# Spoken names of a clock, also with 'time', 'standard time', 'daylight time' after them.
_SPOKEN: Final[dict[str, str]] = {
    "eastern": "America/New_York",
    "us eastern": "America/New_York",
    "central": "America/Chicago",
    "us central": "America/Chicago",
    "pacific": "America/Los_Angeles",
    "us pacific": "America/Los_Angeles",
    "us mountain": "America/Denver",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "western european": "Europe/Lisbon",
    "central european": "Europe/Berlin",
    "central europe": "Europe/Berlin",
    "british": "Europe/London",
}

# GMT: the UK keeps it in winter, Iceland and West Africa all year.
_GMT: Final = ("Europe/London", "Atlantic/Reykjavik", "Africa/Accra")

# Words for a clock that places with different summer rules keep: those places are offered.
_SHARED: Final[dict[str, tuple[str, ...]]] = {
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "cst": ("America/Chicago", "America/Mexico_City", "Asia/Shanghai"),
    "mst": ("America/Denver", "America/Phoenix"),
    "mt": ("America/Denver", "America/Phoenix"),
    "mountain": ("America/Denver", "America/Phoenix"),
    "ast": ("America/Halifax", "America/Puerto_Rico", "Asia/Riyadh"),
    "atlantic": ("America/Halifax", "America/Puerto_Rico"),
    "eet": ("Europe/Athens", "Europe/Kyiv", "Africa/Cairo"),
    "eastern european": ("Europe/Athens", "Europe/Kyiv", "Africa/Cairo"),
    "aest": ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane"),
    "acst": ("Australia/Adelaide", "Australia/Darwin"),
    # The UK's clock in winter (BST in summer), and Iceland's and West Africa's all year: GMT
    # set UTC, and a Londoner lost summer time. UTC itself is `UTC`.
    "gmt": _GMT,
    "greenwich mean": _GMT,
    "greenwich": _GMT,
}

# What the reply says a shared word is, where its places' names alone would not tell.
_WHAT: Final[dict[str, str]] = dict.fromkeys(
    ("gmt", "greenwich mean", "greenwich"),
    "the UK's clock in winter (BST in summer) and Iceland's and West Africa's all year",
)

AFTER: Final = ("standard time", "daylight time", "summer time", "time")


def _words(text: str) -> str:
    """Lower case, dots dropped (p.s.t.), words by single spaces."""
    return " ".join(text.lower().replace(".", " ").replace("_", " ").split())


def _key(text: str) -> str:
    """The word as typed, or its spoken name without 'time' after it ('pacific time' ->
    'pacific'); an abbreviation's letters run together ('p s t' -> 'pst')."""
    words = _words(text)
    if len(words.replace(" ", "")) <= 7 and all(len(w) == 1 for w in words.split()):
        return words.replace(" ", "")
    return words


def _spoken(words: str) -> str:
    """'eastern standard time' -> 'eastern' when the rest names a clock, else ''."""
    for after in AFTER:
        if words.endswith(" " + after):
            base = words[: -len(after) - 1]
            if base in _SPOKEN or base in _SHARED:
                return base
    return words if words in _SPOKEN else ""


def clock_zone(text: str) -> tuple[str, str] | None:
    """The zone a clock's word stands for and how to name that clock ('PST' ->
    ('America/Los_Angeles', 'US Pacific time')), or None."""
    key = _key(text)
    zone = _ONE_PLACE.get(key) or _SPOKEN.get(_spoken(key))
    if zone is None and key.endswith(" time"):
        zone = _ONE_PLACE.get(key.removesuffix(" time"))  # 'mountain daylight time'
    return None if zone is None else (zone, _LABELS[zone])


def clock_places(text: str) -> tuple[str, ...]:
    """The places keeping a clock that word names for several (IST), or none."""
    key = _key(text)
    return _SHARED.get(key) or _SHARED.get(_spoken(key), ())


def clock_what(text: str) -> str:
    """What a word several clocks share is, for the reply offering its places."""
    key = _key(text)
    return _WHAT.get(key) or _WHAT.get(_spoken(key), "a clock several places keep")


def clock_shown(text: str) -> str:
    """How a reply quotes the word: an abbreviation in capitals (PST), a name as typed."""
    key = _key(text)
    short = " " not in key and (key in _ONE_PLACE or (key in _SHARED and len(key) <= 4))
    return key.upper() if short else " ".join(text.split())
