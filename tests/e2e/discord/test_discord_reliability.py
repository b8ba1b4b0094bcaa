"""Discord under faults and long content: every reply within Discord's limits, and the bot keeps
working through a gateway reconnect, an invalid session, a dead connection and a channel's 429s."""

from __future__ import annotations

import time

import pytest

from bot.dispatcher import HabitLinkBot
from bot.handlers.learnings import PREVIEW_UNITS
from bot.messages import shorten
from tests.e2e.discord.test_discord_groups import runners
from tests.fakes.discord_api import FakeDiscord
from tests.support.discord import DiscordHarness, running, visible

RUNNER = "🏃"
LONG = RUNNER * 1000


async def test_learnings_of_a_thousand_emoji_fit_in_feed_and_learnings(dc: DiscordHarness) -> None:
    """Each learning's card carries all of it; the lists show the beginning of each."""
    fake = dc.fake
    await runners(dc)
    for n in range(5):  # five different ones (the same learning again is refused)
        long = LONG[:-1] + str(n)
        (learned,) = await dc.slash("learn", {"text": long})
        assert long in visible(learned.content)
    preview = shorten(LONG, PREVIEW_UNITS)
    for command, channel in (("learnings", None), ("feed", fake.dm_channel())):
        (page,) = await dc.slash(command, channel=channel)
        assert visible(page.content).count(preview) == 5
    fake.assert_no_violations()


@pytest.mark.parametrize(
    "text",
    [
        "*_`|~>" * 166,  # 996 characters, each escaped on Discord
        "@everyone /done " * 62,  # mentions defused, commands spelled the Discord way
        "<@1234> \\ #x " * 83,
    ],
)
async def test_a_learning_full_of_markup_fits(dc: DiscordHarness, text: str) -> None:
    fake = dc.fake
    await runners(dc)
    await dc.slash("learn", {"text": text[:1000]}, count=1)
    await dc.slash("learnings", count=1)
    for _ in range(3):
        await dc.slash("learn", {"text": text[:1000]}, count=1)
    await dc.slash("learnings", count=1)
    await dc.slash("feed", channel=fake.dm_channel(), count=1)
    fake.assert_no_violations()


async def test_a_done_with_2040_emoji_is_answered(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    await dc.slash("habit new", {"title": "Run"}, channel=dm)
    await dc.slash("habit done", {"habit": RUNNER * 2040}, channel=dm)
    fake.assert_no_violations()


async def test_the_bot_keeps_working_through_gateway_faults(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    fake.request_reconnect()  # op 7: close and RESUME
    (answer,) = await dc.slash("habit list", channel=dm)
    assert "no habits" in visible(answer.content)
    identified = fake.identify_count
    fake.invalidate_session(resumable=False)  # op 9: IDENTIFY again
    await fake.wait_for(lambda: fake.identify_count > identified, timeout=15, what="IDENTIFY")
    (answer,) = await dc.slash("habit new", {"title": "Read"}, channel=dm)
    assert "Read" in visible(answer.content)


async def test_a_dead_connection_is_replaced(fake: FakeDiscord, bot: HabitLinkBot) -> None:
    fake.heartbeat_interval_ms = 300
    async with running(fake, bot, heartbeat_timeout=1.0) as adapter:
        dc = DiscordHarness(fake, adapter)
        connections = len(fake.connections)
        fake.ack_heartbeats = False  # a zombie: heartbeats are never acknowledged
        await fake.wait_for(
            lambda: len(fake.connections) > connections, timeout=15, what="a new connection"
        )
        fake.ack_heartbeats = True
        (answer,) = await dc.slash("habit list", channel=fake.dm_channel())
        assert "no habits" in visible(answer.content)


async def test_a_channel_held_by_429s_delays_no_other_channel(dc: DiscordHarness) -> None:
    fake = dc.fake
    await runners(dc)
    busy = fake.default_channel
    # Five rounds of 2 s 429s for messages in #general only.
    fake.fail_next("POST", rf"/channels/{busy.id}/messages", times=5, retry_after=2.0)
    fake.send_message("<@bot> hello", channel=busy)  # nothing the bot must answer
    began = time.monotonic()
    (answer,) = await dc.slash("habit list", channel=fake.dm_channel())
    assert "no habits" in visible(answer.content)
    assert time.monotonic() - began < 2.0


@pytest.mark.serial
async def test_typed_answers_sent_quickly_are_handled_in_order(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    await dc.slash("habit new", channel=dm)
    since = len(fake.sent_messages)
    for answer in ("Read 10 pages", "every day", "To think clearly"):
        fake.send_message(answer, channel=dm)
    replies = await fake.wait_for(
        lambda: (
            found
            if len(found := fake.messages_in(dm.id)[-3:]) == 3
            and len(fake.sent_messages) - since >= 3
            else None
        ),
        what="three answers",
    )
    assert [visible(m.content)[:4] for m in replies] == ["2/8 ", "3/8 ", "4/8 "]
