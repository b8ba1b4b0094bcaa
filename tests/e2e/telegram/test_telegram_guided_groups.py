"""Guided setups in a Telegram group where the bot is in privacy mode (Telegram's default, the
bot no admin): Telegram sends it commands and replies to its messages, never the members' other
messages. So each question is one to reply to: sent as a reply to the person's message with
ForceReply(selective=True) (their client opens a reply to it), or, with buttons, saying to reply;
the answer comes as a reply, and the flow goes on. Only the asker's replies answer their flow."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from adapters.telegram.asking import HINT, PLACEHOLDER
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Habit
from tests.fakes.telegram_models import FakeChat
from tests.support.images import jpeg
from tests.support.telegram import TelegramHarness


async def handled(telegram: TelegramHarness, update: dict[str, Any]) -> None:
    """Return once the bot has fetched `update` and sent whatever it answers."""
    await telegram.fake.wait_for(
        lambda: any(
            (call.params.get("offset") or 0) > update["update_id"]
            for call in telegram.fake.calls_of("getUpdates")
        ),
        what=f"update {update['update_id']} fetched",
    )
    await telegram.adapter.settled()


FORCE_REPLY = {"force_reply": True, "selective": True, "input_field_placeholder": PLACEHOLDER}


async def habit_titles(database: Database) -> list[str]:
    async with database.session() as session:
        return list((await session.scalars(select(Habit.title).order_by(Habit.id))).all())


async def test_newhabit_guided_in_a_privacy_mode_group_by_replies(
    telegram: TelegramHarness, database: Database
) -> None:
    fake = telegram.fake
    bob = fake.new_user("Bob", username="bob")
    group: FakeChat = fake.new_group("Runners", bot_admin=False)
    me = await telegram.adapter.application.bot.get_me()
    assert me.can_read_all_group_messages is False  # privacy mode, as Telegram's default

    (asked,) = await telegram.say("/newhabit", chat=group)
    command = fake.messages[group.id][asked.reply_to.message_id] if asked.reply_to else None
    assert command is not None and command.plain_text == "/newhabit"  # a reply to the command
    assert "1/8 What habit do you want to build?" in (asked.plain_text or "")
    assert (asked.plain_text or "").endswith(HINT)
    assert asked.reply_markup == FORCE_REPLY
    assert fake.force_reply_targets(asked) == {fake.default_user.id}  # Alice's client only

    # Alice forgets to reply: Telegram does not send the bot her plain message, and nothing
    # breaks. Bob's reply reaches the bot, but answers nothing (his, not Alice's, flow).
    since = len(fake.sent_messages)
    fake.send_text("Stretch", chat=group)
    assert [m.plain_text for m in fake.withheld] == ["Stretch"]
    await handled(telegram, fake.send_text("Juggling", chat=group, user=bob, reply_to=asked))
    assert fake.sent_messages[since:] == []

    # An answer the step can't take: asked again, again as a reply for her.
    (again,) = await telegram.say("skip", chat=group, reply_to=asked)
    assert (again.plain_text or "").startswith("This one is needed. 1/8 What habit")
    assert again.reply_markup == FORCE_REPLY
    assert fake.force_reply_targets(again) == {fake.default_user.id}

    (schedule,) = await telegram.say("Stretch", chat=group, reply_to=again)
    assert "2/8 How often?" in (schedule.plain_text or "")
    assert schedule.reply_to is not None and schedule.reply_to.plain_text == "Stretch"
    assert "Every day" in [b["text"] for b in schedule.buttons()]  # buttons: no ForceReply,
    assert (schedule.plain_text or "").endswith(HINT)  # the question says to reply

    await telegram.press(schedule, text="Every day")
    why = fake.messages_in(group.id)[-1]
    assert "3/8 Why does it matter to you?" in (why.plain_text or "")
    assert (why.plain_text or "").startswith("Alice: ")  # a press: the question names her
    mention = next(e for e in why.entities if e["type"] == "text_mention")
    assert mention["user"]["id"] == fake.default_user.id

    (identity,) = await telegram.say("To stay supple", chat=group, reply_to=why)
    assert "4/8 Who are you becoming?" in (identity.plain_text or "")
    # Another member's press on Alice's question changes nothing of hers.
    assert await telegram.press(identity, text="Save now", user=bob) == (
        "That setup has ended. Start again with /newhabit."
    )
    await telegram.press(identity, text="Save now")
    ready = fake.messages_in(group.id)[-1]
    assert (ready.plain_text or "").startswith("Your new habit is ready"), ready.plain_text
    assert "Stretch" in (ready.plain_text or "") and ready.reply_markup is None
    assert await habit_titles(database) == ["Stretch"]  # not "Juggling", Bob's reply

    # /edithabit's field buttons ask by a press too: ForceReply for the one named.
    (edit,) = await telegram.say("/edithabit stretch", chat=group)
    await telegram.press(edit, text="Cue")
    cue = fake.messages_in(group.id)[-1]
    assert (cue.plain_text or "").startswith("Alice: Send the new cue for Stretch.")
    assert cue.reply_markup == FORCE_REPLY and cue.reply_to is None
    assert fake.force_reply_targets(cue) == {fake.default_user.id}
    (saved,) = await telegram.say("My mat by the bed", chat=group, reply_to=cue)
    assert (saved.plain_text or "").startswith("Saved."), saved.plain_text
    assert "My mat by the bed" in (saved.plain_text or "")
    assert saved.reply_markup is None  # the flow is over: nothing more to ask

    # An answer the domain refuses: explained, and asked again as a reply for her.
    (edit,) = await telegram.say("/edithabit stretch", chat=group)
    await telegram.press(edit, text="Schedule")
    schedule = fake.messages_in(group.id)[-1]
    (refused,) = await telegram.say("every blue moon", chat=group, reply_to=schedule)
    assert refused.reply_markup == FORCE_REPLY, refused.plain_text
    assert (refused.plain_text or "").endswith(HINT)
    assert fake.force_reply_targets(refused) == {fake.default_user.id}
    (saved,) = await telegram.say("weekdays", chat=group, reply_to=refused)
    assert (saved.plain_text or "").startswith("Saved."), saved.plain_text


async def test_private_questions_are_unchanged(telegram: TelegramHarness) -> None:
    """In a private chat every message reaches the bot: no ForceReply, no reply, no hint."""
    (intro,) = await telegram.say("/newhabit")
    assert "1/8 What habit do you want to build?" in (intro.plain_text or "")
    assert intro.reply_markup is None and intro.reply_to is None
    assert HINT not in (intro.plain_text or "")
    (schedule,) = await telegram.say("Stretch")  # a plain message: the answer
    assert "2/8 How often?" in (schedule.plain_text or "")
    assert schedule.reply_to is None and HINT not in (schedule.plain_text or "")


async def test_a_deleted_command_does_not_stop_the_question(telegram: TelegramHarness) -> None:
    """The question replies to the command with allow_sending_without_reply: a command deleted
    before the answer goes out still gets its question (just not as a reply)."""
    fake = telegram.fake
    group = fake.new_group("Runners", bot_admin=False)
    update = fake.send_text("/newhabit", chat=group)
    fake.messages[group.id][update["message"]["message_id"]].deleted = True
    await handled(telegram, update)
    (asked,) = fake.messages_in(group.id)
    assert "1/8 What habit do you want to build?" in (asked.plain_text or "")
    assert asked.reply_to is None
    call = fake.calls_of("sendMessage")[-1]
    assert call.params["reply_parameters"]["allow_sending_without_reply"] is True


async def test_in_a_group_the_bot_reads_only_a_reply_answers_the_step(
    telegram: TelegramHarness, database: Database
) -> None:
    """The bot is the group's admin, so Telegram sends it every message. Her chat with the
    others while her setup waits is not its answer: only a reply to the bot is, as each
    question says."""
    fake = telegram.fake
    group = fake.new_group("Runners")  # the bot an admin: it reads everything
    await telegram.say("/newgroup Runners", chat=group)
    (asked,) = await telegram.say("/newhabit", chat=group)
    assert "1/8 What habit do you want to build?" in (asked.plain_text or "")

    # Her photo posted meanwhile is the proof it always was, not a wrong answer.
    since = len(fake.sent_messages)
    fake.send_photo(chat=group, data=jpeg())
    proof = await fake.wait_for_message(chat_id=group.id, since=since)
    assert proof.plain_text == "Proof saved, Alice! That's 1 proof this week in Runners."

    since = len(fake.sent_messages)
    await handled(telegram, fake.send_text("Morning all! Who's in for Sunday?", chat=group))
    bob = fake.new_user("Bob", username="bob")
    chatter = fake.send_text("Me!", chat=group, user=bob)
    bobs = fake.messages[group.id][chatter["message"]["message_id"]]
    await handled(telegram, fake.send_text("Great", chat=group, reply_to=bobs))
    assert fake.sent_messages[since:] == []  # no question asked again, nothing taken

    (schedule,) = await telegram.say("Stretch", chat=group, reply_to=asked)
    assert "2/8 How often?" in (schedule.plain_text or "")
    (why,) = await telegram.say("daily", chat=group, reply_to=schedule)
    assert "3/8 Why does it matter to you?" in (why.plain_text or "")
    await telegram.press(why, text="Save now")
    assert await habit_titles(database) == ["Stretch"]


async def test_a_vision_left_unanswered_is_not_a_later_hello(
    telegram: TelegramHarness, clock: SettableClock
) -> None:
    (asked,) = await telegram.say("/lifebook vision")
    assert "Your vision:" in (asked.plain_text or "")
    clock.advance(timedelta(minutes=31))
    (expired,) = await telegram.say("hello")  # told once that the question expired
    assert expired.plain_text == (
        "That question expired after 30 minutes; nothing was saved. Send /lifebook to start again."
    )
    (hint,) = await telegram.say("hello")
    assert hint.plain_text == "Send /help to see what I can do, or /habits for today's list."
    (book,) = await telegram.say("/lifebook")
    assert "hello" not in (book.plain_text or "")


async def test_a_late_reply_in_a_group_is_told_the_question_expired(
    telegram: TelegramHarness, clock: SettableClock
) -> None:
    fake = telegram.fake
    group = fake.new_group("Runners", bot_admin=True)  # it sees every message
    (asked,) = await telegram.say("/newhabit", chat=group)
    clock.advance(timedelta(minutes=31))
    since = len(fake.sent_messages)
    await handled(telegram, fake.send_text("Anyone running?", chat=group))  # talk: no word
    assert fake.sent_messages[since:] == []
    (expired,) = await telegram.say("Stretch", chat=group, reply_to=asked)
    assert expired.plain_text == (
        "That question expired after 30 minutes; nothing was saved. Send /newhabit to start again."
    )


async def test_another_command_ends_a_setup_in_a_group(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group = fake.new_group("Runners", bot_admin=False)
    (asked,) = await telegram.say("/newhabit", chat=group)
    (listing,) = await telegram.say("/habits", chat=group)
    assert listing.reply_markup is None and HINT not in (listing.plain_text or "")
    since = len(fake.sent_messages)
    await handled(telegram, fake.send_text("Stretch", chat=group, reply_to=asked))
    assert fake.sent_messages[since:] == []  # a reply to a question no longer asked
