"""/export and /deleteme in a private chat (console); /export through Telegram's sendDocument."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import FlowRecord, Group, User
from tests.support.console import ConsoleSession


async def test_export_sends_the_whole_document_as_a_file(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/done read")
    out = await console.say("/export")
    found = re.search(r"\[file (\S+)\]", out)
    assert found, out
    document = json.loads(await asyncio.to_thread(Path(found.group(1)).read_text))
    assert document["format"] == "habitlink-export/1"
    assert document["identities"][0]["platform"] == "console"
    assert document["habits"][0]["checkins"] == [
        {"date": "2026-03-23", "status": "done", "was_skipped": False}
    ]
    assert "works in a private chat" in await console.say(":chat group Runners", "/export")


async def test_export_says_which_done_replaced_a_skip(console: ConsoleSession) -> None:
    """A done that replaced the day's skip (habit_logs.was_skipped, migration 0035) is marked in
    the export: undoing it gives the skip back, and the file used to lose that."""
    await console.say("/newhabit Read", "/skip read", "/done read", "/done read yesterday")
    out = await console.say("/export")
    found = re.search(r"\[file (\S+)\]", out)
    assert found, out
    document = json.loads(await asyncio.to_thread(Path(found.group(1)).read_text))
    assert document["habits"][0]["checkins"] == [
        {"date": "2026-03-22", "status": "done", "was_skipped": False},
        {"date": "2026-03-23", "status": "done", "was_skipped": True},
    ]


async def test_export_reply_says_what_the_file_holds(console: ConsoleSession) -> None:
    """The reply used to list a fixed set of parts, never the Lifebook or shared tools, though
    the file has them; it now says what this person's file holds."""
    await console.say("/newhabit Read", "/done read", "/remind read 07:30", "/usetool woop read")
    await console.say("/lifebook vision Calm and strong")
    await console.say("/addtool", "Walk-and-talk calls")
    await console.say("Take calls while walking, so catching up also moves you.")
    await console.say("Pick the calls\nPut on shoes first\nWalk until you hang up", "walking")
    out = await console.say("/export")
    assert (
        "Everything HabitLink holds about you: your profile and settings, 1 account, 1 habit "
        "with 1 check-in, 1 reminder, the 1 technique your habits use, your Lifebook and 1 tool "
        "you shared in the Toolbox.\n"
    ) in out
    await console.say(":user Newcomer")
    out = await console.say("/export")
    assert "about you: your profile and settings and 1 account.\n" in out
    out = await console.say("/newhabit Swim", "/export")
    assert "about you: your profile and settings, 1 account and 1 habit with no check-ins.\n" in out


async def test_deleteme_asks_twice_then_erases(console: ConsoleSession, database: Database) -> None:
    await console.say("/newhabit Read", ":chat group Runners", "/newgroup Runners")
    await console.say(":user Mia", ":chat group Runners", "/join")
    await console.say(":user you", ":chat dm")
    asked = await console.say("/deleteme")
    assert "Erase your HabitLink profile?" in asked
    kept = await console.say(":press 2")
    assert "Nothing was erased" in kept
    await console.say("/deleteme", ":press 1")
    again = await console.say(":press 1")  # the second question's first button erases
    assert "Your profile is erased" in again
    async with database.session() as session:
        names = list(await session.scalars(select(User.display_name)))
        group = (await session.scalars(select(Group))).one()
        owner = await session.get(User, group.owner_id)
        assert names == ["Mia"] and owner is not None and owner.display_name == "Mia"
        assert await session.scalar(select(func.count()).select_from(User)) == 1
    assert "no habits" in (await console.say("/habits")).lower()


async def test_deleteme_ends_the_guided_flows_under_way(
    console: ConsoleSession, database: Database
) -> None:
    """Erased mid-/newhabit: the next message starts afresh, as the erasure says, instead of
    answering the erased profile's question (with its half-typed title still kept). No flow of
    the person is left in the database either (another chat's, read after a restart)."""
    await console.say(":chat group Runners", "/newhabit")  # a flow in the group chat too
    await console.say(":chat dm", "/newhabit", "Secret morning ritual")  # at step 2/8 in the DM
    await console.say("/deleteme", ":press 1")
    assert "Your profile is erased" in await console.say(":press 1")
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(FlowRecord)) == 0
    assert await console.say("Every day") == (
        "bot: Send /help to see what I can do, or /habits for today's list.\n"
    )
    assert "no habits" in (await console.say("/habits")).lower()
    # The group chat's flow ended too: a reply there is no answer to its first question.
    assert await console.say(":chat group Runners", "Read") == "(group chat Runners)\n"
    assert "no habits" in (await console.say("/habits")).lower()


async def test_deleteme_says_the_lifebook_goes_and_shared_tools_stay(
    console: ConsoleSession,
) -> None:
    """A new user's trial: the question listed habits, reminders, proofs and the rest, not the
    Lifebook it erases, nor the tools shared in the Toolbox, which stay there for everyone
    without the person's name (as /export now lists both)."""
    await console.say("/lifebook vision Calm and strong", "/addtool Box breathing")
    await console.say("Breathe in for four, hold for four, out for four.")
    await console.say("Sit upright; Breathe in for 4; Hold for 4; Breathe out for 4", "calm")
    asked = await console.say("/deleteme")
    assert (
        "Your habits and check-ins, Lifebook, reminders, proofs, learnings, likes and trusts "
        "are deleted, on every linked account and the web. Tools you shared stay in the "
        "Toolbox, without your name. Groups you own pass to another member."
    ) in asked
    await console.say(":press 1", ":press 1")
    shown = await console.say(":user Mia", "/tool box breathing")
    assert "Shared by a former member." in shown
