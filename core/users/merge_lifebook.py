"""The Lifebook in an account merge (core/users/merge.py): one book of both, and the absorbed
habits' goal links following their goals into it.

The survivor's book comes first: its vision (the absorbed one's only when it has none), its
values, identity and domains, then the absorbed book's that it lacks (as many as a book holds),
its goals, then the absorbed goals it lacks. A goal of the same words in both books is one goal.
An absorbed goal gets an id past every id either book gave, so an old goal button of either
account never names another goal; the absorbed habits' links go to the goal's id in the merged
book, and a link to a goal that did not come along (erased before, or over the limit) is
dropped rather than left to name whichever goal has its old id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Habit
from core.lifebook.model import (
    MAX_DOMAINS,
    MAX_GOAL_ID,
    MAX_GOALS,
    MAX_IDENTITIES,
    MAX_VALUES,
    Lifebook,
    goal_key,
    stored_counter,
    upgrade,
)
from core.lifebook.service import serves_goal

NO_SYNC = {"synchronize_session": False}
GOAL_LINK = serves_goal("")  # "goal:": how a habit's link to a goal starts


@dataclass
class BookMerge:
    """`book`: the survivor's Lifebook to store (None: it stays as it is); `links`: each of the
    absorbed book's goal links ("goal:g2") to its link in the merged book, or None; `left_out`:
    absorbed goals that did not fit (a book holds MAX_GOALS)."""

    book: dict[str, Any] | None
    links: dict[str, str | None] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)


def merge_books(mine: dict[str, Any] | None, theirs: dict[str, Any] | None) -> BookMerge:
    ours, other = upgrade(mine), upgrade(theirs)
    if other.is_empty:
        return BookMerge(None)
    next_id = max(stored_counter(mine), stored_counter(theirs), ours.next_goal, other.next_goal)
    goals = list(ours.goals)
    ids = {goal_key(goal.text): goal.id for goal in goals}
    merge = BookMerge(None)
    for goal in other.goals:
        same = ids.get(goal_key(goal.text))
        if same is None and (len(goals) >= MAX_GOALS or next_id > MAX_GOAL_ID):
            merge.links[serves_goal(goal.id)] = None
            merge.left_out.append(goal.text)
            continue
        if same is None:
            same = f"g{next_id}"
            next_id += 1
            goals.append(goal.model_copy(update={"id": same}))
            ids[goal_key(goal.text)] = same
        merge.links[serves_goal(goal.id)] = serves_goal(same)
    merged = ours.model_copy(
        update={
            "vision": ours.vision or other.vision,
            "values": _union(ours.values, other.values, MAX_VALUES),
            "identity": _union(ours.identity, other.identity, MAX_IDENTITIES),
            "domains": _union(ours.domains, other.domains, MAX_DOMAINS),
            "goals": tuple(goals),
            "next_goal": next_id,
            # a book never written takes the other's choice with its words
            "ai_allowed": other.ai_allowed if ours.is_empty else ours.ai_allowed,
        }
    )
    if _content(merged) != _content(ours):
        merge.book = merged.to_storage()
    return merge


async def relink_goals(session: AsyncSession, absorbed_id: int, merge: BookMerge) -> None:
    """Before the absorbed habits move: their goal links name the merged book's goals."""
    links = {old: new for old, new in merge.links.items() if new != old}
    kept = [old for old, new in merge.links.items() if new == old]
    stale = Habit.serves.startswith(GOAL_LINK, autoescape=True)
    if kept:
        stale = stale & Habit.serves.not_in(kept)
    value: Any = case(links, value=Habit.serves, else_=None) if links else None
    await session.execute(
        update(Habit)
        .where(Habit.user_id == absorbed_id, stale)
        .values(serves=value)
        .execution_options(**NO_SYNC)
    )


def _union(first: tuple[str, ...], second: tuple[str, ...], limit: int) -> tuple[str, ...]:
    seen = {item.lower() for item in first}
    out = list(first)
    for item in second:
        if len(out) >= limit:
            break
        if item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return tuple(out)


def _content(book: Lifebook) -> dict[str, Any]:
    return book.model_dump(exclude={"next_goal"})
