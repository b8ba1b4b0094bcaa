"""Telegram as a platform of `habitlink run` (registered as an entry point)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from bot.app import App
from bot.config import Settings

if TYPE_CHECKING:
    from adapters.telegram.adapter import TelegramAdapter


def webhook_secret(settings: Settings) -> str:
    """The secret every webhook update must carry; refuses (WeakSecret) one others could know,
    such as one derived from the placeholder SECRET_KEY."""
    settings.require_webhook_secret()
    return settings.effective_webhook_secret


class TelegramPlatform:
    name = "telegram"

    def configured(self, settings: Settings) -> bool:
        return settings.telegram_bot_token is not None

    def _adapter(self, app: App) -> TelegramAdapter:
        # Imported here: a platform that is off imports nothing of its library.
        from adapters.telegram.adapter import TelegramAdapter

        settings = app.settings
        assert settings.telegram_bot_token is not None
        return TelegramAdapter(
            app.bot,
            token=settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            base_file_url=settings.telegram_file_base_url,
            limiter=app.rate_limiter,  # the bot's limits, shared with the scheduler
        )

    @asynccontextmanager
    async def sender(self, app: App) -> AsyncIterator[TelegramAdapter]:
        adapter = self._adapter(app)
        async with adapter.application:
            yield adapter

    async def serve(self, app: App, stop: asyncio.Event) -> None:
        settings = app.settings
        adapter = self._adapter(app)

        def started() -> None:
            app.senders[self.name] = adapter

        await adapter.serve(
            stop,
            webhook_url=settings.telegram_webhook_url,
            webhook_secret=webhook_secret(settings) if settings.telegram_webhook_url else None,
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            on_started=started,
        )
        app.senders.pop(self.name, None)
