"""Where a group lives: the platform and title of its chat, so two groups of one name can be
told apart in lists and summaries (bot.group_names renders it).

`place_columns` are two correlated subqueries on the group's first chat, added to a query that
selects from groups: the list stays one statement, with no query per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, select

from core.db.models import Group, GroupChat


@dataclass(frozen=True)
class Place:
    """The platform ('telegram') and the title of a group's chat; None when unknown."""

    platform: str | None = None
    title: str | None = None


NOWHERE = Place()


def place_columns() -> tuple[ScalarSelect[Any], ScalarSelect[Any]]:
    """The platform and the title of the group's first chat, for a query on groups."""
    return _first_chats(GroupChat.platform), _first_chats(GroupChat.title)


def _first_chats(column: Any) -> ScalarSelect[Any]:
    return (
        select(column)
        .where(GroupChat.group_id == Group.id)
        .order_by(GroupChat.id)
        .limit(1)
        .scalar_subquery()
    )
