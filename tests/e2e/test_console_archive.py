"""Archived habits through the console: /archived lists them with their history and a Restore
button each; /restore HABIT (a number from /archived, a name or a word of it) and the button bring
one back with everything it had; a restore that would break a rule changes nothing.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot

NOTHING = (
    "You have no archived habits. /deletehabit offers to archive one: it leaves your list and "
    "keeps its history."
)
FOOTER = ("", "Restore one with its button, or /restore NAME.")
GONE = "(notice: That habit isn't archived (any more). Send /archived for the list.)\n"


async def archive(console: ConsoleSession, ref: str) -> None:
    """/deletehabit REF, then its Archive button."""
    out = await console.say(f"/deletehabit {ref}", ":press 1")
    assert "Its history is kept." in out, out


def stats_text(out: str) -> str:
    """/stats HABIT's text reply, without the heatmap's picture (a new file each time)."""
    return out.split("bot: [image ")[0]


# --- /archived ------------------------------------------------------------------------------
async def test_nothing_archived_gets_a_friendly_reply(console: ConsoleSession) -> None:
    for line in ("/archived", "/restore", "/restore read", "/restore 1"):
        assert await console.say(line) == bot(NOTHING), line
    await console.say("/newhabit Read")  # active habits are not archived ones
    assert await console.say("/restore read") == bot(NOTHING)
    assert await console.say("/archived") == bot(NOTHING)


async def test_archived_lists_them_with_their_history_newest_first(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read", "/newhabit Run 3x", "/newhabit Swim")
    await console.say("/done read", "/done read yesterday", "/done read -2", "/done run")
    await archive(console, "read")
    await console.say(":time 2026-03-25T10:00")
    await archive(console, "run")
    assert await console.say("/archived") == bot(
        "Archived habits · 2",
        "1. Run — 1 done, best streak 0 weeks · archived Wed 25 Mar",
        "2. Read — 3 done, best streak 3 days · archived Mon 23 Mar",
        *FOOTER,
        "[1] ↺ Restore Run",
        "[2] ↺ Restore Read",
    )
    # /habits and its numbers know only the active habit.
    assert "1. ○ Swim" in await console.say("/habits")
    assert "Read" not in await console.say("/habits")
    # A bare /restore asks which, with the same list.
    assert await console.say("/restore") == await console.say("/archived")
    out = await console.say("/help")
    assert "/archived – Your archived habits, with a button to restore each" in out
    assert "/restore – Bring an archived habit back, with its history" in out


async def test_a_long_list_comes_in_pages(console: ConsoleSession) -> None:
    for i in range(1, 13):
        await console.say(f"/newhabit Habit {i:02d}")
        await archive(console, f"habit {i:02d}")
    out = await console.say("/archived")
    assert out.startswith(bot("Archived habits · 12 · page 1/2", "1. Habit 12 — 0 done")[:-1])
    assert console.buttons[-1] == "Next ▶" and len(console.buttons) == 11
    out = await console.say(":press 11")
    assert out.startswith(bot("Archived habits · 12 · page 2/2", edited=True)[:-1])
    assert "\n     11. Habit 02 — 0 done" in out and "\n     12. Habit 01 — 0 done" in out
    assert console.buttons == ["↺ Restore Habit 02", "↺ Restore Habit 01", "◀ Previous"]
    # The numbers go on across pages: /restore 12 is the twelfth.
    assert (await console.say("/restore 12")).startswith("bot: Restored Habit 01.")
    page_one = [
        f"{n}. Habit {13 - n:02d} — 0 done, best streak 0 days · archived Mon 23 Mar"
        for n in range(1, 11)
    ]
    assert await console.say("/archived") == bot(
        "Archived habits · 11 · page 1/2",
        *page_one,
        *FOOTER,
        *[f"[{n}] ↺ Restore Habit {13 - n:02d}" for n in range(1, 11)],
        "[11] Next ▶",
    )
    await console.say(":press 11")
    # Restoring the last one on page 2 leaves one page: the list shows it.
    assert await console.say(":press 1") == bot(
        "Restored Habit 02. It's back in /habits with its history: 0 done, best streak 0 days.",
        "",
        "Archived habits · 10",
        *page_one,
        *FOOTER,
        *[f"[{n}] ↺ Restore Habit {13 - n:02d}" for n in range(1, 11)],
        edited=True,
    )


# --- /restore -------------------------------------------------------------------------------
async def test_restore_brings_it_back_with_the_same_stats(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Run", "/done read -3", "/skip read -2")
    await console.say("/done read yesterday", "/done read", "/edithabit read cue the book")
    before = stats_text(await console.say("/stats read"))
    assert "Current streak: 3 days · best: 3 days" in before
    await archive(console, "read")
    assert await console.say("/done read") == bot("I can't find a habit called 'read'.")
    assert await console.say("/restore read") == bot(
        "Restored Read. It's back in /habits with its history: 3 done, best streak 3 days."
    )
    assert stats_text(await console.say("/stats read")) == before
    # Last on the list, so Run keeps its number; its card kept every field.
    out = await console.say("/habits")
    assert "1. ○ Run — streak 0 days" in out and "2. ✓ Read — streak 3 days" in out
    assert "Cue: the book" in await console.say("/edithabit read")
    await console.say("/cancel")
    assert await console.say("/archived") == bot(NOTHING)
    assert (await console.say("/undo 2")).startswith("bot: Undone")  # it is a habit like any


async def test_days_away_neither_keep_nor_break_the_streak(console: ConsoleSession) -> None:
    """The days a habit spent archived are neutral, like skipped days: after ten days away its
    streak, strength and rates are where they were, the tracker shows no misses for them, and
    today (the day it came back) is due as any day."""
    await console.say("/newhabit Read")
    for k in range(4, 0, -1):
        await console.say(f"/done read -{k}")
    await console.say("/done read")  # Mon 23 Mar, done before archiving: it keeps counting
    before = stats_text(await console.say("/stats read"))
    assert "Current streak: 5 days · best: 5 days" in before
    await archive(console, "read")
    await console.say(":time 2026-04-02T19:00")  # Thursday, ten days later, in the evening
    assert await console.say("/restore read") == bot(
        "Restored Read. It's back in /habits with its history: 5 done, best streak 5 days."
    )
    out = stats_text(await console.say("/stats read"))
    assert "Current streak: 5 days · best: 5 days\n" in out, out
    assert "Progress: day 5 of 66\n" in out
    # Nothing was due in the last 7 days but today, still open; the 30 days had no miss.
    assert "Done in the last 7 days: – · 30 days: 100%\n" in out
    # The tracker shows the days away as nothing owed ("-"), not as misses.
    assert " Read           - - - ○\n" in await console.say("/week")
    assert " Read           ✓ - - - - - -\n" in await console.say("/week last")
    assert "1. ○ Read — streak 5 days" in await console.say("/habits")  # due today, open
    # This week owes Thursday to Sunday: Monday to Wednesday were away.
    assert "• Read: 0/4 this week · streak 5 days · day 5 of 66\n" in await console.say("/summary")
    assert await console.say("/done read") == bot("✓ Read done today. Streak 6 days, day 6 of 66.")
    # Loop's strength after six done days in a row, 1 - 0.5^(6/13): the ten days did not
    # lower it (missed, they would have: 18%).
    assert "Habit strength: 23%\n" in before
    out = stats_text(await console.say("/stats read"))
    assert "Habit strength: 27%\n" in out and "Done in the last 7 days: 100%" in out, out
    # A day it was away may still be checked in, up to 7 days back, as for any habit.
    assert await console.say("/done read yesterday") == bot(
        "✓ Read done yesterday. Streak 7 days, day 7 of 66."
    )


async def test_archived_twice_both_stays_away_are_neutral(console: ConsoleSession) -> None:
    await console.say("/newhabit Run 3x", "/done run -2", "/done run yesterday", "/done run")
    await archive(console, "run")  # Mon 23 Mar; that week: three done, met
    await console.say(":time 2026-04-02T09:00", "/restore run", "/done run")  # Thu 2 Apr
    await archive(console, "run")
    await console.say(":time 2026-04-13T09:00", "/restore run")  # Mon 13 Apr
    out = await console.say("/stats run")
    # Its weeks owe at most their days not away: the two days of 16 Mar (it started Sat 21)
    # owed two, the weeks of 23 and 30 Mar one each (a done day before each archiving), the
    # week of 6 Apr nothing; the week of 13 Apr has just begun.
    assert "Current streak: 3 weeks · best: 3 weeks\n" in out, out
    assert "Done in the last 7 days: – · 30 days: 100%\n" in out


async def test_archived_and_restored_the_same_day_changes_nothing(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read", "/done read -2", "/done read yesterday")
    await archive(console, "read")
    await console.say(":time 2026-03-23T22:00", "/restore read")
    await console.say(":time 2026-03-24T09:00")
    # Mon 23 Mar, archived and restored that day, was due and not done: the streak ended.
    assert "Current streak: 0 days · best: 2 days" in await console.say("/stats read")
    assert " Read           ✗ ○\n" in await console.say("/week")


async def test_restore_by_number_word_and_the_which_one_buttons(console: ConsoleSession) -> None:
    await console.say("/newhabit Read news", "/newhabit Read a book", "/newhabit Swim")
    await archive(console, "news")
    await archive(console, "book")
    await archive(console, "swim")
    # Numbers are /archived's: 1 is the last archived.
    assert (await console.say("/restore 1")).startswith("bot: Restored Swim.")
    assert await console.say("/restore 3") == bot(
        "There is no archived habit number 3; you have 2 (see /archived)."
    )
    assert await console.say("/restore swim") == bot(
        "I can't find an archived habit called 'swim'."  # active now: not among the archived
    )
    assert await console.say("/restore reed") == bot(
        "I can't find an archived habit called 'reed'.",
        "Did you mean: Read a book, Read news?",
        "[1] Read a book",
        "[2] Read news",
    )
    assert await console.say("/restore read") == bot(
        "'read' matches 2 archived habits.",
        "Which one: Read a book, Read news?",
        "[1] Read a book",
        "[2] Read news",
    )
    assert await console.say(":press 2") == bot(
        "Restored Read news. It's back in /habits with its history: 0 done, best streak 0 days."
    )
    out = await console.say("/habits")
    assert "1. ○ Swim" in out and "2. ○ Read news" in out and "book" not in out


async def test_the_restore_button_redraws_the_list(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Run", "/done run")
    await archive(console, "read")
    await archive(console, "run")
    await console.say("/archived")
    stale = list(console.adapter.buttons)
    assert await console.say(":press 1") == bot(
        "Restored Run. It's back in /habits with its history: 1 done, best streak 1 day.",
        "",
        "Archived habits · 1",
        "1. Read — 0 done, best streak 0 days · archived Mon 23 Mar",
        *FOOTER,
        "[1] ↺ Restore Read",
        edited=True,
    )
    assert await console.say(":press 1") == bot(
        "Restored Read. It's back in /habits with its history: 0 done, best streak 0 days.",
        edited=True,
    )
    console.adapter.buttons = stale  # the first list is still on screen
    assert await console.say(":press 1") == GONE
    assert "2 of 2" not in (out := await console.say("/habits")) and "1. ○ Run" not in out
    assert "1. ✓ Run" in out and "2. ○ Read" in out


async def test_others_cannot_press_my_restore_button(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Read")
    await archive(console, "read")
    await console.say(":chat group Runners", "/archived")
    assert await console.say(":user Bob", ":press 1") == "(you are now Bob)\n" + GONE
    assert "1. Read" in await console.say(":user Alice", ":chat dm", "/archived")


# --- refusals: nothing changes ----------------------------------------------------------------
async def test_an_active_habit_with_the_same_title_keeps_it_archived(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read", "/done read")
    await archive(console, "read")
    await console.say("/newhabit  READ ")  # archived titles do not count for a new habit
    refusal = bot(
        "You already have a habit called “READ”, so Read can't come back beside it. Rename that "
        "one with /edithabit, or remove it with /deletehabit, then restore this one."
    )
    assert await console.say("/restore read") == refusal
    await console.say("/archived")
    assert await console.say(":press 1") == refusal  # the button says the same
    out = await console.say("/archived")
    assert "1. Read — 1 done" in out
    assert "1. ○ READ" in (out := await console.say("/habits")) and "2." not in out
    # Renamed, the other one makes room.
    await console.say("/edithabit read title Read more")
    assert (await console.say("/restore read")).startswith("bot: Restored Read.")
    assert "1. ○ Read more" in (out := await console.say("/habits")) and "2. ✓ Read" in out


async def test_the_fifty_active_habits_limit_holds(console: ConsoleSession) -> None:
    await console.say("/newhabit Spare")
    await archive(console, "spare")
    for i in range(50):
        await console.say(f"/newhabit Habit {i:02d}")
    assert await console.say("/restore spare") == bot(
        "You already have 50 habits, so Spare can't come back yet. Archive or delete one with "
        "/deletehabit first."
    )
    assert "1. Spare" in await console.say("/archived")
    await archive(console, "habit 07")
    assert (await console.say("/restore spare")).startswith("bot: Restored Spare.")
    assert "50. ○ Spare" in await console.say("/habits")


# --- reminders --------------------------------------------------------------------------------
async def test_reminders_come_back_at_their_next_time_in_todays_zone(
    console: ConsoleSession,
) -> None:
    await console.say(":user Alice", "/newhabit Read", "/remind read 07:30")
    await archive(console, "read")
    assert await console.say(":time 2026-03-24T08:00") == "(clock: Tue 2026-03-24 08:00 UTC)\n"
    assert "no reminders" in (await console.say("/reminders")).lower()
    await console.say("/timezone Europe/Berlin")  # moved while the habit was away
    assert await console.say("/restore read") == bot(
        "Restored Read. It's back in /habits with its history: 0 done, best streak 0 days. "
        "Its reminder is on again (/reminders)."
    )
    assert "1. 07:30 every day · Read" in await console.say("/reminders")
    # Nothing late for the morning it was away; the next one at 07:30 in Berlin (06:30 UTC).
    assert await console.say(":time 2026-03-25T06:29") == "(clock: Wed 2026-03-25 06:29 UTC)\n"
    out = await console.say(":time 2026-03-25T06:30")
    assert "(message for alice)\nbot: ⏰ Time for Read" in out
