"""Groups and proofs through the real python-telegram-bot: photo messages, getFile, downloads."""

from __future__ import annotations

from core.media.storage import LocalMediaStore
from tests.fakes.telegram_models import FakeChat, FakeUser, StoredMessage
from tests.support.images import jpeg
from tests.support.telegram import TelegramHarness


async def photo(
    telegram: TelegramHarness,
    group: FakeChat,
    user: FakeUser,
    caption: str | None = None,
    **kwargs: object,
) -> StoredMessage:
    """A member posts a photo; returns the bot's answer. Its photo sizes go into `sizes`."""
    since = len(telegram.fake.sent_messages)
    update = telegram.fake.send_photo(
        chat=group,
        user=user,
        caption=caption,
        data=jpeg(),
        **kwargs,  # type: ignore[arg-type]
    )
    sizes.append(update["message"]["photo"])
    return await telegram.fake.wait_for_message(chat_id=group.id, since=since)


sizes: list[list[dict[str, object]]] = []


async def test_proofs_in_a_group_chat(telegram: TelegramHarness, media: LocalMediaStore) -> None:
    fake = telegram.fake
    alice = fake.default_user
    bob = fake.new_user("Bob", username="bob")
    group = fake.new_group("Runners")
    await telegram.say("/newhabit Run 5k")  # in Alice's private chat
    (created,) = await telegram.say("/newgroup@HabitLinkTestBot Runners", chat=group, user=alice)
    assert "Created the group Runners" in (created.plain_text or "")

    saved = await photo(telegram, group, alice, caption="/proof run morning loop")
    assert saved.plain_text == (
        "Proof saved, Alice! That's 1 proof this week in Runners. Run 5k is checked in for today."
    )
    largest = fake.calls_of("getFile")[-1]
    assert largest.params["file_id"] == sizes[-1][-1]["file_id"]  # the largest size

    plain = await photo(telegram, group, alice)  # the bot sees plain photos when it may
    assert plain.plain_text == "Proof saved, Alice! That's 2 proofs this week in Runners."

    stranger = await photo(telegram, group, bob)
    assert (stranger.plain_text or "").startswith("Hi Bob! Photos here count as proofs")
    assert len(fake.calls_of("getFile")) == 2  # nothing fetched for a non-member

    (board, collage) = await telegram.say("/board", chat=group, user=alice, count=2)
    assert "2 proofs this week from 1 member." in (board.plain_text or "")
    assert collage.photo is not None and collage.method == "sendPhoto"


async def test_an_oversized_photo_is_refused_politely(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group = fake.new_group("Runners")
    await telegram.say("/newgroup Runners", chat=group)
    reply = await photo(telegram, group, fake.default_user, largest_file_size=25 * 1024 * 1024)
    assert reply.plain_text == "That file is too big; photos can be up to 20 MB."
    assert not fake.calls_of("getFile")  # refused before downloading anything


async def test_invites_carry_a_deep_link_that_joins(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group = fake.new_group("Night Owls")
    await telegram.say("/newgroup Night Owls private", chat=group)
    (invite,) = await telegram.say("/invite", chat=group)
    text = invite.plain_text or ""
    link = next(w for w in text.split() if w.startswith("https://t.me/HabitLinkTestBot?start="))
    code = link.split("=", 1)[1]
    bob = fake.new_user("Bob", username="bob")
    (joined,) = await telegram.say(f"/start {code}", user=bob)
    assert joined.plain_text == (
        "You joined Night Owls. Post your proofs and learnings in its chat."
    )


async def test_unknown_commands_in_groups(telegram: TelegramHarness) -> None:
    group = telegram.fake.new_group("Runners")
    (reply,) = await telegram.say("/frobnicate@HabitLinkTestBot", chat=group)
    assert reply.plain_text == "I don't know /frobnicate. Send /help to see what I can do."
    since = len(telegram.fake.sent_messages)
    telegram.fake.send_text("/frobnicate", chat=group)  # might be another bot's: silence
    (probe,) = await telegram.say("/groupinfo", chat=group)  # updates are handled in order
    assert telegram.messages_since(since, group) == [probe]


async def test_a_picture_sent_as_a_file_is_a_proof(telegram: TelegramHarness) -> None:
    """ "Send as file" (no compression): the picture arrives as a document with an image type."""
    fake = telegram.fake
    group = fake.new_group("Runners")
    await telegram.say("/newhabit Run 5k")
    await telegram.say("/newgroup Runners", chat=group)
    since = len(fake.sent_messages)
    fake.send_document(
        jpeg(), file_name="IMG_0001.jpg", mime_type="image/jpeg", chat=group, caption="/proof run"
    )
    saved = await fake.wait_for_message(chat_id=group.id, since=since)
    assert (saved.plain_text or "").startswith("Proof saved, Alice! That's 1 proof this week")
    since = len(fake.sent_messages)
    fake.send_document(b"%PDF-1.4", file_name="plan.pdf", mime_type="application/pdf", chat=group)
    fake.send_text("/board", chat=group)
    board = await fake.wait_for_message(chat_id=group.id, since=since)
    assert "1 proof this week" in (board.plain_text or "")  # a PDF is no proof, and no answer
