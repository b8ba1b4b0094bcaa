"""Prometheus metrics fed by the real Discord adapter: updates, replies, 429s, notifications."""

from __future__ import annotations

from prometheus_client import REGISTRY

from adapters.discord.adapter import ANSWER_WITHIN, DEFER_AFTER
from bot.delivery import Notifier
from core.clock import SettableClock
from tests.e2e.discord.test_discord_platform import MESSAGES, remind_alice
from tests.support.discord import DiscordHarness, visible

DISCORD_WINDOW = 3.0  # seconds Discord gives an interaction's first answer


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_reminder_after_a_429_is_counted(dc: DiscordHarness, clock: SettableClock) -> None:
    before = {
        "limited": value("habitlink_rate_limited_total", platform="discord"),
        "replies": value("habitlink_replies_sent_total", platform="discord"),
        "sent": value(
            "habitlink_notifications_total", platform="discord", kind="reminder", outcome="sent"
        ),
        "remind": value("habitlink_updates_total", platform="discord", command="remind"),
    }
    notifier: Notifier = await remind_alice(dc, clock)
    dc.fake.fail_next("POST", MESSAGES, retry_after=0.05)  # waited out by discord.py
    assert await notifier.run_once() == 1
    after = {
        "limited": value("habitlink_rate_limited_total", platform="discord"),
        "replies": value("habitlink_replies_sent_total", platform="discord"),
        "sent": value(
            "habitlink_notifications_total", platform="discord", kind="reminder", outcome="sent"
        ),
        "remind": value("habitlink_updates_total", platform="discord", command="remind"),
    }
    grew = {name: after[name] - before[name] for name in before}
    # /habit new and /remind answered (2 replies), then the reminder (1).
    assert grew == {"limited": 1, "replies": 3, "sent": 1, "remind": 1}


CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


async def test_a_429_on_an_interaction_answer_is_waited_out_in_time_and_counted(
    dc: DiscordHarness,
) -> None:
    limited = value("habitlink_rate_limited_total", platform="discord")
    dc.fake.fail_next("POST", CALLBACK, retry_after=0.5)
    (answer,) = await dc.slash("help")  # the fake refuses answers after 3 seconds
    assert "/habit" in visible(answer.content)
    assert dc.last.callback is not None and dc.last.callback.type == 4  # the answer itself
    assert len([c for c in dc.fake.calls if c.status == 429]) == 1
    assert value("habitlink_rate_limited_total", platform="discord") == limited + 1
    dc.fake.assert_no_violations()


async def test_a_429_longer_than_the_answer_window_falls_back_to_the_channel(
    dc: DiscordHarness,
) -> None:
    """Discord asks to wait past its own 3 seconds: the answer cannot wait that long, so it is
    posted in the channel (the person sees it; the interaction shows it failed)."""
    dc.fake.interaction_timeout = DISCORD_WINDOW  # Discord's own, and the adapter's in it
    dc.adapter.defer_after, dc.adapter.answer_within = DEFER_AFTER, ANSWER_WITHIN
    limited = value("habitlink_rate_limited_total", platform="discord")
    since = len(dc.fake.sent_messages)
    dc.fake.fail_next("POST", CALLBACK, retry_after=5.0)
    record = dc.fake.slash_command("help")
    answer = await dc.fake.wait_for(
        lambda: next(
            (m for m in dc.fake.sent_messages[since:] if m.channel_id == record.channel.id), None
        ),
        timeout=10,
        what="the answer in the channel",
    )
    assert "/habit" in visible(answer.content)
    assert record.callback is None  # never answered late (Discord would refuse it)
    assert value("habitlink_rate_limited_total", platform="discord") == limited + 1
    dc.fake.assert_no_violations()
