"""Discord as a platform of `habitlink run` (registered as an entry point)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from bot.app import App
from bot.config import Settings

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordAdapter


class DiscordPlatform:
    name = "discord"

    def __init__(self, **client_kwargs: Any) -> None:
        """`client_kwargs` go to discord.Client (tests pass FAST_READY)."""
        self.client_kwargs = client_kwargs

    def configured(self, settings: Settings) -> bool:
        return settings.discord_bot_token is not None

    def _adapter(self, app: App) -> DiscordAdapter:
        # Imported here: a platform that is off imports nothing of its library.
        from adapters.discord.adapter import DiscordAdapter

        settings = app.settings
        assert settings.discord_bot_token is not None
        return DiscordAdapter(
            app.bot,
            token=settings.discord_bot_token.get_secret_value(),
            guild_id=settings.discord_guild_id,
            message_content=settings.discord_message_content,
            **self.client_kwargs,
        )

    @asynccontextmanager
    async def sender(self, app: App) -> AsyncIterator[DiscordAdapter]:
        """REST only: no gateway, no command sync (that is `habitlink run`'s job)."""
        adapter = self._adapter(app)
        await adapter.login_only()
        try:
            yield adapter
        finally:
            await adapter.close()

    async def serve(self, app: App, stop: asyncio.Event) -> None:
        adapter = self._adapter(app)

        def started() -> None:
            app.senders[self.name] = adapter

        try:
            await adapter.serve(stop, on_started=started)
        finally:
            app.senders.pop(self.name, None)
