"""The Discord adapter as a platform: the command tree synced only when it changed, reminders
through the Discord sender, rate limits, closed DMs, /link with Telegram, the entry point."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import select

from adapters.discord.platform import DiscordPlatform
from bot.app import App
from bot.commands import Command
from bot.config import Settings
from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from bot.messages import Person, Response
from bot.platforms import platforms
from core.clock import SettableClock
from core.db.models import BotState, Identity, Notification
from tests.fakes.changes import WAIT
from tests.fakes.discord_api import FAST_READY, FakeDiscord
from tests.support.discord import DiscordHarness, answers, running, visible
from tests.support.requests import plain, private_chat, send

MESSAGES = "/channels/{channel_id}/messages"
CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
TELEGRAM = Person("telegram", "271828", "Alice T", username="alice_t")
TELEGRAM_DM = private_chat(TELEGRAM, "271828")


async def test_commands_are_synced_only_when_they_change(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    async with running(fake, bot):
        pass
    assert [guild for guild, _ in fake.command_puts] == [None]
    names = {c["name"] for c in fake.global_commands}
    assert {"habit", "group", "trust", "proof", "link"} <= names
    async with running(fake, bot) as adapter:  # the same commands: no PUT
        (reply,) = await DiscordHarness(fake, adapter).slash("help", channel=fake.dm_channel())
        assert "Basics" in visible(reply.content)
    assert len(fake.command_puts) == 1
    start = bot.router.commands["start"]
    ping = Command("ping", start.handler, "Is HabitLink there?")
    changed = (*bot.router.commands.values(), ping)
    async with running(fake, bot, commands=changed):
        pass
    assert len(fake.command_puts) == 2 and "ping" in {c["name"] for c in fake.global_commands}
    async with running(fake, bot, commands=changed):
        pass
    assert len(fake.command_puts) == 2
    async with bot.uow.db.session() as session:
        (state,) = (await session.scalars(select(BotState))).all()
    assert state.key == f"discord:commands:{fake.application_id}:global"
    assert re.fullmatch(r"[0-9a-f]{64}", state.value)


async def test_a_development_guild_gets_its_own_sync(fake: FakeDiscord, bot: HabitLinkBot) -> None:
    guild = fake.default_guild
    for _ in range(2):
        async with running(fake, bot, guild_id=guild.id) as adapter:
            dc = DiscordHarness(fake, adapter)
            (listing,) = await dc.slash("habit list")
            assert "You have no habits yet." in visible(listing.content)
    assert [target for target, _ in fake.command_puts] == [guild.id]
    assert fake.global_commands == [] and len(fake.commands_for(guild)) == len(
        {c.path.split()[0] for c in bot.router.commands.values()}
    )


async def remind_alice(dc: DiscordHarness, clock: SettableClock) -> Notifier:
    """Alice (in her DM) asks for a reminder at 09:30; the clock moves past it."""
    dm = dc.fake.dm_channel()
    await dc.slash("habit new", {"title": "Read"}, channel=dm)
    await dc.slash("remind", {"habit": "read", "time": "09:30"}, channel=dm)
    clock.set(datetime(2026, 3, 23, 9, 31, tzinfo=UTC))
    return Notifier(dc.adapter.bot, {"discord": dc.adapter})


async def test_a_reminder_through_the_discord_sender(
    dc: DiscordHarness, clock: SettableClock
) -> None:
    fake = dc.fake
    notifier = await remind_alice(dc, clock)
    fake.fail_next("POST", MESSAGES, retry_after=0.05)  # a 429 first: waited out and retried
    assert await notifier.run_once() == 1
    dm = fake.dm_channel()
    (reminder,) = [m for m in fake.messages_in(dm.id) if m.via == "rest"]
    assert reminder.content == "⏰ Time for **Read**"
    assert [c.status for c in fake.calls_to("POST", MESSAGES)] == [429, 200]
    assert [b["label"] for b in reminder.buttons()] == ["✓ Done", "💤 1 hour", "Skip today"]
    press = await dc.press(reminder, "✓ Done")
    assert press.callback is not None and press.callback.type == 7
    assert visible(reminder.content) == "✓ Read done today. Streak 1 day, day 1 of 66."
    assert reminder.components == []
    assert await notifier.run_once() == 0  # sent once


async def test_a_closed_dm_makes_the_person_unreachable(
    dc: DiscordHarness, clock: SettableClock, bot: HabitLinkBot
) -> None:
    fake = dc.fake
    notifier = await remind_alice(dc, clock)
    fake.block_dms(fake.default_user)
    assert await notifier.run_once() == 1
    async with bot.uow.db.session() as session:
        identity = (await session.scalars(select(Identity))).one()
        notification = (await session.scalars(select(Notification))).one()
    assert identity.unreachable_at is not None
    assert notification.status == "failed" and "unreachable" in (notification.last_error or "")


async def test_a_429_on_an_interaction_answer_is_retried(dc: DiscordHarness) -> None:
    fake = dc.fake
    fake.fail_next("POST", CALLBACK, retry_after=0.05)
    (listing,) = await dc.slash("habit list", channel=fake.dm_channel())
    assert "You have no habits yet." in visible(listing.content)
    assert [c.status for c in fake.calls_to("POST", CALLBACK)] == [429, 200]


async def test_link_a_discord_account_to_a_telegram_account(
    dc: DiscordHarness, bot: HabitLinkBot
) -> None:
    async def on_telegram(text: str) -> str:
        return plain(await send(bot, TELEGRAM, TELEGRAM_DM, text))

    await on_telegram("/newhabit Meditate")
    await on_telegram("/done meditate")
    found = re.search(r"Your link code: ([A-Z0-9]{8})\n", await on_telegram("/link"))
    assert found is not None
    dm = dc.fake.dm_channel()
    await dc.slash("habit new", {"title": "Read"}, channel=dm)
    (asked,) = await dc.slash("link", {"code": found.group(1)}, channel=dm)
    assert visible(asked.content).startswith("Join the Telegram account of ")
    (linked,) = answers(await dc.press(asked, "Join accounts"))
    assert visible(linked.content).startswith(
        "Linked! This Discord account and your Telegram account are now one HabitLink profile."
    )
    (listing,) = await dc.slash("habit list", channel=dm)
    assert "1. ○ Read — streak 0 days" in visible(listing.content)  # the Discord profile's first
    assert "2. ✓ Meditate — streak 1 day" in visible(listing.content)


class Senders(dict[str, Any]):
    """app.senders that tells when a platform registers its sender."""

    def __init__(self) -> None:
        super().__init__()
        self.registered = asyncio.Event()

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.registered.set()


def app_for(fake: FakeDiscord, bot: HabitLinkBot) -> App:
    settings = Settings(_env_file=None, discord_bot_token=fake.token)
    return cast(App, SimpleNamespace(settings=settings, bot=bot, senders=Senders()))


async def test_the_platform_entry_point_serves_and_sends(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    assert [type(p) for p in platforms() if p.name == "discord"] == [DiscordPlatform]
    platform = DiscordPlatform(**FAST_READY)
    assert not platform.configured(Settings(_env_file=None))
    app = app_for(fake, bot)
    assert platform.configured(app.settings)
    async with platform.sender(app) as sender:  # REST only: no gateway, no command sync
        await sender.send_response(str(fake.dm_channel().id), Response.say("Hello"))
    assert fake.identify_count == 0 and fake.command_puts == []
    assert fake.last_message().content == "Hello"
    stop = asyncio.Event()
    task = asyncio.create_task(platform.serve(app, stop))
    await asyncio.wait_for(cast(Senders, app.senders).registered.wait(), timeout=WAIT)
    assert list(app.senders) == ["discord"]  # registered once ready
    assert fake.identify_count == 1 and len(fake.command_puts) == 1
    stop.set()
    await asyncio.wait_for(task, timeout=WAIT)
    assert app.senders == {}
