"""The real python-telegram-bot adapter, long polling the fake Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.dispatcher import HabitLinkBot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.telegram import TelegramHarness, running


@pytest.fixture
async def telegram(bot: HabitLinkBot) -> AsyncIterator[TelegramHarness]:
    async with FakeTelegram() as fake:
        async with running(fake, bot) as harness:
            yield harness
        fake.assert_no_violations()
