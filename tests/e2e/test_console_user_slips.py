"""What three new users (a newcomer who types loosely, a committed tracker, a Toolbox reader)
typed and got a wrong or unhelpful answer to, and the replies they must get now.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot


async def test_a_misspelt_day_is_said_to_be_one_and_checks_nothing_in(
    console: ConsoleSession,
) -> None:
    """'/done water yesterdy' read the misspelt day into the habit's name: "I can't find a
    habit called 'water yesterdy'" with a Drink water button that checked it in for today,
    not yesterday. A day word a typo away is said so, with the command that works, and no
    button; so is 'N days ago', which found no habit at all."""
    await console.say("/newhabit Drink water")
    assert await console.say("/done water yesterdy") == bot(
        "yesterdy is not a day I can read. Did you mean /done water yesterday?"
    )
    assert console.buttons == []
    assert await console.say("/skip water mondy") == bot(
        "mondy is not a day I can read. Did you mean /skip water monday?"
    )
    assert await console.say("/done water last tusday") == bot(
        "last tusday is not a day I can read. Did you mean /done water last tuesday?"
    )
    assert await console.say("/done water tomorow") == bot(
        "tomorow is not a day I can read, and tomorrow is in the future: you can check in "
        "today or up to 7 days back (/done water -2 is two days ago)."
    )
    assert await console.say("/done water 2 days ago") == bot(
        "2 days ago is not a day I can read: for 2 days ago send /done water -2 "
        "(days back go up to -7)."
    )
    assert console.buttons == []
    assert "1. ○ Drink water — streak 0 days" in await console.say("/habits")  # nothing done
    # The forms suggested work.
    assert (await console.say("/done water yesterday")).startswith(
        "bot: ✓ Drink water done yesterday."
    )
    assert (await console.say("/done water -2")).startswith("bot: ✓ Drink water done Sat 21 Mar.")
    # A habit's own word that only looks like a day is still its name.
    await console.say("/newhabit Sundae treat")
    assert (await console.say("/done sundae")).startswith("bot: ✓ Sundae treat done today.")


async def test_usetool_takes_a_tools_number_and_a_habits_name_is_no_tools(
    console: ConsoleSession,
) -> None:
    """/tools numbers the tools and /tool 14 opens one, but '/usetool 14 read' was "There is
    no tool called “14 read”", and '/usetool 2 read' put "Join people who already do it" (the
    'read' inside 'already') on habit 2, Run; '/usetool read' asked which habit should use that
    tool. A tool's number works as in /tool, and a part of a tool's name begins one of its
    words."""
    await console.say("/newhabit Read", "/newhabit Run")
    tool_14 = (await console.say("/tool 14")).splitlines()[0].removeprefix("bot: ")
    tool_2 = (await console.say("/tool 2")).splitlines()[0].removeprefix("bot: ")
    assert (await console.say("/usetool 14 read")).startswith(f"bot: Read now uses {tool_14}.")
    assert (await console.say("/usetool 2 read")).startswith(f"bot: Read now uses {tool_2}.")
    assert "Which tool for Read? For example /usetool woop read" in await console.say(
        "/usetool read"
    )
    card = await console.say("/stats run")
    assert "Techniques" not in card  # Run got nothing
    # The habit's number after the tool, and parts of a tool's name, as before.
    assert (await console.say("/usetool woop 2")).startswith("bot: Run now uses WOOP")
    assert (await console.say("/tool frog")).startswith("bot: Hardest thing first\n")
    assert (await console.say("/tool stacking")).startswith("bot: Habit stacking\n")


async def test_week_of_a_later_day_this_week_and_an_example_that_works(
    console: ConsoleSession,
) -> None:
    """On a Monday, '/week 2026-03-25' (Wednesday of this week) was refused as "That week
    hasn't happened yet", and the help for a word it can't read gave /week 2026-03-23 as the
    example in every week of the year, in the future most of the year before it. A day of this
    week shows this week; the example is a day of last week; 'last week' reads as 'last'."""
    await console.say(":time 2026-03-18T09:00", "/newhabit Read", ":time 2026-03-23T09:00")
    await console.say("/done read")
    out = await console.say("/week 2026-03-25")
    assert out.startswith("bot: Week of Mon 23 Mar\n")
    assert "Read           ✓" in out
    assert await console.say("/week 2026-03-30") == bot("That week hasn't happened yet.")
    assert (await console.say("/week last week")).startswith("bot: Week of Mon 16 Mar\n")
    await console.say(":time 2026-04-08T09:00")
    assert await console.say("/week soon") == bot(
        "Say /week, /week last or /week 2026-04-01 (any day of that week)."
    )


async def test_a_reminder_time_said_before_the_habit_or_without_one(
    console: ConsoleSession,
) -> None:
    """'/remind 7:30' and '/remind 7pm read' both got "/remind needs HH:MM." with the usage,
    though the time was there: what was missing or out of place was the habit."""
    await console.say("/newhabit Read")
    assert await console.say("/remind 7:30") == bot(
        "Which habit? Name it before the time: /remind HABIT 7:30"
    )
    assert await console.say("/remind 7:30 mon wed") == bot(
        "Which habit? Name it before the time: /remind HABIT 7:30 mon wed"
    )
    assert await console.say("/remind 7pm read") == bot(
        "The time goes after the habit: /remind read 7pm"
    )
    assert await console.say("/remind 7 pm read weekdays") == bot(
        "The time goes after the habit: /remind read 7 pm weekdays"
    )
    assert "No reminders yet" in await console.say("/reminders")
    # A missing time is still said to be one.
    assert (await console.say("/remind read")).startswith("bot: /remind needs HH:MM.")
    assert (await console.say("/remind read 7pm")).startswith("bot: I'll remind you of Read")


async def test_a_command_typed_without_its_slash_is_shown_with_it(
    console: ConsoleSession,
) -> None:
    """A newcomer's 'done water' and 'habits' got "Send /help to see what I can do, or
    /habits for today's list.", as any chat does: nothing said the slash was missing. A
    private message whose first word is a command is shown as that command (never run)."""
    await console.say("/newhabit Drink water")
    assert await console.say("done water") == bot(
        "Commands start with a slash: /done water (send /help for them all)."
    )
    assert await console.say("Habits") == bot(
        "Commands start with a slash: /habits (send /help for them all)."
    )
    assert "○ Drink water" in await console.say("/habits")  # nothing was checked in
    assert await console.say("thanks!") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )
    # A group command is no private one; in a group the bot says nothing to talk.
    assert await console.say("board") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )
    await console.say(":chat group Runners")
    assert await console.say("done with that") == ""


async def test_a_zone_set_after_checking_in_keeps_the_check_in_on_its_day(
    console: ConsoleSession,
) -> None:
    """A newcomer in California, on the default UTC in the evening (already Tuesday in UTC),
    made habits and checked one in, then set /timezone as /start says: it was Monday there,
    and the habits started tomorrow and the check-in was tomorrow's. /habits showed Read
    open ("○") above "Nothing is due today.", /week and /stats nothing, and on Tuesday Read
    was done before they did it. What was made or checked in on what is now tomorrow is
    today's, as it was the person's today when they did it; /daystart the same."""
    await console.say(":time 2026-03-24T01:00", "/newhabit Read", "/done read", "/newhabit Walk")
    assert await console.say("/timezone America/Los_Angeles") == bot(
        "Time zone set to America/Los_Angeles. It is 18:00 on Monday there.",
        "1 check-in you made for what is tomorrow here now counts for today, your day when you "
        "made it.",
    )
    assert await console.say("/habits") == bot(
        "Today · Mon 23 Mar",
        "1. ✓ Read — streak 1 day",
        "2. ○ Walk — streak 0 days",
        "",
        "1 of 2 done.",
        "[1] ↩ Undo Read",
        "[2] ✓ Walk",
    )
    week = await console.say("/week")
    assert "Read           ✓\n" in week
    assert "Walk           ○\n" in week
    assert "Progress: day 1 of 66" in await console.say("/stats read")
    # Tuesday there: Read is open, its streak kept.
    await console.say(":time 2026-03-24T15:00")
    assert "1. ○ Read — streak 1 day" in await console.say("/habits")
    # A later day start moves today back too.
    await console.say(":user Bob", ":time 2026-03-25T00:30", "/newhabit Yoga", "/done yoga")
    assert await console.say("/daystart 3") == bot(
        "Done: your day now starts at 03:00.",
        "1 check-in you made for what is tomorrow here now counts for today, your day when you "
        "made it.",
    )
    assert await console.say("/daystart 3") == bot("Done: your day now starts at 03:00.")
    assert "1. ✓ Yoga — streak 1 day" in await console.say("/habits")
    assert (await console.say("/habits")).startswith("bot: Today · Tue 24 Mar\n")


async def test_a_number_typed_under_tools_opens_that_tool(console: ConsoleSession) -> None:
    """/tools lists "3. Add friction to a bad habit", but '3' typed under it was "That isn't
    one of the choices. Send one of these as written, or press its button" (its buttons are
    counted otherwise, so a number never pressed one). A number typed there opens the tool
    of that number in the list, as /tool 3 does; a label still presses its button."""
    await console.say("/tools")
    assert (await console.say("3")).startswith("bot: Add friction to a bad habit\n")
    await console.say("/tools", "next")
    assert (await console.say("7")).startswith("bot: Coping plans for obstacles\n")
    await console.say("/tools sleep")
    assert (await console.say("14")).startswith("bot: Implementation intentions\n")
    await console.say("/tools")
    assert (await console.say("accountability partner")).startswith("bot: Accountability partner\n")
