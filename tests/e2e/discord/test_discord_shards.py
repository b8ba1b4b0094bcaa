"""Discord sharding: DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS, one process per shard.

Two adapters made by DiscordPlatform from settings, as two `habitlink run` processes would be,
each connect one shard of two to the fake gateway; each guild's commands reach the one shard
that owns it ((guild_id >> 22) % shard_count) and are answered once.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import pytest
from pydantic import ValidationError

from adapters.discord.adapter import DiscordAdapter, ShardedHabitLinkClient
from adapters.discord.platform import DiscordPlatform
from bot.app import App
from bot.config import Settings
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.ratelimit import MemoryRateLimiter
from tests.fakes.discord_api import FAST_READY, FakeDiscord
from tests.fakes.discord_models import FakeGuild
from tests.support.discord import DiscordHarness, answers, visible


def shard_settings(fake: FakeDiscord, shard_ids: str | None) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        discord_bot_token=fake.token,
        discord_shard_count=2,
        discord_shard_ids=shard_ids,
    )


@asynccontextmanager
async def process(
    fake: FakeDiscord, bot: HabitLinkBot, clock: SettableClock, shard_ids: str
) -> AsyncIterator[DiscordAdapter]:
    """What `habitlink run` builds from DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS=shard_ids."""
    settings = shard_settings(fake, shard_ids)
    app = App(settings, clock, bot.uow.db, bot.flows, bot, MemoryRateLimiter())
    adapter = DiscordPlatform(**FAST_READY)._adapter(app)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.close()


def guilds_on_both_shards(fake: FakeDiscord) -> dict[int, FakeGuild]:
    found: dict[int, FakeGuild] = {}
    while len(found) < 2:
        guild = fake.new_guild(f"Guild {len(fake.guilds)}", members=[fake.default_user])
        found.setdefault((guild.id >> 22) % 2, guild)
        time.sleep(0.002)  # the next snowflake's timestamp moves on
    return found


async def test_each_process_runs_its_shard_and_answers_its_guilds(
    fake: FakeDiscord, bot: HabitLinkBot, clock: SettableClock
) -> None:
    guilds = guilds_on_both_shards(fake)
    async with AsyncExitStack() as stack:
        adapters = [await stack.enter_async_context(process(fake, bot, clock, s)) for s in "01"]
        for shard, adapter in enumerate(adapters):
            assert isinstance(adapter.client, ShardedHabitLinkClient)
            assert set(adapter.client.shards) == {shard}
        assert sorted(s.shard for s in fake.live_sessions if s.shard) == [(0, 2), (1, 2)]
        for shard, guild in guilds.items():
            channel = guild.channels[0]
            (answer,) = await DiscordHarness(fake, adapters[shard]).slash(
                "habit new", {"title": f"Shard {shard} habit"}, channel=channel
            )
            assert f"Created Shard {shard} habit" in visible(answer.content)
        (help_text,) = await DiscordHarness(fake, adapters[0]).slash(
            "help", channel=fake.dm_channel()
        )  # DMs belong to shard 0
        assert "Basics" in visible(help_text.content)
        records = list(fake.interactions.values())
        assert len(records) == 3 and all(len(answers(r)) == 1 for r in records)


async def test_one_process_may_run_every_shard(
    fake: FakeDiscord, bot: HabitLinkBot, clock: SettableClock
) -> None:
    settings = shard_settings(fake, None)
    app = App(settings, clock, bot.uow.db, bot.flows, bot, MemoryRateLimiter())
    adapter = DiscordPlatform(**FAST_READY)._adapter(app)
    await adapter.start()
    try:
        assert set(adapter.client.shards) == {0, 1}  # type: ignore[attr-defined]
    finally:
        await adapter.close()


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"DISCORD_SHARD_IDS": "0"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "0,2"}, "between 0 and 1"),
        ({"DISCORD_SHARD_COUNT": "0"}, "greater than or equal to 1"),
    ],
)
def test_shard_settings_are_checked(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], problem: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=problem):
        Settings(_env_file=None)  # type: ignore[call-arg]
