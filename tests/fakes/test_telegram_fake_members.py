"""The fake's group membership updates, as Telegram documents them, read by the real
python-telegram-bot: the bot removed and added back (my_chat_member and the service messages),
people leaving, and the 403 of a send to a group the bot was removed from."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, ChatMember, Update
from telegram.error import Forbidden

from tests.fakes.telegram_api import FakeTelegram


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url) as client:
        yield client


async def test_removing_the_bot_sends_my_chat_member_and_the_service_message(
    fake: FakeTelegram, bot: Bot
) -> None:
    group = fake.new_group("Runners")
    updates = fake.remove_bot(group)
    for raw in updates:
        assert fake.spec.validate_object("Update", raw) == [], raw
    mine, note = (Update.de_json(raw, bot) for raw in updates)
    assert mine.my_chat_member is not None and mine.effective_chat is not None
    assert mine.effective_chat.id == group.id
    assert mine.my_chat_member.old_chat_member.status == ChatMember.ADMINISTRATOR
    assert mine.my_chat_member.new_chat_member.status == ChatMember.BANNED  # "kicked"
    assert mine.my_chat_member.new_chat_member.user.id == bot.id
    assert note.message is not None and note.message.left_chat_member is not None
    assert note.message.left_chat_member.id == bot.id
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(group.id, "Anyone?")
    assert (await bot.get_chat_member(group.id, bot.id)).status == ChatMember.BANNED
    # A basic group: the bot is "left", and told it is not a member.
    basic = fake.new_group("Den", supergroup=False)
    (mine_raw, _) = fake.remove_bot(basic)
    assert mine_raw["my_chat_member"]["new_chat_member"]["status"] == "left"
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(basic.id, "Anyone?")
    fake.assert_no_violations()


async def test_adding_the_bot_back_lets_it_send_again(fake: FakeTelegram, bot: Bot) -> None:
    group = fake.new_group("Runners")
    fake.remove_bot(group)
    updates = fake.add_bot(group, admin=True)
    mine, note = (Update.de_json(raw, bot) for raw in updates)
    assert mine.my_chat_member is not None
    assert mine.my_chat_member.old_chat_member.status == ChatMember.BANNED
    assert mine.my_chat_member.new_chat_member.status == ChatMember.ADMINISTRATOR
    assert note.message is not None and [u.id for u in note.message.new_chat_members] == [bot.id]
    assert (await bot.send_message(group.id, "Back!")).text == "Back!"


async def test_a_person_leaving_is_a_service_message_the_bot_gets_while_it_is_there(
    fake: FakeTelegram, bot: Bot
) -> None:
    group = fake.new_group("Runners", bot_admin=False)  # privacy mode: service messages still
    bob = fake.new_user("Bob")
    raw = fake.member_leaves(group, bob)
    assert raw in fake.pending_updates
    message = Update.de_json(raw, bot).message
    assert message is not None and message.left_chat_member is not None
    assert message.left_chat_member.id == bob.id and message.from_user is not None
    assert message.from_user.id == bob.id
    carol, dave = fake.new_user("Carol"), fake.new_user("Dave")
    removed = Update.de_json(fake.member_leaves(group, carol, by=fake.default_user), bot).message
    assert removed is not None and removed.from_user is not None
    assert removed.from_user.id == fake.default_user.id
    fake.remove_bot(group)
    unseen = fake.member_leaves(group, dave)
    assert "update_id" not in unseen and unseen not in fake.pending_updates
