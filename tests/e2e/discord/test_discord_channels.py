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


async def test_with_the_intent_the_guided_setup_runs_in_a_channel(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    async with running(fake, bot, message_content=True) as adapter:
        dc = DiscordHarness(fake, adapter)
        (intro,) = await dc.slash("habit new")
        assert "1/8 What habit do you want to build?" in visible(intro.content)
        (schedule,) = await dc.say("Read 10 pages")
        assert visible(schedule.content).startswith("2/8 How often?")
