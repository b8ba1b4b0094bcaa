"""Forum supergroups: every answer goes to the topic it answers (Telegram puts a message sent
without message_thread_id in General, where nobody in the topic sees it)."""

from __future__ import annotations

import asyncio

from tests.fakes.changes import WAIT
from tests.support.images import jpeg
from tests.support.telegram import TelegramHarness

TOPIC = 77


async def test_answers_go_to_the_topic_they_answer(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    forum = fake.new_group("Runners", topics=[TOPIC, 78])
    await telegram.say("/newhabit Run 5k")
    since = len(fake.sent_messages)
    fake.send_text("/newgroup Runners", chat=forum, thread=TOPIC)
    created = await fake.wait_for_message(chat_id=forum.id, since=since)
    assert "Created the group Runners" in (created.plain_text or "")
    assert created.message_thread_id == TOPIC
    since = len(fake.sent_messages)
    fake.send_photo(chat=forum, caption="/proof run", data=jpeg(), thread=78)
    saved = await fake.wait_for_message(chat_id=forum.id, since=since)
    assert (saved.plain_text or "").startswith("Proof saved")
    assert saved.message_thread_id == 78
    (general,) = await telegram.say("/groupinfo", chat=forum)  # in General: no topic
    assert general.message_thread_id is None
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)
    fake.assert_no_violations()


async def test_a_press_in_a_topic_answers_there(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    forum = fake.new_group("Readers", topics=[TOPIC])
    await telegram.say("/newhabit Read")
    since = len(fake.sent_messages)
    fake.send_text("/newgroup Readers", chat=forum, thread=TOPIC)
    await fake.wait_for_message(chat_id=forum.id, since=since)
    since = len(fake.sent_messages)
    fake.send_text("/learn Read before bed", chat=forum, thread=TOPIC)
    card = await fake.wait_for_message(chat_id=forum.id, since=since)
    assert card.message_thread_id == TOPIC and card.buttons()
    # The card cannot be edited any more (too old, say): the new card comes as a new message.
    fake.fail_next(
        "editMessageText", status=400, description="Bad Request: message can't be edited"
    )
    since = len(fake.sent_messages)
    bob = fake.new_user("Bob")
    assert await telegram.press(card, text="👍 Like", user=bob) == "👍 You like Alice's learning."
    (fresh,) = telegram.messages_since(since, forum)
    assert "Alice shared a learning" in (fresh.plain_text or "")
    assert fresh.message_thread_id == TOPIC
    fake.assert_no_violations()
