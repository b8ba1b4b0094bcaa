"""What the gateway tells of the channels groups live in, for the client (adapter.py): a
group's channel gone (the bot removed from its server, or the channel or thread deleted) or back
(the bot added to the server again), so its weekly summaries stop or resume; and renamed, so
/groups, /group mine and summaries call it by its new name at once."""

from __future__ import annotations

import logging

import discord

from adapters.discord.translate import PLATFORM, guild_chat_ids
from bot.dispatcher import HabitLinkBot
from core.errors import StorageError

log = logging.getLogger("habitlink.discord")


class ChatEvents:
    """Gateway event handlers of discord.Client's, mixed into HabitLinkClient. A database that
    fails for a moment loses nothing that matters: the outbox's refusals mark a gone chat later,
    and the next group command in a renamed channel writes its name."""

    bot: HabitLinkBot

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self._mark(guild_chat_ids(guild), gone=True)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._mark(guild_chat_ids(guild), gone=False)

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self._mark([str(channel.id)], gone=True)

    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        await self._mark([str(payload.thread_id)], gone=True)

    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        if after.name != before.name:  # a topic, position or permission change is an update too
            await self._retitle(str(after.id), after.name)

    async def on_thread_update(self, before: discord.Thread, after: discord.Thread) -> None:
        if after.name != before.name:
            await self._retitle(str(after.id), after.name)

    async def _mark(self, chat_ids: list[str], *, gone: bool) -> None:
        try:
            await self.bot.mark_chat(PLATFORM, *chat_ids, gone=gone)
        except StorageError as exc:
            log.warning("could not mark a group's chat", extra={"error": repr(exc)})

    async def _retitle(self, chat_id: str, title: str) -> None:
        try:
            await self.bot.retitle_chat(PLATFORM, chat_id, title)
        except StorageError as exc:
            log.warning("could not rename a group's chat", extra={"error": repr(exc)})
