"""A person who blocks the bot in their private chat: Telegram says so at once (my_chat_member
in the private chat, the bot's status "kicked"), and their reminders stop there and then, not
after a 403 on the next send. Unblocking (my_chat_member "member"), or writing to the bot
again, brings them back."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.models import Identity
from tests.e2e.telegram.test_telegram_group_chat_gone import handled
from tests.e2e.telegram.test_telegram_reminders import at, remind, rows, set_up_alice
from tests.support.telegram import TelegramHarness


@pytest.fixture
def notifier(bot: HabitLinkBot, telegram: TelegramHarness) -> Notifier:
    return Notifier(bot, {"telegram": telegram.adapter})


async def unreachable_since(bot: HabitLinkBot) -> datetime | None:
    async with bot.uow.db.session() as session:
        return await session.scalar(select(Identity.unreachable_at))


def sends(telegram: TelegramHarness, since: int) -> list[str]:
    return [c.method for c in telegram.fake.calls[since:] if c.method.startswith("send")]


async def test_blocking_the_bot_stops_reminders_until_unblocked(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    await handled(telegram, [telegram.fake.block_bot()])
    assert await unreachable_since(bot) == clock.now()
    calls = len(telegram.fake.calls)
    assert await remind(telegram, notifier, clock, at(24, 7, 30)) == []
    assert sends(telegram, calls) == [] and await rows(bot) == []  # not even tried
    # Blocked twice (an update sent again) keeps the first time.
    await handled(telegram, [telegram.fake.block_bot()])
    assert await unreachable_since(bot) is not None

    await handled(telegram, [telegram.fake.unblock_bot()])
    assert await unreachable_since(bot) is None
    (message,) = await remind(telegram, notifier, clock, at(25, 7, 30))
    assert message.plain_text == "⏰ Time for Read"


async def test_writing_again_after_blocking_brings_reminders_back(
    telegram: TelegramHarness, notifier: Notifier, clock: SettableClock, bot: HabitLinkBot
) -> None:
    await set_up_alice(telegram)
    await handled(telegram, [telegram.fake.block_bot()])
    telegram.fake.unblock_chat(telegram.fake.private_chat().id)  # no update of it, as may be
    await telegram.say("/habits")
    assert await unreachable_since(bot) is None
    (message,) = await remind(telegram, notifier, clock, at(24, 7, 30))
    assert message.plain_text == "⏰ Time for Read"
