"""A group's Discord channel renamed: CHANNEL_UPDATE keeps the name the bot shows for the
group's chat (/group mine, /groups, summaries) current at once, with no command in the channel,
as Telegram's new_chat_title does (test_telegram_chat_title.py)."""

from __future__ import annotations

import asyncio

from tests.support.discord import DiscordHarness, visible


async def mine(dc: DiscordHarness) -> str:
    (listing,) = await dc.slash("group mine", channel=dc.fake.dm_channel())
    return visible(listing.content)


async def test_a_renamed_channel_is_called_by_its_new_name(dc: DiscordHarness) -> None:
    fake = dc.fake
    await dc.slash("group new", {"name": "Runners", "visibility": "public"})
    assert "Runners · Discord #general" in await mine(dc)
    sent = len(fake.sent_messages)
    fake.rename_channel(fake.default_channel, "dawn-patrol")
    async with asyncio.timeout(5):  # the gateway event is handled as a task of its own
        while "Discord #dawn-patrol" not in (listing := await mine(dc)):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    assert "Discord #general" not in listing
    said = [m for m in fake.sent_messages[sent:] if m.channel_id == fake.default_channel.id]
    assert said == []  # nothing said in the channel about it


async def test_a_change_that_keeps_the_name_writes_nothing(dc: DiscordHarness) -> None:
    """A topic or position change is CHANNEL_UPDATE too: the name stays, nothing is written."""
    fake = dc.fake
    await dc.slash("group new", {"name": "Runners", "visibility": "public"})
    before = dc.adapter.bot.uow.db.statements
    fake.default_channel.topic = "Morning runs"
    fake.rename_channel(fake.default_channel, "general")  # the same name: a topic change
    await asyncio.sleep(0.3)  # no event to wait for: nothing must happen
    assert dc.adapter.bot.uow.db.statements == before
    assert "Runners · Discord #general" in await mine(dc)
