"""Every question asked with buttons can be answered by typing in a private chat (bot/choices.py),
for a client that shows no buttons or a person who prefers typing: the button's number, as the
console counts them, or its label.

A new user's trial on the console: after "Did you mean: Read?", "Which one: Read, Run?", a time
zone's suggestions, /deleteme's and /link's questions and the Toolbox's "which
habit?", typing 1 or the name got "Send /help to see what I can do". Runs on SQLite and
PostgreSQL."""

from __future__ import annotations

import re

from tests.support.console import ConsoleSession, bot

HINT = bot("Send /help to see what I can do, or /habits for today's list.")


async def test_a_habit_s_suggested_name_can_be_typed(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Run")
    assert "Which one: Read, Run?" in await console.say("/done r")
    assert (await console.say("2")).startswith("bot: ✓ Run done today.")
    assert await console.say("2") == HINT  # answered: the question is over
    assert "Did you mean: Read?" in await console.say("/stats Reed")
    assert (await console.say("read")).startswith("bot: Read (every day)")
    assert "Did you mean: Read?" in await console.say("/done Reed")
    assert "Did you mean: Run?" in await console.say("/done Rnu")  # the newer question counts
    assert (await console.say("1")).startswith("bot: Run was already done today.")
    assert "1. ○ Read" in await console.say("/habits")  # Read was not checked in


async def test_a_group_s_suggestion_is_not_a_question(console: ConsoleSession) -> None:
    await console.say(":chat group Runners", "/newgroup Runners", ":chat dm", "/newhabit Read")
    await console.say(":chat group Runners")
    assert "Did you mean: Read?" in await console.say("/done Reed")
    assert await console.say("1") == ""  # the group's talk


async def test_a_time_zone_suggestion_can_be_typed(console: ConsoleSession) -> None:
    assert "Did you mean one of these?" in await console.say("/timezone Berlinn")
    assert (await console.say("1")).startswith("bot: Time zone set to Europe/Berlin.")
    await console.say("/timezone Dublinn")
    assert (await console.say("europe/dublin")).startswith("bot: Time zone set to Europe/Dublin.")


async def test_deleteme_can_be_answered_by_typing(console: ConsoleSession) -> None:
    await console.say("/newhabit Read")
    assert "Erase your HabitLink profile?" in await console.say("/deleteme")
    assert await console.say("no, keep it") == bot(
        "Nothing was erased. Your profile stays as it is."
    )
    assert "Read" in await console.say("/habits")
    await console.say("/deleteme")
    assert "Really erase everything?" in await console.say("1")
    # The answer that cannot be undone takes its words, never a number typed again.
    assert await console.say("1") == bot(
        "That isn't one of the choices. Send one of these as written, or press its button:",
        "• Erase for good",
        "• Keep my profile",
        "[1] Erase for good",
        "[2] Keep my profile",
    )
    assert "1. ○ Read" in await console.say("/habits")
    await console.say("/deleteme", "yes, erase it")
    assert "erased" in await console.say("erase for good")
    assert "1. ○ Read" not in await console.say("/habits")


async def test_which_habit_a_tool_is_for_can_be_typed(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Run")
    await console.say("/tool two-minute version")
    assert console.buttons == ["Use it for a habit"]
    assert "Use The two-minute version for which habit?" in await console.say(":press 1")
    assert (await console.say("run")).startswith(
        "bot: Run now uses The two-minute version. Its first step:"
    )


async def test_link_s_question_can_be_answered_by_typing(console: ConsoleSession) -> None:
    out = await console.say(":user Bob", ":chat dm", "/newhabit Stretch", "/link")
    code = re.search(r"/link ([A-Z0-9]{8})\n", out)
    assert code is not None
    await console.say(":user Alice", ":chat dm", "/newhabit Read")
    assert "Join the" in await console.say(f"/link {code.group(1)}")
    assert "Send one of these as written" in await console.say("1")  # for good: never a number
    assert "Stretch" not in await console.say("/habits")
    assert "Join the" in await console.say(f"/link {code.group(1)}")
    out = await console.say("join accounts")
    assert out != HINT
    assert "Stretch" in await console.say("/habits")


async def test_a_guided_step_s_buttons_can_be_typed(console: ConsoleSession) -> None:
    """A guided step takes its buttons' labels typed: 'skip this' was saved as the habit's why,
    'skip (keep)' as the Lifebook's vision. (The schedule's numbers are not its buttons': '2'
    may mean twice a week, test_console_newcomers.py.)"""
    await console.say("/newhabit", "Floss")
    assert "3/8 Why does it matter to you?" in await console.say("every day")
    assert "4/8 Who are you becoming?" in await console.say("Skip this")
    out = await console.say("save now")
    assert "Your new habit is ready" in out and "Floss" in out and "every day" in out
    assert "skip" not in out.lower()
    await console.say("/newhabit", "Walk")
    assert "3/8 Why does it matter to you?" in await console.say("3× a week")
    await console.say("/cancel")
    await console.say("/lifebook", ":press 1")  # Fill it in
    assert "2/5 Your core values" in await console.say("skip (keep)")
    await console.say(":press 2")  # family
    assert "3/5" in await console.say("use these")
    await console.say("skip", "skip", "skip")
    out = await console.say("/lifebook")
    assert "family" in out and "(keep)" not in out


async def test_the_lifebook_s_buttons_can_be_typed(console: ConsoleSession) -> None:
    assert console.buttons == [] and "Fill it in" in await console.say("/lifebook")
    assert "1/5 Your vision" in await console.say("1")
    await console.say("/cancel", "/lifebook")
    assert "Your core values" in await console.say("values")
    assert "Saved." in await console.say("health, calm")
    assert "Erase your whole Lifebook" in await console.say("delete")
    assert "Send one of these as written" in await console.say("1")  # never by a number
    assert "health" in await console.say("/lifebook")
    await console.say("delete")
    assert "health" not in await console.say("yes, erase it")
    assert "health" not in await console.say("/lifebook")


async def test_findtool_says_what_to_type_for_its_buttons(console: ConsoleSession) -> None:
    """Its buttons' numbers don't match its list's (each tool has two): it names the commands."""
    out = await console.say("/findtool I keep skipping the gym")
    assert "Open one below, or /tool NAME." in out and "/usetool" not in out
    await console.say("/newhabit Gym")
    out = await console.say("/findtool I keep skipping the gym")
    assert "Open one below, or /tool NAME; /usetool NAME HABIT uses it for a habit." in out
