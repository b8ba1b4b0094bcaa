"""A group's name, as people type it: spaces tidied, not empty, not too long."""

from __future__ import annotations

from core.errors import InvalidInput

NAME_MAX = 64


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidInput("Give the group a name, for example /newgroup Morning Runners.")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"That name is too long (at most {NAME_MAX} characters).")
    return name
