"""Learnings, likes and trust through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from tests.fakes.telegram_models import FakeChat, FakeUser, StoredMessage
from tests.support.telegram import TelegramHarness


async def runners(telegram: TelegramHarness) -> tuple[FakeChat, FakeUser]:
    """Alice (the default user) makes the group chat Runners a group; Bob joins it."""
    group = telegram.fake.new_group("Runners")
    bob = telegram.fake.new_user("Bob", username="bob_runs")
    await telegram.say("/newgroup Runners", chat=group)
    (welcome,) = await telegram.say("/join", chat=group, user=bob)
    assert welcome.plain_text == "Welcome to Runners, Bob!"
    return group, bob


async def test_a_like_edits_the_count_in_place(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group, bob = await runners(telegram)
    (posted,) = await telegram.say("/learn Shoes by the door <b>&</b> out by 7", chat=group)
    assert posted.plain_text == (
        "💡 Alice shared a learning in Runners:\nShoes by the door <b>&</b> out by 7\n👍 0 likes"
    )
    data = posted.callback_data()
    assert len(data) == 2 and data[0].startswith("lk:") and data[1].startswith("ld:")
    assert [b["text"] for b in posted.buttons()] == ["👍 Like", "🗑 Delete"]

    notice = await telegram.press(posted, text="👍 Like", user=bob)
    assert notice == "👍 You like Alice's learning."
    edited = fake.message(posted.chat_id, posted.message_id)
    assert edited is not None and len(edited.edits) == 1
    assert edited.plain_text is not None and edited.plain_text.endswith("\n👍 1 like")
    assert edited.callback_data() == data  # the buttons stay

    notice = await telegram.press(posted, text="👍 Like")  # Alice, on her own learning
    assert notice == "That's your own learning, so you can't like it. Others can!"
    assert len(edited.edits) == 1  # nothing changed

    notice = await telegram.press(posted, text="👍 Like", user=bob)
    assert notice == "You took your like back."
    assert edited.plain_text.endswith("\n👍 0 likes")
    assert len(fake.messages_in(group.id)) == 3  # /newgroup, /join and the card: no new messages

    (listing,) = await telegram.say("/learnings", chat=group, user=bob)
    assert listing.plain_text is not None
    assert "1. Shoes by the door <b>&</b> out by 7 — Alice, " in listing.plain_text


async def reply_with(
    telegram: TelegramHarness, text: str, *, chat: FakeChat, to: StoredMessage
) -> StoredMessage:
    """The default user answers `to` with `text`; returns the bot's one reply."""
    since = len(telegram.fake.sent_messages)
    telegram.fake.send_text(text, chat=chat, reply_to=to)
    (reply,) = await telegram.fake.wait_for(
        lambda: telegram.messages_since(since, chat) or None, what=f"a reply to {text!r}"
    )
    return reply


async def test_trust_by_replying_to_a_message(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group, bob = await runners(telegram)
    update = fake.send_text("Ran 5k this morning", chat=group, user=bob)
    bobs_message = fake.message(group.id, update["message"]["message_id"])
    assert bobs_message is not None

    reply = await reply_with(telegram, "/trust", chat=group, to=bobs_message)
    assert reply.plain_text == (
        "You now trust Bob. Bob's learnings will show up in your weekly summary. "
        "Undo with /untrust."
    )
    reply = await reply_with(telegram, "/trust", chat=group, to=bobs_message)
    assert reply.plain_text == "You already trust Bob. Nothing changed."
    own = fake.message(group.id, fake.send_text("me", chat=group)["message"]["message_id"])
    assert own is not None
    reply = await reply_with(telegram, "/trust", chat=group, to=own)
    assert (reply.plain_text or "").startswith("You can't trust yourself here")

    (overview,) = await telegram.say("/trusted")
    assert overview.plain_text == (
        "Trust\nYou trust 1 person: Bob\nNobody trusts you yet.\n"
        "The learnings of the people you trust show up in your weekly summary."
    )
    (untrusted,) = await telegram.say("/untrust @bob_runs")
    assert untrusted.plain_text == "You no longer trust Bob."
