"""The outbox: dedupe keys, claims as leases, retries with backoff, and exactly-once sending by
several dispatchers (PostgreSQL, FOR UPDATE SKIP LOCKED) and after a dispatcher is killed.

What "killed" covers here. A row is marked sent in its own transaction right after the platform
accepted it. A dispatcher killed *between sends* -- after the previous row's 'sent' committed and
before the next message was handed to the platform (while it is rendered, or waits for the rate
limiter) -- loses nothing and repeats nothing: its unsent rows stay claimed until their lease
runs out, then the next dispatcher sends them. A kill *during the platform call or between the
platform's accept and the commit of 'sent'* is the at-least-once window: the row still says
'sending', so that one message is sent again after the lease (never lost, possibly twice;
test_a_kill_between_accept_and_commit_sends_that_one_again pins this down). The tests stop a
dispatcher by cancelling its task at an await inside the sender.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.delivery import Notifier, SendFailed, Unreachable
from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Request, Response
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Identity, Notification, Reminder
from core.media.storage import LocalMediaStore
from core.notify.outbox import DEFAULT_LEASE, MAX_ATTEMPTS, NewNotification, Outbox
from core.ratelimit import Limit
from core.redaction import Redactor
from tests.conftest import DEFAULT_NOW
from tests.support.bots import make_bot

ALICE = Person("console", "alice", "Alice", username="alice")
ALICE_DM = Chat("console", "dm:alice", ChatKind.PRIVATE)
SECOND = timedelta(seconds=1)


@dataclass
class Recorder:
    """A "console" sender that records (chat_id, text) of everything the platform accepted."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    platform: str = "console"

    def limits(self, chat_id: str) -> tuple[Limit, ...]:
        return ()

    async def send_response(self, chat_id: str, response: Response) -> None:
        self.sent.append((chat_id, "\n".join(r.text.plain() for r in response.replies)))


@dataclass
class Failing(Recorder):
    error: Exception = field(default_factory=lambda: SendFailed("boom"))
    calls: int = 0

    async def send_response(self, chat_id: str, response: Response) -> None:
        self.calls += 1
        raise self.error


@dataclass
class Stops(Recorder):
    """Accepts `accept` messages, then "stops" before handing the next one over: the call
    never returns. With `after_accept`, it stops right after the platform accepted the last."""

    accept: int = 0
    after_accept: bool = False
    stopped: asyncio.Event = field(default_factory=asyncio.Event)

    async def send_response(self, chat_id: str, response: Response) -> None:
        if len(self.sent) == self.accept - self.after_accept:
            if self.after_accept:
                await super().send_response(chat_id, response)
            self.stopped.set()
            await asyncio.Event().wait()  # cancelled from outside
        await super().send_response(chat_id, response)


def item(key: str, chat_id: str = "dm:x", **payload: object) -> NewNotification:
    return NewNotification(key, "test", "console", chat_id, DEFAULT_NOW, payload=dict(payload))


async def all_rows(db: Database) -> list[Notification]:
    async with db.session() as session:
        return list((await session.scalars(select(Notification).order_by(Notification.id))).all())


async def reminder_rows(bot: HabitLinkBot, count: int) -> list[NewNotification]:
    """`count` due reminder notifications for Alice's Read habit, each to a chat of its own."""
    for text in ("/newhabit Read", "/remind read 07:30"):
        await bot.handle(Request.from_text(ALICE, ALICE_DM, text))
    async with bot.uow.db.session() as session:
        reminder = (await session.scalars(select(Reminder))).one()
    payload = {
        "reminder_id": reminder.id,
        "habit_id": reminder.habit_id,
        "day": "2026-03-23",
        "late": False,
        "snoozed": False,
        "local_time": "07:30",
    }
    return [
        NewNotification(f"r:{i}", "reminder", "console", f"chat-{i}", DEFAULT_NOW, payload=payload)
        for i in range(count)
    ]


async def enqueue(bot: HabitLinkBot, items: list[NewNotification]) -> int:
    async with bot.uow.db.session() as session:
        new = await Outbox(session, bot.clock).enqueue(items)
        await session.commit()
    return new


# --- dedupe keys and leases --------------------------------------------------------------
async def test_a_dedupe_key_is_queued_once(database: Database, clock: SettableClock) -> None:
    async with database.session() as session:
        outbox = Outbox(session, clock)
        assert await outbox.enqueue([item("a", n=1), item("b")]) == 2
        assert await outbox.enqueue([item("a", n=2), item("c")]) == 1
        assert await outbox.enqueue([item("a", n=3)]) == 0
        assert await outbox.enqueue([]) == 0
        await session.commit()
    assert [(n.dedupe_key, n.payload, n.status, n.attempts) for n in await all_rows(database)] == [
        ("a", {"n": 1}, "pending", 0),  # the first one stays
        ("b", {}, "pending", 0),
        ("c", {}, "pending", 0),
    ]


async def test_claims_are_leases(database: Database, clock: SettableClock) -> None:
    async with database.session() as session:
        await Outbox(session, clock).enqueue([item("a"), item("b"), item("c")])
        await session.commit()

    async def claim(worker: str, limit: int = 10) -> list[tuple[str, int]]:
        async with database.session() as session:
            claimed = await Outbox(session, clock).claim(worker, limit)
            await session.commit()
        return [(n.dedupe_key, n.attempts) for n in claimed]

    assert await claim("w1", 2) == [("a", 1), ("b", 1)]
    assert await claim("w2") == [("c", 1)]
    assert await claim("w3") == []
    rows = await all_rows(database)
    assert [(n.status, n.claimed_by, n.claimed_until) for n in rows] == [
        ("sending", "w1", DEFAULT_NOW + DEFAULT_LEASE),
        ("sending", "w1", DEFAULT_NOW + DEFAULT_LEASE),
        ("sending", "w2", DEFAULT_NOW + DEFAULT_LEASE),
    ]
    async with database.session() as session:
        await Outbox(session, clock).mark_sent(rows[0].id)
        await session.commit()
    clock.advance(DEFAULT_LEASE)
    assert await claim("w3") == []  # the lease lasts to its very end
    clock.advance(SECOND)
    assert await claim("w3") == [("b", 2), ("c", 2)]  # expired: claimed again; "a" was sent
    assert [(n.status, n.claimed_by, n.sent_at) for n in await all_rows(database)] == [
        ("sent", "w1", DEFAULT_NOW),
        ("sending", "w3", None),
        ("sending", "w3", None),
    ]


async def test_a_failed_send_backs_off_then_gives_up(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    await enqueue(bot, (await reminder_rows(bot, 1)))
    sender = Failing()
    notifier = Notifier(bot, {"console": sender}, worker="w")
    delays = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert await notifier.dispatch() == 1
        assert await notifier.dispatch() == 0  # not due again yet
        (row,) = await all_rows(database)
        assert (row.attempts, row.last_error) == (attempt, "boom")
        if row.status == "failed":
            break
        assert row.status == "pending"
        delays.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.set(row.next_attempt_at)
    assert delays == [15, 30, 60, 120]
    assert (row.status, row.attempts, sender.calls) == ("failed", MAX_ATTEMPTS, 5)
    clock.advance(timedelta(days=1))
    assert await notifier.dispatch() == 0  # given up for good


async def test_no_running_sender_is_a_temporary_failure(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    await enqueue(bot, [item("t")])
    assert await Notifier(bot, {}, worker="w").dispatch() == 1
    (row,) = await all_rows(database)
    assert (row.status, row.last_error) == ("pending", "no console sender is running")
    assert row.next_attempt_at == DEFAULT_NOW + 15 * SECOND


async def test_unreachable_fails_the_row_and_marks_the_person(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    for text in ("/newhabit Read", "/remind read 07:30"):
        await bot.handle(Request.from_text(ALICE, ALICE_DM, text))
    blocked = Failing(error=Unreachable("Forbidden: bot was blocked by the user"))
    clock.set(datetime(2026, 3, 24, 7, 30, tzinfo=UTC))
    assert await Notifier(bot, {"console": blocked}).run_once() == 1
    (row,) = await all_rows(database)
    assert (row.status, row.last_error) == (
        "failed",
        "unreachable: Forbidden: bot was blocked by the user",
    )
    async with database.session() as session:
        assert await session.scalar(select(Identity.unreachable_at)) == clock.now()
    # The next day's reminder is not even queued; after Alice writes again it is.
    recorder = Recorder()
    clock.set(datetime(2026, 3, 25, 7, 30, tzinfo=UTC))
    report = await Notifier(bot, {"console": recorder}).produce()
    assert (report.queued, report.unreachable) == (0, 1)
    await bot.handle(Request.from_text(ALICE, ALICE_DM, "/habits"))
    clock.set(datetime(2026, 3, 26, 7, 30, tzinfo=UTC))
    assert await Notifier(bot, {"console": recorder}).run_once() == 1
    assert recorder.sent == [("dm:alice", "⏰ Time for Read")]


# --- killed dispatchers --------------------------------------------------------------------
async def test_a_dispatcher_killed_between_sends_loses_and_repeats_nothing(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    await enqueue(bot, await reminder_rows(bot, 10))
    first = Stops(accept=4)
    task = asyncio.create_task(Notifier(bot, {"console": first}, worker="a").dispatch(batch=10))
    await asyncio.wait_for(first.stopped.wait(), 10)
    task.cancel()  # killed while the 5th message was on its way (not accepted)
    with pytest.raises(asyncio.CancelledError):
        await task
    assert Counter(n.status for n in await all_rows(database)) == {"sent": 4, "sending": 6}

    second = Recorder()
    successor = Notifier(bot, {"console": second}, worker="b")
    assert await successor.dispatch_all() == 0  # the dead dispatcher's lease still holds
    clock.advance(DEFAULT_LEASE + SECOND)
    assert await successor.dispatch_all() == 6
    assert [c for c, _ in first.sent] == [f"chat-{i}" for i in range(4)]
    assert [c for c, _ in second.sent] == [f"chat-{i}" for i in range(4, 10)]
    rows = await all_rows(database)
    assert [(n.status, n.claimed_by, n.attempts) for n in rows] == [("sent", "a", 1)] * 4 + [
        ("sent", "b", 2)
    ] * 6


@dataclass
class Slow(Recorder):
    """Each send takes a minute of the (settable) clock: a batch outlives its lease."""

    clock: SettableClock | None = None

    async def send_response(self, chat_id: str, response: Response) -> None:
        assert self.clock is not None
        self.clock.advance(timedelta(minutes=1))
        await super().send_response(chat_id, response)


async def test_a_dispatcher_stops_when_its_lease_runs_out(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    await enqueue(bot, await reminder_rows(bot, 5))
    slow = Slow(clock=clock)
    assert await Notifier(bot, {"console": slow}, worker="a").dispatch(batch=5) == 5
    # The lease is 2 minutes; sends take 1 each, so only the first two went out before the
    # claim was nearly over, and the rest were left for the next claim, not raced.
    assert [c for c, _ in slow.sent] == ["chat-0", "chat-1"]
    clock.advance(DEFAULT_LEASE)
    fast = Recorder()
    assert await Notifier(bot, {"console": fast}, worker="b").dispatch_all() == 3
    assert [c for c, _ in fast.sent] == ["chat-2", "chat-3", "chat-4"]
    assert Counter(n.status for n in await all_rows(database)) == {"sent": 5}


async def test_a_kill_between_accept_and_commit_sends_that_one_again(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    await enqueue(bot, await reminder_rows(bot, 10))
    first = Stops(accept=4, after_accept=True)
    task = asyncio.create_task(Notifier(bot, {"console": first}, worker="a").dispatch(batch=10))
    await asyncio.wait_for(first.stopped.wait(), 10)
    task.cancel()  # the 4th was accepted by the platform, its 'sent' never committed
    with pytest.raises(asyncio.CancelledError):
        await task
    clock.advance(DEFAULT_LEASE + SECOND)
    second = Recorder()
    assert await Notifier(bot, {"console": second}, worker="b").dispatch_all() == 7
    sends = Counter(c for c, _ in first.sent + second.sent)
    assert set(sends) == {f"chat-{i}" for i in range(10)}  # nothing lost ...
    assert {c: n for c, n in sends.items() if n > 1} == {"chat-3": 2}  # ... one sent twice


# --- two dispatchers, one PostgreSQL database ----------------------------------------------
# Exactly once is decided by the claims (FOR UPDATE SKIP LOCKED), each in its own transaction,
# not by the sends: 1,000 rows in batches of 10 make the two dispatchers race the same 100 claims
# as 10,000 rows in the default batches of 100, with a tenth of the sends.
ROWS, BATCH = 1_000, 10


@pytest.mark.postgres
async def test_two_dispatchers_send_every_notification_exactly_once(
    pg_database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    postgres = pg_database
    bot = make_bot(postgres, clock, media=LocalMediaStore(tmp_path / "media"))
    assert await enqueue(bot, await reminder_rows(bot, ROWS)) == ROWS
    a, b = Recorder(), Recorder()
    claimed = await asyncio.gather(
        Notifier(bot, {"console": a}, worker="dispatcher-a").dispatch_all(BATCH),
        Notifier(bot, {"console": b}, worker="dispatcher-b").dispatch_all(BATCH),
    )
    sends = Counter(c for c, _ in a.sent + b.sent)
    assert sum(sends.values()) == ROWS
    assert len(sends) == ROWS and max(sends.values()) == 1  # no duplicates
    assert set(sends) == {f"chat-{i}" for i in range(ROWS)}
    assert {text for _, text in a.sent + b.sent} == {"⏰ Time for Read"}
    assert len(a.sent) > 0 and len(b.sent) > 0  # both did part of the work
    assert list(claimed) == [len(a.sent), len(b.sent)]
    async with postgres.session() as session:
        by_state = (
            await session.execute(
                select(
                    Notification.status,
                    Notification.claimed_by,
                    Notification.attempts,
                    func.count(),
                )
                .group_by(Notification.status, Notification.claimed_by, Notification.attempts)
                .order_by(Notification.claimed_by)
            )
        ).all()
    assert [tuple(r) for r in by_state] == [
        ("sent", "dispatcher-a", 1, len(a.sent)),
        ("sent", "dispatcher-b", 1, len(b.sent)),
    ]
    # Nothing is left for anyone.
    clock.advance(timedelta(days=1))
    async with postgres.session() as session:
        assert await Outbox(session, clock).claim("late", 10) == []


TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


class ClientError(Exception):
    """What an HTTP client raises: its message carries the request's URL."""


async def test_an_unexpected_errors_secrets_never_reach_the_outbox(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    await enqueue(bot, await reminder_rows(bot, 1))
    url = f"https://api.telegram.org/bot{TOKEN}/sendMessage?chat_id=1"
    sender = Failing(error=ClientError(f"connect failed for {url} (password=hunter2)"))
    # No configured secrets: the token in a bot URL and a password= are blanked all the same.
    assert await Notifier(bot, {"console": sender}, worker="w").dispatch() == 1
    (row,) = await all_rows(database)
    assert row.status == "pending"
    assert row.last_error == (
        "ClientError('connect failed for https://api.telegram.org/bot123456789:[redacted]"
        "/sendMessage?chat_id=1 (password=[redacted])')"
    )


async def test_a_configured_secret_is_blanked_in_the_outbox_wherever_it_appears(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    bot = make_bot(database, clock, media=LocalMediaStore(tmp_path / "media"))
    await enqueue(bot, await reminder_rows(bot, 1))
    sender = Failing(error=SendFailed(f"gateway said: bad key {TOKEN.split(':')[1]}"))
    notifier = Notifier(bot, {"console": sender}, worker="w", redact=Redactor([TOKEN]))
    assert await notifier.dispatch() == 1
    (row,) = await all_rows(database)
    assert row.last_error == "gateway said: bad key [redacted]"
    assert TOKEN.split(":")[1] not in (row.last_error or "")
