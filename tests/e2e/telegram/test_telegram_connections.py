"""The adapter's connections to Telegram: a few requests in flight at once for replies, one for
getUpdates, and one TLS context (one CA bundle in memory) for all of them. Every other test in
this directory long-polls the fake server through them."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, TimedOut

from adapters.telegram import http
from adapters.telegram.adapter import TelegramAdapter
from adapters.telegram.http import IN_FLIGHT, SPARE, BoundedRequest
from bot.dispatcher import HabitLinkBot
from tests.fakes.changes import WAIT
from tests.fakes.telegram_api import FakeTelegram
from tests.support.telegram import TelegramHarness


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
    assert client_kwargs(replies)["limits"].max_connections == IN_FLIGHT + SPARE
    assert client_kwargs(updates)["limits"].max_connections == 1


async def test_replies_in_many_chats_keep_a_few_requests_in_flight(
    telegram: TelegramHarness,
) -> None:
    """Twenty people write at once to a Telegram that answers no call until the test lets it:
    the replies go out IN_FLIGHT at a time (more would only be more connections to keep), and
    all arrive."""
    fake = telegram.fake
    people = [fake.new_user(f"Person {i}") for i in range(20)]
    for person in people:
        await telegram.say("/start", user=person)  # each one known (and their chat open) first
    fake.held = asyncio.Event()
    fake.most_in_flight = 0
    since = len(fake.sent_messages)
    for person in people:
        fake.send_text("/habits", chat=fake.private_chat(person), user=person)
    await fake.wait_for(lambda: fake.in_flight >= IN_FLIGHT, what=f"{IN_FLIGHT} calls in flight")
    fake.held.set()
    await fake.wait_for(lambda: len(fake.sent_messages) >= since + 20, what="20 replies")
    assert fake.most_in_flight == IN_FLIGHT
    assert {m.chat_id for m in fake.sent_messages[since:]} == {p.id for p in people}
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)


async def test_a_request_waits_for_its_place_only_so_long(monkeypatch: Any) -> None:
    """With every place taken by calls Telegram is slow to answer, a further call fails as
    PTB's TimedOut after PLACE_WAIT, unsent; the calls in flight still succeed."""
    monkeypatch.setattr(http, "PLACE_WAIT", 0.2)
    async with FakeTelegram() as fake:
        fake.latency = 1.0
        request = BoundedRequest(in_flight=1)
        await request.initialize()
        try:
            url = f"{fake.base_url}{fake.token}/getMe"
            first = asyncio.ensure_future(request.post(url))
            await fake.wait_for(lambda: fake.in_flight == 1, what="the first call")
            with pytest.raises(TimedOut):
                await request.post(url)
            assert (await first)["is_bot"] is True
            assert len(fake.calls_of("getMe")) == 1  # the second was never sent
        finally:
            await request.shutdown()


async def test_a_press_is_answered_whatever_is_in_flight() -> None:
    """Every place is taken by a call Telegram is slow to answer; the answer to a button press
    (which Telegram accepts only for a few seconds) is sent at once all the same."""
    async with FakeTelegram() as fake:
        bot = Bot(fake.token, base_url=fake.base_url, request=BoundedRequest(in_flight=1))
        async with bot:
            fake.latency = 1.0
            first = asyncio.ensure_future(bot.get_me())
            await fake.wait_for(lambda: fake.in_flight == 1, what="the first call")
            answer = asyncio.ensure_future(bot.answer_callback_query("no-such-press"))
            await fake.wait_for(lambda: fake.in_flight == 2, what="the answer, at once")
            assert not first.done()
            with pytest.raises(BadRequest):  # no such press: what matters is that it was sent
                await answer
            await first
