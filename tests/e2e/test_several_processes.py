"""Two bot processes and two schedulers on one PostgreSQL and one Redis, as in production.

The real `habitlink run --no-scheduler` (twice) and `habitlink scheduler` (twice) run as
subprocesses against the fake Telegram server in webhook mode: the fake POSTs each update to one
public URL, and a round-robin proxy (what a load balancer does) hands them to the two bots in
turn, so one person's updates are handled by both processes at once. Every update is answered
once, no check-in is lost, and every reminder is sent once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core.db.engine import Database
from core.db.models import HabitLog, Notification, Reminder
from tests.conftest import REDIS_TEST_URL, create_pg_database, drop_pg_database, redis_for_test
from tests.e2e.test_console_cli import habitlink
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_models import FakeChat, FakeUser
from tests.support.network import free_port
from tests.support.processes import (
    Processes,
    clean_environment,
    metric,
    round_robin,
    wait_listening,
)

pytestmark = [pytest.mark.serial, pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]
PEOPLE = 12
SECRET = "several-processes-test-secret-7Qx2Lm9Vr4Kp"  # 32+ characters, as webhook mode asks


@pytest.fixture
def pg_url(pg_admin_dsn: str) -> Iterator[str]:
    url = create_pg_database(pg_admin_dsn, migrate=True)
    yield url
    drop_pg_database(pg_admin_dsn, url)


async def test_two_bots_and_two_schedulers_answer_once_and_lose_nothing(
    pg_url: str, tmp_path: Path
) -> None:
    async with redis_for_test() as (_, prefix), FakeTelegram() as fake:
        bot_ports = [free_port(), free_port()]
        backends = [f"http://127.0.0.1:{port}/telegram" for port in bot_ports]
        async with round_robin(backends) as public_url:
            procs = Processes(
                tmp_path,
                clean_environment(
                    DATABASE_URL=pg_url,
                    REDIS_URL=REDIS_TEST_URL,
                    REDIS_PREFIX=prefix,
                    DATA_DIR=str(tmp_path / "data"),
                    TELEGRAM_BOT_TOKEN=fake.token,
                    TELEGRAM_API_BASE_URL=fake.base_url,
                    TELEGRAM_FILE_BASE_URL=fake.base_file_url,
                    TELEGRAM_WEBHOOK_URL=public_url,
                    TELEGRAM_WEBHOOK_SECRET=SECRET,
                    TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
                    LOG_FORMAT="console",
                ),
            )
            health = [free_port() for _ in range(4)]
            try:
                for i, port in enumerate(bot_ports):
                    await procs.start(
                        f"bot{i}",
                        [*habitlink(), "run", "--no-scheduler"],
                        TELEGRAM_WEBHOOK_PORT=str(port),
                        HEALTH_PORT=str(health[i]),
                    )
                for i in (0, 1):
                    await procs.start(
                        f"scheduler{i}", [*habitlink(), "scheduler"], HEALTH_PORT=str(health[2 + i])
                    )
                for i, port in enumerate(health):
                    await procs.wait_ready(f"http://127.0.0.1:{port}/readyz", f"process {i}")
                for port in bot_ports:
                    await wait_listening(port)
                await exercise(fake, pg_url)
                handled = [await metric(port, "habitlink_updates_total") for port in health[:2]]
                sent = [await metric(port, "habitlink_notifications_total") for port in health[2:]]
                assert sum(handled) == PEOPLE * 6 and all(handled), handled
                assert sum(sent) == PEOPLE, sent
            finally:
                await procs.stop()
            assert procs.errors() == []
        fake.assert_no_violations()


async def exercise(fake: FakeTelegram, pg_url: str) -> None:
    people = [fake.new_user(f"Person{i}", username=f"person{i}") for i in range(PEOPLE)]
    chats = {person.id: fake.private_chat(person) for person in people}

    async def all_answered(per_chat: int, since: int) -> None:
        def check() -> bool:
            counts = Counter(m.chat_id for m in fake.sent_messages[since:])
            return all(counts[c.id] >= per_chat for c in chats.values())

        await fake.wait_for(check, timeout=60, what=f"{per_chat} answers in every chat")
        await asyncio.sleep(1.0)  # a second answer to an update would have arrived by now
        counts = Counter(m.chat_id for m in fake.sent_messages[since:])
        assert counts == Counter({c.id: per_chat for c in chats.values()})

    def say(person: FakeUser, chat: FakeChat, text: str) -> None:
        fake.send_text(text, chat=chat, user=person)

    # 1. Everyone creates three habits (one at a time: the order matters to them).
    for habit in ("Alpha", "Beta", "Gamma"):
        since = len(fake.sent_messages)
        for person in people:
            say(person, chats[person.id], f"/newhabit {habit}")
        await all_answered(1, since)

    # 2. Everyone checks in twice at once: both updates go to different processes, together.
    since = len(fake.sent_messages)
    for person in people:
        say(person, chats[person.id], "/done alpha")
        say(person, chats[person.id], "/done beta")
    await all_answered(2, since)

    # 3. A reminder each for Gamma, come due now; two schedulers produce and send.
    since = len(fake.sent_messages)
    for person in people:
        say(person, chats[person.id], "/remind gamma 07:00")
    await all_answered(1, since)
    db = Database(pg_url)
    try:
        async with db.session() as session:
            await session.execute(update(Reminder).values(next_due_at=func.now()))
            await session.commit()
        since = len(fake.sent_messages)
        await all_answered(1, since)
        reminders = [m for m in fake.sent_messages[since:] if "Gamma" in m.text]
        assert len(reminders) == PEOPLE
        await asyncio.sleep(4)  # two more dispatch rounds of both schedulers: still one each
        assert len(fake.sent_messages) == since + PEOPLE

        async with db.session() as session:
            logs = await session.scalar(select(func.count()).select_from(HabitLog))
            statuses = Counter((await session.scalars(select(Notification.status))).all())
        assert logs == 2 * PEOPLE  # no check-in lost
        assert statuses == Counter({"sent": PEOPLE})
    finally:
        await db.dispose()
