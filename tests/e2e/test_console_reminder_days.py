"""Reminder times written with a space ('12 30', '7 30pm'), and a reminder's buttons pressed after
midnight, which act on the reminder's own day and say which. The console's clock starts at
Monday 2026-03-23 09:00 UTC."""

from __future__ import annotations

from tests.e2e.test_console_reminders import bot, clock
from tests.support.console import ConsoleSession


async def test_a_time_with_a_space_reads_as_hours_and_minutes(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Read 20 pages")
    said = {
        "/remind read 12 30": "Read at 12:30 every day (UTC). Next: Mon 23 Mar, 12:30.",
        "/remind read 7 30pm": "Read at 19:30 every day (UTC). Next: Mon 23 Mar, 19:30.",
        "/remind read at 6 45 am weekdays": (
            "Read at 06:45 Mon, Tue, Wed, Thu, Fri (UTC). Next: Tue 24 Mar, 06:45."
        ),
        "/remind read 20 pages 21 05 sat sun": (
            "Read 20 pages at 21:05 Sat, Sun (UTC). Next: Sat 28 Mar, 21:05."
        ),
    }
    for typed, told in said.items():
        assert await console.say(typed) == bot(f"I'll remind you of {told}"), typed
    # Times that are none are said to be none, and change nothing.
    for typed, shown in [
        ("/remind read 25 30", "25 30"),
        ("/remind read 12 75", "12 75"),
        ("/remind read 13 30 pm", "13 30 pm"),
    ]:
        answer = await console.say(typed)
        assert answer.startswith(
            bot(f"{shown} is not a time of day. Use HH:MM, like 07:30 or 19:00.")[:-1]
        ), (typed, answer)
    assert (await console.say("/reminders")).count("\n") == 6  # title, the four, the hint
    assert "12 30" in await console.say("/help remind")


async def test_one_digit_of_minutes_is_said_to_be_no_time(console: ConsoleSession) -> None:
    """'12 3' was the habit 'read 12' at 03:00: not found, and its "Did you mean: Read?" button
    set a reminder at 03:00. It is said to be no time, with the two ways it could be meant."""
    await console.say("/newhabit Read")
    for typed, shown, hour in [
        ("/remind read 12 3", "12 3", "12"),
        ("/remind read 7 5 weekdays", "7 5", "07"),
    ]:
        assert await console.say(typed) == bot(
            f"{shown} is not a time I can read: write the minutes with two digits, as in "
            f"/remind read {hour}:0{shown[-1]} or {hour}:{shown[-1]}0."
        ), typed
        assert await console.say("1") == bot(  # no habit to pick: the 1 is no answer
            "Send /help to see what I can do, or /habits for today's list."
        )
    assert await console.say("/reminders") == bot("No reminders yet. Add one: /remind read 07:30.")
    # A habit whose name ends in a number keeps it: 'read 12' exists, so 3 is its hour.
    await console.say("/newhabit Read 12")
    assert (await console.say("/remind read 12 3")).startswith(
        bot("I'll remind you of Read 12 at 03:00")[:-1]
    )


async def test_a_skip_pressed_after_midnight_names_the_day_it_skips(
    console: ConsoleSession,
) -> None:
    """Monday's 23:30 reminder (its button: 'Skip today') pressed at 00:10 on Tuesday skips
    Monday, and says Monday."""
    await console.say("/newhabit Read", "/remind read 23:30")
    assert (await console.say(":time 2026-03-23T23:30")).endswith("[3] Skip today\n")
    assert await console.say(":time 2026-03-24T00:10") == clock("Tue 2026-03-24 00:10")
    assert await console.say(":press 3") == "(notice: Skipped)\n" + bot(
        "Skipped Read for Monday (yesterday). Your streak is safe.", edited=True
    )
    assert (await console.say("/habits")).startswith(
        bot("Today · Tue 24 Mar", "1. ○ Read — streak 0 days")[:-1]
    )
    # Tuesday's, pressed Done on Wednesday: done for Tuesday, and said so.
    await console.say(":time 2026-03-24T23:30", ":time 2026-03-25T00:10")
    assert await console.say(":press 1") == "(notice: Done!)\n" + bot(
        "✓ Read done for Tuesday (yesterday). Streak 1 day, day 1 of 66.", edited=True
    )
    # Pressed the same day, it is today's as it says.
    await console.say(":time 2026-03-25T23:30")
    assert await console.say(":press 3") == "(notice: Skipped)\n" + bot(
        "Skipped Read today. Your streak is safe.", edited=True
    )
