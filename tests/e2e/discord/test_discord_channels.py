"""Guided steps in a server channel: without the message-content intent the bot never sees
the typed answers they wait for, so it says how to do it in one go (or in a DM) instead."""

from __future__ import annotations

from bot.dispatcher import HabitLinkBot
from tests.fakes.discord_api import FakeDiscord
from tests.support.discord import DiscordHarness, running, visible


async def test_guided_steps_in_a_channel_need_the_message_content_intent(
    dc: DiscordHarness,
) -> None:
    fake = dc.fake
    (guided,) = await dc.slash("habit new")  # in #general, no message-content intent
    assert visible(guided.content) == (
        "I can't read typed answers here, so the guided setup works in a private chat with me. "
        "Here, give the habit a title: /habit new TITLE."
    )
    # No flow waits for an answer the bot cannot see: the next slash command is just that.
    await dc.slash("habit new", {"title": "Read"})
    (edit,) = await dc.slash("habit edit", {"habit": "read"})
    pressed = await dc.press(edit, "Why it matters")
    assert pressed.callback is not None
    assert visible(fake.last_message().content) == (
        "I can't read typed answers here. Send /habit edit 1 why VALUE here, or edit it in a "
        "private chat with me."
    )
    (saved,) = await dc.slash("habit edit", {"habit": "1", "field": "why", "value": "Calm"})
    assert visible(saved.content).startswith("Saved.")
    # In a DM the guided setup asks, and typed answers reach it.
    (intro,) = await dc.slash("habit new", channel=fake.dm_channel())
    assert "1/8 What habit do you want to build?" in visible(intro.content)


ASKED = "↩️ Reply to this message (or mention me) with your answer."


async def test_with_the_intent_the_guided_setup_runs_in_a_channel(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    """In a channel a question is answered by a reply to the bot's message or a message that
    mentions the bot, and each question says so: a new user's trial had their next message to
    the others ("anyone up for a run?") taken as the habit's title."""
    bob = fake.new_user("bob", global_name="Bob")
    fake.add_member(fake.default_guild, bob)
    async with running(fake, bot, message_content=True) as adapter:
        dc = DiscordHarness(fake, adapter)
        (intro,) = await dc.slash("habit new")
        assert "1/8 What habit do you want to build?" in visible(intro.content)
        assert visible(intro.content).endswith(ASKED)
        fake.send_message("Anyone up for a run later?")  # talk to the others: no answer
        fake.send_message("Me!", user=bob, reply_to=intro)  # Bob has no question open
        (schedule,) = await dc.say("Read 10 pages", reply_to=intro)
        assert visible(schedule.content).startswith("2/8 How often?")  # the talk was no title
        assert visible(schedule.content).endswith(ASKED)
        me = f"<@{fake.bot_user.id}>"
        (why,) = await dc.say(f"{me} weekdays")  # a mention answers too
        assert visible(why.content).startswith("3/8 Why does it matter to you?")
        (cue,) = await dc.say(f"To learn {me}", reply_to=why, ping=False)
        assert visible(cue.content).startswith("4/8 Who are you becoming?")
        (saved,) = await dc.say("/cancel")
        assert visible(saved.content) == "Cancelled. Nothing was saved."
        # In a DM every message is for the bot: a plain message answers, as ever.
        dm = fake.dm_channel()
        (intro,) = await dc.slash("habit new", channel=dm)
        assert ASKED not in visible(intro.content)
        (schedule,) = await dc.dm("Read 10 pages")
        assert visible(schedule.content).startswith("2/8 How often?")


async def test_group_typed_in_a_channel_is_answered(fake: FakeDiscord, bot: HabitLinkBot) -> None:
    """A typed /group in a channel (read with the message-content intent) got no reply, as an
    unknown command that may be another bot's; /group is HabitLink's own word, so it is
    answered with the command that works there, as in Telegram's and the console's groups."""
    async with running(fake, bot, message_content=True) as adapter:
        dc = DiscordHarness(fake, adapter)
        (meant,) = await dc.say("/group")
        assert visible(meant.content).startswith("I don't know /group. Did you mean\n/group info")
