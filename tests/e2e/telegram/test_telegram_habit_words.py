"""HABIT by any word of its title, buttons to pick one; and what people wrote shown exactly
(a command name inside a title or a learning stays as typed)."""

from __future__ import annotations

from tests.e2e.telegram.conftest import TelegramHarness
from tests.e2e.telegram.test_telegram_commands import labels, press_and_collect, text
from tests.e2e.telegram.test_telegram_social import runners


async def test_a_habit_by_any_word_and_buttons_that_do_the_command(
    telegram: TelegramHarness,
) -> None:
    await telegram.say("/newhabit Drink water")
    (done,) = await telegram.say("/done WATER")
    assert text(done) == "✓ Drink water done today. Streak 1 day, day 1 of 66."
    await telegram.say("/newhabit Water plants")
    (which,) = await telegram.say("/done water yesterday")
    assert text(which) == "'water' matches 2 habits.\nWhich one: Drink water, Water plants?"
    assert labels(which) == ["Drink water", "Water plants"]
    answer, (did,) = await press_and_collect(telegram, which, "Water plants")
    assert answer is None
    assert text(did) == "✓ Water plants done yesterday. Streak 1 day, day 1 of 66."
    # (Drink water is done today, and a skip never replaces a done: yesterday's is open, and
    # within its history once a done two days ago starts it there.)
    await telegram.say("/done drink -2")
    (nothing,) = await telegram.say("/skip drnk yesterday")
    assert text(nothing) == "I can't find a habit called 'drnk'.\nDid you mean: Drink water?"
    _, (skipped,) = await press_and_collect(telegram, nothing, "Drink water")
    assert text(skipped).startswith("Skipped Drink water yesterday.")


async def test_command_names_in_what_people_wrote_stay_as_typed(
    telegram: TelegramHarness,
) -> None:
    (created,) = await telegram.say("/newhabit I check /stats at night")
    assert text(created).startswith("Created I check /stats at night, every day.")
    (listing,) = await telegram.say("/habits")
    assert "1. ○ I check /stats at night — streak 0 days" in text(listing)
    group, _ = await runners(telegram)
    (card,) = await telegram.say("/learn Send /done and /habits <i>daily</i>", chat=group)
    assert card.plain_text == (
        "💡 Alice shared a learning in Runners:\nSend /done and /habits <i>daily</i>\n👍 0 likes"
    )


async def test_which_habit_is_answered_by_typing_too(telegram: TelegramHarness) -> None:
    """For a client that shows no buttons: the habit's number among them, or its name, typed."""
    await telegram.say("/newhabit Drink water")
    await telegram.say("/newhabit Water plants")
    (which,) = await telegram.say("/done water yesterday")
    assert labels(which) == ["Drink water", "Water plants"]
    (did,) = await telegram.say("2")
    assert text(did) == "✓ Water plants done yesterday. Streak 1 day, day 1 of 66."
    (nothing,) = await telegram.say("/skip drnk")
    assert text(nothing) == "I can't find a habit called 'drnk'.\nDid you mean: Drink water?"
    (skipped,) = await telegram.say("drink water")
    assert text(skipped).startswith("Skipped Drink water today.")
    (which,) = await telegram.say("/undo water")
    (undone,) = await telegram.say("#1")  # a number written as in "/done #1"
    assert text(undone).startswith("Undone: Drink water"), text(undone)
