"""A group whose Discord channel the bot can no longer reach: removed from the server
(GUILD_DELETE without `unavailable`) or the channel deleted (CHANNEL_DELETE). Its weekly
summaries stop, as with Telegram's my_chat_member, rather than fail there every week; added
back to the server (GUILD_CREATE), they resume. A server's outage (GUILD_DELETE with
`unavailable`) is no removal."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.models import Group, GroupChat, Notification
from tests.fakes.changes import WAIT
from tests.fakes.discord_models import FakeChannel, StoredMessage
from tests.support.discord import DiscordHarness, visible
from tests.support.images import jpeg


async def group_with_a_proof(dc: DiscordHarness, channel: FakeChannel | None = None) -> None:
    """Alice's group Runners with a proof posted on Monday; the clock on to Friday (a summary
    sent early in a week tells the week before)."""
    channel = channel or dc.fake.default_channel
    await dc.slash("group new", {"name": "Runners", "visibility": "public"}, channel=channel)
    (saved,) = await dc.slash("proof", {"photo": ("run.jpg", jpeg())}, channel=channel)
    assert visible(saved.content).startswith("Proof saved")
    clock = dc.adapter.bot.clock
    assert isinstance(clock, SettableClock)
    clock.advance(timedelta(days=4))


async def marks(bot: HabitLinkBot) -> dict[str, bool]:
    """Each group chat's id, and whether it is marked gone."""
    async with bot.uow.db.session() as session:
        rows = (await session.execute(select(GroupChat.external_chat_id, GroupChat.gone_at))).all()
    return {chat_id: gone_at is not None for chat_id, gone_at in rows}


async def until_marked(bot: HabitLinkBot, expected: dict[str, bool]) -> None:
    """Wait until the adapter handled the gateway event (it runs as a task of its own)."""
    async with asyncio.timeout(WAIT):
        while await marks(bot) != expected:  # noqa: ASYNC110 (a database has no event)
            await asyncio.sleep(0.01)


async def summary_due(bot: HabitLinkBot, clock: SettableClock) -> None:
    async with bot.uow.db.session() as session:
        await session.execute(update(Group).values(next_summary_at=clock.now()))
        await session.commit()


async def run(dc: DiscordHarness, channel: FakeChannel) -> list[StoredMessage]:
    """Produce and send what is due; what the channel got."""
    since = len(dc.fake.sent_messages)
    await Notifier(dc.adapter.bot, {"discord": dc.adapter}).run_once()
    return [m for m in dc.fake.sent_messages[since:] if m.channel_id == channel.id]


async def summaries(bot: HabitLinkBot, channel: FakeChannel) -> list[str]:
    """The group summaries queued for the channel."""
    async with bot.uow.db.session() as session:
        rows = await session.scalars(
            select(Notification.status).where(
                Notification.kind == "group_summary", Notification.chat_id == str(channel.id)
            )
        )
        return list(rows)


async def test_removed_from_the_server_no_summary_until_added_back(
    dc: DiscordHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    fake = dc.fake
    guild, channel = fake.default_guild, fake.default_channel
    other = fake.new_guild("Book Club", channels=("reading",), members=[fake.default_user])
    await group_with_a_proof(dc)
    await dc.slash("group new", {"name": "Readers"}, channel=other.channel("reading"))
    here, there = str(channel.id), str(other.channel("reading").id)

    fake.remove_bot(guild)
    await until_marked(bot, {here: True, there: False})  # only that server's channels
    await summary_due(bot, clock)
    assert await run(dc, channel) == []
    assert await summaries(bot, channel) == []  # not even queued: nothing fails there every week
    assert not [c for c in fake.calls if c.status == 403]

    fake.add_bot(guild)
    await until_marked(bot, {here: False, there: False})
    await summary_due(bot, clock)
    board, _collage = await run(dc, channel)
    assert "1 proof this week from 1 member." in visible(board.embeds[0]["description"])


async def test_an_outage_is_no_removal(
    dc: DiscordHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    fake = dc.fake
    await group_with_a_proof(dc)
    other = fake.new_guild("Book Club", channels=("reading",), members=[fake.default_user])
    reading = other.channel("reading")
    await dc.slash("group new", {"name": "Readers"}, channel=reading)
    fake.guild_outage(fake.default_guild)
    fake.delete_channel(reading)  # handled after the outage: the test waits for it
    await until_marked(bot, {str(fake.default_channel.id): False, str(reading.id): True})
    await summary_due(bot, clock)
    board, _collage = await run(dc, fake.default_channel)
    assert "1 proof this week" in visible(board.embeds[0]["description"])


async def test_a_deleted_channel_gets_no_summary(
    dc: DiscordHarness, bot: HabitLinkBot, clock: SettableClock
) -> None:
    fake = dc.fake
    channel = fake.default_guild.channel("habits")
    await group_with_a_proof(dc, channel)
    fake.delete_channel(channel)
    await until_marked(bot, {str(channel.id): True})
    await summary_due(bot, clock)
    assert await run(dc, channel) == []
    assert await summaries(bot, channel) == []
    assert not [c for c in fake.calls if c.status == 404]
