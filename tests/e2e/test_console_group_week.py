"""A small accountability group's week through the console, as a newcomer tried it: proofs
whose caption names a habit that isn't there, and the board of people with names of every
script. The clock starts at Monday 2026-03-23 09:00 UTC."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_console_group_trial import red_jpeg
from tests.support.console import ConsoleSession, bot


async def test_a_photo_with_done_and_no_such_habit_says_nothing_was_checked_in(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """'/done runn' under a photo saved the proof and checked nothing in, without a word: the
    sender believed the day was done. In a private chat the same /done says it found none."""
    photo = red_jpeg(tmp_path)
    await console.say(":user Alice", "/newhabit Run", "/newhabit Read 10 pages")
    await console.say(":chat group Gym", "/newgroup Gym")
    assert await console.say(f":photo {photo} /done runn") == bot(
        "Proof saved, Alice! That's 1 proof this week in Gym. I can't find a habit called "
        "'runn', so none was checked in. Did you mean: Run?"
    )
    assert await console.say(f":photo {photo} /done swim 2 km") == bot(
        "Proof saved, Alice! That's 2 proofs this week in Gym. I can't find a habit called "
        "'swim', so none was checked in."
    )
    # /proof with a number names the habit of that number: one past the list is said too.
    assert await console.say(f":photo {photo} /proof 7 laps") == bot(
        "Proof saved, Alice! That's 3 proofs this week in Gym. You have no habit number 7 "
        "(see /habits), so none was checked in."
    )
    assert "0 of 2 done." in await console.say(":chat dm", "/habits")
    await console.say(":chat group Gym")
    # What was said before still holds: a note names no habit, and a found one is checked in.
    assert await console.say(f":photo {photo} /proof great session") == bot(
        "Proof saved, Alice! That's 4 proofs this week in Gym."
    )
    assert await console.say(f":photo {photo} /done run 5k") == bot(
        "Proof saved, Alice! That's 5 proofs this week in Gym. Run is checked in for today."
    )


async def test_the_boards_columns_line_up_under_names_of_any_script(
    console: ConsoleSession,
) -> None:
    """The board padded names by their count of characters, so a Chinese name (each letter two
    columns wide in a monospace font) pushed its row's numbers 3 columns right of the others;
    a long one was cut to 14 letters, 28 columns. Names are padded and cut by their width."""
    await console.say(":user Alice", ":chat group Gym", "/newgroup Gym")
    for name in ("李小龙", "Zoe\u0308", "王小明王小明王小明", "🏃 Run Club"):
        await console.say(f":user {name}", "/join")
    assert await console.say("/board") == bot(
        "Gym · week of Mon 23 Mar",
        "               proofs  check-ins  streak",
        "Alice               0          –       0",
        "Zoe\u0308                 0          –       0",
        "李小龙              0          –       0",
        "王小明王小明…       0          –       0",
        "🏃 Run Club         0          –       0",
        "0 proofs this week from 5 members.",
    )


async def test_week_and_stats_tables_line_up_under_wide_titles(console: ConsoleSession) -> None:
    """The same padding by characters put a Chinese title's marks two columns late per letter
    in /week's and /stats's tables."""
    await console.say(":user Alice", "/newhabit 読書", "/newhabit Run", "/done run")
    week = await console.say("/week")
    assert "     読書           ○\n" in week and "     Run            ✓\n" in week
    stats = await console.say("/stats")
    assert "     読書               0d   0d" in stats and "     Run                1d   1d" in stats


def invite_code(out: str) -> str:
    """The code of an /invite reply: the last word of its '/join CODE' line."""
    return out.rsplit("/join ", 1)[1].split()[0]


async def test_another_groups_code_in_a_group_chat_joins_neither(console: ConsoleSession) -> None:
    """Two groups called Runners: Dave sent the private one's code in the public one's chat,
    was welcomed 'to Runners' and found himself in the public group, the code dropped without a
    word. A code is another group's: it is said, nothing joined, and where the code works."""
    await console.say(":user Alice", ":chat group Open", "/newgroup Runners")
    await console.say(":chat group Closed", "/newgroup Runners private")
    code = invite_code(await console.say("/invite"))
    await console.say(":user Dave", ":chat group Open")
    assert await console.say(f"/join {code}") == bot(
        "That invite code is another group's, not this chat's Runners. To join that group, send "
        f"/join {code} in a private chat with me; to join Runners, send /join alone here."
    )
    await console.say(":chat group Closed")
    private_code = code
    open_code = invite_code(await console.say(":user Alice", ":chat group Open", "/invite"))
    await console.say(":user Dave", ":chat group Closed")
    assert await console.say(f"/join {open_code}") == bot(
        "That invite code is another group's, not this chat's Runners. To join that group, send "
        f"/join {open_code} in a private chat with me."
    )
    await console.say(":chat dm")
    assert await console.say("/mygroups") == bot(
        "You are not in a group yet. Find one with /groups."
    )
    # This chat's own code, and /join alone in a public group, still join.
    await console.say(":chat group Closed")
    assert await console.say(f"/join {private_code}") == bot("Welcome to Runners, Dave!")
    await console.say(":chat group Open")
    assert await console.say("/join") == bot("Welcome to Runners, Dave!")


async def test_summarytime_off_points_to_quiet_and_an_off_summary_says_so(
    console: ConsoleSession,
) -> None:
    """'/summarytime off' got 'Name a day and an hour', never saying how to stop summaries;
    with them off, /summarytime said they come 'never (it is off: /quiet off)'."""
    await console.say(":user Alice")
    assert await console.say("/summarytime off") == bot(
        "To stop the weekly summary, send /quiet (/quiet off brings it back). To move it, "
        "name a day and an hour, for example /summarytime sun 18."
    )
    assert "on Sun at 18:00" in await console.say("/summarytime")  # nothing changed
    await console.say("/quiet")
    assert await console.say("/summarytime") == bot(
        "Your weekly summary is off: send /quiet off to get it back, or choose when it comes "
        "like /summarytime sun 18."
    )
    # In a group, whose summary has no off, the reply says what it can do.
    await console.say(":chat group Gym", "/newgroup Gym")
    assert await console.say("/summarytime none") == bot(
        "A group's weekly summary can't be turned off. Name a day and an hour, for example "
        "/summarytime sun 18."
    )


async def test_proof_with_a_number_says_it_named_the_habit_of_that_number(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """/proof 3 names the habit numbered 3 in /habits, as /done 3 does; but '/proof 3 sets'
    checked in the third habit with the note 'sets' and said only 'Swim is checked in', so
    whoever meant three sets of something learnt neither why Swim nor where the 3 went. The
    reply now says the number was the habit's, and the note that is left."""
    photo = red_jpeg(tmp_path)
    await console.say(":user Alice", "/newhabit Read", "/newhabit Run", "/newhabit Swim")
    await console.say(":chat group Gym", "/newgroup Gym")
    assert await console.say(f":photo {photo} /proof 3") == bot(
        "Proof saved, Alice! That's 1 proof this week in Gym. Swim (number 3 in /habits) is "
        "checked in for today."
    )
    assert await console.say(f":photo {photo} /proof 2 sets") == bot(
        "Proof saved, Alice! That's 2 proofs this week in Gym. Run (number 2 in /habits) is "
        "checked in for today, with the note “sets”."
    )
    # Named by its title, the reply is as before; a plain caption's number is a quantity.
    assert await console.say(f":photo {photo} /proof read 3 sets") == bot(
        "Proof saved, Alice! That's 3 proofs this week in Gym. Read is checked in for today."
    )
    assert await console.say(f":photo {photo} 3 sets") == bot(
        "Proof saved, Alice! That's 4 proofs this week in Gym."
    )
    assert "3 of 3 done." in await console.say(":chat dm", "/habits")


async def test_the_boards_streak_is_the_longest_with_weeks_marked(
    console: ConsoleSession,
) -> None:
    """A member's streak on the board was the largest number among their habits' streaks,
    days and weeks alike: Gym twice a week for 3 weeks and Read 4 days read '4', and 5 weeks
    beside 3 days would have read '5' (days). The longest streak counts now, a week as 7
    days, and a streak of weeks says so, as in /stats: '3w'."""
    await console.say(":time 2026-03-02T09:00", ":user Alice", "/newhabit Gym 2x", "/newhabit Read")
    for day in ("03", "04", "10", "11", "17", "18", "24"):
        await console.say(f":time 2026-03-{day}T09:00", "/done gym")
    await console.say("/done read", "/done read -1", "/done read -2", "/done read -3")
    await console.say(":user Bob", "/newhabit Walk", "/done walk")
    await console.say(":chat group Gym", "/newgroup Gym", ":user Alice", "/join")
    assert await console.say("/board") == bot(
        "Gym · week of Mon 23 Mar",
        "               proofs  check-ins  streak",
        "Alice               0        3/9      3w",
        "Bob                 0        1/6       1",
        "0 proofs this week from 2 members.",
    )
