"""The adapter's connections to Telegram: the pools ApplicationBuilder would build, and one TLS
context (one CA bundle in memory) for all of them. Every other test in this directory long-polls
the fake server through them."""

from __future__ import annotations

import ssl
from typing import Any

from adapters.telegram.adapter import TelegramAdapter
from bot.dispatcher import HabitLinkBot


def client_kwargs(request: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = request._client_kwargs  # PTB's HTTPXRequest keeps what it built
    return kwargs


async def test_replies_and_get_updates_pools_share_one_tls_context(bot: HabitLinkBot) -> None:
    adapter = TelegramAdapter(bot, token="123:abc")
    replies, updates = adapter.application.bot.request, adapter.application.bot._request[0]
    tls = client_kwargs(replies)["verify"]
    assert isinstance(tls, ssl.SSLContext)
    assert tls.verify_mode == ssl.CERT_REQUIRED and tls.check_hostname
    assert client_kwargs(updates)["verify"] is tls
    assert adapter.intake.tls is tls  # the long poll's pool too
    # What ApplicationBuilder builds by default: 256 connections for replies, 1 for getUpdates.
    assert client_kwargs(replies)["limits"].max_connections == 256
    assert client_kwargs(updates)["limits"].max_connections == 1
