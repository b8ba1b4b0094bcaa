"""Chat platforms plug in through entry points, so bot/ never imports an adapter.

pyproject.toml lists them under [project.entry-points."habitlink.platforms"]; each names a class
with a `name`, `configured(settings)` and `serve(app, stop)`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol, cast

from bot.config import Settings

if TYPE_CHECKING:
    from bot.app import App
    from bot.delivery import NotificationSender


class Platform(Protocol):
    name: str

    def configured(self, settings: Settings) -> bool: ...

    async def serve(self, app: App, stop: asyncio.Event) -> None:
        """Run until `stop`; register a sender in app.senders while running."""
        ...

    def sender(self, app: App) -> AbstractAsyncContextManager[NotificationSender]:
        """A send-only connection, for `habitlink scheduler` running on its own."""
        ...


ConsoleMain = Callable[[Settings, str], Coroutine[Any, Any, int]]
WebMain = Callable[[Settings, str | None, int | None], Coroutine[Any, Any, int]]


def platforms() -> list[Platform]:
    found = entry_points(group="habitlink.platforms")
    return [cast(Platform, ep.load()()) for ep in sorted(found, key=lambda ep: ep.name)]


def console_main() -> ConsoleMain:
    (ep,) = entry_points(group="habitlink.console", name="console")
    return cast(ConsoleMain, ep.load())


def web_main() -> WebMain:
    """`habitlink web`: web_admin/ plugs in like the console does (bot/ never imports it)."""
    (ep,) = entry_points(group="habitlink.web", name="web")
    return cast(WebMain, ep.load())
