"""A storage fault mid-command: the user is asked to try again, and nothing is half-written."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from bot.context import Context
from bot.dispatcher import SORRY_BUG, SORRY_STORAGE, HabitLinkBot
from bot.handlers import build_router
from bot.messages import Response
from bot.router import Router
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Habit, Identity, User
from tests.support.bots import make_bot
from tests.support.requests import person, plain, private_chat, send

ALICE = person("Alice")
DM = private_chat(ALICE)


@contextmanager
def database_fails_on(db: Database, keyword: str) -> Iterator[None]:
    """The database connection drops when a statement containing `keyword` is sent."""

    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if keyword in statement:
            raise OperationalError(statement, None, ConnectionResetError("connection lost"))

    event.listen(db.engine.sync_engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", fail)


async def habit_count(db: Database) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Habit)) or 0)


async def say(bot: HabitLinkBot, text: str) -> str:
    return plain(await send(bot, ALICE, DM, text))


async def test_failed_save_at_the_end_of_a_flow_keeps_the_flow(
    bot: HabitLinkBot, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await say(bot, "/newhabit")
    await say(bot, "Stretch")
    await say(bot, "daily")
    for _ in range(5):
        await say(bot, "skip")
    with database_fails_on(database, "INSERT INTO habits"), caplog.at_level(logging.ERROR):
        assert await say(bot, "a walk outside") == SORRY_STORAGE
    assert "storage error" in caplog.text
    assert await habit_count(database) == 0
    # The flow is still at its last step: the same answer again saves the habit, once.
    assert "Your new habit is ready" in await say(bot, "a walk outside")
    assert await habit_count(database) == 1


async def test_failed_check_in_writes_nothing(bot: HabitLinkBot, database: Database) -> None:
    await say(bot, "/newhabit Read")
    with database_fails_on(database, "INSERT INTO habit_logs"):
        assert await say(bot, "/done read") == SORRY_STORAGE
    assert "1. ○ Read" in await say(bot, "/habits")
    assert "✓ Read done today" in await say(bot, "/done read")


async def test_a_bug_never_shows_a_traceback(
    bot: HabitLinkBot, caplog: pytest.LogCaptureFixture
) -> None:
    broken = Router()

    @broken.command("boom", "A command with a bug in it")
    async def boom(ctx: Context) -> Response:
        return Response.say(str(1 // 0))

    buggy = make_bot(bot.uow.db, bot.clock, flows=bot.flows, router=build_router().include(broken))
    with caplog.at_level(logging.ERROR):
        reply = await say(buggy, "/boom")
    assert reply == SORRY_BUG
    assert "ZeroDivisionError" in caplog.text
    assert "/help" in await say(buggy, "/start")  # and the bot carries on


@pytest.mark.postgres
async def test_two_first_messages_at_once_make_one_person(
    pg_database: Database, clock: SettableClock
) -> None:
    """Both requests find no such person and create one; the second to commit collides on the
    identity, and the dispatcher runs it once more, now finding the first one's."""
    bot = make_bot(pg_database, clock)
    replies = await asyncio.gather(say(bot, "/newhabit Read"), say(bot, "/newhabit Run"))
    assert all(SORRY_STORAGE not in reply for reply in replies), replies
    async with pg_database.session() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
        assert await session.scalar(select(func.count()).select_from(Identity)) == 1
    assert "0 of 2 done" in await say(bot, "/habits")  # both habits, on the one person
