"""A habit's number from /habits written with '#' ('/done #3'), as people often write numbers,
means the same as the bare number wherever a habit is named: it was read as a name ("I can't
find a habit called '#3'") or, after a photo, left the habit out and became the note. A habit
titled "#3" is still found by its title."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_console_group_trial import red_jpeg
from tests.support.console import ConsoleSession, bot


async def test_a_number_with_a_hash_names_the_habit_of_that_number(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read", "/newhabit Run", "/newhabit Swim")
    assert (await console.say("/done #3")).startswith("bot: ✓ Swim done today.")
    assert await console.say("/undo #3") == bot("Undone: Swim today is open again.")
    assert (await console.say("/done #2 today")).startswith("bot: ✓ Run done today.")
    assert (await console.say("/stats #1")).startswith("bot: Read (every day)")
    assert await console.say("/done #9") == bot("There is no habit number #9; you have 3.")
    assert "2 of 3 done." not in await console.say("/habits")  # #9 checked nothing in


async def test_a_habit_titled_with_a_hash_and_number_keeps_its_title(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read", "/newhabit Run", "/newhabit Swim", "/newhabit #3")
    assert (await console.say("/done #3")).startswith("bot: ✓ #3 done today.")
    assert (await console.say("/done 3")).startswith("bot: ✓ Swim done today.")
    # Past the list, a number with a '#' is a word of a title, as it was: "Lap #9".
    await console.say("/newhabit Lap #9")
    assert (await console.say("/done #9")).startswith("bot: ✓ Lap #9 done today.")


async def test_proof_with_a_number_with_a_hash_names_that_habit(
    console: ConsoleSession, tmp_path: Path
) -> None:
    photo = red_jpeg(tmp_path)
    await console.say(":user Alice", "/newhabit Read", "/newhabit Run", "/newhabit Swim")
    await console.say(":chat group Gym", "/newgroup Gym")
    assert await console.say(f":photo {photo} /proof #3 sets") == bot(
        "Proof saved, Alice! That's 1 proof this week in Gym. Swim (number 3 in /habits) is "
        "checked in for today, with the note “sets”."
    )
    # A plain caption's number is a quantity, with a '#' or without: nothing is checked in.
    assert await console.say(f":photo {photo} #2 personal best") == bot(
        "Proof saved, Alice! That's 2 proofs this week in Gym."
    )
    assert "1 of 3 done." in await console.say(":chat dm", "/habits")
