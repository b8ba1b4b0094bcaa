"""IANA time zone names: resolve what a person typed, or suggest the closest names.

An offset (`UTC+2`, `GMT-5`, `+05:30`) is read as the offset it says: a whole hour becomes the
fixed zone `Etc/GMT-2` (IANA's `Etc` names have the sign turned round, so `Etc/GMT-5` is UTC+5,
and are never offered as suggestions), shown as `UTC+2`; an offset no `Etc` zone has (`+05:30`)
gets the places that use it as suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo, available_timezones

from core.errors import NotFound
from core.text import shorten
from core.timezone_cities import CITIES
from core.timezone_countries import country_zones, shared_places
from core.timezone_words import AFTER, clock_places, clock_shown, clock_what, clock_zone

_ALIASES = {"utc": "UTC", "z": "UTC"}  # GMT is London's clock in winter: timezone_words
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+\-\u2212])\s*(\d{1,2})(?:[:.h]?(\d{2}))?", re.IGNORECASE)
_ETC = re.compile(r"Etc/GMT([+-])(\d{1,2})")
# Two days a year apart from daylight saving in either hemisphere: a place "uses" an offset
# when it is its offset on one of them (its standard or its summer time).
_SEASONS = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))


_NOT_PLACES = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")


# Old names whose link the compiled data takes straight to another country's zone with the same
# clock (Truk to Port Moresby): the place the old name was renamed to instead.
_FLATTENED = {
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Yap": "Pacific/Chuuk",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Africa/Timbuktu": "Africa/Bamako",
    "Africa/Asmera": "Africa/Asmara",
    "Atlantic/Jan_Mayen": "Arctic/Longyearbyen",
    "America/Coral_Harbour": "America/Atikokan",
    "America/Virgin": "America/St_Thomas",
    "Antarctica/South_Pole": "Antarctica/McMurdo",
}


@cache
def _renamed() -> dict[str, str]:
    """An old or other name of a place -> the place's zone (Asia/Calcutta -> Asia/Kolkata,
    Europe/Kiev -> Europe/Kyiv, US/Eastern -> America/New_York): the tz database's links whose
    own name is no place of zone.tab, which lists each country's places. A link that is a place
    (Europe/Oslo, which keeps Berlin's clock) stays itself."""
    try:
        data = files("tzdata").joinpath("zoneinfo")
        table = data.joinpath("zone.tab").read_text(encoding="utf-8")
        source = data.joinpath("tzdata.zi").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):  # pragma: no cover - tzdata is a dependency
        return {}
    places = {
        fields[2] for line in table.splitlines() if (fields := line.split("\t"))[0][:1] != "#"
    }
    links = {
        fields[2]: fields[1]
        for line in source.splitlines()
        if line.startswith("L ") and len(fields := line.split()) == 3
    }
    renamed: dict[str, str] = {}
    for name, target in links.items():
        for _ in range(4):  # a link to a link (never deeper in practice)
            target = links.get(target, target)
        target = _FLATTENED.get(name, target)
        if name not in places and target in places:
            renamed[name] = target
    return renamed


@cache
def _zones() -> dict[str, str]:
    """Lower-case key -> canonical name, for full names, for the city part and for cities no
    IANA name carries (Mumbai); an old name (Calcutta) leads to the place's current one."""
    renamed = _renamed()
    names = sorted(n for n in available_timezones() if "/" in n or n == "UTC")
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.lower(), renamed.get(name, name))
    for name in names:
        if name.startswith(_NOT_PLACES):
            continue
        city = name.rsplit("/", 1)[-1].lower()
        by_key.setdefault(city, renamed.get(name, name))
        by_key.setdefault(city.replace("_", " "), renamed.get(name, name))
    for city, name in CITIES.items():
        by_key.setdefault(city, name)
        by_key.setdefault(city.replace(" ", "_"), name)
    return by_key


def _key(text: str) -> str:
    """What a person typed as a key of `_zones`: lower case, accents dropped (IANA and the city
    list write São Paulo as Sao_Paulo, Zürich as Zurich), spaces as underscores."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace(" ", "_")


def resolve_timezone(text: str) -> str:
    """'europe/berlin', 'Berlin', 'new york', 'São Paulo', 'PST', 'pacific time', 'london time',
    'korean time' -> the IANA name, or NotFound with suggestions (core/timezone_words.py reads
    clocks)."""
    return _resolve(text, " ".join(text.split()))


def _resolve(text: str, said: str) -> str:
    """resolve_timezone, its replies quoting what was `said` ('korea time', not 'korea')."""
    key = _key(text)
    if not key:
        raise NotFound("Tell me a time zone, for example Europe/Berlin.")
    if key in _ALIASES:
        return _ALIASES[key]
    clock = clock_zone(text)  # PST, pacific time: the place that keeps that clock
    if clock is not None:
        return clock[0]
    if places := clock_places(text):
        raise NotFound(
            f"{shorten(clock_shown(text))} is {clock_what(text)}; I go by the place, so summer"
            " time comes right.",
            list(places),
        )
    offset = _OFFSET.fullmatch(text.strip())
    if offset is not None:
        return _offset_zone(text.strip(), *offset.groups())
    if shared := shared_places(key):  # 'Samoa': before tzdata's old name for one of them
        clocks = [name for zones in shared for name in _distinct_clocks(zones)]
        raise NotFound(f"{shorten(said)} is the name of more than one place.", clocks)
    zones = _zones()
    for candidate in (key, key.replace("_", " ")):
        if candidate in zones:
            return zones[candidate]
    clocks = _distinct_clocks(country_zones(key))
    if len(clocks) == 1:
        return clocks[0]
    if clocks:
        raise NotFound(f"{shorten(said)} has several time zones.", clocks)
    place = " ".join(text.split())
    for after in AFTER:  # 'london time', 'korean time', 'india standard time'
        base = place[: -len(after) - 1]
        if place.lower().endswith(" " + after) and base.strip():
            try:
                return _resolve(base, said)
            except NotFound as exc:
                if exc.suggestions:
                    raise
    raise NotFound(
        f"I don't know the time zone {shorten(text.strip())!r}.", suggest_timezones(text[:64])
    )


def _distinct_clocks(names: tuple[str, ...]) -> list[str]:
    """The first of each group of zones keeping the same clock (Berlin, not also Busingen),
    from west to east."""
    seen: dict[tuple[int, ...], str] = {}
    for listed in names:
        name = _renamed().get(listed, listed)  # zone.tab may list an older name
        tz = ZoneInfo(name)
        seen.setdefault(tuple(_offset_seconds(day, tz) or 0 for day in _SEASONS), name)
    return [seen[clock] for clock in sorted(seen)]


def _offset_zone(typed: str, sign: str, hours_text: str, minutes_text: str | None) -> str:
    """`UTC+2` -> `Etc/GMT-2`; `+05:30` -> NotFound with the places on that offset."""
    hours, minutes = int(hours_text), int(minutes_text or 0)
    east = sign == "+"
    if minutes >= 60 or hours > 14 or (not east and hours > 12):
        raise NotFound(f"{shorten(typed)} is not an offset any place uses.")
    if minutes == 0:
        if hours == 0:
            return "UTC"
        return f"Etc/GMT{'-' if east else '+'}{hours}"  # IANA's Etc names turn the sign round
    seconds = (hours * 3600 + minutes * 60) * (1 if east else -1)
    places = _places_at(seconds)
    label = f"UTC{sign}{hours:02d}:{minutes:02d}"
    if not places:
        raise NotFound(f"No place I know keeps {label}.")
    raise NotFound(f"{label} is not a whole hour, so name the place.", places[:5])


@cache
def _places_at(seconds: int) -> list[str]:
    """Zones (with a city) whose standard or summer offset is `seconds` east of UTC."""
    found: list[str] = []
    for name in sorted(set(_zones().values())):
        if name.startswith(_NOT_PLACES) or "/" not in name:
            continue
        tz = ZoneInfo(name)
        if any(_offset_seconds(day, tz) == seconds for day in _SEASONS):
            found.append(name)
    return found


def _offset_seconds(day: datetime, tz: ZoneInfo) -> int | None:
    offset = day.astimezone(tz).utcoffset()
    return None if offset is None else int(offset.total_seconds())


def zone_label(name: str) -> str:
    """How a zone is shown: its IANA name, or `UTC+2` for IANA's `Etc/GMT-2`."""
    found = _ETC.fullmatch(name)
    if found is None:
        return name
    sign, hours = found.groups()
    return "UTC" if int(hours) == 0 else f"UTC{'-' if sign == '+' else '+'}{int(hours)}"


def is_fixed_offset(name: str) -> bool:
    return _ETC.fullmatch(name) is not None


def keeps_summer_time(name: str) -> bool:
    """Whether the zone's clock moves for summer (in either hemisphere)."""
    tz = ZoneInfo(name)
    return len({_offset_seconds(day, tz) for day in _SEASONS}) > 1


def suggest_timezones(text: str, limit: int = 5) -> list[str]:
    key = _key(text)
    zones = _zones()
    found: list[str] = []
    for match in difflib.get_close_matches(key, list(zones), n=limit * 3, cutoff=0.6):
        if match.startswith("etc/"):
            continue  # Etc/GMT-5 is UTC+5: offered for 'GMT-5' it would mislead
        name = zones[match]
        if name not in found:
            found.append(name)
    if len(found) < limit:
        for k, name in zones.items():
            if key and key in k and name not in found and not k.startswith("etc/"):
                found.append(name)
            if len(found) >= limit:
                break
    return found[:limit]


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
