"""IANA time zone names: resolve what a person typed, or suggest the closest names."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from core.errors import NotFound
from core.text import shorten

_ALIASES = {"utc": "UTC", "gmt": "UTC", "z": "UTC"}


@cache
def _zones() -> dict[str, str]:
    """Lower-case key -> canonical name, for full names and for the city part."""
    names = sorted(n for n in available_timezones() if "/" in n or n == "UTC")
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.lower(), name)
    for name in names:
        if name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")):
            continue
        city = name.rsplit("/", 1)[-1].lower()
        by_key.setdefault(city, name)
        by_key.setdefault(city.replace("_", " "), name)
    return by_key


def resolve_timezone(text: str) -> str:
    """'europe/berlin', 'Berlin', 'new york' -> the IANA name, or NotFound with suggestions."""
    key = text.strip().lower().replace(" ", "_")
    if not key:
        raise NotFound("Tell me a time zone, for example Europe/Berlin.")
    if key in _ALIASES:
        return _ALIASES[key]
    zones = _zones()
    for candidate in (key, key.replace("_", " ")):
        if candidate in zones:
            return zones[candidate]
    raise NotFound(
        f"I don't know the time zone {shorten(text.strip())!r}.", suggest_timezones(text[:64])
    )


def suggest_timezones(text: str, limit: int = 5) -> list[str]:
    key = text.strip().lower().replace(" ", "_")
    zones = _zones()
    found: list[str] = []
    for match in difflib.get_close_matches(key, list(zones), n=limit * 3, cutoff=0.6):
        name = zones[match]
        if name not in found:
            found.append(name)
    if len(found) < limit:
        for k, name in zones.items():
            if key and key in k and name not in found:
                found.append(name)
            if len(found) >= limit:
                break
    return found[:limit]


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
