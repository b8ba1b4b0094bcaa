"""Prometheus metrics fed by the real Discord adapter: updates, replies, 429s, notifications."""

from __future__ import annotations

from prometheus_client import REGISTRY

from bot.delivery import Notifier
from core.clock import SettableClock
from tests.e2e.discord.test_discord_platform import MESSAGES, remind_alice
from tests.support.discord import DiscordHarness


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
