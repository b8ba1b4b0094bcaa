"""How a group is named where several are listed: two groups may share a name, so a list says
where each one lives (the platform and the title of its chat, core.groups.places), as a chat
user knows a group by its chat."""

from __future__ import annotations

from collections.abc import Sequence

from core.groups.places import Place
from core.text import shorten
from core.users.merge import platform_label

TITLE_CHARS = 32  # a chat's title in a list


def place_text(place: Place, name: str = "") -> str:
    """'Telegram “Morning Crew”', 'Discord #general'; the platform alone when the chat's title
    is the group's `name` (it says nothing more); '' when nothing is known."""
    if place.platform is None:
        return ""
    label = platform_label(place.platform)
    if not place.title or place.title.casefold() == name.casefold():
        return label
    title = shorten(place.title, TITLE_CHARS)
    return f"{label} #{title}" if place.platform == "discord" else f"{label} “{title}”"


def told_apart(groups: Sequence[tuple[str, Place]]) -> list[str]:
    """Each group's name, with where it lives in brackets when a group elsewhere has its name
    (one group listed twice is one place): 'Runners (Telegram “Morning Crew”)' and
    'Runners (Discord #general)'."""
    places: dict[str, set[Place]] = {}
    for name, place in groups:
        places.setdefault(name.casefold(), set()).add(place)
    named = []
    for name, place in groups:
        where = place_text(place, name) if len(places[name.casefold()]) > 1 else ""
        named.append(f"{name} ({where})" if where else name)
    return named
