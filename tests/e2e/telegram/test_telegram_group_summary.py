"""A group's weekly summary through the real python-telegram-bot: the board's text, then the
collage of the week's proofs, each message sent once even when a later one fails: for good
(the rest is given up) or for a moment (the retry sends only the rest)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.models import Group, Notification
from tests.fakes.telegram_models import FakeChat, StoredMessage
from tests.support.images import jpeg
from tests.support.telegram import TelegramHarness

NO_PHOTOS = "Bad Request: not enough rights to send photos to the chat"


async def group_with_a_proof(telegram: TelegramHarness, bot: HabitLinkBot) -> FakeChat:
    """Alice's group with one proof this week (posted on Monday), its summary due now, on
    Friday (a summary sent early in a week tells the week before)."""
    fake = telegram.fake
    group = fake.new_group("Runners")
    await telegram.say("/newhabit Run 5k")
    await telegram.say("/newgroup Runners", chat=group)
    since = len(fake.sent_messages)
    fake.send_photo(chat=group, caption="/proof run", data=jpeg())
    saved = await fake.wait_for_message(chat_id=group.id, since=since)
    assert (saved.plain_text or "").startswith("Proof saved")
    clock = bot.clock
    assert isinstance(clock, SettableClock)
    clock.advance(timedelta(days=4))
    async with bot.uow.db.session() as session:
        await session.execute(update(Group).values(next_summary_at=bot.clock.now()))
        await session.commit()
    return group


async def summaries(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock, group: FakeChat
) -> list[StoredMessage]:
    """Run the notifier, then again past every retry it may schedule; what the group got."""
    notifier = Notifier(bot, {"telegram": telegram.adapter})
    since = len(telegram.fake.sent_messages)
    await notifier.run_once()
    for _ in range(6):
        clock.advance(timedelta(hours=1, minutes=5))
        await notifier.dispatch_all()
    return telegram.messages_since(since, group)


async def statuses(bot: HabitLinkBot) -> list[tuple[str, str]]:
    async with bot.uow.db.session() as session:
        rows = await session.scalars(select(Notification).order_by(Notification.id))
        return [(n.kind, n.status) for n in rows]


async def parts(bot: HabitLinkBot) -> list[tuple[str, int]]:
    """The group summary's status and how many of its messages arrived."""
    async with bot.uow.db.session() as session:
        rows = await session.scalars(
            select(Notification).where(Notification.kind == "group_summary")
        )
        return [(n.status, n.parts_sent) for n in rows]


async def test_the_summary_is_its_text_then_the_collage(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    group = await group_with_a_proof(telegram, bot)
    board, collage = await summaries(telegram, bot, clock, group)
    assert "1 proof this week from 1 member." in (board.plain_text or "")
    assert collage.method == "sendPhoto"
    assert ("group_summary", "sent") in await statuses(bot)


async def test_a_collage_the_group_refuses_leaves_the_text_sent_once(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    """A group where the bot may not send photos: the board arrives once, not once per retry."""
    group = await group_with_a_proof(telegram, bot)
    telegram.fake.fail_next("sendPhoto", times=100, status=400, description=NO_PHOTOS)
    (board,) = await summaries(telegram, bot, clock, group)
    assert "1 proof this week from 1 member." in (board.plain_text or "")
    assert len(telegram.fake.calls_of("sendPhoto")) == 1  # tried once, not retried
    assert ("group_summary", "sent") in await statuses(bot)


async def test_a_failing_first_message_is_retried_and_then_sent_whole(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    group = await group_with_a_proof(telegram, bot)
    telegram.fake.fail_next("sendMessage", times=1, status=500, chat_id=group.id)
    board, collage = await summaries(telegram, bot, clock, group)
    assert "1 proof this week from 1 member." in (board.plain_text or "")
    assert collage.method == "sendPhoto"


async def test_a_collage_failing_for_a_moment_is_sent_alone_on_the_retry(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    """A 5xx on the collage after the board arrived: the next run sends the collage only."""
    group = await group_with_a_proof(telegram, bot)
    telegram.fake.fail_next("sendPhoto", times=1, status=500, chat_id=group.id)
    notifier = Notifier(bot, {"telegram": telegram.adapter})
    since = len(telegram.fake.sent_messages)
    await notifier.run_once()
    (board,) = telegram.messages_since(since, group)
    assert "1 proof this week from 1 member." in (board.plain_text or "")
    assert await parts(bot) == [("pending", 1)]  # to be retried, from its second message

    clock.advance(timedelta(minutes=1))
    after_board = len(telegram.fake.sent_messages)
    assert await notifier.dispatch_all() == 1
    (collage,) = telegram.messages_since(after_board, group)
    assert collage.method == "sendPhoto"
    assert len(telegram.fake.calls_of("sendPhoto")) == 2  # the failed try, then the retry
    assert len(telegram.messages_since(since, group)) == 2  # the board went once
    assert await parts(bot) == [("sent", 1)]


async def test_a_collage_failing_for_a_moment_then_refused_leaves_the_text_sent_once(
    telegram: TelegramHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    """A timeout-like failure first, then the group refuses photos: given up, board sent once."""
    group = await group_with_a_proof(telegram, bot)
    telegram.fake.fail_next("sendPhoto", times=1, status=502, chat_id=group.id)
    telegram.fake.fail_next("sendPhoto", times=100, status=400, description=NO_PHOTOS)
    (board,) = await summaries(telegram, bot, clock, group)
    assert "1 proof this week from 1 member." in (board.plain_text or "")
    assert len(telegram.fake.calls_of("sendPhoto")) == 2  # the 502, then the refusal
    assert await parts(bot) == [("sent", 1)]
