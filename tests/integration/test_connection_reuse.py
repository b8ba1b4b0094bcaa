"""Bursts of requests reuse the database's pooled connections: once the first burst has opened
what it needs, the next opens none (on SQLite each connection is also an aiosqlite thread, and
its PRAGMAs; on PostgreSQL a log-in)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event

from bot.dispatcher import HANDLING_AT_ONCE, HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Request
from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from tests.support.bots import make_bot

PEOPLE = [Person("console", f"p{i}", f"Person {i}") for i in range(20)]


async def burst(bot: HabitLinkBot, text: str) -> None:
    def request(person: Person) -> Request:
        return Request.from_text(person, Chat("console", person.id, ChatKind.PRIVATE), text)

    responses = await asyncio.gather(*(bot.handle(request(p)) for p in PEOPLE))
    assert all(r.replies and "couldn't" not in r.replies[0].text.plain() for r in responses)


async def test_a_second_burst_opens_no_connection(
    database: Database, clock: SettableClock, media: LocalMediaStore
) -> None:
    # Nobody goes ahead without a place, however slow a loaded machine makes the requests.
    bot = make_bot(database, clock, media=media, place_wait=60.0)
    opened: list[Any] = []
    event.listen(database.engine.sync_engine, "connect", lambda conn, _: opened.append(conn))
    await burst(bot, "/newhabit Read")
    first = len(opened)
    assert 0 < first <= HANDLING_AT_ONCE
    for _ in range(3):
        await burst(bot, "/done read")
        await burst(bot, "/habits")
    assert len(opened) == first
