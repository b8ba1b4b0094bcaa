"""Reminders and weekly summaries in the console: `:time` moves the clock, then whatever became
due is produced and shown, and its buttons work with `:press`.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC; the
console's own time zone (for `:time`) is UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession

INDENT = "     "
BUTTONS = "[1] ✓ Done  [2] 💤 1 hour  [3] Skip today"


def bot(*lines: str, edited: bool = False) -> str:
    """One reply exactly as the console prints it."""
    lead = "bot (edited): " if edited else "bot: "
    return "\n".join([lead + lines[0], *(INDENT + line for line in lines[1:])]) + "\n"


def clock(text: str) -> str:
    return f"(clock: {text} UTC)\n"


def reminder(*lines: str, who: str = "alice") -> str:
    return f"(message for {who})\n" + bot(*lines, BUTTONS)


async def alice_reads(console: ConsoleSession, *at: str) -> None:
    await console.say(":user Alice", "/newhabit Read")
    for time in at:
        await console.say(f"/remind read {time}")


async def test_a_reminder_shows_when_the_clock_passes_it(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Read")
    assert await console.say("/remind read 07:30") == bot(
        "I'll remind you of Read at 07:30 every day (UTC). Next: Tue 24 Mar, 07:30."
    )
    assert await console.say(":time 2026-03-24T07:29") == clock("Tue 2026-03-24 07:29")
    assert await console.say(":time 2026-03-24T07:30") == clock("Tue 2026-03-24 07:30") + (
        reminder("⏰ Time for Read")
    )
    assert console.buttons == ["✓ Done", "💤 1 hour", "Skip today"]
    assert await console.say(":press 1") == "(notice: Done!)\n" + bot(
        "✓ Read done today. Streak 1 day, day 1 of 66.", edited=True
    )
    assert (await console.say("/habits")).startswith(
        bot("Today · Tue 24 Mar", "1. ✓ Read — streak 1 day")[:-1]
    )
    # Once only, and not again on Wednesday once done: it is Wednesday's check-in that counts.
    assert await console.say(":time 2026-03-24T12:00") == clock("Tue 2026-03-24 12:00")
    assert await console.say(":time 2026-03-25T07:31") == clock("Wed 2026-03-25 07:31") + (
        reminder("⏰ Time for Read")
    )
    await console.say(":time 2026-04-02T09:00")  # a day of one digit, as /week and /stats write it
    assert "Next: Fri 3 Apr, 08:15." in await console.say("/remind read 08:15")


async def test_the_reminder_text_with_cue_and_smallest_version(console: ConsoleSession) -> None:
    await alice_reads(console, "07:30")
    await console.say("/edithabit read dose one page")
    await console.say("/edithabit read intention After coffee, on the sofa")
    assert await console.say(":time 2026-03-24T07:40") == clock("Tue 2026-03-24 07:40") + (
        reminder(
            "⏰ Time for Read",
            "After coffee, on the sofa",
            "Even the smallest version counts: one page",
            "(A bit late: this was due at 07:30.)",
        )
    )
    assert await console.say(":press 3") == "(notice: Skipped)\n" + bot(
        "Skipped Read today. Your streak is safe.", edited=True
    )
    assert (await console.say("/habits")).startswith(
        bot("Today · Tue 24 Mar", "1. ~ Read — streak 0 days")[:-1]
    )


async def test_snooze_brings_it_back_an_hour_later_once(console: ConsoleSession) -> None:
    await alice_reads(console, "07:30")
    await console.say(":time 2026-03-24T07:30")
    await console.say(":time 2026-03-24T07:35")
    assert await console.say(":press 2") == "(notice: Snoozed for an hour)\n" + bot(
        "💤 I'll remind you of Read again at 08:35.", edited=True
    )
    assert await console.say(":time 2026-03-24T08:34") == clock("Tue 2026-03-24 08:34")
    assert await console.say(":time 2026-03-24T08:35") == clock("Tue 2026-03-24 08:35") + (
        reminder("⏰ Snoozed reminder: Read")
    )
    assert await console.say(":time 2026-03-24T09:35") == clock("Tue 2026-03-24 09:35")
    assert await console.say(":press 1") == "(notice: Done!)\n" + bot(
        "✓ Read done today. Streak 1 day, day 1 of 66.", edited=True
    )
    assert await console.say(":time 2026-03-24T23:59") == clock("Tue 2026-03-24 23:59")


async def test_after_a_long_pause_no_burst(console: ConsoleSession) -> None:
    await alice_reads(console, "07:30", "19:00")
    # Three days later, 20 minutes after the morning one: that one, late; nothing else.
    assert await console.say(":time 2026-03-26T07:50") == clock("Thu 2026-03-26 07:50") + (
        reminder("⏰ Time for Read", "(A bit late: this was due at 07:30.)")
    )
    assert await console.say(":time 2026-03-26T19:45") == clock("Thu 2026-03-26 19:45") + (
        reminder("⏰ Time for Read", "(A bit late: this was due at 19:00.)")
    )
    # More than an hour after both of Friday's: dropped, not sent late.
    assert await console.say(":time 2026-03-27T20:01") == clock("Fri 2026-03-27 20:01")


async def test_quiet_hours_hold_reminders_back(console: ConsoleSession) -> None:
    await alice_reads(console, "06:30", "07:00", "22:30")
    assert await console.say("/quiethours 22-7") == bot(
        "No reminders from 22:00 to 07:00.",
        "Your reminders at 06:30 (Read), 22:30 (Read) fall in them, so they won't come while "
        "they last.",
    )
    assert await console.say(":time 2026-03-23T22:30") == clock("Mon 2026-03-23 22:30")
    assert await console.say(":time 2026-03-24T06:30") == clock("Tue 2026-03-24 06:30")
    assert await console.say(":time 2026-03-24T07:00") == clock("Tue 2026-03-24 07:00") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say("/quiethours") == bot(
        "Quiet hours: 22:00–07:00. Set them like /quiethours 22-7 or turn them off with "
        "/quiethours off."
    )
    assert await console.say("/quiethours off") == bot("Quiet hours are off.")
    assert await console.say(":time 2026-03-24T22:30") == clock("Tue 2026-03-24 22:30") + (
        reminder("⏰ Time for Read")
    )


async def test_reminders_go_to_whom_they_belong(console: ConsoleSession) -> None:
    await alice_reads(console, "07:30")
    await console.say(":user Bob", "/newhabit Run", "/remind run 07:30")
    await console.say(":chat group Runners")
    out = await console.say(":time 2026-03-24T07:30")
    assert out == clock("Tue 2026-03-24 07:30") + reminder("⏰ Time for Read") + reminder(
        "⏰ Time for Run", who="bob"
    )


async def test_the_weekly_summary_at_sunday_1800(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/timezone Europe/Berlin", "/newhabit Read", "/done read")
    await console.say(":user Bob", "/start")  # Bob has no habits: no summary for him
    assert await console.say(":time 2026-03-29T15:59") == clock("Sun 2026-03-29 15:59")
    assert await console.say(":time 2026-03-29T16:00") == clock("Sun 2026-03-29 16:00") + (
        "(message for alice)\n"
        + bot(
            "Your week · Mon 23 Mar to Sun 29 Mar",
            "• Read: 1/7 this week · streak 0 days · day 1 of 66",
            "",
            "Insights from people you trust",
            "None this week from the people you trust (/trusted). "
            "Add someone whose learnings you value: /trust @name.",
        )
    )  # 18:00 in Berlin: summer time began that morning
    assert await console.say(":time 2026-03-29T20:00") == clock("Sun 2026-03-29 20:00")
    await console.say(":user Alice")
    assert await console.say("/quiet") == bot(
        "No more weekly summaries. Send /quiet off to get them back."
    )
    assert await console.say(":time 2026-04-05T16:00") == clock("Sun 2026-04-05 16:00")
    assert await console.say("/summarytime sat 9") == bot(
        "Your weekly summary now comes on Sat at 09:00 (Europe/Berlin)."
    )
    out = await console.say(":time 2026-04-11T07:00")
    assert out.startswith(
        clock("Sat 2026-04-11 07:00")
        + "(message for alice)\n"
        + bot("Your week · Mon 6 Apr to Sun 12 Apr")[:-1]
    )


async def test_a_new_users_first_summary_is_not_missed(console: ConsoleSession) -> None:
    """The first time the clock moves, straight to Sunday 18:10: this week's summary arrives."""
    await console.say(":user Alice", "/newhabit Read")
    out = await console.say(":time 2026-03-29T18:10")
    assert out.startswith(
        clock("Sun 2026-03-29 18:10")
        + "(message for alice)\n"
        + bot("Your week · Mon 23 Mar to Sun 29 Mar")[:-1]
    )
    assert await console.say(":time 2026-03-29T23:00") == clock("Sun 2026-03-29 23:00")


async def test_quiet_hours_that_cannot_be_read_say_so_and_change_nothing(
    console: ConsoleSession,
) -> None:
    await console.say("/quiethours 22-7")
    for typed in ("25-3", "banana", "22", "7-24"):
        assert await console.say(f"/quiethours {typed}") == bot(
            f"I can't read '{typed}' as quiet hours: two hours from 0 to 23.",
            "Quiet hours: 22:00–07:00. Set them like /quiethours 22-7 or turn them off with "
            "/quiethours off.",
        )


async def test_a_time_with_a_dot_reads_as_with_a_colon(console: ConsoleSession) -> None:
    """19.30 is how much of the world writes half past seven in the evening."""
    await console.say("/newhabit Read")
    assert await console.say("/remind read 19.30") == bot(
        "I'll remind you of Read at 19:30 every day (UTC). Next: Mon 23 Mar, 19:30."
    )
    assert await console.say("/remind read 7.05pm") == bot(
        "I'll remind you of Read at 19:05 every day (UTC). Next: Mon 23 Mar, 19:05."
    )
    assert await console.say("/remind read 19.3") == bot(
        "19.3 is not a time I can read (19:03? 19:30?): write the minutes with two digits, as in "
        "/remind read 19:30 or /remind read 19:03."
    )
    assert await console.say("/summarytime sun 18.00") == bot(
        "Your weekly summary now comes on Sun at 18:00 (UTC)."
    )
    assert await console.say("/summarytime fri 6pm") == bot(
        "Your weekly summary now comes on Fri at 18:00 (UTC)."
    )
    assert await console.say("/summarytime sat 9 am") == bot(
        "Your weekly summary now comes on Sat at 09:00 (UTC)."
    )
    # A space before am/pm, as /remind reads it; off the hour is refused (changing nothing).
    assert (await console.say("/summarytime sun 6:30 pm")).startswith(
        "bot: Weekly summaries come on the hour"
    )
    assert (await console.say("/summarytime")).startswith(
        "bot: Your weekly summary comes on Sat at 09:00 (UTC)."
    )


async def test_a_reminder_snoozed_past_midnight_is_still_for_its_day(
    console: ConsoleSession,
) -> None:
    """Monday's 23:30 reminder snoozed to 00:30 reminds of Monday: its Done checks in Monday,
    and a Monday already done holds it back, whatever Tuesday holds."""
    await alice_reads(console, "23:30")
    await console.say(":time 2026-03-23T23:30")
    assert await console.say(":press 2") == "(notice: Snoozed for an hour)\n" + bot(
        "💤 I'll remind you of Read again at 00:30.", edited=True
    )
    assert await console.say(":time 2026-03-24T00:30") == clock("Tue 2026-03-24 00:30") + (
        "(message for alice)\n"
        + bot(
            "⏰ Snoozed reminder: Read",
            "(For yesterday, Mon 23 Mar.)",
            "[1] ✓ Done  [2] 💤 1 hour  [3] Skip yesterday",
        )
    )
    assert await console.say(":press 1") == "(notice: Done!)\n" + bot(
        "✓ Read done for Monday (yesterday). Streak 1 day, day 1 of 66.", edited=True
    )
    out = await console.say("/habits")
    assert out.startswith(bot("Today · Tue 24 Mar", "1. ○ Read — streak 1 day")[:-1])
    # Tuesday's, snoozed past midnight after Tuesday was done in the meantime: not sent.
    await console.say(":time 2026-03-24T23:30")
    await console.say(":press 2")
    assert (await console.say("/done read")).startswith("bot: ✓ Read done today.")
    assert await console.say(":time 2026-03-25T00:30") == clock("Wed 2026-03-25 00:30")


async def test_times_as_people_say_them(console: ConsoleSession) -> None:
    """noon, midnight, a space before pm, a.m./p.m., and an 'at' in front all read as times."""
    await console.say("/newhabit Read", "/newhabit Look at stars")
    said = {
        "/remind read noon": "Read at 12:00 every day (UTC). Next: Mon 23 Mar, 12:00.",
        "/remind read midnight": "Read at 00:00 every day (UTC). Next: Tue 24 Mar, 00:00.",
        "/remind read 7:30 pm": "Read at 19:30 every day (UTC). Next: Mon 23 Mar, 19:30.",
        "/remind read at 6 a.m. weekdays": (
            "Read at 06:00 Mon, Tue, Wed, Thu, Fri (UTC). Next: Tue 24 Mar, 06:00."
        ),
        "/remind look at stars at 10 pm": (
            "Look at stars at 22:00 every day (UTC). Next: Mon 23 Mar, 22:00."
        ),
    }
    for typed, told in said.items():
        assert await console.say(typed) == bot(f"I'll remind you of {told}"), typed
    assert (await console.say("/remind read 13 pm")).startswith(
        bot("13 pm is not a time of day. Use HH:MM, like 07:30 or 19:00.")[:-1]
    )
    assert await console.say("/reminders") == bot(
        "Your reminders (UTC)",
        "1. 00:00 every day · Read",
        "2. 06:00 Mon, Tue, Wed, Thu, Fri · Read",
        "3. 12:00 every day · Read",
        "4. 19:30 every day · Read",
        "5. 22:00 every day · Look at stars",
        "Remove one with /unremind N.",
    )


async def test_quiet_hours_as_people_write_them(console: ConsoleSession) -> None:
    for typed in ("22:00-07:00", "10pm-7am", "10 pm - 7 am", "22 to 7"):
        await console.say("/quiethours off")
        assert await console.say(f"/quiethours {typed}") == bot(
            "No reminders from 22:00 to 07:00."
        ), typed
    # The same hour twice would be no quiet hours at all: refused, and nothing changes.
    assert await console.say("/quiethours 7-7") == bot(
        "Quiet hours from 07:00 to 07:00 would be no hours at all: give two different hours,"
        " like /quiethours 22-7. Nothing changed."
    )
    assert (await console.say("/quiethours")).startswith("bot: Quiet hours: 22:00–07:00.")


async def test_no_reminder_on_a_day_the_habit_is_not_due(console: ConsoleSession) -> None:
    """A mon wed fri habit's reminder used to come on Tuesday too, with a Skip button that was
    then refused (nothing is owed that day)."""
    await console.say(":user Alice", "/newhabit Run mon wed fri")
    assert await console.say("/remind run 07:00") == bot(
        "I'll remind you of Run at 07:00 Mon, Wed, Fri (UTC). Next: Wed 25 Mar, 07:00."
    )
    assert await console.say("/remind run 06:30 mon tue") == bot(
        "I'll remind you of Run at 06:30 Mon (UTC). Next: Mon 30 Mar, 06:30."
    )
    assert await console.say("/remind run 06:00 tue thu") == bot(
        "Run is due on Mon, Wed, Fri, so a reminder on Tue, Thu would never come. Name some of"
        " its days, or none for all of them."
    )
    assert await console.say("/reminders") == bot(
        "Your reminders (UTC)",
        "1. 06:30 Mon · Run",
        "2. 07:00 Mon, Wed, Fri · Run",
        "Remove one with /unremind N.",
    )
    assert await console.say(":time 2026-03-24T07:00") == clock("Tue 2026-03-24 07:00")
    assert await console.say(":time 2026-03-25T07:00") == clock("Wed 2026-03-25 07:00") + (
        reminder("⏰ Time for Run")
    )
    # The habit's days decide when it comes: made daily, Thursday's comes too.
    await console.say("/edithabit run schedule daily")
    assert await console.say(":time 2026-03-26T07:00") == clock("Thu 2026-03-26 07:00") + (
        reminder("⏰ Time for Run")
    )


async def test_a_night_owls_weekdays_are_their_days(console: ConsoleSession) -> None:
    """With a day starting at 03:00, 01:00 belongs to the day before: a mon wed fri habit's
    01:00 reminder comes in the nights after Mon, Wed and Fri (it used to come in the night
    after Sunday, a rest day, and check that day in), and its Done checks in that day."""
    await console.say(":user Alice", "/daystart 3", "/newhabit Run mon wed fri")
    assert await console.say("/remind run 01:00") == bot(
        "I'll remind you of Run at 01:00 Mon, Wed, Fri (UTC). Next: Tue 24 Mar, 01:00."
    )
    assert await console.say(":time 2026-03-24T01:00") == clock("Tue 2026-03-24 01:00") + (
        reminder("⏰ Time for Run")
    )
    assert await console.say(":press 1") == "(notice: Done!)\n" + bot(
        "✓ Run done today. Streak 1 day, day 1 of 66.", edited=True
    )
    assert await console.say(":time 2026-03-25T01:00") == clock("Wed 2026-03-25 01:00")
    assert await console.say(":time 2026-03-26T01:00") == clock("Thu 2026-03-26 01:00") + (
        reminder("⏰ Time for Run")
    )
    # Back to midnight: 01:00 is the calendar day's again, so Friday's comes on Friday.
    await console.say("/daystart 0")
    assert await console.say(":time 2026-03-27T00:59") == clock("Fri 2026-03-27 00:59")
    assert await console.say(":time 2026-03-27T01:00") == clock("Fri 2026-03-27 01:00") + (
        reminder("⏰ Time for Run")
    )


async def test_quiet_with_hours_points_to_quiethours(console: ConsoleSession) -> None:
    """/quiet is the weekly summary's switch; someone after quiet hours is told the command."""
    assert await console.say("/quiet 22-7") == bot(
        "Say /quiet to switch the weekly summary off, /quiet off to get it back. For hours"
        " without reminders, say /quiethours 22-7."
    )
    assert (await console.say("/summarytime")).startswith(
        "bot: Your weekly summary comes on Sun at 18:00 (UTC)."
    )


async def test_reminder_days_as_people_say_them(console: ConsoleSession) -> None:
    """'on weekdays' (as /newhabit reads it), 'every tuesday and thursday', 'on mondays'."""
    await console.say("/newhabit Read")
    said = {
        "/remind read 06:00 on weekdays": "06:00 Mon, Tue, Wed, Thu, Fri (UTC). Next: Tue 24",
        "/remind read 18:00 on mondays": "18:00 Mon (UTC). Next: Mon 23",
        "/remind read 7pm every tuesday and thursday": "19:00 Tue, Thu (UTC). Next: Tue 24",
        "/remind read 21:30 mondays, fridays": "21:30 Mon, Fri (UTC). Next: Mon 23",
    }
    for typed, told in said.items():
        assert (await console.say(typed)).startswith(f"bot: I'll remind you of Read at {told}")
    assert await console.say("/remind read 9pm on") == bot(
        "After the time, name the days, for example mon wed fri, weekdays or weekends."
    )


async def test_a_snoozed_reminder_from_yesterday_says_so_and_skips_its_own_day(
    console: ConsoleSession,
) -> None:
    """Monday's reminder snoozed past midnight offered 'Skip today' on Tuesday, yet skipped
    Monday: it now says it is yesterday's, and its Skip button says which day it skips."""
    await alice_reads(console, "23:30")
    await console.say(":time 2026-03-23T23:30", ":press 2")
    assert await console.say(":time 2026-03-24T00:30") == clock("Tue 2026-03-24 00:30") + (
        "(message for alice)\n"
        + bot(
            "⏰ Snoozed reminder: Read",
            "(For yesterday, Mon 23 Mar.)",
            "[1] ✓ Done  [2] 💤 1 hour  [3] Skip yesterday",
        )
    )
    assert await console.say(":press 3") == "(notice: Skipped)\n" + bot(
        "Skipped Read for Monday (yesterday). Your streak is safe.", edited=True
    )
    # Tuesday is untouched (still open); Monday is the skipped day.
    assert (await console.say("/habits")).startswith(
        bot("Today · Tue 24 Mar", "1. ○ Read — streak 0 days")[:-1]
    )
    assert (await console.say("/done read")).startswith("bot: ✓ Read done today. Streak 1 day")


async def test_a_bare_hour_is_that_hour(console: ConsoleSession) -> None:
    """`/remind read 7` was refused as no time; a whole hour reads as on the 24-hour clock, as
    /quiethours 22-7 and /summarytime sun 18 read it. A number inside a habit's name stays its
    name, and a number that is no hour is said to be none."""
    await console.say("/newhabit Read", "/newhabit Read 20 pages")
    assert await console.say("/remind read 7") == bot(
        "I'll remind you of Read at 07:00 every day (UTC). Next: Tue 24 Mar, 07:00."
    )
    assert await console.say("/remind read at 19 mon wed") == bot(
        "I'll remind you of Read at 19:00 Mon, Wed (UTC). Next: Mon 23 Mar, 19:00."
    )
    assert await console.say("/remind read 20 pages 6") == bot(
        "I'll remind you of Read 20 pages at 06:00 every day (UTC). Next: Tue 24 Mar, 06:00."
    )
    assert await console.say("/remind read 20 pages 21:00") == bot(
        "I'll remind you of Read 20 pages at 21:00 every day (UTC). Next: Mon 23 Mar, 21:00."
    )
    assert (await console.say("/remind read 25")).startswith(
        bot("25 is not a time of day. Use HH:MM, like 07:30 or 19:00.")[:-1]
    )
    assert (await console.say("/reminders")).count("\n") == 6  # title, four, the hint


async def test_the_same_time_on_other_days_is_no_duplicate(console: ConsoleSession) -> None:
    """A reminder at the same time on other days was refused as one the habit already had; the
    same time on a day in common still is (it would come twice that day)."""
    await console.say("/newhabit Read")
    assert (await console.say("/remind read 08:00 mon wed")).startswith("bot: I'll remind you")
    assert (await console.say("/remind read 08:00 tue thu")).startswith("bot: I'll remind you")
    assert await console.say("/remind read 8am wed fri") == bot(
        "Read already has a reminder at 08:00 on Wed."
    )
    assert await console.say("/remind read 08:00") == bot(
        "Read already has a reminder at 08:00 on Mon, Tue, Wed, Thu."
    )
    assert await console.say("/reminders") == bot(
        "Your reminders (UTC)",
        "1. 08:00 Mon, Wed · Read",
        "2. 08:00 Tue, Thu · Read",
        "Remove one with /unremind N.",
    )
