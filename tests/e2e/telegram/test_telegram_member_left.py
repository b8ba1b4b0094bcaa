"""Someone who left the group's Telegram chat (or was removed from it) stayed on its board and
in /members for good. Telegram tells the bot (the service message left_chat_member, in privacy
mode too): they leave the HabitLink group as with /leave, without a word in the chat."""

from __future__ import annotations

from bot.dispatcher import HabitLinkBot
from tests.e2e.telegram.test_telegram_group_chat_gone import handled
from tests.fakes.telegram_models import FakeChat, FakeUser
from tests.support.telegram import TelegramHarness


async def gym(telegram: TelegramHarness) -> tuple[FakeChat, FakeUser, FakeUser]:
    """Alice's Gym (the bot no admin there: privacy mode), Bob and Carol joined."""
    fake = telegram.fake
    group = fake.new_group("Gym", bot_admin=False)
    await telegram.say("/newgroup Gym", chat=group)
    bob, carol = fake.new_user("Bob"), fake.new_user("Carol")
    await telegram.say("/join", chat=group, user=bob)
    await telegram.say("/join", chat=group, user=carol)
    return group, bob, carol


async def members(telegram: TelegramHarness, group: FakeChat) -> str:
    (reply,) = await telegram.say("/members", chat=group)
    return reply.plain_text or ""


async def test_a_member_who_leaves_the_chat_leaves_the_group_quietly(
    telegram: TelegramHarness, bot: HabitLinkBot
) -> None:
    group, bob, carol = await gym(telegram)
    assert "Gym: 3 members" in await members(telegram, group)
    sent = len(telegram.fake.sent_messages)
    await handled(telegram, [telegram.fake.member_leaves(group, bob)])
    assert telegram.fake.sent_messages[sent:] == []  # not a word about it
    assert await members(telegram, group) == "Gym: 2 members\n1. Alice (owner)\n2. Carol"
    (board,) = await telegram.say("/board", chat=group)
    assert "Bob" not in (board.plain_text or "")
    # Removed by an admin: the same.
    await handled(
        telegram, [telegram.fake.member_leaves(group, carol, by=telegram.fake.default_user)]
    )
    assert await members(telegram, group) == "Gym: 1 member\n1. Alice (owner)"
    # Back in the chat, Bob joins again with /join, as anyone would.
    (joined,) = await telegram.say("/join", chat=group, user=bob)
    assert "Bob" in (joined.plain_text or "")


async def test_people_outside_the_group_are_left_as_they_are(
    telegram: TelegramHarness, bot: HabitLinkBot
) -> None:
    """Someone who never joined (or never wrote to the bot) has nothing to leave."""
    fake = telegram.fake
    group, _bob, _carol = await gym(telegram)
    stranger, silent = fake.new_user("Dave"), fake.new_user("Erin")
    await telegram.say("/start", chat=group, user=stranger)
    sent = len(fake.sent_messages)
    await handled(
        telegram, [fake.member_leaves(group, stranger), fake.member_leaves(group, silent)]
    )
    assert fake.sent_messages[sent:] == []
    assert "Gym: 3 members\n1. Alice (owner)" in await members(telegram, group)


async def test_an_owner_who_leaves_the_chat_hands_the_group_over(
    telegram: TelegramHarness, bot: HabitLinkBot
) -> None:
    """The owner who left the chat stayed its owner, "until they /transfer it", but /transfer
    works only in the group's chat, which they could no longer write in: nobody could ever
    promote, demote or hand over again, and they stayed on its board. Now they leave, and the
    group passes as with /deleteme: to an admin (the earliest), else the earliest member; the
    chat is told who owns it now. The last member stays (leaving would close the group)."""
    fake = telegram.fake
    group, bob, carol = await gym(telegram)
    sent = len(fake.sent_messages)
    fake.send_text_mentioning("/promote ", carol, chat=group)
    await fake.wait_for_message(chat_id=group.id, since=sent)
    sent = len(fake.sent_messages)
    await handled(telegram, [fake.member_leaves(group, fake.default_user)])
    (notice,) = fake.sent_messages[sent:]
    assert notice.plain_text == "Alice left the chat, so Carol owns Gym now."
    assert await members(telegram, group) == "Gym: 2 members\n1. Bob\n2. Carol (owner)"
    sent = len(fake.sent_messages)
    fake.send_text_mentioning("/promote ", bob, chat=group, user=carol)
    done = await fake.wait_for_message(chat_id=group.id, since=sent)
    assert done.plain_text == "Bob is now an admin of Gym."

    await handled(telegram, [fake.member_leaves(group, bob)])  # a member: quietly, as before
    sent = len(fake.sent_messages)
    await handled(telegram, [fake.member_leaves(group, carol)])  # the last one: stays
    assert fake.sent_messages[sent:] == []
    assert await members(telegram, group) == "Gym: 1 member\n1. Carol (owner)"
