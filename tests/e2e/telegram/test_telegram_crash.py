"""`habitlink run` killed with SIGKILL in the middle of a stream of commands, then restarted:
every command Telegram delivered is handled, none twice (the inbox)."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
from core.db.engine import Database
from core.db.models import Habit, Message
from tests.e2e.test_console_cli import REPO, habitlink
from tests.fakes.telegram_api import FakeTelegram

STREAM = 60


async def start_bot(
    fake: FakeTelegram, database: Database, home: Path
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(
        PYTHONPATH=str(REPO),
        DATA_DIR=str(home),
        DATABASE_URL=database.url,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_FILE_BASE_URL=fake.base_file_url,
        LOG_LEVEL="WARNING",
    )
    polls = len(fake.calls_of("getUpdates"))
    process = await asyncio.create_subprocess_exec(
        *habitlink(),
        "run",
        cwd=home,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await fake.wait_for_calls("getUpdates", polls + 1, timeout=60)
    return process


async def learnings(database: Database) -> Counter[str]:
    async with database.session() as session:
        return Counter((await session.scalars(select(Message.content))).all())


async def test_a_killed_bot_loses_no_command_and_handles_none_twice(
    database: Database, tmp_path: Path
) -> None:
    async with FakeTelegram() as fake:
        group = fake.new_group("Crew")
        process = await start_bot(fake, database, tmp_path)
        try:
            fake.send_command("newgroup", "Crew", chat=group)
            await fake.wait_for_message(chat_id=group.id, timeout=30)
            # Three people share the stream: one person may share 20 learnings a day.
            crew = [fake.default_user, fake.new_user("Bea"), fake.new_user("Cy")]
            for member in crew[1:]:
                since = len(fake.sent_messages)
                fake.send_command("join", chat=group, user=member)
                await fake.wait_for_message(chat_id=group.id, since=since, timeout=30)

            async def stream() -> None:
                for i in range(STREAM):
                    fake.send_command("learn", f"lesson {i}", chat=group, user=crew[i % 3])
                    await asyncio.sleep(0.02)

            sending = asyncio.create_task(stream())
            # Kill it as soon as it has taken a batch of the stream from Telegram.
            await fake.wait_for(
                lambda: any(
                    c.status == 200 and c.response and c.response.get("result")
                    for c in fake.calls_of("getUpdates")[2:]
                ),
                timeout=30,
                what="a batch of the stream delivered",
            )
            await asyncio.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            handled_before = sum((await learnings(database)).values())
            await sending
            process = await start_bot(fake, database, tmp_path)
            wanted = Counter(f"lesson {i}" for i in range(STREAM))

            async def all_handled() -> bool:
                return sum((await learnings(database)).values()) >= STREAM

            for _ in range(600):
                if await all_handled():
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # anything handled twice would show up by now
            assert await learnings(database) == wanted
            assert handled_before < STREAM, "the kill came after the whole stream"
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), 30)


async def test_a_reply_lost_by_a_kill_after_the_commit_is_sent_after_the_restart(
    database: Database, tmp_path: Path
) -> None:
    """The bot dies after the command's effect is committed and before its reply reached
    Telegram (here: Telegram answered the send with a long 429, and the bot is killed while
    it waits). After the restart the reply arrives once, and the command is not run again."""
    async with FakeTelegram() as fake:
        chat = fake.private_chat()
        process = await start_bot(fake, database, tmp_path)
        try:
            fake.send_command("start")
            await fake.wait_for_message(chat_id=chat.id, timeout=30)
            fake.fail_next("sendMessage", chat_id=chat.id, retry_after=60)
            fake.send_command("newhabit", "Juggle")
            await fake.wait_for(
                lambda: any(c.status == 429 for c in fake.calls_of("sendMessage")),
                timeout=30,
                what="the reply's send refused with a 429",
            )
            process.send_signal(signal.SIGKILL)
            await process.wait()
            assert await habit_titles(database) == ["Juggle"]  # the effect was committed
            assert not any("Juggle" in (m.plain_text or "") for m in fake.sent_messages)

            since = len(fake.sent_messages)
            process = await start_bot(fake, database, tmp_path)
            reply = await fake.wait_for_message(
                chat_id=chat.id, text_contains="Juggle", since=since, timeout=30
            )
            assert "Created" in (reply.plain_text or "")
            fake.send_command("habits")
            await fake.wait_for_message(chat_id=chat.id, text_contains="1.", since=since + 1)
            sent = [m.plain_text or "" for m in fake.sent_messages[since:]]
            assert sum("Created" in text for text in sent) == 1, sent  # sent once
            assert await habit_titles(database) == ["Juggle"]  # and not created twice
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), 30)
        fake.assert_no_violations()


async def habit_titles(database: Database) -> list[str]:
    async with database.session() as session:
        return list((await session.scalars(select(Habit.title))).all())
