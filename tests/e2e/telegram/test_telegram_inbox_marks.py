"""Each update is marked handled in the inbox once: with its effect when the bot layer handled
it, otherwise by the intake afterwards (issue 15: no second transaction per update)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, func, select

from core.db.engine import Database
from core.db.models import InboxUpdate
from tests.support.telegram import TelegramHarness


async def test_each_update_is_marked_handled_once(
    database: Database, telegram: TelegramHarness
) -> None:
    marks: list[str] = []

    def spy(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sql = " ".join(statement.split()).upper()
        if sql.startswith("UPDATE INBOX_UPDATES SET HANDLED_AT"):  # not "replies sent"
            marks.append(statement)

    fake = telegram.fake
    event.listen(database.engine.sync_engine, "before_cursor_execute", spy)
    try:
        await telegram.say("/newhabit Read")
        await telegram.say("/done Read")
        # A message the bot layer never sees (no text, no photo): the intake marks it.
        chat = fake.private_chat()
        message = {
            "message_id": 90_002,
            "date": 1_774_000_000,
            "chat": chat.to_api(),
            "from": fake.default_user.to_api(),
            "location": {"latitude": 52.5, "longitude": 13.4},
        }
        fake.inject({"message": message})
        for _ in range(100):  # until it is stored and marked (nothing is sent back for it)
            if await inbox(database) == (3, 0):
                break
            await asyncio.sleep(0.05)
        await telegram.adapter.settled()
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", spy)
    assert await inbox(database) == (3, 0)  # three stored, none left unhandled
    assert len(marks) == 3  # one mark per update, never a second after the effect's own


async def inbox(database: Database) -> tuple[int, int]:
    """(updates stored, of which not marked handled)."""
    async with database.session() as session:
        stored = await session.scalar(select(func.count()).select_from(InboxUpdate))
        unhandled = await session.scalar(
            select(func.count()).select_from(InboxUpdate).where(InboxUpdate.handled_at.is_(None))
        )
    return stored or 0, unhandled or 0


async def test_replies_sent_together_are_marked_sent_in_one_write(
    database: Database, telegram: TelegramHarness
) -> None:
    """Eight people write at once: their eight replies are marked sent in one UPDATE (or two,
    should the burst straddle the gathering window), not in one transaction each."""
    fake = telegram.fake
    people = [fake.new_user(f"Person{i}") for i in range(8)]
    for person in people:
        fake.private_chat(person)
    writes: list[str] = []

    def spy(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sql = " ".join(statement.split()).upper()
        if sql.startswith("UPDATE INBOX_UPDATES SET REPLY"):
            writes.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", spy)
    try:
        for person in people:
            fake.send_command("help", user=person)
        await fake.wait_for(lambda: len(fake.sent_messages) >= len(people), what="8 replies")
        await telegram.adapter.settled()
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", spy)
    assert 1 <= len(writes) <= 2, writes
    async with database.session() as session:
        kept = await session.scalar(
            select(func.count()).select_from(InboxUpdate).where(InboxUpdate.reply.is_not(None))
        )
    assert kept == 0  # every reply is known to be sent: none would be sent again at start
