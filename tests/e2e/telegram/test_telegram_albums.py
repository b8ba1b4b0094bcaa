"""Albums through the real python-telegram-bot: several photos sent at once arrive as one
message per photo sharing a media_group_id (the caption on the first), maybe in separate
getUpdates answers. They are one proof, answered once, with the album's caption."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.db.engine import Database
from core.db.models import Proof
from core.media.storage import LocalMediaStore
from tests.fakes.telegram_models import FakeChat, StoredMessage
from tests.support.images import jpeg
from tests.support.telegram import TelegramHarness

RED, GREEN, BLUE = (200, 40, 40), (40, 200, 40), (40, 40, 200)
PHOTOS = [jpeg(320, 240, RED), jpeg(320, 240, GREEN), jpeg(320, 240, BLUE)]


async def answers(
    telegram: TelegramHarness, updates: list[Any], chat: FakeChat, since: int
) -> list[StoredMessage]:
    """What the bot said in `chat` once every one of `updates` is fetched and handled."""
    last = max(update["update_id"] for update in updates)
    await telegram.fake.wait_for(
        lambda: any(
            (call.params.get("offset") or 0) > last for call in telegram.fake.calls_of("getUpdates")
        ),
        what="the album fetched",
    )
    await telegram.adapter.settled()
    return telegram.messages_since(since, chat)


async def proofs(database: Database) -> list[Proof]:
    async with database.session() as session:
        return list((await session.scalars(select(Proof).order_by(Proof.id))).all())


async def runners(telegram: TelegramHarness) -> FakeChat:
    group = telegram.fake.new_group("Runners")
    await telegram.say("/newhabit Run 5k")  # in Alice's private chat
    await telegram.say("/newgroup Runners", chat=group)
    return group


async def test_an_album_is_one_proof_with_its_caption_answered_once(
    telegram: TelegramHarness, database: Database, media: LocalMediaStore
) -> None:
    fake = telegram.fake
    group = await runners(telegram)
    since = len(fake.sent_messages)
    sent = fake.send_album(PHOTOS, chat=group, caption="/proof run morning loop")
    assert len({u["message"]["media_group_id"] for u in sent}) == 1
    assert [("caption" in u["message"]) for u in sent] == [True, False, False]

    (saved,) = await answers(telegram, sent, group, since)
    assert saved.plain_text == (
        "Proof saved, Alice! That's 1 proof this week in Runners. Run 5k is checked in for today."
    )
    album = await proofs(database)
    assert len(album) == 3 and len({p.image_key for p in album}) == 3  # every photo kept
    assert len({p.album for p in album}) == 1 and album[0].album is not None
    assert {p.habit_id for p in album} == {album[0].habit_id} and album[0].habit_id is not None
    assert [p.note for p in album] == ["morning loop", None, None]  # the caption, as sent
    assert all([await media.exists(p.image_key) for p in album])

    one = fake.send_photo(chat=group, data=jpeg(320, 240, (90, 90, 90)))  # a photo on its own
    (next_one,) = await answers(telegram, [one], group, len(fake.sent_messages))
    assert next_one.plain_text == "Proof saved, Alice! That's 2 proofs this week in Runners."
    (board, collage) = await telegram.say("/board", chat=group, count=2)
    assert "2 proofs this week from 1 member." in (board.plain_text or "")
    assert collage.photo is not None


async def test_an_album_fetched_in_two_polls_is_still_one_proof(
    telegram: TelegramHarness, database: Database
) -> None:
    fake = telegram.fake
    group = await runners(telegram)
    since = len(fake.sent_messages)
    sent = await fake.send_album_split(PHOTOS, split=1, chat=group)  # no caption at all
    batches = [
        [u["update_id"] for u in call.response.get("result") or []]
        for call in fake.calls_of("getUpdates")
    ]
    assert [sent[0]["update_id"]] in batches  # the first photo came on its own

    (saved,) = await answers(telegram, sent, group, since)
    assert saved.plain_text == "Proof saved, Alice! That's 1 proof this week in Runners."
    album = await proofs(database)
    assert len(album) == 3 and len({p.album for p in album}) == 1
    assert {p.habit_id for p in album} == {None}
    (summary,) = await telegram.say("/summary")
    assert "Runners: 1 proof" in (summary.plain_text or "")


async def test_an_album_from_someone_not_in_the_group_gets_one_answer(
    telegram: TelegramHarness, database: Database
) -> None:
    fake = telegram.fake
    group = await runners(telegram)
    bob = fake.new_user("Bob", username="bob")
    since = len(fake.sent_messages)
    sent = fake.send_album(PHOTOS, chat=group, user=bob)
    (hello,) = await answers(telegram, sent, group, since)
    assert (hello.plain_text or "").startswith("Hi Bob! Photos here count as proofs")
    assert not fake.calls_of("getFile") and await proofs(database) == []


async def test_an_album_in_a_private_chat_gets_one_answer(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    chat = fake.private_chat()
    since = len(fake.sent_messages)
    sent = fake.send_album(PHOTOS[:2], chat=chat)
    (nice,) = await answers(telegram, sent, chat, since)
    assert (nice.plain_text or "").startswith("Nice photo!")


async def test_two_albums_are_two_proofs(telegram: TelegramHarness, database: Database) -> None:
    fake = telegram.fake
    group = await runners(telegram)
    first = fake.send_album(PHOTOS[:2], chat=group)
    await answers(telegram, first, group, len(fake.sent_messages))
    since = len(fake.sent_messages)
    second = fake.send_album(PHOTOS[1:], chat=group, caption="run")
    (saved,) = await answers(telegram, second, group, since)
    assert saved.plain_text == (
        "Proof saved, Alice! That's 2 proofs this week in Runners. Run 5k is checked in for today."
    )
    assert len({p.album for p in await proofs(database)}) == 2
