"""Reminders after /timezone and /daystart, in the console: each comes once, at its local time in
the zone the person has now, on their day there, never at the old zone's time; what /remind says
is "Next" is when it comes; and a snoozed reminder still comes an hour after it was snoozed.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC; the
console prints it in UTC, and `:time` with an offset is that local time.
"""

from __future__ import annotations

from tests.e2e.test_console_reminders import bot, clock, reminder
from tests.support.console import ConsoleSession


async def test_east_then_west_each_day_once_at_the_new_zones_time(
    console: ConsoleSession,
) -> None:
    await console.say(":user Alice", "/timezone Europe/London", "/newhabit Read")
    assert await console.say("/remind read 07:30") == bot(
        "I'll remind you of Read at 07:30 every day (Europe/London). Next: Tue 24 Mar, 07:30."
    )
    assert await console.say("/timezone Asia/Tokyo") == bot(
        "Time zone set to Asia/Tokyo. It is 18:00 on Monday there."
    )
    assert await console.say("/remind read 21:00") == bot(
        "I'll remind you of Read at 21:00 every day (Asia/Tokyo). Next: Mon 23 Mar, 21:00."
    )
    assert await console.say(":time 2026-03-23T20:59+09:00") == clock("Mon 2026-03-23 11:59")
    assert await console.say(":time 2026-03-23T21:00+09:00") == clock("Mon 2026-03-23 12:00") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say(":time 2026-03-24T07:29+09:00") == clock("Mon 2026-03-23 22:29")
    # Tuesday 07:30 in Tokyo, Tuesday's reminder ("Skip today": it is Tuesday there).
    assert await console.say(":time 2026-03-24T07:30+09:00") == clock("Mon 2026-03-23 22:30") + (
        reminder("⏰ Time for Read")
    )
    # London's 07:30, the old zone's: nothing.
    assert await console.say(":time 2026-03-24T07:30") == clock("Tue 2026-03-24 07:30")
    assert await console.say(":time 2026-03-24T21:00+09:00") == clock("Tue 2026-03-24 12:00") + (
        reminder("⏰ Time for Read")
    )

    # Back west in the evening, before Tokyo's Wednesday 07:30 (22:30 UTC): London's times now.
    assert await console.say(":time 2026-03-24T21:00") == clock("Tue 2026-03-24 21:00")
    assert await console.say("/timezone Europe/London") == bot(
        "Time zone set to Europe/London. It is 21:00 on Tuesday there."
    )
    assert await console.say(":time 2026-03-24T22:30") == clock("Tue 2026-03-24 22:30")
    assert await console.say(":time 2026-03-25T07:29") == clock("Wed 2026-03-25 07:29")
    assert await console.say(":time 2026-03-25T07:30") == clock("Wed 2026-03-25 07:30") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say(":time 2026-03-25T12:00") == clock("Wed 2026-03-25 12:00")
    assert await console.say(":time 2026-03-25T21:00") == clock("Wed 2026-03-25 21:00") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say(":time 2026-03-25T22:30") == clock("Wed 2026-03-25 22:30")


async def test_to_los_angeles_and_back_to_london_across_its_change_to_summer_time(
    console: ConsoleSession,
) -> None:
    """London moves to BST on Sunday 29 March 2026 at 01:00 UTC; Los Angeles is on PDT."""
    assert await console.say(":time 2026-03-28T10:00") == clock("Sat 2026-03-28 10:00")
    await console.say(":user Alice", "/timezone Europe/London", "/newhabit Read")
    assert await console.say("/remind read 07:30") == bot(
        "I'll remind you of Read at 07:30 every day (Europe/London). Next: Sun 29 Mar, 07:30."
    )
    assert await console.say("/timezone America/Los_Angeles") == bot(
        "Time zone set to America/Los_Angeles. It is 03:00 on Saturday there."
    )
    assert await console.say(":time 2026-03-28T07:29-07:00") == clock("Sat 2026-03-28 14:29")
    assert await console.say(":time 2026-03-28T07:30-07:00") == clock("Sat 2026-03-28 14:30") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say("/timezone Europe/London") == bot(
        "Time zone set to Europe/London. It is 14:30 on Saturday there."
    )
    assert await console.say("/remind read 08:00") == bot(
        "I'll remind you of Read at 08:00 every day (Europe/London). Next: Sun 29 Mar, 08:00."
    )
    # 07:30 and 08:00 BST are 06:30 and 07:00 UTC; nothing at 07:30 UTC (GMT's 07:30), nothing
    # at Los Angeles' 07:30.
    assert await console.say(":time 2026-03-29T06:29") == clock("Sun 2026-03-29 06:29")
    assert await console.say(":time 2026-03-29T06:30") == clock("Sun 2026-03-29 06:30") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say(":time 2026-03-29T07:00") == clock("Sun 2026-03-29 07:00") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say(":time 2026-03-29T07:30") == clock("Sun 2026-03-29 07:30")
    assert await console.say(":time 2026-03-29T14:30") == clock("Sun 2026-03-29 14:30")
    assert await console.say(":time 2026-03-30T06:30") == clock("Mon 2026-03-30 06:30") + (
        reminder("⏰ Time for Read")
    )


async def test_a_snoozed_reminder_still_comes_after_a_new_time_zone(
    console: ConsoleSession,
) -> None:
    """The snooze is an hour from when it was pressed, wherever the person is; a new zone used
    to drop it, so the reminder never came back."""
    await console.say(":user Alice", "/newhabit Read", "/remind read 07:30")
    await console.say(":time 2026-03-24T07:30")
    assert await console.say(":press 2") == "(notice: Snoozed for an hour)\n" + bot(
        "💤 I'll remind you of Read again at 08:30.", edited=True
    )
    assert await console.say("/timezone Asia/Tokyo") == bot(
        "Time zone set to Asia/Tokyo. It is 16:30 on Tuesday there."
    )
    assert await console.say(":time 2026-03-24T08:29") == clock("Tue 2026-03-24 08:29")
    assert await console.say(":time 2026-03-24T08:30") == clock("Tue 2026-03-24 08:30") + (
        reminder("⏰ Snoozed reminder: Read")
    )
    assert await console.say(":time 2026-03-24T09:30") == clock("Tue 2026-03-24 09:30")
    # Then Tokyo's Wednesday 07:30 (22:30 UTC), once.
    assert await console.say(":time 2026-03-24T22:29") == clock("Tue 2026-03-24 22:29")
    assert await console.say(":time 2026-03-24T22:30") == clock("Tue 2026-03-24 22:30") + (
        reminder("⏰ Time for Read")
    )
    assert await console.say(":time 2026-03-25T07:30") == clock("Wed 2026-03-25 07:30")


async def test_a_snoozed_reminder_still_comes_after_a_new_day_start(
    console: ConsoleSession,
) -> None:
    await console.say(":user Alice", "/newhabit Read", "/remind read 07:30")
    await console.say(":time 2026-03-24T07:30")
    await console.say(":press 2")
    assert await console.say("/daystart 3") == bot("Done: your day now starts at 03:00.")
    assert await console.say(":time 2026-03-24T08:30") == clock("Tue 2026-03-24 08:30") + (
        reminder("⏰ Snoozed reminder: Read")
    )
    assert await console.say(":press 1") == "(notice: Done!)\n" + bot(
        "✓ Read done today. Streak 1 day, day 1 of 66.", edited=True
    )
    assert await console.say(":time 2026-03-25T07:29") == clock("Wed 2026-03-25 07:29")
    assert await console.say(":time 2026-03-25T07:30") == clock("Wed 2026-03-25 07:30") + (
        reminder("⏰ Time for Read")
    )
