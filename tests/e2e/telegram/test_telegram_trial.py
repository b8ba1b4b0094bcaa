"""What Telegram does that is inconvenient: people without a username named by a text mention,
forwarded commands, anonymous admins, odd deep links and very long names."""

from __future__ import annotations

import asyncio
import logging

import pytest

from adapters.telegram.adapter import ANONYMOUS, SORRY_SEND
from tests.fakes.changes import WAIT
from tests.fakes.telegram_models import FakeChat, FakeUser
from tests.support.telegram import TelegramHarness


async def group_with(telegram: TelegramHarness, *members: FakeUser) -> FakeChat:
    """Alice's public group, which `members` have joined."""
    group = telegram.fake.new_group("Runners")
    await telegram.say("/newgroup Runners public", chat=group)
    for member in members:
        (joined,) = await telegram.say("/join", chat=group, user=member)
        assert (joined.plain_text or "").startswith("Welcome to Runners"), joined.plain_text
    return group


async def test_kick_and_promote_someone_without_a_username_by_text_mention(
    telegram: TelegramHarness,
) -> None:
    """Without a username, a client names a person with a text_mention (their user object)."""
    fake = telegram.fake
    carol = fake.new_user("Carol", last_name="Díaz")  # no username
    dan = fake.new_user("Dan")
    group = await group_with(telegram, carol, dan)
    since = len(fake.sent_messages)
    fake.send_text_mentioning("/promote ", carol, chat=group)
    promoted = await fake.wait_for_message(chat_id=group.id, since=since)
    assert "Carol Díaz" in (promoted.plain_text or ""), promoted.plain_text
    assert "admin" in (promoted.plain_text or "").lower()
    since = len(fake.sent_messages)
    fake.send_text_mentioning("/kick ", dan, chat=group, user=carol)
    kicked = await fake.wait_for_message(chat_id=group.id, since=since)
    assert "Dan" in (kicked.plain_text or "") and "know" not in (kicked.plain_text or "")
    (members,) = await telegram.say("/members", chat=group)
    assert "Dan" not in (members.plain_text or "") and "Carol" in (members.plain_text or "")


async def test_a_forwarded_command_is_not_the_senders_command(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    bob = fake.new_user("Bob", username="bob_runs")
    since = len(fake.sent_messages)
    fake.forward_text("/newhabit Spy on Bob", origin=bob)
    (reply,) = await telegram.say("/habits")
    assert (reply.plain_text or "").startswith("You have no habits yet."), reply.plain_text
    assert fake.sent_messages[since:][-1] is reply


async def test_an_anonymous_admin_is_told_to_post_as_themselves(
    telegram: TelegramHarness,
) -> None:
    fake = telegram.fake
    group = fake.new_group("Quiet")
    since = len(fake.sent_messages)
    fake.send_as_anonymous_admin("/newgroup Quiet", group=group)
    reply = await fake.wait_for_message(chat_id=group.id, since=since)
    assert reply.plain_text == ANONYMOUS
    since = len(fake.sent_messages)
    fake.send_as_anonymous_admin("/kick@HabitLinkTestBot", group=group, signature="Boss")
    assert (await fake.wait_for_message(chat_id=group.id, since=since)).plain_text == ANONYMOUS
    (info,) = await telegram.say("/groupinfo", chat=group)  # nothing was created
    assert (info.plain_text or "").startswith("This chat has no HabitLink group yet.")


async def test_start_with_an_unknown_deep_link(telegram: TelegramHarness) -> None:
    (reply,) = await telegram.say("/start nonsense-code_123")
    assert reply.plain_text, reply.plain_text
    (again,) = await telegram.say("/habits")
    assert (again.plain_text or "").startswith("You have no habits yet.")


async def test_very_long_names_in_members_and_board(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    long = fake.new_user("W" * 64, last_name="🦄" * 64)
    group = await group_with(telegram, long)
    (members,) = await telegram.say("/members", chat=group)
    assert "Alice" in (members.plain_text or "")
    (board,) = await telegram.say("/board", chat=group)
    assert board.plain_text


async def test_a_promote_by_reply_to_someone_without_a_username(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    erin = fake.new_user("Erin")
    group = await group_with(telegram, erin)
    update = fake.send_text("morning all", chat=group, user=erin)
    hello = fake.message(group.id, update["message"]["message_id"])
    assert hello is not None
    since = len(fake.sent_messages)
    fake.send_text("/promote", chat=group, reply_to=hello)
    reply = await fake.wait_for_message(chat_id=group.id, since=since)
    assert "Erin" in (reply.plain_text or "") and "admin" in (reply.plain_text or "").lower()


async def test_a_like_pressed_in_the_old_chat_after_an_upgrade(
    telegram: TelegramHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A card posted before the basic group became a supergroup stays in the old chat, which
    Telegram no longer lets anyone edit or write to: its Like button still counts, and the
    updated card comes to the supergroup as a new message (as for any card too old to edit)."""
    fake = telegram.fake
    bob = fake.new_user("Bob", username="bob")
    old = fake.new_group("Basic", supergroup=False)
    await telegram.say("/newgroup Basic public", chat=old)
    await telegram.say("/join", chat=old, user=bob)
    (card,) = await telegram.say("/learn Shoes by the door", chat=old)
    new = fake.upgrade_group(old)
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)
    since = len(fake.sent_messages)
    with caplog.at_level(logging.WARNING, logger="habitlink"):
        notice = await telegram.press(card, text="👍 Like", user=bob)
    assert notice == "👍 You like Alice's learning."
    (fresh,) = fake.sent_messages[since:]
    assert fresh.chat_id == new.id
    assert fresh.plain_text == "💡 Alice shared a learning in Basic:\nShoes by the door\n👍 1 like"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert SORRY_SEND not in [m.plain_text for m in fake.sent_messages]


async def test_an_at_name_in_a_reply_is_whom_the_command_is_about(
    telegram: TelegramHarness,
) -> None:
    """`/ban @carol_c` sent as a reply to Bob's message banned Bob: the reply's author won and
    the name typed was dropped without a word. The @name said is whom it is about."""
    fake = telegram.fake
    bob = fake.new_user("Bob", username="bob_runs")
    carol = fake.new_user("Carol", username="carol_c")
    group = await group_with(telegram, bob, carol)
    update = fake.send_text("Carol posts ads again", chat=group, user=bob)
    bobs = fake.message(group.id, update["message"]["message_id"])
    assert bobs is not None
    (banned,) = await telegram.say("/ban @carol_c", chat=group, reply_to=bobs)
    assert (banned.plain_text or "").startswith("Carol is no longer in Runners"), banned.plain_text
    (trusted,) = await telegram.say("/trust @carol_c", chat=group, reply_to=bobs)
    assert trusted.plain_text == (
        "You now trust Carol. Carol's learnings will show up in your weekly summary. "
        "Undo with /untrust."
    )
    (members,) = await telegram.say("/members", chat=group)
    assert members.plain_text == "Runners: 2 members\n1. Alice (owner)\n2. Bob"
    # A reply with words that name nobody is still about the reply's author.
    (promoted,) = await telegram.say("/promote please", chat=group, reply_to=bobs)
    assert promoted.plain_text == "Bob is now an admin of Runners."


async def test_a_username_given_up_and_taken_by_someone_else_names_its_new_owner(
    telegram: TelegramHarness,
) -> None:
    """Bob was @runner, changed his username and has not written since; Carol took @runner.
    `/kick @runner` found Bob's old record first and removed him. A username names whoever
    has it now: the last one seen with it."""
    fake = telegram.fake
    bob = fake.new_user("Bob", username="runner")
    group = await group_with(telegram, bob)
    bob.username = "bob_two"  # changed in Telegram; the bot has not heard from him since
    carol = fake.new_user("Carol", username="Runner")
    (joined,) = await telegram.say("/join", chat=group, user=carol)
    assert joined.plain_text == "Welcome to Runners, Carol!"
    (kicked,) = await telegram.say("/kick @runner", chat=group)
    assert (kicked.plain_text or "").startswith("Carol is no longer in Runners"), kicked.plain_text
    (members,) = await telegram.say("/members", chat=group)
    assert members.plain_text == "Runners: 2 members\n1. Alice (owner)\n2. Bob"


async def test_a_learning_keeps_the_name_of_someone_picked_from_the_member_list(
    telegram: TelegramHarness,
) -> None:
    """A name picked from the member list (a text mention, for someone without a username) was
    cut out of every command's words, as if it named whom a /kick is about: '/learn Thanks
    Carol' shared 'Thanks'."""
    fake = telegram.fake
    carol = fake.new_user("Carol", last_name="Díaz")
    group = await group_with(telegram, carol)
    since = len(fake.sent_messages)
    fake.send_text_mentioning("/learn Stretching daily, thanks to ", carol, chat=group)
    card = await fake.wait_for_message(chat_id=group.id, since=since)
    assert (card.plain_text or "").splitlines()[1] == "Stretching daily, thanks to Carol Díaz"
    since = len(fake.sent_messages)
    fake.send_text_mentioning("/promote ", carol, chat=group)
    promoted = await fake.wait_for_message(chat_id=group.id, since=since)
    assert promoted.plain_text == "Carol Díaz is now an admin of Runners."
