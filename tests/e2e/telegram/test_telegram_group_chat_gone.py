"""A group whose Telegram chat the bot was removed from: its weekly summary went on being
queued there every week, and failing with 403 "bot was kicked from the group chat". Telegram
says so as it happens (my_chat_member, and the service message naming the bot in
left_chat_member); the summaries stop until the bot is added back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from adapters.telegram.intake import ALLOWED_UPDATES
from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.models import Group, GroupChat, Notification
from tests.e2e.telegram.test_telegram_group_summary import group_with_a_proof
from tests.fakes.changes import WAIT
from tests.fakes.telegram_models import JSON, FakeChat, StoredMessage
from tests.support.images import jpeg
from tests.support.telegram import TelegramHarness

KICKED = "Forbidden: bot was kicked from the supergroup chat"


async def handled(telegram: TelegramHarness, updates: list[JSON]) -> None:
    """Wait until the adapter took these updates and handled them."""
    ids = {u["update_id"] for u in updates}
    fake = telegram.fake
    await fake.wait_for(
        lambda: not any(u["update_id"] in ids for u in fake.pending_updates) or None,
        what="the updates taken",
    )
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)


async def summary_due(bot: HabitLinkBot, clock: SettableClock, days: int = 0) -> None:
    clock.advance(timedelta(days=days))
    async with bot.uow.db.session() as session:
        await session.execute(update(Group).values(next_summary_at=clock.now()))
        await session.commit()


async def run(telegram: TelegramHarness, bot: HabitLinkBot, group: FakeChat) -> list[StoredMessage]:
    """Produce and send what is due; the messages the group got."""
    since = len(telegram.fake.sent_messages)
    await Notifier(bot, {"telegram": telegram.adapter}).run_once()
    return telegram.messages_since(since, group)


async def summaries(bot: HabitLinkBot) -> list[tuple[str, str | None]]:
    async with bot.uow.db.session() as session:
        rows = await session.scalars(
            select(Notification)
            .where(Notification.kind == "group_summary")
            .order_by(Notification.id)
        )
        return [(n.status, n.last_error) for n in rows]


async def gone(bot: HabitLinkBot) -> bool:
    async with bot.uow.db.session() as session:
        return (await session.scalar(select(GroupChat.gone_at))) is not None


async def test_the_bot_asks_telegram_for_its_own_status_changes(
    telegram: TelegramHarness,
) -> None:
    assert "my_chat_member" in ALLOWED_UPDATES
    assert telegram.fake.allowed_updates is not None
    assert "my_chat_member" in telegram.fake.allowed_updates


async def test_a_group_the_bot_was_removed_from_gets_no_summary_until_it_is_back(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    group = await group_with_a_proof(telegram, bot)
    await handled(telegram, telegram.fake.remove_bot(group))
    assert await gone(bot)
    assert await run(telegram, bot, group) == []
    assert await summaries(bot) == []  # not even queued: nothing fails there every week
    assert not [c for c in telegram.fake.calls_of("sendMessage") if c.status == 403]

    await handled(telegram, telegram.fake.add_bot(group, admin=True))
    assert not await gone(bot)
    await summary_due(bot, clock)
    board, _collage = await run(telegram, bot, group)
    assert "1 proof this week from 1 member." in (board.plain_text or "")


async def test_each_signal_alone_is_enough(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    """my_chat_member alone takes the bot out; the service message new_chat_members alone
    brings it back (a basic group: the bot "left" rather than "kicked")."""
    fake = telegram.fake
    group = fake.new_group("Den", supergroup=False)
    await telegram.say("/newgroup Den", chat=group)
    await handled(telegram, fake.remove_bot(group, note=False))
    assert await gone(bot)
    await handled(telegram, fake.add_bot(group, status_update=False))
    assert not await gone(bot)


async def test_a_403_from_a_group_chat_stops_its_summaries_until_the_bot_is_back(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    """Removed while the bot heard nothing of it (the updates lost, or never asked for): the
    summary's 403 marks the chat, as it marks a person who blocked the bot."""
    fake = telegram.fake
    group = await group_with_a_proof(telegram, bot)
    fake.set_member_status(group, fake.bot_user, "kicked")  # no update about it
    assert await run(telegram, bot, group) == []
    assert await summaries(bot) == [("failed", f"unreachable: {KICKED}")]
    assert await gone(bot)

    await summary_due(bot, clock, days=7)
    calls = len(fake.calls)
    assert await run(telegram, bot, group) == []
    assert [c.method for c in fake.calls[calls:] if c.method != "getUpdates"] == []
    assert len(await summaries(bot)) == 1  # nothing queued that week

    # Added back: a proof that week, and its summary arrives.
    await handled(telegram, fake.add_bot(group, admin=True))
    since = len(fake.sent_messages)
    fake.send_photo(chat=group, caption="/proof run", data=jpeg())
    await fake.wait_for_message(chat_id=group.id, since=since)
    await summary_due(bot, clock)
    board, _collage = await run(telegram, bot, group)
    assert "1 proof this week from 1 member." in (board.plain_text or "")


async def test_a_message_from_the_chat_shows_the_bot_is_back(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    """Added back while the bot heard nothing of it: the next command from the chat is proof
    enough that it is there."""
    fake = telegram.fake
    group = await group_with_a_proof(telegram, bot)
    fake.set_member_status(group, fake.bot_user, "kicked")
    await run(telegram, bot, group)
    assert await gone(bot)
    fake.set_member_status(group, fake.bot_user, "administrator")
    (board,) = await telegram.say("/board", chat=group)
    assert "Runners · week of" in (board.plain_text or "")
    assert not await gone(bot)
