"""Group chats: which messages the bot answers there, and whose buttons are whose."""

from __future__ import annotations

from tests.fakes.telegram_models import FakeChat, FakeUser, StoredMessage
from tests.support.telegram import TelegramHarness


async def nothing_answered(
    telegram: TelegramHarness, ignored: str, *, chat: FakeChat, user: FakeUser | None = None
) -> None:
    """`ignored` gets no reply at all. Updates are handled one at a time, so once the /start
    sent after it is answered, the bot has finished with `ignored` too."""
    since = len(telegram.fake.sent_messages)
    telegram.fake.send_text(ignored, chat=chat, user=user)
    (probe,) = await telegram.say("/start", chat=chat, user=user)
    assert (probe.plain_text or "").startswith("Hi ")
    assert telegram.messages_since(since, chat) == [probe], f"{ignored!r} got a reply"


async def test_commands_work_plain_and_addressed_to_us(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group = fake.new_group("Morning Crew")
    (start,) = await telegram.say("/start", chat=group)
    assert start.plain_text == (
        "Hi Alice! This chat has no accountability group yet. Make one with /newgroup NAME, "
        "then everyone sends /join. Send /help to see the group commands."
    )
    (created,) = await telegram.say("/newhabit@HabitLinkTestBot Read 10 pages", chat=group)
    assert (created.plain_text or "").startswith("Created Read 10 pages, every day.")
    listing = "Today · Mon 23 Mar\n1. ○ Read 10 pages — streak 0 days\n\n0 of 1 done."
    (plain,) = await telegram.say("/habits", chat=group)
    assert plain.plain_text == listing
    (addressed,) = await telegram.say("/habits@HabitLinkTestBot", chat=group)
    assert addressed.plain_text == listing
    (done,) = await telegram.say("/done@habitlinktestbot read", chat=group)  # any letter case
    assert done.plain_text == "✓ Read 10 pages done today. Streak 1 day, day 1 of 66."
    (help_done,) = await telegram.say("/help@HabitLinkTestBot done", chat=group)
    assert (help_done.plain_text or "").startswith("/done: Check a habit in as done")
    assert all(m.chat_id == group.id for m in fake.messages_in(group.id))


async def test_basic_group_and_supergroup_alike(telegram: TelegramHarness) -> None:
    basic = telegram.fake.new_group("Old-style group", supergroup=False)
    assert basic.type == "group"
    (start,) = await telegram.say("/start@HabitLinkTestBot", chat=basic)
    assert (start.plain_text or "").startswith("Hi Alice!")


async def test_commands_for_other_bots_and_chatter_get_no_reply(
    telegram: TelegramHarness,
) -> None:
    group = telegram.fake.new_group()
    bob = telegram.fake.new_user("Bob")
    for ignored in (
        "/habits@OtherBot",
        "/start@SomeOtherBot hello",
        "/help@HabitLinkTestBotX",
        "/frobnicate",  # unknown here: maybe meant for another bot of the group
        "good morning everyone!",
        "I did /done read today, see? /habits",
        "https://example.com #habits @alice_habits",
    ):
        await nothing_answered(telegram, ignored, chat=group)
    await nothing_answered(telegram, "anyone up for a run?", chat=group, user=bob)


async def test_group_in_a_group_chat_is_answered(telegram: TelegramHarness) -> None:
    """/group is HabitLink's own word (Discord's /group commands): unlike an unknown command
    that may be another bot's, it gets an answer in a group chat, plain or addressed."""
    group = telegram.fake.new_group("Runners")
    meant = (
        "I don't know /group. Did you mean\n/groupinfo – About this chat's group\n"
        "Send /help to see what I can do."
    )
    (plain,) = await telegram.say("/group", chat=group)
    assert plain.plain_text == meant
    (addressed,) = await telegram.say("/group@HabitLinkTestBot", chat=group)
    assert addressed.plain_text == meant
    await nothing_answered(telegram, "/group@OtherBot", chat=group)


async def test_private_only_commands_explain_themselves(telegram: TelegramHarness) -> None:
    group = telegram.fake.new_group()
    (tz,) = await telegram.say("/timezone Europe/Berlin", chat=group)
    assert tz.plain_text == "/timezone works in a private chat with me."
    (day,) = await telegram.say("/daystart@HabitLinkTestBot 3", chat=group)
    assert day.plain_text == "/daystart works in a private chat with me."
    (private,) = await telegram.say("/timezone")  # nothing was changed meanwhile
    assert (private.plain_text or "").startswith("Your time zone is UTC.")


async def habits_of(telegram: TelegramHarness, chat: FakeChat, user: FakeUser) -> StoredMessage:
    (listing,) = await telegram.say("/habits", chat=chat, user=user)
    return listing


async def test_someone_elses_done_button_changes_nothing(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group = fake.new_group()
    alice = fake.default_user
    bob = fake.new_user("Bob", username="bob_runs")
    await telegram.say("/newhabit Read 10 pages", chat=group, user=alice)
    await telegram.say("/newhabit Run", chat=group, user=bob)
    alices = await habits_of(telegram, group, alice)
    since = len(fake.sent_messages)
    answer = await telegram.press(alices, text="✓ Read 10 pages", user=bob)
    assert answer == "That habit isn't on your list (any more). Send /habits for your own list."
    assert fake.sent_messages[since:] == []  # no new message
    assert fake.message(group.id, alices.message_id).edits == []  # and no edit
    assert (await habits_of(telegram, group, alice)).plain_text == (
        "Today · Mon 23 Mar\n1. ○ Read 10 pages — streak 0 days\n\n0 of 1 done."
    )
    assert (await habits_of(telegram, group, bob)).plain_text == (
        "Today · Mon 23 Mar\n1. ○ Run — streak 0 days\n\n0 of 1 done."
    )
    # Alice's own press works on the very same message.
    assert await telegram.press(alices, text="✓ Read 10 pages", user=alice) == "✓ Read 10 pages"
    edited = fake.message(group.id, alices.message_id)
    assert edited is not None and (edited.plain_text or "").startswith(
        "Today · Mon 23 Mar\n1. ✓ Read 10 pages — streak 1 day"
    )
