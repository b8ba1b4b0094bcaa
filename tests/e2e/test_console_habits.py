"""A new user's habits through the console: /habits, check-ins, streaks, /week and /stats.

Every test runs on SQLite and PostgreSQL (the `database` fixture). The clock starts at
Monday 2026-03-23 09:00 UTC; `:time` moves it (naive times are UTC in the console).
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from tests.support.console import ConsoleSession, bot


async def test_habits_without_any_habit(console: ConsoleSession) -> None:
    assert await console.say("/habits") == bot(
        "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages."
    )
    assert console.buttons == []


async def test_habits_buttons_check_in_and_undo_in_place(console: ConsoleSession) -> None:
    await console.say("/newhabit Read 10 pages", "/newhabit Run")
    assert await console.say("/habits") == bot(
        "Today · Mon 23 Mar",
        "1. ○ Read 10 pages — streak 0 days",
        "2. ○ Run — streak 0 days",
        "",
        "0 of 2 done.",
        "[1] ✓ Read 10 pages",
        "[2] ✓ Run",
    )
    assert await console.say(":press 2") == "(notice: ✓ Run)\n" + bot(
        "Today · Mon 23 Mar",
        "1. ○ Read 10 pages — streak 0 days",
        "2. ✓ Run — streak 1 day",
        "",
        "1 of 2 done.",
        "[1] ✓ Read 10 pages",
        "[2] ↩ Undo Run",
        edited=True,
    )
    out = await console.say(":press 1")
    assert "1 of 2" not in out
    assert "2 of 2 done. Everything done, well played!" in out
    assert console.buttons == ["↩ Undo Read 10 pages", "↩ Undo Run"]
    assert await console.say(":press 2") == "(notice: Undone: Run)\n" + bot(
        "Today · Mon 23 Mar",
        "1. ✓ Read 10 pages — streak 1 day",
        "2. ○ Run — streak 0 days",
        "",
        "1 of 2 done.",
        "[1] ↩ Undo Read 10 pages",
        "[2] ✓ Run",
        edited=True,
    )
    # The state is stored, not only drawn: a fresh /habits agrees.
    assert "1. ✓ Read 10 pages — streak 1 day\n" in await console.say("/habits")


async def test_yesterdays_list_still_works_the_next_morning(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/habits")
    out = await console.say(":time 2026-03-24T08:00", ":press 1")
    assert out == "(clock: Tue 2026-03-24 08:00 UTC)\n(notice: ✓ Read (yesterday))\n" + bot(
        "Mon 23 Mar",
        "1. ✓ Read — streak 1 day",
        "",
        "1 of 1 done. Everything done, well played!",
        "[1] ↩ Undo Read",
        edited=True,
    )
    # A list more than a week old can no longer change anything.
    await console.say("/habits")
    out = await console.say(":time 2026-04-02T08:00", ":press 1")
    assert out.endswith("(notice: That list is too old to change. Send /habits for today's.)\n")
    assert "1. ○ Read" in await console.say(":time 2026-03-24T08:00", "/habits")


# --- /done, /skip and /undo ------------------------------------------------------------------
async def test_done_by_name_prefix_and_number(console: ConsoleSession) -> None:
    await console.say("/newhabit Read 10 pages", "/newhabit Run", "/newhabit Meditate")
    assert await console.say("/done read 10 pages") == bot(
        "✓ Read 10 pages done today. Streak 1 day, day 1 of 66."
    )
    assert await console.say("/done RU") == bot("✓ Run done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/done 3") == bot("✓ Meditate done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/done 3") == bot("Meditate was already done today. Streak 1 day.")
    assert await console.say("/done 4") == bot("There is no habit number 4; you have 3.")
    assert await console.say("/done ²") == bot("I can't find a habit called '²'.")


async def test_done_with_unknown_or_ambiguous_names(console: ConsoleSession) -> None:
    await console.say("/newhabit Read 10 pages", "/newhabit Read news", "/newhabit Run")
    assert await console.say("/done read") == bot(
        "'read' matches 2 habits.",
        "Which one: Read 10 pages, Read news?",
        "[1] Read 10 pages",
        "[2] Read news",
    )
    assert await console.say("/done rnu") == bot(
        "I can't find a habit called 'rnu'.", "Did you mean: Run?", "[1] Run"
    )
    assert await console.say("/done swim") == bot("I can't find a habit called 'swim'.")
    # Words that are no day stay part of the name.
    assert await console.say("/done run someday") == bot(
        "I can't find a habit called 'run someday'.", "Did you mean: Run?", "[1] Run"
    )
    assert "0 of 3 done." in await console.say("/habits")


async def test_command_names_in_what_people_wrote_stay_as_typed(
    console: ConsoleSession,
) -> None:
    assert (await console.say("/newhabit I check /stats at night")).startswith(
        "bot: Created I check /stats at night, every day."
    )
    assert "1. ○ I check /stats at night — streak 0 days" in await console.say("/habits")
    await console.say(":chat group Runners", "/newgroup Runners")
    assert await console.say("/learn Send /done and /habits daily") == bot(
        "💡 you shared a learning in Runners:",
        "Send /done and /habits daily",
        "👍 0 likes",
        "[1] 👍 Like  [2] 🗑 Delete",
    )


async def test_habit_by_any_word_and_buttons_that_do_the_command(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Drink water", "/newhabit Crème brûlée", "/newhabit Run")
    assert await console.say("/done creme") == bot(
        "✓ Crème brûlée done today. Streak 1 day, day 1 of 66."
    )
    assert await console.say("/done WATER yesterday") == bot(
        "✓ Drink water done yesterday. Streak 1 day, day 1 of 66."
    )
    assert await console.say("/undo rink yesterday") == bot(  # a part of a word
        "Undone: Drink water yesterday is open again."
    )
    await console.say("/newhabit Water plants")
    assert await console.say("/done water yesterday") == bot(
        "'water' matches 2 habits.",
        "Which one: Drink water, Water plants?",
        "[1] Drink water",
        "[2] Water plants",
    )
    # Pressing a habit does the command with it, the rest of the words kept:
    assert await console.say(":press 2") == bot(
        "✓ Water plants done yesterday. Streak 1 day, day 1 of 66."
    )
    assert await console.say("/stats watr plants") == bot(
        "I can't find a habit called 'watr plants'.",
        "Did you mean: Water plants?",
        "[1] Water plants",
    )
    assert (await console.say(":press 1")).startswith("bot: Water plants (every day)")
    assert await console.say("/remind drnk 07:30 mon") == bot(
        "I can't find a habit called 'drnk'.",
        "Did you mean: Drink water, Run?",
        "[1] Drink water",
        "[2] Run",
    )
    assert (await console.say(":press 1")).startswith(
        "bot: I'll remind you of Drink water at 07:30"
    )


async def test_done_without_a_habit_shows_the_list(console: ConsoleSession) -> None:
    assert await console.say("/done") == bot(
        "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages."
    )
    await console.say("/newhabit Read")
    list_reply = bot(
        "Today · Mon 23 Mar", "1. ○ Read — streak 0 days", "", "0 of 1 done.", "[1] ✓ Read"
    )
    assert await console.say("/done") == list_reply + bot(
        "Tap a habit, or send /done HABIT [today|yesterday|mon|YYYY-MM-DD]."
    )
    assert await console.say("/skip") == list_reply + bot(
        "To skip one, send /skip HABIT [today|yesterday|mon|YYYY-MM-DD]."
        " The buttons check habits in as done."
    )
    assert (await console.say(":press 1")).startswith("(notice: ✓ Read)\n")


async def test_done_for_earlier_days(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Run")
    assert await console.say("/done read yesterday") == bot(
        "✓ Read done yesterday. Streak 1 day, day 1 of 66."
    )
    assert await console.say("/done read today") == bot(
        "✓ Read done today. Streak 2 days, day 2 of 66."
    )
    # Today is Monday: "fri" is three days ago, "mon" is today.
    assert await console.say("/done run fri") == bot(
        "✓ Run done Fri 20 Mar. Streak 0 days, day 1 of 66."
    )
    assert await console.say("/done run -2") == bot(
        "✓ Run done Sat 21 Mar. Streak 0 days, day 2 of 66."
    )
    assert await console.say("/done run 2026-03-22") == bot(
        "✓ Run done yesterday. Streak 3 days, day 3 of 66."
    )
    assert await console.say("/done 2 mon") == bot("✓ Run done today. Streak 4 days, day 4 of 66.")
    assert await console.say("/done run 2026-03-16") == bot(
        "✓ Run done Mon 16 Mar. Streak 4 days, day 5 of 66."
    )


async def test_days_that_cannot_be_checked_in(console: ConsoleSession) -> None:
    await console.say("/newhabit Read")
    assert await console.say("/done read tomorrow") == bot(
        "2026-03-24 is in the future; you can only check in for today or earlier."
    )
    assert await console.say("/done read 2026-04-01") == bot(
        "2026-04-01 is in the future; you can only check in for today or earlier."
    )
    assert await console.say("/done read 2026-03-15") == bot(
        "2026-03-15 is more than 7 days ago; check-ins go back one week at most."
    )
    assert await console.say("/skip read -8") == bot(
        "2026-03-15 is more than 7 days ago; check-ins go back one week at most."
    )
    assert await console.say("/done read 2026-02-30") == bot(
        "2026-02-30 is not a real date. Use YYYY-MM-DD."
    )
    assert await console.say("/week last") == bot(NOT_YET)


async def test_skip_and_undo(console: ConsoleSession) -> None:
    # Read exists since yesterday (a skip before a habit's start is refused: test_console_trial).
    await console.say(":time 2026-03-22T09:00", "/newhabit Read", ":time 2026-03-23T09:00")
    assert await console.say("/skip read yesterday") == bot(
        "Skipped Read yesterday. Streak 0 days, still safe."
    )
    assert await console.say("/skip read yesterday") == bot("Read was already skipped yesterday.")
    assert await console.say("/done read") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/undo read") == bot("Undone: Read today is open again.")
    assert await console.say("/undo read") == bot("There was no check-in for Read today.")
    assert await console.say("/undo read yesterday") == bot("Undone: Read yesterday is open again.")
    assert await console.say("/undo read sat") == bot("There was no check-in for Read Sat 21 Mar.")
    # A skip can be turned into a done and back.
    await console.say("/skip read")
    assert await console.say("/done read") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/undo") == bot(
        "Today · Mon 23 Mar",
        "1. ✓ Read — streak 1 day",
        "",
        "1 of 1 done. Everything done, well played!",
        "[1] ↩ Undo Read",
    ) + bot("Tap a habit, or send /undo HABIT [today|yesterday|mon|YYYY-MM-DD].")


async def test_streak_over_several_days(console: ConsoleSession) -> None:
    await console.say("/newhabit Read")
    assert await console.say("/done read") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    out = await console.say(":time 2026-03-24T20:00", "/done read")
    assert out == "(clock: Tue 2026-03-24 20:00 UTC)\n" + bot(
        "✓ Read done today. Streak 2 days, day 2 of 66."
    )
    # Until it is done, today keeps the streak open.
    assert "1. ○ Read — streak 2 days" in await console.say(":time 2026-03-25T07:00", "/habits")
    assert await console.say("/done read") == bot("✓ Read done today. Streak 3 days, day 3 of 66.")
    # A skipped day does not break the streak.
    await console.say(":time 2026-03-26T07:00", "/skip read")
    out = await console.say(":time 2026-03-27T07:00", "/done read")
    assert out.endswith(bot("✓ Read done today. Streak 4 days, day 4 of 66."))
    # Saturday is missed: Sunday starts again from one.
    out = await console.say(":time 2026-03-29T07:00", "/habits")
    assert "1. ○ Read — streak 0 days" in out
    assert await console.say("/done read") == bot("✓ Read done today. Streak 1 day, day 5 of 66.")
    out = await console.say("/stats")
    assert "Current streak: 1 day · best: 4 days\n" in out
    # Filling the missed Saturday in joins the two runs.
    assert await console.say("/done read sat") == bot(
        "✓ Read done yesterday. Streak 6 days, day 6 of 66."
    )


# --- /week and /stats ----------------------------------------------------------------------
LEGEND = "✓ done  ~ skipped  ✗ missed  ○ due today  · optional  - rest day"
WEEK_HEADER = "               M T W T F S S"
NOT_YET = "None of your habits existed yet that week. Send /week for this week's."


def image_path(out: str) -> Path:
    match = re.search(r"\[image (\S+\.png)\]", out)
    assert match, out
    return Path(match.group(1))


def assert_png(path: Path, size_at_least: tuple[int, int] = (200, 80)) -> None:
    assert path.is_file()
    with Image.open(path) as image:
        assert image.format == "PNG"
        image.load()
        assert image.width >= size_at_least[0] and image.height >= size_at_least[1]


async def three_habits_since_last_monday(console: ConsoleSession) -> None:
    """Read (daily), Walk to work (weekdays) and Gym (3x a week), created Mon 16 Mar."""
    await console.say(
        ":time 2026-03-16T09:00",
        "/newhabit Read",
        "/newhabit Walk to work",
        "/edithabit walk schedule weekdays",
        "/newhabit Gym",
        "/edithabit gym schedule 3x",
        ":time 2026-03-25T09:00",  # Wednesday of the next week
        "/done read mon",
        "/skip read tue",
        "/done walk mon",
        "/done gym tue",
    )


async def test_week_grid_as_text_and_picture(console: ConsoleSession) -> None:
    assert await console.say("/week") == bot(
        "No habits yet, so no week to show. Start with /newhabit."
    )
    await three_habits_since_last_monday(console)
    out = await console.say("/week")
    path = console.media_dir / "001-week-2026-03-23.png"
    assert out == bot(
        "Week of Mon 23 Mar",
        WEEK_HEADER,
        "Read           ✓ ~ ○",
        "Walk to work   ✓ ✗ ○",
        "Gym            · ✓ ·",
        LEGEND,
    ) + bot(f"[image {path}] Week of Mon 23 Mar")
    assert_png(path)
    out = await console.say("/week last")
    assert out == bot(
        "Week of Mon 16 Mar",
        WEEK_HEADER,
        "Read           ✗ ✗ ✗ ✗ ✗ ✗ ✗",
        "Walk to work   ✗ ✗ ✗ ✗ ✗ - -",
        "Gym            · · · · · · ·",
        LEGEND,
    ) + bot(f"[image {console.media_dir}/002-week-2026-03-16.png] Week of Mon 16 Mar")
    assert_png(image_path(out))
    # Any day of a week names it.
    assert (await console.say("/week 2026-03-19")).startswith(bot("Week of Mon 16 Mar")[:-1])


async def test_last_week_leaves_out_habits_made_since(console: ConsoleSession) -> None:
    """/week last showed a habit made this week as an empty row. A habit is in a week's
    tracker once it exists: the days before it blank (as in this week's), and a week that
    ended before it began leaves it out, as this week leaves out no habit."""
    await console.say(":time 2026-03-20T09:00", "/newhabit Old", ":time 2026-03-25T09:00")
    await console.say("/newhabit Read", "/done read")
    assert (await console.say("/week")).startswith(
        bot("Week of Mon 23 Mar", WEEK_HEADER, "Old            ✗ ✗ ○", "Read               ✓")
    )
    out = await console.say("/week last")
    assert out == bot(
        "Week of Mon 16 Mar", WEEK_HEADER, "Old                    ✗ ✗ ✗", LEGEND
    ) + bot(f"[image {console.media_dir}/002-week-2026-03-16.png] Week of Mon 16 Mar")
    assert_png(image_path(out))
    # A week before every habit: no tracker, and nothing drawn.
    assert await console.say("/week 2026-03-11") == bot(NOT_YET)
    assert not (console.media_dir / "003-week-2026-03-09.png").exists()


async def test_week_with_a_bad_argument(console: ConsoleSession) -> None:
    await console.say("/newhabit Read")
    usage = bot("Say /week, /week last or /week 2026-03-16 (any day of that week).")
    assert await console.say("/week soon") == usage
    assert await console.say("/week 2026-02-30") == usage
    assert await console.say("/week 2026-03-30") == bot("That week hasn't happened yet.")
    assert not console.media_dir.exists()


async def test_stats_overview_and_details(console: ConsoleSession) -> None:
    assert await console.say("/stats") == bot("No habits yet. Start with /newhabit.")
    await three_habits_since_last_monday(console)
    assert await console.say("/stats") == bot(
        "Your habits",
        "               streak best strength 30d",
        "Read               1d   1d       5%  12%",
        "Walk to work       0d   1d       1%  14%",
        "Gym                0w   0w       1%  26%",
        "Tap a habit for its details and heatmap, or send /stats HABIT.",
        "[1] 1. Read",
        "[2] 2. Walk to work",
        "[3] 3. Gym",
    )
    note = (
        "66 days is the typical time for a habit to feel automatic; "
        "for most people it is somewhere between 18 and 254 days."
    )
    out = await console.say(":press 1")
    path = image_path(out)
    assert out == bot(
        "Read (every day)",
        "Current streak: 1 day · best: 1 day",
        "Progress: day 1 of 66",
        "Habit strength: 5%",
        "Done in the last 7 days: 20% · 30 days: 12%",
        note,
    ) + bot(f"[image {path}] Your year of Read")
    assert re.fullmatch(r"001-heatmap-\d+\.png", path.name)
    assert_png(path)
    out = await console.say("/stats gym")
    assert out.startswith(
        bot(
            "Gym (3 times a week)",
            "Current streak: 0 weeks · best: 0 weeks",
            "Progress: day 1 of 66",
            "Habit strength: 1%",
            "Done in the last 7 days: 39% · 30 days: 26%",
            note,
        )
    )
    assert_png(image_path(out))
    assert await console.say("/stats swim") == bot("I can't find a habit called 'swim'.")


async def test_stats_of_a_habit_done_every_day(console: ConsoleSession) -> None:
    # Created Mon 2 Mar and done every day through Sat 21 Mar, filling in a week at a time.
    await console.say(":time 2026-03-02T09:00", "/newhabit Read")
    for today, back in (("2026-03-08", 6), ("2026-03-15", 6), ("2026-03-21", 5)):
        await console.say(f":time {today}T21:00", *(f"/done read -{n}" for n in range(back + 1)))
    out = await console.say("/stats")  # with one habit, its details straight away
    assert out.startswith(
        bot(
            "Read (every day)",
            "Current streak: 20 days · best: 20 days",
            "Progress: day 20 of 66",
            "Habit strength: 66%",  # Loop Habit Tracker gives 0.655747 after 20 days
            "Done in the last 7 days: 100% · 30 days: 100%",
        )[:-1]
    )
    assert_png(image_path(out))
    # Past the 66 days: done every day through Thu 7 May.
    for today in (
        "2026-03-28",
        "2026-04-04",
        "2026-04-11",
        "2026-04-18",
        "2026-04-25",
        "2026-05-02",
    ):
        await console.say(f":time {today}T21:00", *(f"/done read -{n}" for n in range(7)))
    out = await console.say(":time 2026-05-06T21:00", "/done read -3", "/done read -2")
    # Tuesday is still open here, so the run is broken until it is filled in.
    assert out.endswith(bot("✓ Read done Mon 4 May. Streak 0 days, day 64 of 66."))
    assert await console.say("/done read -1", "/done read") == bot(
        "✓ Read done yesterday. Streak 65 days, day 65 of 66."
    ) + bot("✓ Read done today. Streak 66 days, day 66 of 66.")
    out = await console.say(":time 2026-05-07T21:00", "/done read")
    assert out.endswith(bot("✓ Read done today. Streak 67 days, day 67, past the 66-day mark."))
    out = await console.say("/stats")
    assert "Progress: day 67, past the 66-day mark\n" in out
    assert "Habit strength: 97%\n" in out
