"""A question with buttons answered by typing (bot/choices.py): a typed number or label, case
aside, is taken as pressing that button; anything else gets the options again and changes
nothing; a command or a press moves on without a word. In a private chat only.

A new user's trial: typing a goal's name under "Which of your Lifebook goals or values does it
serve?" got the help hint, as if nothing had been asked. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot

HINT = bot("Send /help to see what I can do, or /habits for today's list.")
SERVES = "Which of your Lifebook goals or values does it serve?"
NOT_ONE = "That isn't one of the choices. Send a number or a name from this list, or press its"


async def _book(console: ConsoleSession) -> None:
    await console.say("/lifebook goals Run 5 km; Read 4 books", "/lifebook values family")


async def test_a_typed_number_or_label_presses_that_button(console: ConsoleSession) -> None:
    await _book(console)
    assert SERVES in await console.say("/newhabit Jog")
    assert await console.say("2") == bot("Jog serves Read 4 books. See them together in /lifebook.")
    assert await console.say("2") == HINT  # answered: the question is over
    assert SERVES in await console.say("/newhabit Swim")
    out = await console.say("  FAMILY ")
    assert out == bot("Swim serves family. See them together in /lifebook.")
    out = await console.say("/lifebook")
    assert "• Read 4 books ← Jog" in out and "• family ← Swim" in out


async def test_anything_else_repeats_the_options_and_changes_nothing(
    console: ConsoleSession,
) -> None:
    await _book(console)
    await console.say("/newhabit Jog")
    assert await console.say("the first one") == bot(
        NOT_ONE + " button:",
        "1. Run 5 km",
        "2. Read 4 books",
        "3. family",
        "4. None of these",
        "[1] Run 5 km",
        "[2] Read 4 books",
        "[3] family",
        "[4] None of these",
    )
    assert console.buttons == ["Run 5 km", "Read 4 books", "family", "None of these"]
    assert NOT_ONE in await console.say("7")  # no such number
    assert "Today" in await console.say("/habits")  # a command: no word of the question
    assert await console.say("1") == HINT
    assert "←" not in await console.say("/lifebook")  # nothing was saved


async def test_a_press_or_a_command_ends_the_question(console: ConsoleSession) -> None:
    await _book(console)
    await console.say("/newhabit Jog")
    assert "Jog serves Run 5 km." in await console.say(":press 1")
    assert await console.say("read 4 books") == HINT
    await console.say("/newhabit Swim")
    assert "Stopped" not in await console.say("/habits")
    assert await console.say("1") == HINT


async def test_typed_answers_through_edit_and_delete(console: ConsoleSession) -> None:
    """A typed choice that asks another question or starts a step goes on from there."""
    await console.say("/newhabit Jog", "/newhabit Read")
    assert "What do you want to change?" in await console.say("/edithabit", "2. read")
    assert "Send the new title for Read." in await console.say("title")
    assert "Saved." in await console.say("Read 10 pages")
    assert "Remove Jog?" in await console.say("/deletehabit", "jog")
    # Delete forever among the options: its words, never a number ('2', '2' deleted habit 2).
    assert "Send one of these as written" in await console.say("2")
    assert await console.say("Archive") == bot("Archived Jog. Its history is kept.")
    assert "Read 10 pages" in await console.say("/habits")
    assert "Jog" not in await console.say("/habits")


async def test_a_group_s_talk_is_not_an_answer(console: ConsoleSession) -> None:
    await _book(console)
    await console.say(":chat group Runners")
    assert SERVES in await console.say("/newhabit Jog")
    assert await console.say("1") == ""
    await console.say(":chat dm")
    assert "←" not in await console.say("/lifebook")


async def test_a_typed_no_keeps_things_as_they_are(console: ConsoleSession) -> None:
    """'no' got "That isn't one of the choices" under Keep it / No, keep it; it is that answer.
    Where nothing is to be kept ("Did you mean"), it ends the question; a habit whose name
    starts with 'No' is never taken for it."""
    await console.say("/newhabit Jog", "/newhabit No sugar")
    assert "Remove Jog?" in await console.say("/deletehabit jog")
    assert await console.say("no") == bot("Kept Jog. Nothing changed.")  # as Keep it
    assert "Erase your HabitLink profile?" in await console.say("/deleteme")
    assert await console.say("Nope.") == bot("Nothing was erased. Your profile stays as it is.")
    await console.say("/deleteme")
    assert "Really erase everything?" in await console.say("1")
    assert await console.say("cancel") == bot("Nothing was erased. Your profile stays as it is.")
    assert "Did you mean: No sugar?" in await console.say("/done no sugr")
    assert await console.say("no") == bot("Okay, nothing changed.")
    assert await console.say("1") == HINT  # the question is over
    out = await console.say("/habits")
    assert "1. ○ Jog" in out and "0 of 2 done." in out  # kept, and nothing checked in
    await _book(console)
    assert SERVES in await console.say("/newhabit Swim")
    assert await console.say("no") == bot("“Swim” is not linked to your Lifebook.")
