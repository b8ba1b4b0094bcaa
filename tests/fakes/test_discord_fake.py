"""Tests of the fake Discord server, driven by the real discord.py (commands.Bot + app_commands)."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.changes import WAIT
from tests.fakes.discord_api import FAST_READY, FakeDiscord
from tests.fakes.discord_state import Intents
from tests.fakes.telegram_models import make_png

HABITS = ["running", "reading", "rowing", "meditation"]
MESSAGES = "/channels/{channel_id}/messages"


class CheckinView(discord.ui.View):
    """Persistent: no timeout, fixed custom_id, registered with bot.add_view at start-up."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Done ✅", style=discord.ButtonStyle.success, custom_id="checkin:done")
    async def done(
        self, interaction: discord.Interaction, button: discord.ui.Button[CheckinView]
    ) -> None:
        await interaction.response.edit_message(
            content=f"Checked in by {interaction.user.name}", view=None
        )


class RenameModal(discord.ui.Modal, title="Rename habit"):
    name: discord.ui.TextInput[RenameModal] = discord.ui.TextInput(
        label="New name", custom_id="habit:name"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Renamed to {self.name.value}", ephemeral=True)


class PeriodView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        custom_id="period",
        options=[discord.SelectOption(label=p, value=p) for p in ("daily", "weekly")],
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[PeriodView]
    ) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"Period: {select.values[0]}")


class HabitTestBot(commands.Bot):
    def __init__(self, *, message_content: bool = True) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        super().__init__(command_prefix="!", intents=intents, **FAST_READY)
        self.seen: dict[str, list[Any]] = defaultdict(list)
        self._changed = asyncio.Event()
        self._add_commands()

    def note(self, name: str, value: Any) -> None:
        self.seen[name].append(value)
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_seen(self, name: str, count: int = 1, timeout: float = WAIT) -> Any:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while len(self.seen[name]) < count:
                await self._changed.wait()
        return self.seen[name][count - 1]

    async def setup_hook(self) -> None:
        self.add_view(CheckinView())

    async def on_message(self, message: discord.Message) -> None:
        if message.author != self.user:
            self.note("message", message)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.note("reaction", payload)

    def _add_commands(self) -> None:
        habit = app_commands.Group(name="habit", description="Manage your habits")

        @habit.command(name="add", description="Start tracking a habit")
        async def habit_add(
            interaction: discord.Interaction, name: str, days: int = 7, public: bool = False
        ) -> None:
            self.note("habit add", (name, days, public))
            text = f"Added {name} for {days} days"
            await interaction.response.send_message(text, ephemeral=not public)

        reminder = app_commands.Group(name="reminder", description="Reminders", parent=habit)

        @reminder.command(name="set", description="Set a daily reminder")
        async def reminder_set(interaction: discord.Interaction, hour: int) -> None:
            await interaction.response.send_message(f"Reminder at {hour}:00")
            await interaction.edit_original_response(content=f"Reminder at {hour}:00 ⏰")
            await interaction.followup.send("Pick a period", view=PeriodView(), ephemeral=True)

        self.tree.add_command(habit)

        @self.tree.command(description="Rename a habit")
        async def rename(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(RenameModal())

        @self.tree.command(description="Check in for today")
        async def checkin(interaction: discord.Interaction, habit: str) -> None:
            self.note("checkin", habit)
            await interaction.response.send_message(f"Check in: {habit}", view=CheckinView())

        @checkin.autocomplete("habit")
        async def checkin_habit(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=h, value=h) for h in HABITS if h.startswith(current)]

        @self.tree.command(description="Upload proof of a check-in")
        async def proof(interaction: discord.Interaction, photo: discord.Attachment) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            data = await photo.read()
            self.note("proof", (photo.filename, data))
            echo = discord.File(io.BytesIO(data), filename="echo.png")
            await interaction.followup.send(f"Got {len(data)} bytes", file=echo, ephemeral=True)

        @self.tree.command(description="Nudge a friend")
        async def nudge(interaction: discord.Interaction, friend: discord.Member) -> None:
            self.note("nudge", friend)
            await interaction.response.send_message(f"Nudged {friend.mention}")


@contextlib.asynccontextmanager
async def running(fake: FakeDiscord, bot: HabitTestBot) -> AsyncIterator[HabitTestBot]:
    await bot.login(fake.token)
    task = asyncio.create_task(bot.connect())
    try:
        async with asyncio.timeout(WAIT):
            await bot.wait_until_ready()
        yield bot
    finally:
        await bot.close()
        await task


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[HabitTestBot]:
    async with running(fake, HabitTestBot()) as client:
        yield client


def text_channel(bot: HabitTestBot, fake: FakeDiscord) -> discord.TextChannel:
    channel = bot.get_channel(fake.default_channel.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_login_connect_and_guild_cache(fake: FakeDiscord, bot: HabitTestBot) -> None:
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    assert bot.application_id == fake.application_id
    guild = bot.get_guild(fake.default_guild.id)
    assert guild is not None and [c.name for c in guild.text_channels] == ["general", "habits"]
    assert [c.template for c in fake.calls] == ["/users/@me", "/oauth2/applications/@me"]
    session = fake.session
    assert session.has(Intents.GUILDS | Intents.GUILD_MESSAGES) and session.has(
        Intents.MESSAGE_CONTENT
    )
    assert not session.has(Intents.GUILD_MEMBERS)
    connection = session.connection
    assert connection is not None and connection.compressor is not None
    assert connection.query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    await fake.wait_for(lambda: connection.heartbeats >= 1, what="a heartbeat")
    assert [f["t"] for f in session.history] == ["READY", "GUILD_CREATE"]
    fake.assert_no_violations()


async def test_tree_sync_puts_global_and_guild_commands(
    fake: FakeDiscord, bot: HabitTestBot
) -> None:
    synced = await bot.tree.sync()
    assert len(fake.command_puts) == 1 and fake.command_puts[0][0] is None
    assert sorted(c.name for c in synced) == ["checkin", "habit", "nudge", "proof", "rename"]
    habit = next(c for c in fake.global_commands if c["name"] == "habit")
    add = habit["options"][0]
    assert (add["type"], add["name"]) == (1, "add")
    assert [(o["name"], o["type"], o.get("required", False)) for o in add["options"]] == [
        ("name", 3, True),
        ("days", 4, False),
        ("public", 5, False),
    ]
    again = await bot.tree.sync()
    assert {c.id for c in again} == {c.id for c in synced}  # ids are stable like Discord's
    guild = discord.Object(fake.default_guild.id)
    bot.tree.copy_global_to(guild=guild)
    await bot.tree.sync(guild=guild)
    assert fake.command_puts[-1][0] == fake.default_guild.id
    assert len(fake.commands_for(fake.default_guild)) == 5
    fake.assert_no_violations()


async def test_slash_command_typed_options_and_ephemeral_reply(
    fake: FakeDiscord, bot: HabitTestBot
) -> None:
    await bot.tree.sync()
    record = fake.slash_command("habit add", {"name": "running", "days": 30})
    response = await fake.wait_for_interaction_response(record)
    assert bot.seen["habit add"] == [("running", 30, False)]
    assert response.type == 4 and response.data["flags"] == 64 and response.ephemeral
    assert response.content == "Added running for 30 days"
    message = response.message
    assert message is not None and message.ephemeral and message.interaction_id == record.id
    assert fake.last_message(fake.default_channel.id) is message
    [call] = fake.calls_to("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
    assert call.query == {"with_response": "1"} and not call.authorized
    public = fake.slash_command("habit add", {"name": "reading", "public": True})
    assert not (await fake.wait_for_interaction_response(public)).ephemeral
    fake.assert_no_violations()


async def test_group_followup_select_and_modal(fake: FakeDiscord, bot: HabitTestBot) -> None:
    await bot.tree.sync()
    record = fake.slash_command("habit reminder set", {"hour": 7})
    hour = {"name": "hour", "type": 4, "value": 7}
    subcommand = {"name": "set", "type": 1, "options": [hour]}
    assert record.data["options"] == [{"name": "reminder", "type": 2, "options": [subcommand]}]
    [followup] = await fake.wait_for_followups(record)
    assert record.original is not None and record.original.content == "Reminder at 7:00 ⏰"
    assert followup.ephemeral and followup.custom_ids() == ["period"]
    choice = fake.choose(followup, ["weekly"])
    await fake.wait_for(lambda: followup.content == "Period: weekly", what="the select edit")
    assert choice.callback is not None and choice.callback.type == 6
    opened = fake.slash_command("rename")
    modal = await fake.wait_for_interaction_response(opened)
    assert modal.type == 9 and modal.data["title"] == "Rename habit"
    submitted = fake.submit_modal(opened, {"habit:name": "Morning run"})
    answer = await fake.wait_for_interaction_response(submitted)
    assert answer.content == "Renamed to Morning run" and answer.ephemeral
    fake.assert_no_violations()


async def test_user_option_resolves_to_member(fake: FakeDiscord, bot: HabitTestBot) -> None:
    await bot.tree.sync()
    bob = fake.new_user("bob")
    fake.add_member(fake.default_guild, bob)
    record = fake.slash_command("nudge", {"friend": bob})
    response = await fake.wait_for_interaction_response(record)
    member = bot.seen["nudge"][0]
    assert isinstance(member, discord.Member) and member.id == bob.id and member.name == "bob"
    assert response.content == f"Nudged <@{bob.id}>"
    fake.assert_no_violations()


async def test_persistent_button_press_updates_message(
    fake: FakeDiscord, bot: HabitTestBot
) -> None:
    await bot.tree.sync()
    command = fake.slash_command("checkin", {"habit": "rowing"})
    message = (await fake.wait_for_interaction_response(command)).message
    assert message is not None and message.custom_ids() == ["checkin:done"]
    press = fake.press_button(message, "checkin:done")
    answer = await fake.wait_for_interaction_response(press)
    assert answer.type == 7 and answer.message is message
    assert message.content == "Checked in by alice" and message.components == []
    assert len(message.edits) == 1
    fake.assert_no_violations()


async def test_views_still_work_after_a_restart(fake: FakeDiscord) -> None:
    async with running(fake, HabitTestBot()) as first:
        sent = await text_channel(first, fake).send("Daily check-in", view=CheckinView())
    stored = fake.message(fake.default_channel.id, sent.id)
    assert stored is not None and fake.sessions[0].connection is None
    async with running(fake, HabitTestBot()):
        assert fake.sessions[0].ended and fake.session is fake.sessions[1]
        press = fake.press_button(stored, label="Done ✅")
        answer = await fake.wait_for_interaction_response(press)
    assert answer.type == 7 and stored.content == "Checked in by alice"
    assert fake.identify_count == 2
    fake.assert_no_violations()


async def test_autocomplete_returns_choices(fake: FakeDiscord, bot: HabitTestBot) -> None:
    await bot.tree.sync()
    record = fake.autocomplete("checkin", "habit", "r")
    focused = record.data["options"][0]
    assert focused == {"name": "habit", "type": 3, "value": "r", "focused": True}
    response = await fake.wait_for_interaction_response(record)
    assert response.type == 8
    assert [c["name"] for c in response.choices] == ["running", "reading", "rowing"]
    fake.assert_no_violations()


async def test_attachment_option_downloads_and_deferred_followup(
    fake: FakeDiscord, bot: HabitTestBot
) -> None:
    await bot.tree.sync()
    png = make_png(24, 12)
    record = fake.slash_command("proof", {"photo": ("proof.png", png)})
    [followup] = await fake.wait_for_followups(record)
    assert bot.seen["proof"] == [("proof.png", png)]
    assert len(fake.downloads) == 1
    assert record.callback is not None and record.callback.type == 5
    # the first followup after a deferral replaces the "thinking" message
    assert followup is record.original and followup.ephemeral
    assert followup.content == f"Got {len(png)} bytes"
    [echo] = followup.attachments
    assert (echo.filename, echo.data, echo.content_type) == ("echo.png", png, "image/png")
    fake.assert_no_violations()


async def test_messages_with_content_intent(fake: FakeDiscord, bot: HabitTestBot) -> None:
    fake.send_message("I ran 5k today", attachments=[("route.txt", b"5 km")])
    message: discord.Message = await bot.wait_seen("message")
    assert message.content == "I ran 5k today" and message.guild is not None
    assert message.channel.id == fake.default_channel.id and message.author.name == "alice"
    assert await message.attachments[0].read() == b"5 km"
    fake.send_dm("hello bot")
    dm: discord.Message = await bot.wait_seen("message", 2)
    assert isinstance(dm.channel, discord.DMChannel) and dm.content == "hello bot"


async def test_messages_without_content_intent(fake: FakeDiscord) -> None:
    async with running(fake, HabitTestBot(message_content=False)) as bot:
        fake.send_message("secret plans")
        assert (await bot.wait_seen("message")).content == ""
        fake.send_message(f"{fake.bot_user.mention} help")
        assert (await bot.wait_seen("message", 2)).content.endswith(" help")
        fake.send_dm("dm text")
        assert (await bot.wait_seen("message", 3)).content == "dm text"


async def test_429_is_honoured_and_retried(fake: FakeDiscord, bot: HabitTestBot) -> None:
    fault = fake.fail_next("POST", MESSAGES, retry_after=0.05)
    sent = await text_channel(bot, fake).send("Streak: 3 days")
    calls = fake.calls_to("POST", MESSAGES)
    assert [c.status for c in calls] == [429, 200] and fault.hits == 1
    assert calls[0].response == {
        "message": "You are being rate limited.",
        "retry_after": 0.05,
        "global": False,
    }
    assert calls[0].headers["Retry-After"] == "1"
    assert calls[0].headers["X-RateLimit-Remaining"] == "0"
    assert calls[1].at - calls[0].at >= 0.05
    assert {"X-RateLimit-Limit", "X-RateLimit-Bucket"} <= calls[1].headers.keys()
    assert [m.id for m in fake.messages_in(fake.default_channel.id)] == [sent.id]
    fake.assert_no_violations()


async def test_content_over_2000_chars_is_refused(fake: FakeDiscord, bot: HabitTestBot) -> None:
    channel = text_channel(bot, fake)
    with pytest.raises(discord.HTTPException) as info:
        await channel.send("x" * 2001)
    assert (info.value.status, info.value.code) == (400, 50035)
    assert "Must be 2000 or fewer in length" in str(info.value)
    [violation] = fake.violations
    assert violation.problems[0].path == ("content",) and fake.sent_messages == []
    await channel.send("x" * 2000)
    assert len(fake.sent_messages) == 1 and len(fake.violations) == 1
    with pytest.raises(AssertionError, match="1 Discord API violation"):
        fake.assert_no_violations()


async def test_reactions_both_ways(fake: FakeDiscord, bot: HabitTestBot) -> None:
    sent = await text_channel(bot, fake).send("React if you ran today")
    stored = fake.message(fake.default_channel.id, sent.id)
    assert stored is not None
    fake.add_reaction(stored, "🔥")
    payload: discord.RawReactionActionEvent = await bot.wait_seen("reaction")
    assert (payload.emoji.name, payload.user_id, payload.message_id) == (
        "🔥",
        fake.default_user.id,
        sent.id,
    )
    assert payload.member is not None and payload.member.name == "alice"
    await sent.add_reaction("✅")
    assert stored.reactions == {"🔥": [fake.default_user.id], "✅": [fake.bot_user.id]}
    fake.assert_no_violations()


async def test_dm_to_a_user_who_blocks_dms_is_forbidden(
    fake: FakeDiscord, bot: HabitTestBot
) -> None:
    fake.block_dms(fake.default_user)
    user = await bot.fetch_user(fake.default_user.id)
    with pytest.raises(discord.Forbidden) as info:
        await user.send("Time to check in!")
    assert info.value.code == 50007
    assert fake.calls_to("POST", "/users/@me/channels", ok_only=True)
    fake.unblock_dms(fake.default_user)
    await user.send("Time to check in!")
    dm = fake.dm_channel(fake.default_user)
    assert [m.content for m in fake.messages_in(dm.id)] == ["Time to check in!"]
    fake.assert_no_violations()


async def test_gateway_resume_after_disconnect(fake: FakeDiscord, bot: HabitTestBot) -> None:
    session = fake.session
    await fake.disconnect()
    fake.send_message("sent around the reconnect")
    message = await bot.wait_seen("message")
    assert message.content == "sent around the reconnect"
    await fake.wait_for(lambda: session.resumes == 1 and session.connection, what="RESUME")
    assert fake.identify_count == 1 and len(fake.connections) == 2
    assert bot.ws is not None and bot.ws.sequence == session.seq
    fake.send_message("after")
    assert (await bot.wait_seen("message", 2)).content == "after"
    assert len(bot.seen["message"]) == 2  # nothing lost or replayed twice


async def test_late_interaction_response_is_a_violation(
    fake: FakeDiscord, bot: HabitTestBot
) -> None:
    await bot.tree.sync()
    fake.interaction_timeout = 0.0
    record = fake.slash_command("habit add", {"name": "late"})
    [call] = await fake.wait_for_calls("POST", r"/interactions/.*/callback")
    assert call.status == 404 and call.response["code"] == 10062 and record.callback is None
    assert "Unknown interaction" in str(fake.violations[0])


async def test_limits_reported_like_discord(fake: FakeDiscord) -> None:
    button = {"type": 2, "style": 1, "label": "x" * 81, "custom_id": "a"}
    rows = [{"type": 1, "components": [button]} for _ in range(6)]
    body: dict[str, Any] = {"content": "hi", "components": rows, "embeds": [{"title": "t"}] * 11}
    url = f"{fake.api_base}/channels/{fake.default_channel.id}/messages"
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json=body, headers=headers) as reply:
            assert reply.status == 400 and reply.headers["Content-Type"] == "application/json"
            errors = (await reply.json())["errors"]
        async with session.get(f"{fake.api_base}/users/@me") as reply:
            assert reply.status == 401
        async with session.get(f"{fake.api_base}/no/such/route", headers=headers) as reply:
            assert reply.status == 404
    intruder = HabitTestBot()
    with pytest.raises(discord.LoginFailure):
        await intruder.login("not-the-token")
    await intruder.close()
    assert errors["components"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert errors["components"]["0"]["components"]["0"]["label"]["_errors"]
    assert errors["components"]["1"]["components"]["0"]["custom_id"]["_errors"][0]["code"] == (
        "COMPONENT_CUSTOM_ID_DUPLICATED"
    )
    assert errors["embeds"]["_errors"][0]["message"] == "Must be 10 or fewer in length."
    assert [v.path for v in fake.violations] == [
        f"/channels/{fake.default_channel.id}/messages",
        "/no/such/route",
    ]
