"""Tests of the fake Telegram Bot API server, driven by the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakes.telegram_api import SECRET_HEADER, FakeTelegram
from tests.fakes.telegram_models import image_size, make_png
from tests.support.network import free_port

# PTB 22 warns on every RetryAfter that retry_after will become a timedelta.
RETRY_AFTER_WARNING = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Done ✅", callback_data="done:42")],
        [InlineKeyboardButton("Skip", callback_data="skip:42")],
    ]
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as ptb:
        yield ptb


def build_app(fake: FakeTelegram) -> Application[Any, Any, Any, Any, Any, Any]:
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )


async def raw_call(fake: FakeTelegram, method: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(fake.api_url(method), **kwargs) as reply,
    ):
        return reply.status, await reply.json()


async def test_get_me(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "HabitLinkTestBot" and me.id == fake.bot_user.id
    assert [c.method for c in fake.calls] == ["getMe", "getMe"]  # initialize() + get_me()
    fake.assert_no_violations()


async def test_send_message_with_html_and_keyboard(fake: FakeTelegram, bot: Bot) -> None:
    chat = fake.private_chat()
    html = '<b>Streak</b> &amp; <i>run</i>: <a href="https://example.org">log</a> &#128293;'
    sent = await bot.send_message(chat.id, html, parse_mode=ParseMode.HTML, reply_markup=KEYBOARD)
    assert sent.text == "Streak & run: log 🔥"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 6),
        ("italic", 9, 3),
        ("text_link", 14, 3),
    ]
    stored = fake.last_message(chat.id)
    assert (stored.text, stored.plain_text, stored.parse_mode) == (html, sent.text, "HTML")
    assert stored.callback_data() == ["done:42", "skip:42"]
    call = fake.calls_of("sendMessage")[0]
    assert call.params["chat_id"] == chat.id and call.params["reply_markup"]["inline_keyboard"]
    assert call.content_type == "application/x-www-form-urlencoded"
    fake.assert_no_violations()


async def test_text_limits_after_entity_parsing(fake: FakeTelegram, bot: Bot) -> None:
    chat = fake.private_chat()
    await bot.send_message(chat.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    fake.assert_no_violations()
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(chat.id, "x" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(chat.id, "<b> </b>", parse_mode=ParseMode.HTML)
    assert len(fake.violations) == 2
    with pytest.raises(AssertionError, match="2 Bot API violation"):
        fake.assert_no_violations()


@pytest.mark.parametrize(
    "text", ["<b>open", "a < b", "AT&T", "<blink>x</blink>", "<b>x</i>", "&nbsp;", "x</b>"]
)
async def test_malformed_html_is_refused(fake: FakeTelegram, bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(fake.private_chat().id, text, parse_mode=ParseMode.HTML)
    assert len(fake.violations) == 1


async def test_markdown_v2_reserved_characters(fake: FakeTelegram, bot: Bot) -> None:
    chat = fake.private_chat()
    sent = await bot.send_message(chat.id, r"*Day 3* done\!", parse_mode=ParseMode.MARKDOWN_V2)
    assert sent.text == "Day 3 done!" and sent.entities[0].type == "bold"
    with pytest.raises(BadRequest, match="reserved"):
        await bot.send_message(chat.id, "Day 3 done!", parse_mode=ParseMode.MARKDOWN_V2)


async def test_caption_and_callback_data_limits(fake: FakeTelegram, bot: Bot) -> None:
    chat = fake.private_chat()
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="x" * 64)]])
    await bot.send_message(chat.id, "fits", reply_markup=ok)
    for data in ("x" * 65, "é" * 33):  # 65 and 66 bytes
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data=data)]])
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(chat.id, "too big", reply_markup=markup)
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(chat.id, make_png(8, 8), caption="c" * 1025)
    assert [v.problems[0].path for v in fake.violations] == [
        "reply_markup.inline_keyboard[0][0].callback_data",
        "reply_markup.inline_keyboard[0][0].callback_data",
        "caption",
    ]


async def test_send_photo_multipart_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    chat = fake.private_chat()
    png = make_png(64, 48, (200, 10, 10))
    sent = await bot.send_photo(chat.id, png, caption="<b>Day 3</b>", parse_mode=ParseMode.HTML)
    call = fake.calls_of("sendPhoto")[0]
    assert call.content_type == "multipart/form-data" and call.files["photo"].data == png
    assert fake.last_message(chat.id).photo == png
    assert sent.caption == "Day 3" and (sent.photo[-1].width, sent.photo[-1].height) == (64, 48)
    downloaded = await (await bot.get_file(sent.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded) == png
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(chat.id, b"not an image")
    assert len(fake.violations) == 1


async def test_injected_photo_download_and_size_limit(fake: FakeTelegram, bot: Bot) -> None:
    update = fake.send_photo(caption="morning run")
    sizes = update["message"]["photo"]
    assert [s["width"] for s in sizes] == [90, 320, 800]
    buffer = io.BytesIO()
    await (await bot.get_file(sizes[-1]["file_id"])).download_to_memory(buffer)
    assert buffer.getvalue() == fake.files[sizes[-1]["file_id"]].data
    assert image_size(buffer.getvalue()) == (800, 800)
    huge = fake.send_photo(largest_file_size=25 * 1024 * 1024)["message"]["photo"][-1]
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(huge["file_id"])
    fake.assert_no_violations()


async def test_polling_application_command_button_and_group(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("<b>Ready?</b>", reply_markup=KEYBOARD)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Logged!")
        await query.edit_message_text(f"Logged {query.data}")

    app = build_app(fake)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    started = time.monotonic()
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=dtm.timedelta(seconds=5))
        fake.send_command("start")
        reply = await fake.wait_for_message(chat_id=fake.default_user.id, text_contains="Ready")
        assert reply.reply_to is None  # PTB quotes only in groups by default
        update = fake.press_button(reply, data="done:42")
        answer = await fake.wait_for_callback_answer(update["callback_query"]["id"])
        assert answer.text == "Logged!"
        await fake.wait_for(lambda: reply.edits, what="the edit")
        assert reply.plain_text == "Logged done:42" and reply.reply_markup is None
        group = fake.new_group()
        fake.send_command("start", chat=group, user=fake.new_user("Bob"), mention_bot=True)
        in_group = await fake.wait_for_message(chat_id=group.id)
        assert in_group.reply_to is not None
        assert in_group.reply_to.text == "/start@HabitLinkTestBot"
        await app.updater.stop()
        await app.stop()
    assert time.monotonic() - started < 5
    assert fake.pending_updates == []  # all confirmed through offset
    fake.assert_no_violations()


async def test_long_poll_wakes_and_honours_offset(fake: FakeTelegram, bot: Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_for_calls("getUpdates")
    fake.send_text("hello")
    updates = await poll
    assert time.monotonic() - started < 2
    assert updates[0].message is not None and updates[0].message.text == "hello"
    assert len(await bot.get_updates(timeout=0)) == 1  # not confirmed yet
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    fake.send_text("filtered out")
    assert await bot.get_updates(timeout=0, allowed_updates=["callback_query"]) == ()
    fake.assert_no_violations()


@RETRY_AFTER_WARNING
async def test_fault_injection(fake: FakeTelegram, bot: Bot) -> None:
    chat = fake.private_chat()
    fake.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat.id, "first")
    assert caught.value.retry_after in (3, dtm.timedelta(seconds=3))
    assert fake.calls_of("sendMessage")[0].response["description"] == (
        "Too Many Requests: retry after 3"
    )
    await bot.send_message(chat.id, "second")  # the fault is used up
    fake.fail_next("sendMessage", status=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(chat.id, "x")
    blocked = fake.private_chat(fake.new_user("Carol"))
    fake.fail_next("sendMessage", status=403, chat_id=blocked.id)
    await bot.send_message(chat.id, "other chats are unaffected")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(blocked.id, "x")
    fake.block_chat(chat.id)
    with pytest.raises(Forbidden):
        await bot.send_photo(chat.id, make_png(4, 4))
    assert [m.plain_text for m in fake.messages_in(chat.id)] == [
        "second",
        "other chats are unaffected",
    ]
    fake.assert_no_violations()


@RETRY_AFTER_WARNING
async def test_group_rate_limit_and_tracking(fake: FakeTelegram, bot: Bot) -> None:
    group = fake.new_group()
    fake.group_limit_per_minute = 3
    for number in range(3):
        await bot.send_message(group.id, f"msg {number}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(group.id, "one too many")
    assert caught.value.retry_after in (60, dtm.timedelta(seconds=60))  # a minute, as Telegram
    assert fake.max_sends_in_window(group.id, 60.0) == 3


@RETRY_AFTER_WARNING
async def test_group_rate_limit_on_a_shorter_window(fake: FakeTelegram, bot: Bot) -> None:
    group = fake.new_group()
    fake.group_limit_per_minute = 2
    fake.group_limit_window = 1.0
    for number in range(2):
        await bot.send_message(group.id, f"msg {number}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(group.id, "one too many")
    assert caught.value.retry_after in (1, dtm.timedelta(seconds=1))
    await asyncio.sleep(1.0)
    await bot.send_message(group.id, "a window later")
    assert fake.max_sends_in_window(group.id, 1.0) == 2
    assert len(fake.messages_in(group.id)) == 3


@RETRY_AFTER_WARNING
async def test_overall_messages_per_second_limit(fake: FakeTelegram, bot: Bot) -> None:
    chats = [fake.private_chat(fake.new_user(f"U{i}")) for i in range(4)]
    fake.messages_per_second = 3
    for chat in chats[:3]:
        await bot.send_message(chat.id, "hi")
    with pytest.raises(RetryAfter):  # a fourth chat, but the 4th message within a second
        await bot.send_message(chats[3].id, "hi")
    await bot.send_chat_action(chats[3].id, "typing")  # not a message: not limited
    assert len(fake.calls_of("sendMessage")) - len(fake.calls_of("sendMessage", ok_only=True)) == 1
    assert fake.max_sends_in_window(None, 1.0) == 3
    await asyncio.sleep(1.0)
    await bot.send_message(chats[3].id, "a second later")
    assert fake.max_sends_in_window(None, 1.0) == 3
    fake.assert_no_violations()


async def test_edit_delete_and_not_modified(fake: FakeTelegram, bot: Bot) -> None:
    chat = fake.private_chat()
    sent = await bot.send_message(chat.id, "Check in?", reply_markup=KEYBOARD)
    await bot.edit_message_reply_markup(chat.id, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(chat.id, sent.message_id, reply_markup=None)
    await bot.edit_message_text("<i>Checked in</i>", chat.id, sent.message_id, parse_mode="HTML")
    stored = fake.last_message(chat.id)
    assert [e.method for e in stored.edits] == ["editMessageReplyMarkup", "editMessageText"]
    assert stored.plain_text == "Checked in" and stored.entities[0]["type"] == "italic"
    assert await bot.delete_message(chat.id, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("again", chat.id, sent.message_id)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(123, "nobody")
    fake.assert_no_violations()


async def test_commands_chat_action_and_member(fake: FakeTelegram, bot: Bot) -> None:
    group = fake.new_group()
    commands = [BotCommand("checkin", "Log today's habit"), BotCommand("streak", "Show streak")]
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(group.id))
    assert await bot.get_my_commands(scope=BotCommandScopeChat(group.id)) == tuple(commands)
    assert await bot.get_my_commands() == ()
    assert fake.commands_for({"type": "chat", "chat_id": group.id}) == [
        {"command": "checkin", "description": "Log today's habit"},
        {"command": "streak", "description": "Show streak"},
    ]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Check-In", "bad name")])
    await bot.send_chat_action(group.id, "typing")
    assert fake.chat_actions == [(group.id, "typing")]
    owner = fake.new_user("Dana")
    fake.set_member_status(group, owner, "creator")
    assert (await bot.get_chat_member(group.id, owner.id)).status == "creator"
    assert (await bot.get_chat_member(group.id, fake.bot_user.id)).status == "administrator"
    assert (await bot.get_chat(group.id)).title == "Habit Squad"
    assert len(fake.violations) == 1


async def test_raw_requests_are_validated(fake: FakeTelegram) -> None:
    chat_id = fake.private_chat().id
    assert (await raw_call(fake, "sendMessage", json={"chat_id": chat_id, "text": "hi"}))[0] == 200
    status, body = await raw_call(fake, "sendMessage", json={"chat_id": chat_id})
    assert (status, body["description"]) == (400, 'Bad Request: parameter "text" is required')
    status, body = await raw_call(
        fake, "sendMessage", data={"chat_id": chat_id, "text": "x", "colour": "red"}
    )
    assert (status, body["description"]) == (400, 'Bad Request: unknown parameter "colour"')
    status, _ = await raw_call(fake, "deleteMessage", data={"chat_id": chat_id, "message_id": "x"})
    assert status == 400
    status, body = await raw_call(fake, "sendMesage", json={})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, _ = await raw_call(
        fake, "answerCallbackQuery", json={"callback_query_id": "1", "text": "t" * 201}
    )
    assert status == 400
    async with aiohttp.ClientSession() as session:
        async with session.get(fake.api_url("getMe")) as reply:
            assert reply.status == 200 and (await reply.json())["result"]["is_bot"]
        async with session.get(fake.base_url + "123:wrong/getMe") as reply:
            assert reply.status == 401
    assert [v.method for v in fake.violations] == [
        "sendMessage",
        "sendMessage",
        "deleteMessage",
        "sendMesage",
        "answerCallbackQuery",
    ]


async def test_injected_updates_are_spec_valid_and_parse_in_ptb(
    fake: FakeTelegram, bot: Bot
) -> None:
    group = fake.new_group()
    admin_update = fake.send_as_anonymous_admin("/checkin@HabitLinkTestBot", group=group)
    text_update = fake.send_text("/streak@HabitLinkTestBot now", chat=group)
    stored = fake.message(group.id, text_update["message"]["message_id"])
    assert stored is not None
    sent = await bot.send_message(group.id, "Pick", reply_markup=KEYBOARD)
    stored_sent = fake.message(group.id, sent.message_id)
    assert stored_sent is not None
    updates = [
        admin_update,
        text_update,
        fake.edit_user_message(stored, "/streak fixed"),
        fake.channel_post("Weekly digest"),
        fake.send_photo(chat=group),
        fake.press_button(stored_sent, text="Skip"),
    ]
    for raw in updates:
        assert fake.spec.validate_object("Update", raw) == [], raw
    ids = [u["update_id"] for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    parsed = [Update.de_json(raw, bot) for raw in updates]
    admin = parsed[0].effective_message
    assert admin is not None and admin.sender_chat is not None and admin.sender_chat.id == group.id
    assert admin.from_user is not None and admin.from_user.username == "GroupAnonymousBot"
    command = parsed[1].effective_message
    assert command is not None and command.parse_entities(["bot_command"])
    assert list(command.parse_entities(["bot_command"]).values()) == ["/streak@HabitLinkTestBot"]
    assert parsed[2].edited_message is not None and parsed[2].edited_message.edit_date
    assert parsed[3].channel_post is not None and parsed[3].channel_post.chat.type == "channel"
    assert parsed[5].callback_query is not None and parsed[5].callback_query.data == "skip:42"


async def test_webhook_delivery_with_secret_token(fake: FakeTelegram, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def receive(request: web.Request) -> web.Response:
        secret = request.headers.get(SECRET_HEADER)
        if secret != "s3cret-Token_1":
            return web.Response(status=403)
        received.append((secret, await request.json()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        assert await bot.set_webhook(url, secret_token="s3cret-Token_1")
        assert (await bot.get_webhook_info()).url == url
        update = fake.send_text("via webhook")
        deliveries = await fake.wait_for_webhook_deliveries(1)
        assert deliveries[0].status == 200 and received == [("s3cret-Token_1", update)]
        assert await fake.post_to_webhook(update, secret_token="wrong") == 403
        assert await fake.post_to_webhook(update, secret_token=None) == 403
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        await bot.delete_webhook()
        fake.send_text("via polling")
        assert [u.message.text for u in await bot.get_updates(timeout=0) if u.message] == [
            "via polling"
        ]
    finally:
        await runner.cleanup()
    fake.assert_no_violations()


async def test_ptb_webhook_application(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("hello from webhook")

    app = build_app(fake)
    app.add_handler(CommandHandler("start", start))
    port = free_port()
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="tg",
            secret_token="s3cret",
            webhook_url=f"http://127.0.0.1:{port}/tg",
        )
        assert fake.webhook is not None and fake.webhook.secret_token == "s3cret"
        update = fake.send_command("start")
        await fake.wait_for_message(text_contains="hello from webhook")
        assert await fake.post_to_webhook(update, secret_token="nope") == 403
        await app.updater.stop()
        await app.stop()
    fake.assert_no_violations()


async def test_forum_topics(fake: FakeTelegram, bot: Bot) -> None:
    forum = fake.new_group("Forum", topics=[5])
    plain = fake.new_group("Plain")
    update = fake.send_text("hello", chat=forum, thread=5)
    assert update["message"]["message_thread_id"] == 5 and update["message"]["is_topic_message"]
    assert update["message"]["chat"]["is_forum"] is True
    sent = await bot.send_message(forum.id, "in the topic", message_thread_id=5)
    assert sent.message_thread_id == 5 and sent.is_topic_message
    general = await bot.send_message(forum.id, "in General")
    assert general.message_thread_id is None
    for chat, thread in ((forum, 6), (plain, 5)):  # no such topic; not a forum
        with pytest.raises(BadRequest, match="thread not found"):
            await bot.send_message(chat.id, "lost", message_thread_id=thread)
