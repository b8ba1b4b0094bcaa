"""The real discord.py adapter against the fake Discord server (REST + gateway)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.dispatcher import HabitLinkBot
from tests.fakes.changes import WAIT
from tests.fakes.discord_api import FakeDiscord
from tests.support.discord import DiscordHarness, running, visible

# The harness lives in tests/support/discord.py; these names stay importable from here too.
__all__ = ["DiscordHarness", "dc", "fake", "running", "visible"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    # Discord's 3 seconds to answer an interaction are real time, which a loaded machine can
    # pass by itself: here the window only bounds a hang (tests of the window narrow it).
    async with FakeDiscord(interaction_timeout=WAIT) as server:
        yield server
        server.assert_no_violations()


@pytest.fixture
async def dc(fake: FakeDiscord, bot: HabitLinkBot) -> AsyncIterator[DiscordHarness]:
    async with running(fake, bot) as adapter:
        yield DiscordHarness(fake, adapter)
