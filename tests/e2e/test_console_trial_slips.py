"""What a new user's trial of the check-ins and reminders found, and the replies it must get.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot


async def test_undoing_a_done_that_replaced_a_skip_brings_the_skip_back(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Yoga", "/skip yoga", "/habits")
    assert "1. ✓ Yoga — streak 1 day" in await console.say(":press 1")  # done replaces skip
    assert console.buttons == ["↩ Undo Yoga"]
    out = await console.say(":press 1")
    assert out == "(notice: Undone: Yoga, skipped again)\n" + bot(
        "Today · Mon 23 Mar",
        "1. ~ Yoga — streak 0 days",
        "",
        "0 of 1 done, 1 skipped. Nothing left to do, well played!",
        "[1] ✓ Yoga",
        edited=True,
    )
    # Typed, the same: the done goes, the skip it replaced comes back; a second /undo takes
    # the skip back too.
    await console.say("/done yoga")
    assert await console.say("/undo yoga") == bot("Undone: Yoga today is skipped again.")
    assert await console.say("/undo yoga") == bot("Undone: Yoga today is open again.")
    assert await console.say("/undo yoga") == bot("There was no check-in for Yoga today.")
    # A done that replaced nothing is undone to open, as before.
    await console.say("/done yoga")
    assert await console.say("/undo yoga") == bot("Undone: Yoga today is open again.")


async def test_yesterdays_list_pressed_after_midnight_says_which_day(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Yoga", "/habits")
    out = await console.say(":time 2026-03-24T00:30", ":press 1")
    assert "(notice: ✓ Yoga (yesterday))\n" in out
    assert "bot (edited): Mon 23 Mar\n     1. ✓ Yoga" in out
    out = await console.say(":press 1")
    assert "(notice: Undone: Yoga (yesterday))\n" in out
    # Older lists name their day; today's list says only the habit.
    await console.say(":time 2026-03-25T00:30")
    assert "(notice: ✓ Yoga (Mon 23 Mar))\n" in await console.say(":press 1")
    await console.say("/habits")
    assert "(notice: ✓ Yoga)\n" in await console.say(":press 1")


async def test_a_day_offset_after_the_habit_is_said_plainly(console: ConsoleSession) -> None:
    await console.say("/newhabit Read")
    assert await console.say("/done read +1") == bot(
        "+1 is a day in the future: you can check in today or up to 7 days back "
        "(/done read -2 is two days ago)."
    )
    assert console.buttons == []
    assert await console.say("/skip read +3") == bot(
        "+3 is a day in the future: you can check in today or up to 7 days back "
        "(/skip read -2 is two days ago)."
    )
    assert await console.say("/done read 0") == bot(
        "0 is not a day I can read: for today send /done read, for a day back -1 (yesterday) "
        "up to -7."
    )
    assert console.buttons == []
    assert "streak 0 days" in await console.say("/habits")  # nothing was checked in
    # -0 is today, as -1 is yesterday.
    assert await console.say("/done read -0") == bot(
        "✓ Read done today. Streak 1 day, day 1 of 66."
    )


async def test_a_count_of_days_written_another_way_is_said_plainly(
    console: ConsoleSession,
) -> None:
    """-3 is three days ago; a count of days written otherwise ('--3', '-3d', '– 3' with a
    phone's dash, '-1.5') was read into the habit's name, and the reply offered a Read button
    that checks Read in for today. Each is now said plainly, with the form that works, and
    nothing is checked in; so is a count too long to be a day back ('-1000')."""
    await console.say("/newhabit Read")
    for said in ("--3", "-3d", "-3days", "–3", "−3", "-3."):
        assert await console.say(f"/done read {said}") == bot(
            f"{said} is not a day I can read: for 3 days ago send /done read -3 "
            "(days back go up to -7)."
        ), said
        assert console.buttons == []
    assert await console.say("/skip read - 1") == bot(
        "- 1 is not a day I can read: for 1 day ago send /skip read -1 (days back go up to -7)."
    )
    assert await console.say("/undo read -1.5") == bot(
        "-1.5 is not a day I can read: for a day back send /undo read -1 (yesterday), up to -7."
    )
    assert await console.say("/done read --12") == bot(
        "--12 is not a day I can read: for a day back send /done read -1 (yesterday), up to -7."
    )
    assert await console.say("/done read -1000") == bot(
        "-1000 is more than 7 days ago; check-ins go back one week at most."
    )
    assert await console.say("/done read -99999999999999999999") == bot(
        "-9999999999… is more than 7 days ago; check-ins go back one week at most."
    )
    assert console.buttons == []
    assert "streak 0 days" in await console.say("/habits")  # nothing was checked in
    # What worked still works: -0 (and -00) is today, -3 three days ago, -8 is too far.
    assert await console.say("/done read -00") == bot(
        "✓ Read done today. Streak 1 day, day 1 of 66."
    )
    assert (await console.say("/done read -3")).startswith("bot: ✓ Read done Fri 20 Mar.")
    assert await console.say("/done read -8") == bot(
        "2026-03-15 is more than 7 days ago; check-ins go back one week at most."
    )


async def test_a_time_with_one_digit_after_the_point_is_said_plainly(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Run")
    assert await console.say("/remind run 7.5") == bot(
        "7.5 is not a time I can read (7:05? 7:30?): write the minutes with two digits, as in "
        "/remind run 07:30 or /remind run 07:05."
    )
    assert await console.say("/remind run 19,2 mon") == bot(
        "19,2 is not a time I can read (19:02? 19:20?): write the minutes with two digits, as "
        "in /remind run 19:20 mon or /remind run 19:02 mon."
    )
    assert "No reminders yet" in await console.say("/reminders")
    # A number with a point in a habit's name is no time: the time is said to be missing.
    assert (await console.say("/remind run 7.5 km")).startswith("bot: /remind needs HH:MM.")


async def test_the_reminder_limit_says_how_to_make_room(console: ConsoleSession) -> None:
    await console.say("/newhabit Run")
    for hour in range(6, 11):
        assert "I'll remind you" in await console.say(f"/remind run {hour}:00")
    assert await console.say("/remind run 12:00") == bot(
        "Run has 5 reminders, the most a habit can have. To make room, see their numbers "
        "with /reminders and remove one with /unremind N."
    )


async def test_a_bare_number_after_the_habit_is_said_to_be_unclear(
    console: ConsoleSession,
) -> None:
    """'/done read 3' may mean three days ago or the 3rd: said plainly, with the forms that
    work and no button that would check Read in today."""
    await console.say("/newhabit Read")
    assert await console.say("/done read 3") == bot(
        "I can't tell whether 3 means 3 days ago or the 3rd. For 3 days ago send /done read -3; "
        "for a date, write it as /done read YYYY-MM-DD (up to 7 days back)."
    )
    assert console.buttons == []
    assert await console.say("/undo read 1") == bot(
        "I can't tell whether 1 means 1 day ago or the 1st. For 1 day ago send /undo read -1; "
        "for a date, write it as /undo read YYYY-MM-DD (up to 7 days back)."
    )
    assert await console.say("/done read 22") == bot(
        "I can't tell whether 22 means 22 days ago or the 22nd. You can check in up to 7 days "
        "back (/done read -2 is two days ago); for a date, write it as /done read YYYY-MM-DD."
    )
    assert console.buttons == []
    assert "streak 0 days" in await console.say("/habits")  # nothing was checked in
    # A habit whose name ends in the number is found by it.
    await console.say("/newhabit Read 3")
    assert await console.say("/done read 3") == bot(
        "✓ Read 3 done today. Streak 1 day, day 1 of 66."
    )
