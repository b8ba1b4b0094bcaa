"""When a guided flow stops waiting for its answer: another command ends it (as /cancel would),
and one left unanswered expires after FLOW_TTL, so a later message is never taken as its answer.

Every test runs on SQLite and PostgreSQL, with the flow cache in this process's memory and in
the real Redis (as production's, which answers "nothing known" when Redis is down). The clock
starts at Monday 2026-03-23 09:00 UTC; expiry follows the injected clock in both caches.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import SettableClock
from core.db.engine import Database
from core.flows import FlowStore, MemoryFlowStore
from core.flows.base import DEFAULT_TTL_SECONDS
from core.flows.redis import RedisFlowStore
from core.flows.resilient import ResilientFlowStore
from core.media.storage import LocalMediaStore
from tests.conftest import redis_for_test
from tests.support.bots import make_bot
from tests.support.console import ConsoleSession, bot

HINT = bot("Send /help to see what I can do, or /habits for today's list.")
NO_HABITS = bot("You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages.")
VISION_ASKED = "Your vision: how do you want your life to look in three to five years?"
NOTHING_TO_CANCEL = bot("There's nothing to cancel.")
SETUP_STOPPED = "Stopped the habit setup; nothing of it was saved."


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def flows(request: pytest.FixtureRequest, clock: SettableClock) -> AsyncIterator[FlowStore]:
    if request.param == "memory":
        yield MemoryFlowStore(clock)
        return
    async with redis_for_test() as (client, prefix):
        yield ResilientFlowStore(RedisFlowStore(client, prefix=prefix, clock=clock))


@pytest.fixture
def console(
    database: Database,
    clock: SettableClock,
    media: LocalMediaStore,
    flows: FlowStore,
    tmp_path: Path,
) -> ConsoleSession:
    chat = make_bot(database, clock, media=media, flows=flows)
    return ConsoleSession(chat, clock, tmp_path / "console-media")


def test_a_flow_waits_half_an_hour() -> None:
    assert DEFAULT_TTL_SECONDS == 30 * 60


# --- another command ends the flow ---------------------------------------------------------
async def test_another_command_ends_the_flow(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Read")
    assert await console.say("/habits") == bot(  # the command runs as ever, and says so
        SETUP_STOPPED,
        "",
        "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages.",
    )
    assert await console.say("daily") == HINT  # not the schedule of a setup any more
    assert await console.say("/habits") == NO_HABITS
    assert await console.say("/cancel") == NOTHING_TO_CANCEL


async def test_a_command_that_fails_still_ends_the_flow(console: ConsoleSession) -> None:
    """It says so as any other command does: the person's half-done answers are gone."""
    await console.say("/newhabit Run", "/lifebook vision")
    assert await console.say("/done swim") == bot(
        "Stopped the Lifebook edit; nothing of it was saved.",
        "",
        "I can't find a habit called 'swim'.",
    )
    assert await console.say("Healthy and calm") == HINT
    assert "Healthy and calm" not in await console.say("/lifebook")


async def test_a_refused_invite_code_says_the_setup_stopped(console: ConsoleSession) -> None:
    """A new user's trial: /join with a wrong code in the middle of /newhabit ended the setup
    without a word, and the title typed next was answered with the help hint."""
    await console.say("/newhabit", "Jog")
    assert await console.say("/join zzzz") == bot(
        SETUP_STOPPED,
        "",
        "That invite code doesn't match any group. Check it with the member who sent it.",
    )
    assert await console.say("daily") == HINT
    assert await console.say("/habits") == NO_HABITS


async def test_a_command_for_another_kind_of_chat_ends_the_flow_too(
    console: ConsoleSession,
) -> None:
    """/board works in groups only: refused in a private chat, it still ended nothing and the
    setup kept waiting, unlike every other command that fails."""
    await console.say("/newhabit", "Jog")
    assert await console.say("/board") == bot(SETUP_STOPPED, "", "/board works in a group chat.")
    assert await console.say("daily") == HINT


async def test_a_command_that_starts_a_flow_replaces_the_one_open(console: ConsoleSession) -> None:
    await console.say("/lifebook guide")
    out = await console.say("/newhabit")
    assert out.startswith("bot: Stopped the Lifebook edit; nothing of it was saved.\n")
    assert "1/8 What habit do you want to build?" in out
    await console.say("Read")
    assert await console.say("/newhabit") == bot(  # the same setup afresh: the answer is gone
        "Started the habit setup again; your earlier answers were not saved.",
        "",
        "Let's build a habit. Send /cancel to stop at any time.",
        "",
        "1/8 What habit do you want to build?",
        "For example: Read 10 pages",
    )
    assert "2/8 How often?" in await console.say("Stretch")
    await console.say("/cancel")
    assert "Stretch" not in await console.say("/lifebook")


async def test_a_one_line_newhabit_ends_the_lifebook_guide(console: ConsoleSession) -> None:
    await console.say("/lifebook guide", "Healthy and calm")
    out = await console.say("/newhabit Run")
    assert out.startswith("bot: Stopped the Lifebook edit; nothing of it was saved.\n")
    assert "Created Run, every day." in out
    assert await console.say("health, calm") == HINT
    assert "Healthy and calm" not in await console.say("/lifebook")


async def test_what_stays_with_the_flow(console: ConsoleSession) -> None:
    """A bare /skip is the step's answer, an unknown command (a typo) runs nothing and the
    question still waits, and /cancel stops it."""
    await console.say("/newhabit", "Read", "daily")
    assert "4/8 Who are you becoming?" in await console.say("/skip")
    assert "I don't know /skp." in await console.say("/skp")
    assert "5/8 What is the smallest version" in await console.say("I am a reader")
    assert await console.say("/cancel") == bot("Cancelled. Nothing was saved.")
    assert await console.say("one page") == HINT
    assert await console.say("/habits") == NO_HABITS


async def test_a_command_in_another_chat_leaves_the_flow_alone(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Read")
    out = await console.say(":chat group Runners", "/groupinfo", ":chat dm")
    assert "Stopped" not in out
    assert "3/8 Why does it matter to you?" in await console.say("daily")


# --- an unanswered flow expires ------------------------------------------------------------
async def test_an_unanswered_vision_is_not_saved_from_a_later_hello(
    console: ConsoleSession, clock: SettableClock
) -> None:
    assert VISION_ASKED in await console.say("/lifebook vision")
    clock.advance(timedelta(minutes=31))
    assert await console.say("hello") == expired("lifebook")
    assert "hello" not in await console.say("/lifebook")


async def test_each_answer_gives_the_next_step_its_own_half_hour(
    console: ConsoleSession, clock: SettableClock
) -> None:
    await console.say("/newhabit")
    clock.advance(timedelta(minutes=29))
    assert "2/8 How often?" in await console.say("Read")
    clock.advance(timedelta(minutes=29))
    assert "3/8 Why does it matter to you?" in await console.say("daily")
    clock.advance(timedelta(minutes=30))
    assert await console.say("To learn") == expired("newhabit")
    assert await console.say("/cancel") == NOTHING_TO_CANCEL
    assert await console.say("/habits") == NO_HABITS


# --- a late answer is told, once, that its question expired ----------------------------------
def expired(start: str) -> str:
    return bot(
        f"That question expired after 30 minutes; nothing was saved. Send /{start} to start again."
    )


async def test_a_late_answer_is_told_once_that_the_question_expired(
    console: ConsoleSession, clock: SettableClock
) -> None:
    """A new user's trial: the answer typed after a break got the help hint, as if the bot
    had never asked anything."""
    await console.say("/newhabit", "Read")
    clock.advance(timedelta(minutes=45))
    assert await console.say("daily") == expired("newhabit")
    assert await console.say("daily") == HINT  # told once
    clock.advance(timedelta(hours=2))  # the caches have long forgotten the person
    assert await console.say("daily") == HINT
    assert await console.say("/habits") == NO_HABITS


async def test_a_late_command_is_that_command(
    console: ConsoleSession, clock: SettableClock
) -> None:
    """A command after the question expired runs as itself (no note, nothing stopped), and
    the expired question is not brought up later."""
    await console.say("/newhabit", "Read")
    clock.advance(timedelta(minutes=31))
    assert await console.say("/habits") == NO_HABITS
    clock.advance(timedelta(hours=1))
    assert await console.say("daily") == HINT
    await console.say("/lifebook guide")
    clock.advance(timedelta(minutes=31))
    out = await console.say("/skip")  # the guide's bare /skip, late: its answer, told
    assert out == expired("lifebook")


async def test_an_answer_a_day_late_gets_the_hint(
    console: ConsoleSession, clock: SettableClock
) -> None:
    await console.say("/lifebook vision")
    clock.advance(timedelta(days=1, minutes=31))
    assert await console.say("Healthy and calm") == HINT


async def test_a_late_answer_in_a_group_is_told_too(
    console: ConsoleSession, clock: SettableClock
) -> None:
    await console.say(":chat group Runners", "/newhabit")
    clock.advance(timedelta(minutes=31))
    assert await console.say("Read") == expired("newhabit")
    assert await console.say("Read") == ""


async def test_a_habit_edit_stopped_by_a_command_is_named_as_one(console: ConsoleSession) -> None:
    await console.say("/newhabit Run", "/edithabit run")
    assert "Send the new title for Run." in await console.say(":press 1")
    out = await console.say("/habits")
    assert out.startswith(bot("Stopped the habit edit; nothing of it was saved."))
    assert await console.say("Jog") == HINT


async def test_addtool_again_during_its_setup_says_the_answers_went(
    console: ConsoleSession,
) -> None:
    await console.say("/addtool", "Box breathing")
    assert await console.say("/addtool") == bot(
        "Started the new tool again; your earlier answers were not saved.",
        "",
        "Let's add a tool to the Toolbox. Send /cancel to stop.",
        "",
        "1/4 What is the technique called? (3–80 characters)",
        "For example: Walk-and-talk calls",
    )
    assert "2/4" in await console.say("Walk-and-talk calls")  # the setup goes on afresh
