"""Reliability: a busy group or large proofs delay nobody else, presses are answered in time,
group upgrades, updates the library cannot read, and a webhook URL without a path."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest
from PIL import Image as PILImage

from adapters.telegram.adapter import SORRY_SEND, TelegramAdapter
from adapters.telegram.intake import webhook_target
from bot.dispatcher import HabitLinkBot
from bot.messages import Response
from core.inbox import InboxEntry
from tests.e2e.telegram.test_telegram_robustness import RETRY_AFTER_WARNING, probe
from tests.fakes.changes import WAIT
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_models import FakeChat, FakeUser
from tests.support.images import jpeg
from tests.support.network import free_port
from tests.support.telegram import TelegramHarness, running

BUSY = 30  # commands in one group: at 20 replies a minute the last waits most of a minute


async def crew(telegram: TelegramHarness) -> tuple[FakeChat, FakeUser]:
    group = telegram.fake.new_group("Crew")
    bob = telegram.fake.new_user("Bob")
    await telegram.say("/newgroup Crew", chat=group)
    await telegram.say("/join", chat=group, user=bob)
    return group, bob


@pytest.mark.serial
async def test_a_busy_group_delays_nobody_else(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    fake.group_limit_per_minute = 20
    fake.callback_answer_window = 1.0  # a press must be answered within a second
    group, bob = await crew(telegram)
    (card,) = await telegram.say("/learn Lay out the shoes", chat=group)
    for _ in range(BUSY):
        fake.send_command("help", chat=group, user=bob)
    carol = fake.new_user("Carol")
    # Carol, in her private chat, is answered while the group's replies still wait.
    (welcome,) = await telegram.say("/start", user=carol)
    assert (welcome.plain_text or "").startswith("Welcome")
    # Carol presses Like in the busy group: the press is answered at once (in time), and the
    # edit follows in the group's turn.
    press = fake.press_button(card, text="👍 Like", user=carol)
    answer = await fake.wait_for_callback_answer(press["callback_query"]["id"], timeout=1.0)
    # With the notice when the press was handled by then, else a plain answer.
    assert answer.text in (None, "👍 You like Alice's learning.")
    assert len(fake.messages_in(group.id)) < 4 + BUSY, "the group's backlog was not waiting"
    assert all(m.plain_text != SORRY_SEND for m in fake.sent_messages)
    fake.assert_no_violations()  # no 429s either: the bot kept to 20 a minute by itself


@RETRY_AFTER_WARNING
async def test_a_429_in_one_group_pauses_only_that_group(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group, bob = await crew(telegram)
    fake.fail_next("sendMessage", chat_id=group.id, status=429, retry_after=30)
    fake.send_command("help", chat=group, user=bob)
    await fake.wait_for(
        lambda: [c for c in fake.calls_of("sendMessage") if c.status == 429], what="the 429"
    )
    in_group = len(fake.messages_in(group.id))
    carol = fake.new_user("Carol")
    (welcome,) = await telegram.say("/start", user=carol)
    assert (welcome.plain_text or "").startswith("Welcome")
    # Carol was answered while the group's reply still waits out its 30 seconds.
    assert len(fake.messages_in(group.id)) == in_group
    assert len(fake.calls_of("sendMessage", ok_only=True)) == len(fake.sent_messages)


async def test_a_press_answered_too_late_is_no_apology(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    await telegram.say("/newhabit Read")
    (listing,) = await telegram.say("/habits")
    fake.callback_answer_window = 0.0  # every answer comes too late
    since = len(fake.sent_messages)
    fake.press_button(listing, text="✓ Read")
    await fake.wait_for_calls("answerCallbackQuery", 1)
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)
    edited = fake.message(listing.chat_id, listing.message_id)
    assert edited is not None and "1. ✓ Read" in (edited.plain_text or "")  # the effect
    assert fake.sent_messages[since:] == []  # and no "something went wrong"


async def test_a_press_that_waited_for_its_turn_is_answered_once(
    telegram: TelegramHarness,
) -> None:
    """Alice presses a button while her proof photo is still downloading: the press is answered
    in time without text, and not again when its turn comes (Telegram refuses a second answer)."""
    fake = telegram.fake
    await telegram.say("/newhabit Read")
    await telegram.say("/newhabit Run")
    group = fake.new_group("Runners")
    await telegram.say("/newgroup Runners", chat=group)
    (listing,) = await telegram.say("/habits")
    fake.slow_methods["getFile"] = 1.5
    fake.send_photo(chat=group, caption="/proof run", data=jpeg())
    await fake.wait_for(lambda: fake.in_flight > 0, what="the photo's getFile under way")
    press = fake.press_button(listing, text="✓ Read")
    await fake.wait_for_message(text_contains="Proof saved")
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)
    query = press["callback_query"]["id"]
    answers = [
        c for c in fake.calls_of("answerCallbackQuery") if c.params["callback_query_id"] == query
    ]
    assert [(a.status, a.params.get("text")) for a in answers] == [(200, None)]
    edited = fake.message(listing.chat_id, listing.message_id)
    assert edited is not None and "1. ✓ Read" in (edited.plain_text or "")  # the effect


async def test_presses_and_messages_of_one_chat_stay_in_order(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    for title in ("One", "Two", "Three"):
        fake.send_command("newhabit", title)
    await fake.wait_for(lambda: len(fake.sent_messages) >= 3, what="three habits")
    (listing,) = await telegram.say("/habits")
    assert "3. ○ Three" in (listing.plain_text or "")
    fake.press_button(listing, text="✓ One")
    fake.send_command("undo", "one")  # sent after the press: handled after it
    await fake.wait_for_message(text_contains="Undone: One")
    (week,) = await telegram.say("/habits")
    assert "1. ○ One" in (week.plain_text or "")


async def test_a_group_upgrade_keeps_the_group(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    old = fake.new_group("Basic", supergroup=False)
    await telegram.say("/newgroup Basic", chat=old)
    new = fake.upgrade_group(old)
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)
    (info,) = await telegram.say("/groupinfo", chat=new)
    assert "Basic" in (info.plain_text or "")
    assert "/newgroup" not in (info.plain_text or "")


async def test_a_send_to_an_upgraded_group_goes_to_its_new_id(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    old = fake.new_group("Basic", supergroup=False)
    await telegram.say("/newgroup Basic", chat=old)
    # The upgrade's service messages never reached the bot; only a send finds out.
    new_id = -1_001_999_000_001
    fake.chats[new_id] = FakeChat(new_id, "supergroup", "Basic")
    fake.migrated_chats[old.id] = new_id
    await telegram.adapter.send_response(str(old.id), Response.say("Weekly board"))
    (moved,) = fake.messages_in(new_id)
    assert moved.plain_text == "Weekly board"
    (info,) = await telegram.say("/groupinfo", chat=fake.chats[new_id])
    assert "Basic" in (info.plain_text or "")


MALFORMED = {
    "a poll without allows_revoting": {
        "poll": {
            "id": "1",
            "persistent_id": "p1",
            "question": "Run today?",
            "options": [{"text": "yes", "voter_count": 0}],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
        }
    },
    "a user without first_name": {"from": {"id": 99, "is_bot": False}, "text": "/start"},
    "a date as a string": {"date": "yesterday", "text": "/start"},
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
async def test_an_update_the_library_cannot_read_is_logged_once_and_skipped(
    telegram: TelegramHarness, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    fake = telegram.fake
    chat = fake.private_chat()
    message = {
        "message_id": 90_001,
        "date": 1_774_000_000,
        "chat": chat.to_api(),
        "from": fake.default_user.to_api(),
        **MALFORMED[kind],
    }
    since = len(fake.sent_messages)
    with caplog.at_level(logging.WARNING, logger="habitlink"):
        update = fake.inject({"message": message})
        await probe(telegram, since)  # later updates are handled
        await asyncio.sleep(0.3)
    skipped = [r for r in caplog.records if "cannot read" in r.getMessage()]
    assert [r.__dict__["update_id"] for r in skipped] == [update["update_id"]]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_webhook_url_without_a_path_gets_one() -> None:
    assert webhook_target("https://bot.example.org") == (
        "https://bot.example.org/telegram",
        "/telegram",
    )
    assert webhook_target("https://bot.example.org/") == (
        "https://bot.example.org/telegram",
        "/telegram",
    )
    assert webhook_target("https://bot.example.org/hooks/tg") == (
        "https://bot.example.org/hooks/tg",
        "/hooks/tg",
    )


async def test_updates_reach_a_webhook_configured_without_a_path(bot: HabitLinkBot) -> None:
    async with FakeTelegram() as fake:
        adapter = TelegramAdapter(
            bot, token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        port = free_port()
        stop = asyncio.Event()
        task = asyncio.create_task(
            adapter.serve(
                stop,
                webhook_url=f"http://127.0.0.1:{port}",
                webhook_secret="path-test-secret",
                listen="127.0.0.1",
                port=port,
            )
        )
        try:
            await fake.wait_for_calls("setWebhook", 1)
            assert fake.webhook is not None
            assert fake.webhook.url == f"http://127.0.0.1:{port}/telegram"
            harness = TelegramHarness(fake, adapter)
            (reply,) = await harness.say("/start")
            assert (reply.plain_text or "").startswith("Welcome")
            assert [d.status for d in fake.webhook_deliveries] == [200]
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=10)


async def test_a_restart_handles_what_was_stored_but_not_handled(bot: HabitLinkBot) -> None:
    """Updates stored in the inbox by a run that stopped before handling them are handled by
    the next run, once; Telegram does not send them again."""
    async with FakeTelegram() as fake:
        async with running(fake, bot) as telegram:
            await telegram.say("/newhabit Read")
        update = fake.send_command("newhabit", "Stretch")
        # As if a run had stored it and died: in the inbox, and confirmed to Telegram.
        entry = InboxEntry(int(update["update_id"]), json.dumps(update))
        async with bot.uow() as uow:
            await uow.inbox.accept("telegram", [entry])
            await uow.commit()
        fake.pending_updates.clear()
        async with running(fake, bot) as telegram:
            await fake.wait_for_message(text_contains="Created Stretch")
            (listing,) = await telegram.say("/habits")
        assert (listing.plain_text or "").count("Stretch") == 1


async def test_getupdates_errors_are_waited_out_and_lose_nothing(
    telegram: TelegramHarness, caplog: pytest.LogCaptureFixture
) -> None:
    fake = telegram.fake
    fake.fail_next("getUpdates", times=2, status=502)
    with caplog.at_level(logging.WARNING, logger="habitlink.telegram"):
        (reply,) = await telegram.say("/start", timeout=15.0)
    assert (reply.plain_text or "").startswith("Welcome")
    failures = [r for r in caplog.records if r.getMessage() == "getUpdates failed"]
    assert failures  # logged (one may come before the log is watched), and the bot went on
    assert all(fake.token not in r.__dict__["error"] for r in failures)


def largest_png() -> bytes:
    """A 24-megapixel PNG, the largest accepted: decoded at full size (a 50-megapixel PNG is
    refused from its header). A gradient, so it stays small to send but costs a real decode."""
    out = io.BytesIO()
    PILImage.linear_gradient("L").resize((6000, 4000)).convert("RGB").save(
        out, "PNG", compress_level=1
    )
    return out.getvalue()


async def test_large_proofs_delay_nobody_else(telegram: TelegramHarness) -> None:
    """Proofs being fetched hold up nobody: Carol is answered while every proof waits for its
    download (held by the fake), and the four largest accepted photos then all go through.
    (That their decoding runs off the event loop is tests/unit/test_images.py's to show.)"""
    fake = telegram.fake
    group, _ = await crew(telegram)
    alice, carol = fake.default_user, fake.new_user("Carol")
    png = largest_png()
    since = len(fake.sent_messages)
    fake.downloads_open.clear()
    try:
        for _ in range(4):
            fake.send_photo(chat=group, user=alice, data=png)
        await fake.wait_for(lambda: fake.downloads or None, what="a proof's download begun")
        (reply,) = await telegram.say("/help", user=carol)
        assert "/habits" in (reply.plain_text or "")
        assert telegram.messages_since(since, group) == []  # no proof got through yet
    finally:
        fake.downloads_open.set()
    proofs = await fake.wait_for(
        lambda: found if len(found := telegram.messages_since(since, group)) >= 4 else None,
        timeout=120,
        what="the four proofs answered",
    )
    assert all((p.plain_text or "").startswith("Proof saved") for p in proofs), proofs
