"""Check-in rules through the console: a skip never replaces a done, undoing a backdated
check-in gives the habit back its start, the /habits footer counts the habits due that day,
and a habit picked from buttons goes where the command expects it. Both databases; the clock
starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot


def text(out: str) -> str:
    """A reply without its image lines (their file names count the images sent)."""
    return "".join(line for line in out.splitlines(keepends=True) if "[image " not in line)


async def test_a_skip_never_replaces_a_done(console: ConsoleSession) -> None:
    await console.say("/newhabit Water")
    await console.say("/done water", "/done water yesterday")
    for when, typed in (("today", "/skip water"), ("yesterday", "/skip water yesterday")):
        assert await console.say(typed) == bot(
            f"Water was already done {when}. To skip it instead, take it back with /undo first."
        )
    assert "1. ✓ Water — streak 2 days" in await console.say("/habits")
    assert "Current streak: 2 days" in await console.say("/stats water")
    # Undone first, the day can be skipped; a done still replaces a skip.
    await console.say("/undo water")
    assert await console.say("/skip water") == bot("Skipped Water today. Streak 1 day, still safe.")
    assert await console.say("/done water") == bot(
        "✓ Water done today. Streak 2 days, day 2 of 66."
    )


async def test_a_reminders_skip_button_keeps_a_done(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/remind read 09:30")
    assert "⏰ Time for Read" in await console.say(":time 2026-03-23T09:30")
    reminder = console.adapter.buttons
    skip = next(i for i, b in enumerate(console.buttons, 1) if "Skip" in b)
    await console.say("/done read")
    console.adapter.buttons = reminder  # the reminder is still there to press
    out = await console.say(f":press {skip}")
    assert "(notice: Already done)" in out
    assert "Read was already done today." in out
    assert "1. ✓ Read — streak 1 day" in await console.say("/habits")


async def test_undoing_a_backdated_check_in_gives_the_habit_its_start_back(
    console: ConsoleSession,
) -> None:
    await console.say(":time 2026-03-25T08:00", "/newhabit Tea")
    week_before = text(await console.say("/week"))
    stats_before = text(await console.say("/stats tea"))
    assert "Tea                ○\n" in week_before
    await console.say("/done tea -2", "/done tea -1")
    assert "Tea            ✓ ✓ ○\n" in await console.say("/week")
    await console.say("/undo tea -2")
    assert "Tea              ✓ ○\n" in await console.say("/week")  # Tuesday starts it now
    await console.say("/undo tea -1")
    assert text(await console.say("/week")) == week_before
    assert text(await console.say("/stats tea")) == stats_before
    assert "1. ○ Tea — streak 0 days" in await console.say("/habits")
    # A day later, the missed days are counted from its creation day only.
    assert "Done in the last 7 days: 0%" in await console.say(":time 2026-03-26T08:00", "/stats")
    assert "Tea                ✗ ○\n" in await console.say("/week")


async def test_the_habits_footer_counts_what_is_due_that_day(console: ConsoleSession) -> None:
    await console.say("/newhabit Gym", "/newhabit", "Yoga", "weekends", ":press 2")
    await console.say("/newhabit", "Swim", "3x", ":press 2")
    out = await console.say("/habits")
    assert "2. - Yoga" in out and "3. · Swim" in out
    assert "\n     0 of 1 done.\n" in out
    assert "1 of 1 done. Everything done, well played!" in await console.say("/done gym", "/habits")
    # An optional habit done counts as done.
    out = await console.say("/done swim", "/habits")
    assert "2 of 2 done. Everything done, well played!" in out
    # A skip is handled, and said as a skip.
    await console.say("/undo gym", "/skip gym")
    assert "1 of 2 done, 1 skipped. Nothing left to do, well played!" in await console.say(
        "/habits"
    )
    await console.say("/undo swim")
    assert "0 of 1 done, 1 skipped. Nothing left to do, well played!" in await console.say(
        "/habits"
    )
    await console.say("/undo gym")
    # On Saturday Yoga is due and Gym too; nothing else counts.
    out = await console.say(":time 2026-03-28T08:00", "/habits")
    assert "\n     0 of 2 done.\n" in out


async def test_a_day_with_nothing_due_says_so(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Yoga", "weekends", ":press 2")
    assert "\n     Nothing is due today.\n" in await console.say("/habits")
    out = await console.say("/done yoga")
    assert out == bot(
        "✓ Yoga done today, an extra: it is on weekends, so this counts toward 66 but not the"
        " week or the streak. Streak 0 days, day 1 of 66."
    )
    # Done on its rest day: recorded (✓), but nothing was owed, so it is no "1 of 1".
    out = await console.say("/habits")
    assert "1. ✓ Yoga" in out
    assert "\n     Nothing is due today; 1 done anyway, well played!\n" in out


async def test_a_done_on_a_rest_day_does_not_make_the_week_look_better(
    console: ConsoleSession,
) -> None:
    """Gym mon wed fri, done on Tuesday instead of Monday: the week said 1/3 as if a due day was
    done, and /habits "1 of 1 done" on a day nothing was due. The check-in stays (the week's
    grid shows it, and it is a day toward 66), but the week counts its due days only, as the
    streak and the 7-day rate do."""
    await console.say("/newhabit Gym mon wed fri", "/newhabit Read")
    await console.say(":time 2026-03-24T09:00")  # a Tuesday
    assert await console.say("/done gym") == bot(  # "Streak 0 days" said why no longer
        "✓ Gym done today, an extra: it is on Mon, Wed, Fri, so this counts toward 66 but not"
        " the week or the streak. Streak 0 days, day 1 of 66."
    )
    assert await console.say("/done read") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    out = await console.say("/habits")
    assert "1. ✓ Gym" in out and "1 of 1 done. Everything done, well played!" in out
    out = await console.say("/summary")
    assert "Gym: 0/3 this week · streak 0 days · day 1 of 66" in out
    assert "Read: 1/7 this week" in out  # a daily habit: Tuesday counts
    assert "Gym            ✗ ✓\n" in await console.say("/week")
    await console.say(":time 2026-03-25T09:00", "/done gym")  # Wednesday, due
    assert "Gym: 1/3 this week · streak 1 day · day 2 of 66" in await console.say("/summary")
    assert "Done in the last 7 days: 50%" in await console.say("/stats gym")


async def test_a_rest_day_cannot_be_skipped(console: ConsoleSession) -> None:
    """A skip on a day the habit is not due would only shrink the week's count of due days."""
    await console.say("/newhabit Gym mon wed fri", ":time 2026-03-24T09:00")  # a Tuesday
    assert await console.say("/skip gym") == bot(
        "Gym is not due on Tuesdays (it is on Mon, Wed, Fri), so there is nothing to skip on "
        "Tue 24 Mar."
    )
    assert "Gym: 0/3 this week" in await console.say("/summary")
    assert "Skipped Gym" in await console.say("/skip gym yesterday")  # a Monday: it was due


async def test_a_weekly_targets_skips_count_as_the_streaks_do(console: ConsoleSession) -> None:
    """A 3x-a-week habit's week owes at most the days left once skips are taken out, as its
    streak counts it: three done and a skip used to read "3/2" in /summary, one skip "0/2"."""
    await console.say("/newhabit Gym 3x", "/newhabit Swim 3x")
    for day in ("23", "25", "27"):
        await console.say(f":time 2026-03-{day}T09:00", "/done gym")
    await console.say(":time 2026-03-28T09:00", "/skip gym", "/skip swim")
    out = await console.say("/summary")
    assert "• Gym: 3/3 this week · streak 1 week" in out
    assert "• Swim: 0/3 this week · streak 0 weeks" in out
