"""The Discord adapter: a discord.py client with application (slash) commands, persistent buttons
and reactions, driving the neutral bot layer; also the Notifier's sender for reminders."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import discord
from discord import app_commands

from adapters.discord.chats import ChatEvents
from adapters.discord.commands import build_tree, tree_hash
from adapters.discord.render import (
    NO_MENTIONS,
    CommandNames,
    Outgoing,
    PayloadButton,
    asking,
    editable,
    escape,
    messages,
    payloads,
)
from adapters.discord.translate import (
    MAX_BUTTONS,
    button_request,
    chat,
    habit_titles,
    message_requests,
    person,
    slash_request,
    tool_titles,
)
from bot import buttons
from bot.commands import Command
from bot.delivery import Refused, SendFailed, Unreachable
from bot.dispatcher import HabitLinkBot
from bot.messages import Reply, Request, Response
from bot.metrics import REPLIES, rate_limit_trace
from bot.ordering import Sequencer
from core.errors import StorageConflict, StorageError
from core.ratelimit import Limit

log = logging.getLogger("habitlink.discord")
DEFER_AFTER = 2.0  # seconds; Discord wants a first answer to an interaction within 3
# The first answer is given up on this long after the interaction arrived (a 429 asking to
# wait past Discord's 3 seconds): Discord would refuse it by then, so the messages go to the
# channel instead. Close to 3 s, so a slow but timely answer is never cut short.
ANSWER_WITHIN = 2.9
LIKE_EMOJI = "👍"
LIKE_PAYLOAD = re.compile(rf"{buttons.LEARNING_LIKE}:\d+")  # a learning card's Like button
CANNOT_SEND = {50007, 50001, 50013, 10003}  # cannot DM, missing access or permissions, no channel
SORRY = "Sorry, something went wrong on my side while answering. Please check before retrying."
SHARED = "Shared in the channel."
NOTHING = "Nothing to show."
Interaction = discord.Interaction[Any]


class HabitLinkClient(ChatEvents, discord.Client):
    """discord.Client whose events go to the adapter (and, about groups' channels, to the bot:
    chats.py)."""

    def __init__(self, adapter: DiscordAdapter, *, intents: discord.Intents, **kwargs: Any) -> None:
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **kwargs)
        self.adapter = adapter
        self.bot = adapter.bot
        self.tree: app_commands.CommandTree[HabitLinkClient] = app_commands.CommandTree(self)
        self.tree.on_error = adapter.on_command_error  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        await self.adapter.setup()

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_message(message)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.adapter.on_reaction(payload)

    async def on_payload_button(self, interaction: Interaction, payload: str) -> None:
        """Called by PayloadButton (render.py) for every press of one of our buttons."""
        await self.adapter.on_button(interaction, payload)


class ShardedHabitLinkClient(HabitLinkClient, discord.AutoShardedClient):
    """The same client on several gateway connections (shards) in one process."""


class DiscordAdapter:
    platform = "discord"

    def __init__(
        self,
        bot: HabitLinkBot,
        *,
        token: str,
        guild_id: int | None = None,
        message_content: bool = False,
        commands: Iterable[Command] | None = None,
        sync_commands: bool = True,
        defer_after: float = DEFER_AFTER,
        answer_within: float = ANSWER_WITHIN,
        **client_kwargs: Any,
    ) -> None:
        """`message_content`: the privileged intent (enable it in the Developer Portal too);
        without it the bot reads DMs and messages that mention it, and slash commands.
        `commands`: the declared commands to publish (the bot's, by default).
        `defer_after`, `answer_within`: DEFER_AFTER and ANSWER_WITHIN (tests widen them with the
        fake's window, which a loaded machine could pass). `client_kwargs` go to discord.Client
        (tests pass FAST_READY)."""
        self.bot = bot
        self.token = token
        self.guild_id = guild_id
        self.commands = tuple(bot.router.commands.values() if commands is None else commands)
        self.names = CommandNames.of(self.commands)  # ids come with the sync
        self.sync_commands = sync_commands
        self.defer_after = defer_after
        self.answer_within = answer_within
        intents = discord.Intents.default()  # guilds, messages, DMs, reactions; no members
        intents.message_content = message_content
        # DISCORD_SHARD_COUNT: one process runs the shards DISCORD_SHARD_IDS (default: all).
        sharded = client_kwargs.get("shard_count") is not None
        client_class = ShardedHabitLinkClient if sharded else HabitLinkClient
        # Every 429 is counted where it arrives, on discord.py's HTTP session (REST calls and
        # interaction answers alike), whatever discord.py then logs.
        client_kwargs.setdefault("http_trace", rate_limit_trace(self.platform))
        self.client = client_class(self, intents=intents, **client_kwargs)
        self._task: asyncio.Task[None] | None = None
        self.messages = Sequencer("discord-messages")

    # --- lifecycle -----------------------------------------------------------------------
    async def setup(self) -> None:
        """After login, before the gateway: persistent buttons, the commands, a sync if needed."""
        self.client.add_dynamic_items(PayloadButton)
        build_tree(
            self.client.tree,
            self.commands,
            self.on_slash,
            self.complete_habit,
            self.complete_tool,
            self.complete_archived,
        )
        if self.sync_commands:
            try:
                await self.publish_commands()
            except (discord.HTTPException, StorageError) as exc:
                log.warning("could not publish the slash commands", extra={"error": repr(exc)})
        await self.learn_command_ids()  # also for a send-only scheduler's messages

    async def learn_command_ids(self) -> None:
        """The published commands' ids, so replies can mention them as clickable commands."""
        guild = discord.Object(self.guild_id) if self.guild_id else None
        try:
            published = await self.client.tree.fetch_commands(guild=guild)
        except discord.HTTPException as exc:
            log.warning("could not read the slash commands' ids", extra={"error": repr(exc)})
            return
        self.names = CommandNames.of(self.commands, {c.name: c.id for c in published})

    async def publish_commands(self) -> bool:
        """Sync the command tree, only when it differs from the last one synced (its hash is
        kept in bot_state). Returns whether it synced."""
        tree = self.client.tree
        guild = discord.Object(self.guild_id) if self.guild_id else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
        digest = tree_hash(tree, guild)
        key = f"discord:commands:{self.client.application_id}:{self.guild_id or 'global'}"
        async with self.bot.uow() as uow:
            if await uow.bot_state.get(key) == digest:
                log.info("slash commands unchanged", extra={"target": key})
                return False
        await tree.sync(guild=guild)
        try:
            async with self.bot.uow() as uow:
                await uow.bot_state.put(key, digest)
                await uow.commit()
        except StorageConflict:  # another process synced at the same moment
            pass
        log.info("published the slash commands", extra={"target": key})
        return True

    async def start(self) -> None:
        """Log in (setup runs), connect to the gateway and wait until ready."""
        await self.client.login(self.token)
        self._task = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait({self._task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            await self.close()  # connect() ended before READY: raise its error

    async def close(self) -> None:
        await self.messages.drain(timeout=3.0)
        await self.client.close()
        task, self._task = self._task, None
        if task is not None:
            await task

    async def login_only(self) -> None:
        """A send-only connection (REST, no gateway), for `habitlink scheduler`."""
        self.sync_commands = False
        await self.client.login(self.token)

    async def serve(
        self, stop: asyncio.Event, *, on_started: Callable[[], None] | None = None
    ) -> None:
        """Run until `stop` is set (or the gateway connection fails for good)."""
        await self.start()
        assert self._task is not None
        if on_started is not None:
            on_started()
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({self._task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            await self.close()

    # --- incoming ------------------------------------------------------------------------
    async def on_slash(
        self, interaction: Interaction, command: Command, values: Mapping[str, Any]
    ) -> None:
        request = slash_request(interaction, command, values)
        await self._interaction(interaction, request, pressed=False)

    async def on_button(self, interaction: Interaction, payload: str) -> None:
        await self._interaction(interaction, button_request(interaction, payload), pressed=True)

    async def complete_habit(self, interaction: Interaction, current: str) -> list[str]:
        return await habit_titles(self.bot, interaction.user, current)

    async def complete_archived(self, interaction: Interaction, current: str) -> list[str]:
        return await habit_titles(self.bot, interaction.user, current, archived=True)

    async def complete_tool(self, interaction: Interaction, current: str) -> list[str]:
        return await tool_titles(self.bot, interaction.user, current)

    async def on_message(self, message: discord.Message) -> None:
        """Messages are handled concurrently, in order per channel and per person (discord.py
        runs every event as its own task: typed answers to a flow raced each other)."""
        me = self.client.user
        if me is None:
            return
        requests = message_requests(message, me.id)
        if not requests:
            return

        async def handle() -> None:
            for request in requests:  # several images: one request each, one proof for all
                response = await self.bot.handle(request)
                try:
                    await self.deliver(
                        message.channel, response, in_guild=message.guild is not None
                    )
                except discord.HTTPException as exc:
                    log.warning("could not answer a message", extra={"error": repr(exc)})

        keys = (("channel", message.channel.id), ("user", message.author.id))
        self.messages.submit(keys, handle)

    async def on_reaction(self, event: discord.RawReactionActionEvent) -> None:
        """A 👍 on a learning the bot posted likes it, like pressing its Like button. Discord
        has no private answer to a reaction, so only the card's count changes."""
        me = self.client.user
        if me is None or str(event.emoji) != LIKE_EMOJI or event.user_id == me.id:
            return
        if event.message_author_id is not None and event.message_author_id != me.id:
            return
        try:
            channel = self.client.get_partial_messageable(event.channel_id, guild_id=event.guild_id)
            message = await channel.fetch_message(event.message_id)
            user = event.member or await self.client.fetch_user(event.user_id)
        except discord.HTTPException as exc:
            log.info("reaction on an unreadable message", extra={"error": repr(exc)})
            return
        likes = [p for p in payloads(message) if LIKE_PAYLOAD.fullmatch(p)]
        if message.author.id != me.id or len(likes) != 1 or user.bot:
            return  # not a learning's card (a feed page has several Like buttons: use those)
        request = Request(
            sender=person(user),
            chat=chat(message.channel, message.channel.id, event.guild_id),
            button=likes[0],
            max_buttons=MAX_BUTTONS,
        )
        response = await self.bot.handle(request)
        edits = [
            out for r in response.replies if r.edit and (out := editable(r, self.names)) is not None
        ]
        if edits:
            try:
                await message.edit(**edits[0].edit_kwargs())
            except discord.HTTPException as exc:
                log.warning("could not update a liked card", extra={"error": repr(exc)})

    async def on_command_error(
        self, interaction: Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error("slash command failed", exc_info=error, extra={"error": repr(error)})
        await self._apologise(interaction)

    # --- answering interactions ------------------------------------------------------------
    async def _interaction(
        self, interaction: Interaction, request: Request, *, pressed: bool
    ) -> None:
        deadline = asyncio.get_running_loop().time() + self.answer_within
        try:
            response = await self._handle_in_time(interaction, request, pressed=pressed)
            await Answer(interaction, self.names, deadline).respond(response, pressed=pressed)
        except Exception as exc:  # the bot contains its own faults: this failed around it
            log.exception("could not answer an interaction", extra={"error": repr(exc)})
            await self._apologise(interaction)

    async def _handle_in_time(
        self, interaction: Interaction, request: Request, *, pressed: bool
    ) -> Response:
        """The bot's response; when it takes long, the interaction is deferred first."""
        task = asyncio.ensure_future(self.bot.handle(request))
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if not done and not interaction.response.is_done():
            if pressed:
                await interaction.response.defer()  # the message updates later
            else:  # "thinking…", private in a channel until we know the answer may be public
                ephemeral = interaction.guild_id is not None
                await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        return await task

    async def _apologise(self, interaction: Interaction) -> None:
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(SORRY, ephemeral=True)
            else:
                await interaction.followup.send(SORRY, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not send the apology")

    # --- outgoing ------------------------------------------------------------------------
    async def deliver(
        self, channel: discord.abc.Messageable, response: Response, *, in_guild: bool = False
    ) -> None:
        """Send every reply to a channel (personal replies cannot be private outside an
        interaction). A notice belongs to a button press and is not sent here."""
        for reply in response.replies:
            for out in messages(asking(reply, in_guild=in_guild), self.names):
                await channel.send(**out.send_kwargs())
                REPLIES.labels(DiscordAdapter.platform).inc()

    # --- notifications (reminders, summaries) --------------------------------------------
    def limits(self, chat_id: str) -> tuple[Limit, ...]:
        """Discord's global limit (50 requests a second) and about 5 messages / 5 s a channel."""
        return (Limit("discord:all", 50, 1.0), Limit(f"discord:chat:{chat_id}", 5, 5.0))

    async def send_response(self, chat_id: str, response: Response) -> None:
        """Send a notification to a DM channel or a guild channel. A closed DM (50007) or a lost
        channel is Unreachable; another 4xx (but a 429) is Refused; the rest is retried later
        (discord.py waits out 429s itself)."""
        channel = self.client.get_partial_messageable(int(chat_id))
        try:
            await self.deliver(channel, response)
        except (discord.Forbidden, discord.NotFound) as exc:
            if exc.code in CANNOT_SEND:
                raise Unreachable(exc.text or str(exc)) from exc
            raise Refused(str(exc)) from exc
        except discord.HTTPException as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                raise Refused(str(exc)) from exc
            raise SendFailed(str(exc)) from exc
        except (TimeoutError, OSError) as exc:
            raise SendFailed(repr(exc)) from exc


class Answer:
    """Answers one interaction: the first message as the response, the rest as followups;
    personal replies in a guild channel are ephemeral; a press edits its message in place."""

    def __init__(self, interaction: Interaction, names: CommandNames, deadline: float) -> None:
        self.interaction = interaction
        self.names = names
        self.deadline = deadline  # loop time by which the interaction must be answered
        self.late = False  # it could not be: messages go to the channel (or the DM) instead
        self.in_guild = interaction.guild_id is not None
        # A slash command deferred with "thinking…": its placeholder becomes the first message.
        self.placeholder = (
            interaction.response.is_done()
            and interaction.response.type
            is discord.InteractionResponseType.deferred_channel_message
        )

    async def respond(self, response: Response, *, pressed: bool) -> None:
        can_edit = pressed
        edited = False
        for reply in response.replies:
            ephemeral = self._private(reply)
            reply = asking(reply, in_guild=self.in_guild, ephemeral=ephemeral)
            out = editable(reply, self.names) if reply.edit and can_edit else None
            if out is not None:
                await self.edit(out)
                can_edit, edited = False, True
                continue
            for message in messages(reply, self.names):
                await self.send(message, ephemeral=ephemeral)
        notice = response.notice
        if notice and not edited:  # the edited message already shows what the press did
            await self.send(Outgoing(escape(notice)), ephemeral=True)
        if not self.interaction.response.is_done() and not self.late:
            if pressed:
                await self.interaction.response.defer()  # every press is answered
            else:
                await self.send(Outgoing(NOTHING), ephemeral=True)

    def _private(self, reply: Reply) -> bool:
        return reply.personal and self.in_guild

    async def _in_time(self, answer: Awaitable[object]) -> bool:
        """Make the interaction's first answer; False when Discord's window would pass first
        (discord.py waits out a 429 however long it asks)."""
        try:
            async with asyncio.timeout_at(self.deadline):
                await answer
        except TimeoutError:
            log.warning("could not answer an interaction in time; answering in the channel")
            self.late = True
            return False
        return True

    async def _late(self, out: Outgoing, *, ephemeral: bool) -> None:
        """A message the interaction could not carry: to the channel, or to the person's DM
        when it is theirs alone."""
        interaction = self.interaction
        if ephemeral or interaction.channel_id is None:
            await interaction.user.send(**out.send_kwargs())
        else:
            channel = interaction.client.get_partial_messageable(interaction.channel_id)
            await channel.send(**out.send_kwargs())

    async def edit(self, out: Outgoing) -> None:
        response = self.interaction.response
        message = self.interaction.message
        if self.late and message is not None:
            await message.edit(**out.edit_kwargs())
        elif not response.is_done():
            answer = response.edit_message(**out.edit_kwargs())
            if not await self._in_time(answer) and message is not None:
                await message.edit(**out.edit_kwargs())
        else:  # deferred: the original response is the pressed message
            await self.interaction.edit_original_response(**out.edit_kwargs())

    async def send(self, out: Outgoing, *, ephemeral: bool) -> None:
        interaction = self.interaction
        REPLIES.labels(DiscordAdapter.platform).inc()
        if self.late:
            await self._late(out, ephemeral=ephemeral)
            return
        if not interaction.response.is_done():
            answer = interaction.response.send_message(**out.send_kwargs(), ephemeral=ephemeral)
            if not await self._in_time(answer):
                await self._late(out, ephemeral=ephemeral)
            return
        if self.placeholder:
            self.placeholder = False
            placeholder_private = self.in_guild
            if ephemeral == placeholder_private:
                kwargs = out.edit_kwargs()
                file = out.file()
                if file is not None:
                    kwargs["attachments"] = [file]
                await interaction.edit_original_response(**kwargs)
                return
            await interaction.edit_original_response(content=SHARED)
        await interaction.followup.send(**out.send_kwargs(), ephemeral=ephemeral)
