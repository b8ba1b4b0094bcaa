"""A group's weekly summary follows the personal one: nothing to tell, nothing sent. A week
without a proof, a check-in or a learning in the group sent the same board of zeros, week after
week, to a group nobody uses. The clock starts at Monday 2026-03-23 09:00 UTC; the group's
summary comes on Sunday at 18:00 UTC."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_console_group_trial import red_jpeg
from tests.support.console import ConsoleSession


async def test_a_week_with_nothing_in_the_group_sends_no_board(console: ConsoleSession) -> None:
    """Alice and Bob have habits (due, and not done): still nothing happened in the group."""
    await console.say(":user Alice", "/newhabit Run", ":chat group Gym", "/newgroup Gym")
    await console.say(":user Bob", "/join", ":chat dm", "/newhabit Read")
    out = await console.say(":time 2026-03-29T18:01")
    assert "(message in group gym)" not in out
    assert "(message for alice)" in out and "(message for bob)" in out  # their own weeks


async def test_one_check_in_of_a_member_is_enough_for_a_board(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Run", ":chat group Gym", "/newgroup Gym")
    await console.say(":user Bob", "/join", ":chat dm", "/newhabit Read")
    await console.say(":time 2026-03-27T08:00", "/done read")
    out = await console.say(":time 2026-03-29T18:01")
    assert "(message in group gym)\nbot: Gym · week of Mon 23 Mar" in out
    assert "Bob                 0        1/7" in out
    # The next week nobody does anything: no board.
    assert "(message in group gym)" not in await console.say(":time 2026-04-05T18:01")


async def test_a_proof_or_a_learning_alone_is_enough_for_a_board(
    console: ConsoleSession, tmp_path: Path
) -> None:
    await console.say(":user Alice", ":chat group Gym", "/newgroup Gym")
    await console.say(f":photo {red_jpeg(tmp_path)} morning run")
    out = await console.say(":time 2026-03-29T18:01")
    assert "1 proof this week from 1 member." in out
    await console.say(":time 2026-04-01T12:00", "/learn Shoes by the door")
    out = await console.say(":time 2026-04-05T18:01")
    assert "(message in group gym)\nbot: Gym · week of Mon 30 Mar" in out
    assert "0 proofs this week from 1 member." in out
    assert "(message in group gym)" not in await console.say(":time 2026-04-12T18:01")


async def test_board_and_summary_on_demand_still_answer_in_a_quiet_week(
    console: ConsoleSession,
) -> None:
    """Asked for, the board is always shown: only the unasked weekly one is held back."""
    await console.say(":user Alice", ":chat group Gym", "/newgroup Gym")
    assert "0 proofs this week from 1 member." in await console.say("/board")
    assert "0 proofs this week from 1 member." in await console.say("/summary")
