"""Habit titles through the console: no two active habits share one, a number-like title is
found by its name, and the one-line /newhabit reads a schedule at its end, while the guided
flow's title step takes its title whole.

Every test runs on SQLite and PostgreSQL (the `database` fixture).
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot

TAKEN = "You already have a habit called “Drink water”. Give this one another name."


async def test_a_second_habit_with_the_same_title_is_refused(console: ConsoleSession) -> None:
    await console.say("/newhabit Drink water")
    assert await console.say("/newhabit drink   WATER") == bot(TAKEN)
    out = await console.say("/newhabit", "Drink Water")  # the guided flow asks again at once
    assert out.endswith(
        bot(TAKEN, "", "1/8 What habit do you want to build?")
        + ("     For example: Read 10 pages\n")
    )
    await console.say("/cancel")
    await console.say("/newhabit Read")
    assert await console.say("/edithabit read title DRINK water") == bot(TAKEN)
    out = await console.say("/habits")
    assert "1. ○ Drink water" in out and "2. ○ Read" in out and "3." not in out
    assert "✓ Drink water done today" in await console.say("/done drink")  # no choice to make
    # Its own title may change case; an archived habit's title is free again.
    assert "DRINK water" in await console.say("/edithabit 1 title DRINK  water")
    assert "Archived DRINK water" in await console.say("/deletehabit 1", ":press 1")
    assert (await console.say("/newhabit drink water")).startswith("bot: Created drink water,")


async def test_a_title_that_is_a_number_finds_its_habit(console: ConsoleSession) -> None:
    await console.say("/newhabit 12345", "/newhabit Read")
    out = await console.say("/done 12345")
    assert out == bot("✓ 12345 done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/done 2") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    assert await console.say("/done 99") == bot("There is no habit number 99; you have 2.")


async def test_one_line_newhabit_reads_a_schedule_at_its_end(console: ConsoleSession) -> None:
    out = await console.say("/newhabit Read mon wed fri")
    assert out.startswith("bot: Created Read, on Mon, Wed, Fri. Check in with /done read")
    out = await console.say("/newhabit Run 3x")
    assert out.startswith("bot: Created Run, 3 times a week.")
    out = await console.say("/newhabit Gym on weekdays")
    assert out.startswith("bot: Created Gym, on weekdays.")
    out = await console.say("/newhabit Push ups 20x")  # no schedule: all of it is the title
    assert out.startswith("bot: Created Push ups 20x, every day.")
    out = await console.say("/newhabit 3x")  # a title needs a word
    assert out.startswith("bot: Created 3x, every day.")
    out = await console.say("/edithabit read")
    assert "Schedule: Mon, Wed, Fri" in out
    out = await console.say("/habits")
    assert "1. ○ Read —" in out and "2. · Run — streak 0 weeks" in out
    out = await console.say("/newhabit Stretch, mon wed")  # the comma parts them
    assert out.startswith("bot: Created Stretch, on Mon, Wed.")
    out = await console.say("/newhabit Meditate every day")
    assert out.startswith("bot: Created Meditate, every day.")


async def test_the_guided_flows_title_step_is_never_cut(console: ConsoleSession) -> None:
    """Only the one-line form reads a schedule from the end: a title given at its own step
    stays whole, and its schedule is the next step's."""
    await console.say("/newhabit")
    out = await console.say("Call mom monday")
    assert "2/8 How often?" in out
    await console.say("weekdays")
    assert await console.say(":press 2") == bot(  # Save now
        "Your new habit is ready:",
        "",
        "Call mom monday",
        "Schedule: Mon, Tue, Wed, Thu, Fri",
        "",
        "Check in with /habits. Small and daily beats big and rare.",
    )
    out = await console.say("/newhabit Call mom monday")  # the one line: Call mom, on Mondays
    assert out.startswith("bot: Created Call mom, on Mon.")
    await console.say("/newhabit")
    out = await console.say("CALL MOM   monday")  # refused at the title step, asked again
    assert "You already have a habit called “Call mom monday”." in out
    assert out.endswith("1/8 What habit do you want to build?\n     For example: Read 10 pages\n")


WEEK_HAS_7 = "A week has only 7 days, so a habit can be due up to 7× a week (7× is every day)."


async def test_more_than_seven_a_week_is_refused_not_made_a_title(
    console: ConsoleSession,
) -> None:
    """'/newhabit Walk 8x' used to create a daily habit called 'Walk 8x': a count of 8 to 14
    at the end reads as how often, and a week has 7 days; nothing is created, and the reply
    says how to keep the count in the name. A larger one ('Push ups 20x') is reps, the name's;
    said with 'a week' any count above 7 is how often."""
    assert await console.say("/newhabit Walk 8x") == bot(
        WEEK_HAS_7 + " If 8x is part of the name, say how often after it: /newhabit Walk 8x daily."
    )
    for typed in ("/newhabit Walk 9x a week", "/newhabit Swim 10 times a week"):
        name = typed.split()[1]
        assert await console.say(typed) == bot(
            WEEK_HAS_7 + f" For every day: /newhabit {name} daily."
        ), typed
    out = await console.say("/newhabit Drink water 8 times")
    assert out.startswith(bot(WEEK_HAS_7)[:-1]), out
    assert await console.say("/habits") == bot(
        "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages."
    )
    # The count kept in the name, as the reply says; names ending in a number stay names.
    assert (await console.say("/newhabit Walk 8x daily")).startswith(
        "bot: Created Walk 8x, every day."
    )
    for typed, made in (
        ("/newhabit Read 10 pages", "Read 10 pages, every day"),
        ("/newhabit Push ups 20x", "Push ups 20x, every day"),
        ("/newhabit Run 7x", "Run, every day"),
        ("/newhabit Walk 10000 steps", "Walk 10000 steps, every day"),
    ):
        assert (await console.say(typed)).startswith(f"bot: Created {made}."), typed
    # The guided flow's schedule step says the same.
    await console.say("/newhabit", "Stretch")
    out = await console.say("9x")
    assert out.startswith(bot(WEEK_HAS_7)[:-1]), out
