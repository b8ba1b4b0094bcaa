"""Buttons that still took no typed answer (bot/choices.py): the Toolbox's pages, the feed's Like
and paging buttons, and a reminder's Done / Snooze / Skip. Typing a button's label, case aside
(and without the marks it is drawn with: "next" for "Next ▶", "1 hour" for "💤 1 hour"), now
presses it, as under every other question with buttons; they got "Send /help ...". Their
numbers are not the buttons' (/tools and /feed number their lists otherwise; a reminder asks
nothing numbered), so only labels count there. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from core.clock import SettableClock
from tests.support.console import ConsoleSession, bot

HINT = bot("Send /help to see what I can do, or /habits for today's list.")


async def test_the_toolbox_pages_by_typed_labels(console: ConsoleSession) -> None:
    assert "page 1/7" in await console.say("/tools")
    assert "Toolbox · 31 tools · page 2/7" in await console.say("Next ▶")
    assert console.buttons[-2:] == ["◀ Previous", "Next ▶"]
    assert "page 3/7" in await console.say("next")
    assert "page 2/7" in await console.say("previous")
    out = await console.say("don't break the chain")  # a tool's button, by its label
    assert out.startswith("bot: Don't break the chain\n") and "Evidence:" in out
    await console.say("/tools")
    assert "page 2/7" in await console.say("NEXT ▶")
    out = await console.say("7")  # the list's 7 (on page 2), not its buttons' 7th: /tool 7
    assert out.startswith("bot: Coping plans for obstacles\n")


async def test_the_feed_s_likes_by_typed_labels(
    console: ConsoleSession, clock: SettableClock
) -> None:
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    await console.say(":user Bob", "/join", "/learn Shoes by the door")
    clock.advance(timedelta(minutes=1))
    await console.say(":user Alice", "/learn Start tiny")
    await console.say(":user Bob", ":chat dm", "/feed")
    assert console.buttons == ["Like 1", "Most liked"]
    assert "1. Start tiny — Alice in Runners, 23 Mar · 👍 1" in await console.say("like 1")
    assert console.buttons == ["Unlike 1", "Most liked"]
    assert "1. Start tiny — Alice in Runners, 23 Mar · 👍 0" in await console.say("Unlike 1")
    out = await console.say("most liked")
    assert "Most liked learnings from public groups" in out


async def test_a_reminder_s_buttons_by_typed_labels(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Read", "/remind read 07:30")
    await console.say(":time 2026-03-24T07:30")
    assert console.buttons == ["✓ Done", "💤 1 hour", "Skip today"]
    assert await console.say("💤 1 hour") == bot("💤 I'll remind you of Read again at 08:30.")
    assert await console.say("1 hour") == HINT  # answered: the question is over
    assert "⏰ Snoozed reminder: Read" in await console.say(":time 2026-03-24T08:30")
    assert (await console.say("done")).startswith("bot: ✓ Read done today.")
    assert "1. ✓ Read" in await console.say("/habits")
    await console.say(":time 2026-03-25T07:30")
    out = await console.say("3")  # a reminder asks nothing numbered
    assert out.startswith("bot: That isn't one of the choices. Send one of these as written")
    assert "Skipped Read today" in await console.say("skip today")


async def test_a_reminder_leaves_a_flow_under_way_its_answers(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Read", "/remind read 07:30")
    await console.say(":time 2026-03-24T07:20", "/newhabit")
    out = await console.say(":time 2026-03-24T07:30")
    assert "⏰ Time for Read" in out
    out = await console.say("Done")  # the habit setup's title, not the reminder's Done
    assert "Read done" not in out and "2/8" in out
    assert "1. ○ Read" in await console.say("/cancel", "/habits")
