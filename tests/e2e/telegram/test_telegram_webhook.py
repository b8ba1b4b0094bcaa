"""Webhook mode: the adapter's own HTTP endpoint, guarded by the secret token."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.telegram.adapter import TelegramAdapter
from adapters.telegram.platform import webhook_secret
from bot.config import Settings, WeakSecret
from bot.dispatcher import HabitLinkBot
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_models import StoredMessage, detect_entities
from tests.support.network import free_port
from tests.support.telegram import TelegramHarness

SECRET = "s3cret"


class Webhook(TelegramHarness):
    url: str
    message_ids = iter(range(10_000, 20_000))

    def update(self, text: str) -> dict[str, Any]:
        """Update JSON of Alice writing `text`, not queued in the fake: for posting by hand."""
        user = self.fake.default_user
        message = StoredMessage(
            chat=self.fake.private_chat(user),
            message_id=next(self.message_ids),
            date=int(time.time()),
            from_user=user,
            text=text,
            plain_text=text,
            entities=detect_entities(text),
        )
        return {"message": message.to_api()}

    async def post(self, text: str, secret: str | None) -> tuple[int | None, list[StoredMessage]]:
        """POST an update straight to the webhook; returns the HTTP status and, for a 200, the
        bot's reply (waited for)."""
        since = len(self.fake.sent_messages)
        status = await self.fake.post_to_webhook(self.update(text), secret_token=secret)
        if status != 200:
            return status, []
        chat = self.fake.private_chat()
        await self.fake.wait_for(lambda: self.messages_since(since, chat), what="a reply")
        return status, self.messages_since(since, chat)


@pytest.fixture
async def webhook(bot: HabitLinkBot) -> AsyncIterator[Webhook]:
    async with FakeTelegram() as fake:
        adapter = TelegramAdapter(
            bot, token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram"
        stop = asyncio.Event()
        task = asyncio.create_task(
            adapter.serve(
                stop, webhook_url=url, webhook_secret=SECRET, listen="127.0.0.1", port=port
            )
        )
        await fake.wait_for_calls("setWebhook", 1)
        harness = Webhook(fake, adapter)
        harness.url = url
        try:
            yield harness
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=10)
        fake.assert_no_violations()


async def test_set_webhook_with_the_secret(webhook: Webhook) -> None:
    fake = webhook.fake
    (call,) = fake.calls_of("setWebhook", ok_only=True)
    assert call.params["url"] == webhook.url
    assert call.params["secret_token"] == SECRET
    assert fake.webhook is not None and fake.webhook.secret_token == SECRET
    assert fake.calls_of("getUpdates") == []  # no polling beside the webhook


async def test_updates_with_the_secret_are_answered(webhook: Webhook) -> None:
    status, (reply,) = await webhook.post("/newhabit Read 10 pages", SECRET)
    assert status == 200
    assert (reply.plain_text or "").startswith("Created Read 10 pages, every day.")
    # Updates the fake delivers itself (with the secret from setWebhook) work the same way.
    (listing,) = await webhook.say("/habits")
    assert listing.plain_text == (
        "Today · Mon 23 Mar\n1. ○ Read 10 pages — streak 0 days\n\n0 of 1 done."
    )
    assert await webhook.press(listing, text="✓ Read 10 pages") == "✓ Read 10 pages"
    deliveries = webhook.fake.webhook_deliveries
    assert [d.status for d in deliveries] == [200, 200]
    assert {d.secret_token for d in deliveries} == {SECRET}


async def test_a_wrong_or_missing_secret_is_refused(webhook: Webhook) -> None:
    fake = webhook.fake
    since = len(fake.sent_messages)
    assert (await webhook.post("/newhabit Forged", "wrong"))[0] == 403
    assert (await webhook.post("/newhabit Forged", None))[0] == 403
    assert (await webhook.post("/newhabit Forged", SECRET.upper()))[0] == 403
    status, (reply,) = await webhook.post("/habits", SECRET)  # sent after the refused ones
    assert status == 200
    assert fake.sent_messages[since:] == [reply]  # no reply to the refused ones
    assert (reply.plain_text or "").startswith("You have no habits yet.")  # nothing was created


async def test_no_webhook_without_a_secret(bot: HabitLinkBot) -> None:
    """Without a secret token PTB would accept any POST as an update from anyone."""
    async with FakeTelegram() as fake:
        adapter = TelegramAdapter(
            bot, token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        url = f"http://127.0.0.1:{free_port()}/telegram"
        with pytest.raises(ValueError, match="webhook mode needs a secret token"):
            await adapter.serve(asyncio.Event(), webhook_url=url, webhook_secret=None)
        assert fake.calls_of("setWebhook") == []


def test_the_platform_never_derives_the_secret_from_a_placeholder() -> None:
    """Even settings built without validation: no secret from the public default SECRET_KEY."""
    settings = Settings.model_construct(telegram_webhook_url="https://bot.example.org/telegram")
    with pytest.raises(WeakSecret, match="SECRET_KEY is a placeholder"):
        webhook_secret(settings)


async def test_a_forged_update_signed_with_the_placeholder_is_refused(bot: HabitLinkBot) -> None:
    """The forgery from the audit: the secret derived from the default SECRET_KEY. With a real
    SECRET_KEY the derived secret is another one, and the forged /link is refused (403)."""
    forged = Settings.model_construct(telegram_webhook_url="https://x/telegram")
    forged_secret = forged.effective_webhook_secret  # what an attacker can compute
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        secret_key="Kq7vN2xL9pR4tW8mZ3cH6jB1fD5gS0yA",
        telegram_webhook_url="https://bot.example.org/telegram",
    )
    async with FakeTelegram() as fake:
        adapter = TelegramAdapter(
            bot, token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        port = free_port()
        stop = asyncio.Event()
        task = asyncio.create_task(
            adapter.serve(
                stop,
                webhook_url=f"http://127.0.0.1:{port}/telegram",
                webhook_secret=webhook_secret(settings),
                listen="127.0.0.1",
                port=port,
            )
        )
        await fake.wait_for_calls("setWebhook", 1)
        hook = Webhook(fake, adapter)
        try:
            # The forged /link: retried while the server is still coming up (None: no answer).
            status = None
            for _ in range(50):
                status = (await hook.post("/link ABCD2345", forged_secret))[0]
                if status is not None:
                    break
                await asyncio.sleep(0.1)
            assert status == 403
            assert (await hook.post("/habits", settings.effective_webhook_secret))[0] == 200
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=10)
        fake.assert_no_violations()


async def test_an_update_delivered_twice_is_handled_once(webhook: Webhook) -> None:
    """Telegram sends an update again when it did not see the 200 in time: the inbox knows it."""
    fake = webhook.fake
    update = {"update_id": 880_000_001, **webhook.update("/newhabit Read")}
    since = len(fake.sent_messages)
    assert await fake.post_to_webhook(update, secret_token=SECRET) == 200
    await fake.wait_for_message(text_contains="Created Read", since=since)
    again = len(fake.sent_messages)
    assert await fake.post_to_webhook(update, secret_token=SECRET) == 200
    (listing,) = await webhook.say("/habits")  # handled after the repeat (same chat)
    assert fake.sent_messages[again:] == [listing]  # the repeat got no answer: not handled
    assert (listing.plain_text or "").count("Read") == 1
