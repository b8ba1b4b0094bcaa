"""What a new user's fortnight in the console turned up: words a person types the way people do
(a 'done' too early, a date said in words, a day after a part of the habit's name), and the
replies they must get. Every test runs on SQLite and PostgreSQL; the clock starts at Monday
2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.console import ConsoleSession, bot
from tests.support.images import jpeg


async def test_done_before_three_steps_is_no_step_of_the_tool(console: ConsoleSession) -> None:
    await console.say("/addtool Walk-and-talk meetings")
    await console.say("Walk during one-on-one meetings, so you get steps while you work.")
    await console.say("Pick the meetings", "Suggest a walk")
    # 'done' after two steps was kept as the third step, "3. done", shared with everyone.
    assert await console.say("done") == bot(
        "Steps so far:",
        "1. Pick the meetings",
        "2. Suggest a walk",
        "",
        "A tool needs at least 3 steps: send the next one (1 more at least).",
    )
    assert "3. Walk and talk" in await console.say("Walk and talk")
    assert "4/4 A few keywords" in await console.say("That's all")
    await console.say("/skip")
    out = await console.say("/tool walk-and-talk meetings")
    assert "3. Walk and talk" in out and "done" not in out.lower()
    # The first step can't be 'done' either.
    await console.say("/addtool Phone-free meals")
    await console.say("Leave every phone in another room while the family eats together.")
    assert "A tool needs at least 3 steps: send the first one." in await console.say("done")


async def test_done_at_the_keywords_step_is_no_keyword(console: ConsoleSession) -> None:
    await console.say("/addtool Pomodoro for chores", "Work 25 minutes on one chore, then rest 5.")
    assert "4/4 A few keywords" in await console.say("Set a timer; Do one chore; Rest")
    # The steps went in at once; 'done', said out of habit, became the tool's keyword "done".
    assert "Pomodoro for chores is in the Toolbox now" in await console.say("done")
    assert "Send /help" in await console.say("chores, focus")  # the flow is over
    assert "Pomodoro for chores" not in await console.say("/tools done")


async def test_a_goals_date_in_words_is_not_kept_in_the_goal(console: ConsoleSession) -> None:
    # "by tomorrow" was saved as part of the goal's words, with no date: the goal looked dated.
    for said, words in [
        ("Sleep 8h by tomorrow", "tomorrow"),
        ("Run a 10k by June", "June"),
        ("Run a 10k by june 30", "june 30"),
        ("Run a 10k by 30 June 2026", "30 June 2026"),
        ("Read 4 books by friday", "friday"),
        ("Read 4 books by next month", "next month"),
        ("Read 4 books by the end of the year", "the end of the year"),
        ("Read 4 books due 6/30", "6/30"),
    ]:
        assert await console.say(f"/lifebook goal {said}") == bot(
            f"I can't read “{words}” as a date: write it as YYYY-MM-DD "
            "(e.g. 2026-06-30), or leave it out. Nothing changed."
        ), said
    out = await console.say("/lifebook goals Swim; Run a 10k by june")
    assert "I can't read “june” as a date" in out
    assert "Swim" not in await console.say("/lifebook")
    # Words that only look like the start of a date stay the goal's.
    assert "• Be home by dinner" in await console.say("/lifebook goal Be home by dinner")
    assert "• Pay by card (by 2026-04-01)" in await console.say(
        "/lifebook goal Pay by card by 2026-04-01"
    )


async def test_a_day_after_a_word_of_the_habits_name_is_said_not_read(
    console: ConsoleSession,
) -> None:
    """README: a day written otherwise ('3/3') is said to be one it can't read. With a habit
    'Morning run', '/done run 3/3' offered nothing and said 'run 3/3' was no habit."""
    await console.say("/newhabit Morning run")
    hint = (
        "{} is not a day I can read. Name the day as today, yesterday, a weekday (mon), "
        "-2 (two days ago) or YYYY-MM-DD, up to 7 days back: /{} run yesterday."
    )
    assert await console.say("/done run 3/3") == bot(hint.format("3/3", "done"))
    assert await console.say("/skip run march 22") == bot(hint.format("march 22", "skip"))
    assert "○ Morning run" in await console.say("/habits")  # nothing was checked in
    # Other words after a word of the name offer the habit.
    assert await console.say("/done run quickly") == bot(
        "I can't find a habit called 'run quickly'.",
        "Did you mean: Morning run?",
        "[1] Morning run",
    )


async def test_a_full_stop_or_comma_after_the_habits_name_is_no_part_of_it(
    console: ConsoleSession,
) -> None:
    # Typed as a sentence, '/done run.' was "I can't find a habit called 'run.'".
    await console.say("/newhabit Run", "/newhabit Read")
    assert await console.say("/done run.") == bot("✓ Run done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/done Read!") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/undo run, yesterday") == bot(
        "There was no check-in for Run yesterday."
    )
    # A habit whose name ends so is found by it as it is.
    await console.say("/newhabit Wow!")
    assert await console.say("/done wow!") == bot("✓ Wow! done today. Streak 1 day, day 1 of 66.")


async def test_a_day_before_the_habit_says_where_the_day_goes(console: ConsoleSession) -> None:
    # '/done yesterday run' said "I can't find a habit called 'yesterday run'", nothing more.
    await console.say("/newhabit Morning run")
    assert await console.say("/done yesterday run") == bot(
        "The day goes after the habit: /done run yesterday."
    )
    assert console.buttons == []  # no button that would check it in for today
    assert await console.say("/skip on monday morning run") == bot(
        "The day goes after the habit: /skip morning run on monday."
    )
    assert "○ Morning run" in await console.say("/habits")  # nothing was checked in
    # Other words before the name offer the habit.
    assert "Did you mean: Morning run?" in await console.say("/done quickly run")
    # A name with a weekday in it is that habit's, mistyped, not a day said first.
    await console.say("/newhabit Monday meeting")
    assert "Did you mean: Monday meeting" in await console.say("/done mon meeting")


async def test_a_day_under_a_proof_checks_the_habit_in_that_day(
    console: ConsoleSession, tmp_path: Path
) -> None:
    # '/done stretch yesterday' under a photo checked Stretch in for today, the day not meant.
    photo = tmp_path / "stretch.jpg"
    photo.write_bytes(jpeg())
    await console.say("/newhabit Stretch", ":chat group Crew", "/newgroup Crew")
    await console.say(":time 2026-03-25T09:00")  # Wednesday
    assert await console.say(f":photo {photo} /done stretch yesterday") == bot(
        "Proof saved, you! That's 1 proof this week in Crew. Stretch is checked in for yesterday."
    )
    assert "Stretch is checked in for Mon 23 Mar." in await console.say(
        f":photo {photo} /proof stretch on monday"
    )
    out = await console.say(f":photo {photo} /proof stretch tomorrow")
    assert "That's 3 proofs this week in Crew. Stretch was not checked in: " in out
    assert "in the future" in out
    out = await console.say(":chat dm", "/week")
    assert "Stretch        ✓ ✓ ○" in out  # Monday and Tuesday; today still open
    # Words that are no day stay the proof's note, and today is checked in.
    await console.say(":chat group Crew")
    assert "Stretch is checked in for today." in await console.say(
        f":photo {photo} /proof stretch monday vibes"
    )


async def test_private_help_says_how_a_group_begins(console: ConsoleSession) -> None:
    # In a private chat /help listed /join and /groups but never /newgroup or /learn: a new
    # user could not find out how to start a group of their own.
    out = await console.say("/help")
    groups = out.split("Groups\n", 1)[1].split("\n     \n", 1)[0]
    assert groups.endswith(
        "     In a group chat: /newgroup makes it a group, then /learn, /board and a photo as "
        "proof (/help there lists them all)."
    )


async def test_a_minus_sign_is_no_tools_number(console: ConsoleSession) -> None:
    # '/tool -1' opened tool 1: the sign was dropped with the punctuation of a name.
    assert await console.say("/tool -1") == bot(
        "There is no tool called “-1”. Send /tools to browse, or /findtool to describe your "
        "problem."
    )
    assert "A cue in your day, not an alarm" in await console.say("/tool 1")
