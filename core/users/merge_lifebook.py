"""The Lifebook in an account merge (core/users/merge.py): which book the survivor keeps, and
goal ids that go on counting past both books'."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Habit
from core.lifebook.model import MAX_GOAL_ID, stored_counter, upgrade
from core.lifebook.service import serves_goal

NO_SYNC = {"synchronize_session": False}


async def renumber_goals(
    session: AsyncSession, mine: dict[str, Any], theirs: dict[str, Any]
) -> None:
    """When the survivor's empty (or erased) Lifebook is to take the absorbed one whole, its
    goals get ids past both books' counters, and the absorbed habits' links follow: an old
    goal button of either account then names no goal of the merged book."""
    book, other = mine["lifebook"] or {}, theirs["lifebook"] or {}
    goals = other.get("goals")
    if not upgrade(book).is_empty or upgrade(other).is_empty or not isinstance(goals, list):
        return
    start = max(stored_counter(book), stored_counter(other))
    mapping: dict[str, str] = {}
    renumbered: list[Any] = []
    for item in goals:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            new_id = f"g{start + len(mapping)}"
            mapping[serves_goal(item["id"])] = serves_goal(new_id)
            item = {**item, "id": new_id}
        renumbered.append(item)
    if not mapping or start + len(mapping) > MAX_GOAL_ID:
        return
    theirs["lifebook"] = {**other, "goals": renumbered, "next_goal": start + len(mapping)}
    await session.execute(
        update(Habit)
        .where(Habit.user_id == theirs["id"], Habit.serves.in_(list(mapping)))
        .values(serves=case(mapping, value=Habit.serves))
        .execution_options(**NO_SYNC)
    )


def merged_lifebook(
    mine: dict[str, Any] | None, theirs: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The survivor's Lifebook with the absorbed one's; None: the survivor's stays as it is.

    An empty one (never written, or erased) takes the other's whole; otherwise the entries the
    survivor lacks are added. Goal ids go on counting past every id either book gave, so an
    old button for an erased goal never names a goal of the merged book."""
    book, other = dict(mine or {}), dict(theirs or {})
    if upgrade(other).is_empty:
        return None
    if upgrade(book).is_empty:
        merged = other
    else:
        extra = {k: v for k, v in other.items() if k not in book}
        if not extra:
            return None
        merged = {**book, **extra}
    if "goals" in merged or "next_goal" in merged:
        merged["next_goal"] = max(stored_counter(book), stored_counter(merged))
    return merged
