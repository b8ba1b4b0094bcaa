"""The fake Bot API models what the real one does that is inconvenient: lengths in UTF-16 code
units, callback queries that expire, basic groups upgraded to supergroups, privacy mode in groups
and ForceReply's targets."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, ForceReply, ReplyParameters
from telegram.error import BadRequest, ChatMigrated

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_models import make_png
from tests.fakes.test_telegram_fake import KEYBOARD, bot, fake

__all__ = ["bot", "fake"]  # fixtures shared with test_telegram_fake.py


async def test_lengths_count_utf16_code_units(fake: FakeTelegram, bot: Bot) -> None:
    chat_id = fake.private_chat().id
    await bot.send_message(chat_id, "🏃" * 2048)  # 4096 code units: the most there is
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(chat_id, "🏃" * 2049)  # 2049 characters, 4098 code units
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(chat_id, make_png(20, 20), caption="🏃" * 513)
    assert [v.method for v in fake.violations] == ["sendMessage", "sendPhoto"]


async def test_a_press_answered_too_late_is_refused(fake: FakeTelegram, bot: Bot) -> None:
    chat_id = fake.private_chat().id
    sent = await bot.send_message(chat_id, "Pick", reply_markup=KEYBOARD)
    message = fake.message(chat_id, sent.message_id)
    assert message is not None
    fake.callback_answer_window = 0.05
    late = fake.press_button(message)["callback_query"]["id"]
    in_time = fake.press_button(message)["callback_query"]["id"]
    assert await bot.answer_callback_query(in_time)
    await asyncio.sleep(0.1)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(late)


async def test_a_group_upgrade_moves_the_chat(fake: FakeTelegram, bot: Bot) -> None:
    old = fake.new_group("Basic", supergroup=False)
    new = fake.upgrade_group(old)
    assert new.type == "supergroup" and new.id != old.id
    updates = await bot.get_updates()
    assert updates[-2].message is not None and updates[-2].message.migrate_to_chat_id == new.id
    assert updates[-1].message is not None and updates[-1].message.migrate_from_chat_id == old.id
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(old.id, "hello")
    assert moved.value.new_chat_id == new.id
    await bot.send_message(new.id, "hello")
    fake.assert_no_violations()


async def test_privacy_mode_withholds_a_groups_plain_messages(fake: FakeTelegram, bot: Bot) -> None:
    """Privacy mode (on by default) in a group where the bot is no admin: Telegram sends the
    bot commands (not those naming another bot), messages naming it, replies to its messages
    and service messages; an admin bot, or one with privacy mode off, gets everything."""
    group = fake.new_group("Runners", bot_admin=False)
    mine = await bot.send_message(group.id, "What habit?")
    theirs = fake.send_text("hi all", chat=group)
    for text in ("/start", "/start@HabitLinkTestBot", "@HabitLinkTestBot hello"):
        fake.send_text(text, chat=group)
    fake.send_text("Stretch", chat=group, reply_to=fake.message(group.id, mine.message_id))
    fake.send_text("/start@OtherBot", chat=group)
    fake.send_text(
        "me too", chat=group, reply_to=fake.message(group.id, theirs["message"]["message_id"])
    )
    fake.send_photo(chat=group)
    fake.send_photo(chat=group, caption="/proof run")
    delivered = [u.message.text or u.message.caption for u in await bot.get_updates() if u.message]
    assert delivered == [
        "/start",
        "/start@HabitLinkTestBot",
        "@HabitLinkTestBot hello",
        "Stretch",
        "/proof run",
    ]
    assert [m.plain_text for m in fake.withheld] == ["hi all", "/start@OtherBot", "me too", None]
    assert (await bot.get_me()).can_read_all_group_messages is False
    assert (await bot.get_chat_member(group.id, fake.bot_user.id)).status == "member"

    admin_group = fake.new_group("Admins")  # the bot an admin: everything
    fake.send_text("hi all", chat=admin_group)
    fake.privacy_mode = False  # BotFather's /setprivacy off: everything
    fake.send_text("hi again", chat=group)
    updates = await bot.get_updates(offset=-2)
    assert [u.message.text for u in updates if u.message] == ["hi all", "hi again"]
    assert (await bot.get_me()).can_read_all_group_messages is True
    fake.assert_no_violations()


async def test_force_reply_is_checked_and_targets_whom_the_spec_says(
    fake: FakeTelegram, bot: Bot
) -> None:
    group = fake.new_group("Runners", bot_admin=False)
    alice, bob = fake.default_user, fake.new_user("Bob", username="bob")
    asked = fake.send_text("/newhabit", chat=group)["message"]["message_id"]
    selective = ForceReply(selective=True, input_field_placeholder="Your answer")
    reply = ReplyParameters(asked, allow_sending_without_reply=True)
    sent = await bot.send_message(group.id, "What?", reply_markup=selective, reply_parameters=reply)
    question = fake.message(group.id, sent.message_id)
    assert question is not None and fake.force_reply_targets(question) == {alice.id}
    named = await bot.send_message(
        group.id,
        f'<a href="tg://user?id={bob.id}">Bob</a>: and you?',
        parse_mode="HTML",
        reply_markup=selective,
    )
    assert named.entities[0].type == "text_mention" and named.entities[0].user.id == bob.id
    stored = fake.message(group.id, named.message_id)
    assert stored is not None and fake.force_reply_targets(stored) == {bob.id}
    everyone = await bot.send_message(group.id, "Anyone?", reply_markup=ForceReply())
    stored = fake.message(group.id, everyone.message_id)
    assert stored is not None and fake.force_reply_targets(stored) is None
    fake.assert_no_violations()

    with pytest.raises(BadRequest):
        await bot.send_message(
            group.id, "What?", reply_markup=ForceReply(input_field_placeholder="x" * 65)
        )
    with pytest.raises(BadRequest, match="not found"):
        await bot.send_message(group.id, "What?", reply_parameters=ReplyParameters(9999))
    assert [v.method for v in fake.violations] == ["sendMessage"]
