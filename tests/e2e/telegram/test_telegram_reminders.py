"""Reminders through the real python-telegram-bot against the fake Bot API: the adapter is the
Notifier's "telegram" sender; moving the clock and running the notifier delivers what is due.

Alice writes to the bot in private first, so her identity knows her private chat. The clock
starts at Monday 2026-03-23 09:00 UTC; her reminder is at 07:30 UTC.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.models import Group, HabitLog, Identity, Notification
from tests.fakes.telegram_models import StoredMessage
from tests.support.telegram import TelegramHarness

RETRY_AFTER_WARNING = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
BUTTONS = ["✓ Done", "💤 1 hour", "Skip today"]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def notifier(bot: HabitLinkBot, telegram: TelegramHarness) -> Notifier:
    return Notifier(bot, {"telegram": telegram.adapter})


async def set_up_alice(telegram: TelegramHarness) -> None:
    await telegram.say("/newhabit Read")
    (confirmed,) = await telegram.say("/remind read 07:30")
    assert confirmed.plain_text == (
        "I'll remind you of Read at 07:30 every day (UTC). Next: Tue 24 Mar, 07:30."
    )


async def remind(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, when: datetime
) -> list[StoredMessage]:
    """Move the clock to `when`, run the notifier; the bot messages it sent to Alice."""
    chat = telegram.fake.private_chat()
    since = len(telegram.fake.sent_messages)
    clock.set(when)
    await notifier.run_once()
    return telegram.messages_since(since, chat)


def bold(message: StoredMessage) -> list[str]:
    text = message.plain_text or ""
    spans = [(e["offset"], e["length"]) for e in message.entities if e["type"] == "bold"]
    return [text[offset : offset + length] for offset, length in spans]


async def rows(bot: HabitLinkBot) -> list[tuple[str, int, str | None]]:
    async with bot.uow.db.session() as session:
        found = (await session.scalars(select(Notification).order_by(Notification.id))).all()
        return [(n.status, n.attempts, n.last_error) for n in found]


async def checkins(bot: HabitLinkBot) -> list[tuple[str, str]]:
    async with bot.uow.db.session() as session:
        logs = (await session.scalars(select(HabitLog).order_by(HabitLog.day))).all()
        return [(log.day.isoformat(), log.status) for log in logs]


async def test_a_reminder_arrives_and_done_checks_in(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    assert await remind(telegram, notifier, clock, at(24, 7, 29)) == []
    (message,) = await remind(telegram, notifier, clock, at(24, 7, 30))
    assert message.plain_text == "⏰ Time for Read"
    assert bold(message) == ["Read"]
    assert [b["text"] for b in message.buttons()] == BUTTONS
    assert message.chat_id == telegram.fake.private_chat().id

    assert await telegram.press(message, text="✓ Done") == "Done!"
    edited = telegram.fake.message(message.chat_id, message.message_id)
    assert edited is not None
    assert edited.plain_text == "✓ Read done today. Streak 1 day, day 1 of 66."
    assert await checkins(bot) == [("2026-03-24", "done")]
    (listing,) = await telegram.say("/habits")
    assert (listing.plain_text or "").startswith("Today · Tue 24 Mar\n1. ✓ Read — streak 1 day")
    assert await rows(bot) == [("sent", 1, None)]
    assert await remind(telegram, notifier, clock, at(24, 23, 0)) == []  # once a day
    telegram.fake.assert_no_violations()


async def test_snooze_fires_again_an_hour_later_and_skip_skips(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    (message,) = await remind(telegram, notifier, clock, at(24, 7, 30))
    assert await telegram.press(message, text="💤 1 hour") == "Snoozed for an hour"
    edited = telegram.fake.message(message.chat_id, message.message_id)
    assert edited is not None
    assert (edited.plain_text, edited.buttons()) == (
        "💤 I'll remind you of Read again at 08:30.",
        [],
    )
    assert await remind(telegram, notifier, clock, at(24, 8, 29)) == []
    (again,) = await remind(telegram, notifier, clock, at(24, 8, 30))
    assert again.plain_text == "⏰ Snoozed reminder: Read"
    assert [b["text"] for b in again.buttons()] == BUTTONS
    assert await remind(telegram, notifier, clock, at(24, 10, 0)) == []  # once

    assert await telegram.press(again, text="Skip today") == "Skipped"
    skipped = telegram.fake.message(again.chat_id, again.message_id)
    assert skipped is not None
    assert skipped.plain_text == "Skipped Read today. Your streak is safe."
    assert await checkins(bot) == [("2026-03-24", "skipped")]


@RETRY_AFTER_WARNING
async def test_a_429_is_waited_out_and_the_reminder_arrives_once(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    fake = telegram.fake
    before = len(fake.calls_of("sendMessage"))
    fake.fail_next("sendMessage", times=1, status=429, retry_after=1)
    (message,) = await remind(telegram, notifier, clock, at(24, 7, 30))
    assert message.plain_text == "⏰ Time for Read"
    assert [c.status for c in fake.calls_of("sendMessage")[before:]] == [429, 200]
    assert await rows(bot) == [("sent", 1, None)]
    assert await remind(telegram, notifier, clock, at(24, 7, 45)) == []


@RETRY_AFTER_WARNING
async def test_a_group_paused_by_a_429_holds_up_no_one_elses_reminder(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    """A group's weekly summary, queued first, meets a 429 (retry after 30 s): it is sent again
    later, and Alice's reminder, due a minute later in her own chat, goes out at once."""
    await set_up_alice(telegram)
    fake = telegram.fake
    group = fake.new_group("Runners")
    await telegram.say("/newgroup Runners", chat=group)
    await telegram.say("/done read -2")  # on Saturday: the week the summary tells is not empty
    async with bot.uow.db.session() as session:
        await session.execute(update(Group).values(next_summary_at=at(24, 7, 29)))
        await session.commit()
    clock.set(at(24, 7, 29))
    await notifier.produce()  # the group's summary is queued first
    fake.fail_next("sendMessage", times=1, status=429, retry_after=30, chat_id=group.id)
    started = time.monotonic()
    (message,) = await remind(telegram, notifier, clock, at(24, 7, 30))
    assert message.plain_text == "⏰ Time for Read"
    assert time.monotonic() - started < 20  # not after the group's 30 s
    to_group = [c.status for c in fake.calls_of("sendMessage") if c.params["chat_id"] == group.id]
    assert to_group[-1] == 429  # and the summary waits in the outbox for its next attempt
    async with bot.uow.db.session() as session:
        summary = (
            await session.scalars(select(Notification).where(Notification.kind == "group_summary"))
        ).one()
    assert (summary.status, summary.attempts) == ("pending", 1)


async def test_a_server_error_is_retried_later(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    telegram.fake.fail_next("sendMessage", times=1, status=500)
    assert await remind(telegram, notifier, clock, at(24, 7, 30)) == []
    ((status, attempts, error),) = await rows(bot)
    assert (status, attempts) == ("pending", 1) and error is not None
    assert await remind(telegram, notifier, clock, at(24, 7, 30) + timedelta(seconds=14)) == []
    (message,) = await remind(telegram, notifier, clock, at(24, 7, 30) + timedelta(seconds=15))
    assert message.plain_text == "⏰ Time for Read"
    assert await rows(bot) == [("sent", 2, None)]


async def test_a_blocked_bot_marks_alice_unreachable_until_she_writes_again(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    fake = telegram.fake
    chat = fake.private_chat()
    fake.block_chat(chat.id)
    assert await remind(telegram, notifier, clock, at(24, 7, 30)) == []
    assert fake.calls_of("sendMessage")[-1].status == 403
    assert await rows(bot) == [("failed", 1, "unreachable: Forbidden: bot was blocked by the user")]
    async with bot.uow.db.session() as session:
        identity = (await session.scalars(select(Identity))).one()
    assert (identity.dm_chat_id, identity.unreachable_at) == (str(chat.id), at(24, 7, 30))

    # The next day nothing is even tried.
    calls = len(fake.calls)
    assert await remind(telegram, notifier, clock, at(25, 7, 30)) == []
    assert [c.method for c in fake.calls[calls:] if c.method != "getUpdates"] == []
    assert len(await rows(bot)) == 1

    # She unblocks the bot and writes to it: reminders resume.
    fake.unblock_chat(chat.id)
    await telegram.say("/habits")
    async with bot.uow.db.session() as session:
        assert await session.scalar(select(Identity.unreachable_at)) is None
    (message,) = await remind(telegram, notifier, clock, at(26, 7, 30))
    assert message.plain_text == "⏰ Time for Read"
    assert await telegram.press(message, text="✓ Done") == "Done!"
    assert await checkins(bot) == [("2026-03-26", "done")]


async def test_a_403_from_fail_next_is_unreachable_too(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    telegram.fake.fail_next("sendMessage", times=1, status=403)
    assert await remind(telegram, notifier, clock, at(24, 7, 30)) == []
    assert await rows(bot) == [("failed", 1, "unreachable: Forbidden: bot was blocked by the user")]
    report = await notifier.produce()
    assert report.unreachable == 0  # nothing was due; on the next day it counts
    clock.set(at(25, 7, 30))
    assert (await notifier.produce()).unreachable == 1
