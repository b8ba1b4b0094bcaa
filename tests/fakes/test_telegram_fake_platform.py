"""The fake Bot API models what the real one does that is inconvenient: lengths in UTF-16 code
units, callback queries that expire, basic groups upgraded to supergroups."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
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
