"""Per-person limits hold under concurrent requests (PostgreSQL: many connections at once).

Before the row lock, 80 concurrent /newhabit requests of one person made more than 50 habits,
with duplicate positions. Each limit is now counted under a lock on the person's row.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Request
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import GroupMember, Habit, Message
from core.groups.service import MAX_GROUPS
from core.habits.archive import MAX_ACTIVE_HABITS
from core.social.learnings import MAX_PER_DAY
from tests.support.bots import make_bot

ALICE = Person("telegram", "1", "Alice", "alice")
DM = Chat("telegram", "1", ChatKind.PRIVATE)


async def all_at_once(bot: HabitLinkBot, requests: list[Request]) -> list[str]:
    responses = await asyncio.gather(*(bot.handle(r) for r in requests))
    return ["\n".join(r.text.plain() for r in resp.replies) for resp in responses]


async def count(db: Database, stmt: object) -> int:
    async with db.session() as session:
        return int(await session.scalar(stmt) or 0)  # type: ignore[call-overload]


async def test_concurrent_habit_creation_stops_at_the_limit(
    pg_database: Database, clock: SettableClock
) -> None:
    bot = make_bot(pg_database, clock)
    await bot.handle(Request.from_text(ALICE, DM, "/timezone UTC"))  # Alice exists
    requests = [Request.from_text(ALICE, DM, f"/newhabit Habit {i}") for i in range(80)]
    replies = await all_at_once(bot, requests)
    created = [r for r in replies if r.startswith("Created ")]
    refused = [r for r in replies if r.startswith(f"You already have {MAX_ACTIVE_HABITS} habits")]
    assert (len(created), len(refused)) == (MAX_ACTIVE_HABITS, 80 - MAX_ACTIVE_HABITS)
    async with pg_database.session() as session:
        positions = list(await session.scalars(select(Habit.position).order_by(Habit.position)))
    assert positions == list(range(1, MAX_ACTIVE_HABITS + 1))  # no position twice


async def test_concurrent_group_creation_stops_at_the_limit(
    pg_database: Database, clock: SettableClock
) -> None:
    bot = make_bot(pg_database, clock)
    await bot.handle(Request.from_text(ALICE, DM, "/timezone UTC"))
    chats = [Chat("telegram", f"-{100 + i}", ChatKind.GROUP) for i in range(MAX_GROUPS + 15)]
    replies = await all_at_once(
        bot, [Request.from_text(ALICE, chat, f"/newgroup G{i}") for i, chat in enumerate(chats)]
    )
    refused = f"You are already in {MAX_GROUPS} groups."
    assert sum(r.startswith("Created the group") for r in replies) == MAX_GROUPS
    assert sum(r.startswith(refused) for r in replies) == 15
    assert await count(pg_database, select(func.count()).select_from(GroupMember)) == MAX_GROUPS


async def test_concurrent_learnings_stop_at_the_daily_limit(
    pg_database: Database, clock: SettableClock
) -> None:
    bot = make_bot(pg_database, clock)
    chat = Chat("telegram", "-5", ChatKind.GROUP, "Runners")
    await bot.handle(Request.from_text(ALICE, chat, "/newgroup Runners"))
    requests = [Request.from_text(ALICE, chat, f"/learn Tip number {i}") for i in range(35)]
    replies = await all_at_once(bot, requests)
    assert sum("shared a learning" in r for r in replies) == MAX_PER_DAY
    assert sum(r.startswith(f"That makes more than {MAX_PER_DAY}") for r in replies) == 15
    assert await count(pg_database, select(func.count()).select_from(Message)) == MAX_PER_DAY
