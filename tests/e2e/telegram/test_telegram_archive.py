"""/archived and its Restore buttons through the real python-telegram-bot stack and the fake
Bot API: the press edits the list in place, a refused restore says why in a message of its own."""

from __future__ import annotations

from tests.e2e.telegram.test_telegram_commands import current, labels, press_and_collect, styled
from tests.e2e.telegram.test_telegram_commands import text as sent_text
from tests.support.telegram import TelegramHarness


async def test_the_restore_button_brings_a_habit_back(telegram: TelegramHarness) -> None:
    await telegram.say("/newhabit Read 10 pages")
    await telegram.say("/newhabit Stretch")
    await telegram.say("/done read")
    await telegram.say("/done read yesterday")
    for name in ("read", "stretch"):
        (confirm,) = await telegram.say(f"/deletehabit {name}")
        await telegram.press(confirm, text="Archive")
    (listing,) = await telegram.say("/archived")
    assert sent_text(listing) == (
        "Archived habits · 2\n"
        "1. Stretch — 0 done, best streak 0 days · archived Mon 23 Mar\n"
        "2. Read 10 pages — 2 done, best streak 2 days · archived Mon 23 Mar\n\n"
        "Restore one with its button, or /restore NAME."
    )
    assert labels(listing) == ["↺ Restore Stretch", "↺ Restore Read 10 pages"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in listing.buttons())

    answer, new = await press_and_collect(telegram, listing, "↺ Restore Read 10 pages")
    assert answer is None and new == []  # the list is edited in place
    restored = current(telegram, listing)
    assert restored.plain_text == (
        "Restored Read 10 pages. It's back in /habits with its history: 2 done, best streak "
        "2 days.\n\n"
        "Archived habits · 1\n"
        "1. Stretch — 0 done, best streak 0 days · archived Mon 23 Mar\n\n"
        "Restore one with its button, or /restore NAME."
    )
    assert styled(restored, "bold")[:2] == ["Read 10 pages", "Archived habits"]
    assert labels(restored) == ["↺ Restore Stretch"]
    (today,) = await telegram.say("/habits")
    assert "1. ✓ Read 10 pages — streak 2 days" in sent_text(today)
    (stats,) = (await telegram.say("/stats read", count=2))[:1]
    assert "Current streak: 2 days · best: 2 days" in sent_text(stats)

    # An active habit with the same title: the press changes nothing and says why.
    await telegram.say("/newhabit stretch")
    answer, new = await press_and_collect(telegram, listing, "↺ Restore Stretch")
    assert [m.plain_text for m in new] == [
        "You already have a habit called “stretch”, so Stretch can't come back beside it. "
        "Rename that one with /edithabit, or remove it with /deletehabit, then restore this one."
    ]
    assert labels(current(telegram, listing)) == ["↺ Restore Stretch"]  # still there
    (still,) = await telegram.say("/archived")
    assert "1. Stretch — 0 done" in sent_text(still)
