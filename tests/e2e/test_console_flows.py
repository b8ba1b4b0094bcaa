"""Creating, editing and removing habits through the console: /newhabit (one line and the
guided eight steps), /edithabit and /deletehabit, with typed answers and buttons.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession

INDENT = "     "
NO_HABITS = "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages."
TOO_LONG_TITLE = "The habit's name is too long (at most 100 characters)."
SKIP_SAVE = "[1] Skip this  [2] Save now"


def bot(*lines: str, edited: bool = False) -> str:
    """One reply exactly as the console prints it."""
    lead = "bot (edited): " if edited else "bot: "
    return "\n".join([lead + lines[0], *(INDENT + line for line in lines[1:])]) + "\n"


def step(n: int, lead: str = "") -> str:
    """The guided flow's question n (1-8) as the console prints it, after an optional lead."""
    question, example = QUESTIONS[n - 1]
    lines = (lead + f"{n}/8 {question}").split("\n")
    lines.append(f"For example: {example}")
    if n == 2:
        lines.append("[1] Every day  [2] Weekdays  [3] 3× a week")
    elif n > 2:
        lines.append(SKIP_SAVE)
    return bot(*lines)


QUESTIONS = (
    ("What habit do you want to build?", "Read 10 pages"),
    ("How often? Tap a choice or type days such as 'mon wed fri'.", "daily, weekdays, 3x"),
    ("Why does it matter to you?", "I want to think more clearly"),
    ("Who are you becoming? Finish the sentence 'I am…'", "I am a reader"),
    ("What is the smallest version for a bad day?", "one page"),
    (
        "When and where will you do it? 'After/At …, I will … in …'",
        "After dinner, I will read on the sofa",
    ),
    ("What will remind you? (the cue)", "the book on my pillow"),
    ("How will you reward yourself? (the reward)", "a cup of tea"),
)
INTRO = "Let's build a habit. Send /cancel to stop at any time.\n\n"
READY_END = ("", "Check in with /habits. Small and daily beats big and rare.")


# --- /newhabit in one line -----------------------------------------------------------------
async def test_newhabit_in_one_line(console: ConsoleSession) -> None:
    assert await console.say("/newhabit   Read   10 pages ") == bot(
        "Created Read 10 pages, every day. Check in with /done read or /habits. "
        "Add why, identity and a cue with /edithabit."
    )
    # The suggested check-in command must find the habit: "read" alone would be ambiguous now.
    out = await console.say("/newhabit Read news")
    assert "Check in with /done read news or /habits." in out
    assert await console.say("/done read news") == bot(
        "✓ Read news done today. Streak 1 day, day 1 of 66."
    )
    # "read" is the habit Read, and in "/done read yesterday" the last word is the day.
    await console.say("/newhabit Read")
    assert "Check in with /done 4 or /habits." in await console.say("/newhabit Read yesterday")
    assert await console.say("/newhabit read NEWS") == bot(  # one title, one habit
        "You already have a habit called “Read news”. Give this one another name."
    )


async def test_newhabit_refuses_a_too_long_title(console: ConsoleSession) -> None:
    assert await console.say("/newhabit " + "x" * 101) == bot(TOO_LONG_TITLE)
    assert await console.say("/habits") == bot(NO_HABITS)
    assert "Created " + "x" * 100 + "," in await console.say("/newhabit " + "x" * 100)


# --- the guided flow -----------------------------------------------------------------------
async def test_guided_flow_through_all_eight_steps(console: ConsoleSession) -> None:
    assert await console.say("/newhabit") == step(1, INTRO)
    assert console.buttons == []
    assert await console.say("Read 10 pages") == step(2)
    assert console.buttons == ["Every day", "Weekdays", "3× a week"]
    assert await console.say("mon, wed and fri") == step(3)
    assert console.buttons == ["Skip this", "Save now"]
    assert await console.say("I want to think more clearly") == step(4)
    assert await console.say("I am a reader") == step(5)
    assert await console.say("one page") == step(6)
    assert await console.say("After dinner, I will read on the sofa") == step(7)
    assert await console.say("the book on my pillow") == step(8)
    assert await console.say("a cup of tea") == bot(
        "Your new habit is ready:",
        "",
        "Read 10 pages",
        "Schedule: Mon, Wed, Fri",
        "Why: I want to think more clearly",
        "Identity: I am a reader",
        "Minimal dose: one page",
        "When and where: After dinner, I will read on the sofa",
        "Cue: the book on my pillow",
        "Reward: a cup of tea",
        *READY_END,
    )
    assert console.buttons == []
    # The flow is over: plain text gets the usual hint, and the habit is stored.
    assert await console.say("thanks!") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )
    out = await console.say("/edithabit read")
    assert "When and where: After dinner, I will read on the sofa\n" in out
    assert "Schedule: Mon, Wed, Fri\n" in out


async def test_guided_flow_with_buttons_and_skips(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Gym")
    assert await console.say(":press 3") == step(3)  # 3× a week
    assert await console.say(":press 1") == step(4)  # Skip this
    assert await console.say("skip") == step(5)
    assert await console.say("-") == step(6)
    assert await console.say("SKIP") == step(7)
    assert await console.say("the shoes by the door") == step(8)
    assert await console.say(":press 1") == bot(
        "Your new habit is ready:",
        "",
        "Gym",
        "Schedule: 3 times a week",
        "Cue: the shoes by the door",
        *READY_END,
    )
    assert "1. · Gym — streak 0 weeks" in await console.say("/habits")


async def test_a_bare_skip_command_skips_a_step(console: ConsoleSession) -> None:
    """Telegram users type /skip in a bot's questions: a bare one is the step's 'skip', and
    /skip with a habit stays the command (another command: it ends the setup)."""
    await console.say("/newhabit Read", "/newhabit")
    assert await console.say("/skip") == step(1, "This one is needed. ")
    assert await console.say("Gym") == step(2)
    assert await console.say("3x") == step(3)
    assert await console.say("/skip") == step(4)
    assert await console.say("/skip") == step(5)
    assert await console.say(":press 2") == bot(
        "Your new habit is ready:", "", "Gym", "Schedule: 3 times a week", *READY_END
    )
    # With no setup under way, /skip is the command again.
    assert "To skip one, send /skip HABIT" in await console.say("/skip")
    await console.say("/newhabit", "Walk")
    assert await console.say("/skip read") == bot(
        "Stopped the habit setup; nothing of it was saved.",
        "",
        "Skipped Read today. Streak 0 days, still safe.",
    )
    assert "To skip one, send /skip HABIT" in await console.say("/skip")  # the command


async def test_guided_flow_save_now(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Meditate")
    assert await console.say(":press 2") == step(3)  # Weekdays
    assert await console.say("To calm down") == step(4)
    assert await console.say(":press 2") == bot(
        "Your new habit is ready:",
        "",
        "Meditate",
        "Schedule: Mon, Tue, Wed, Thu, Fri",
        "Why: To calm down",
        *READY_END,
    )
    # Saved once: the next text is not an answer any more.
    await console.say("I am calm")
    assert "1. ○ Meditate — streak 0 days\n" in await console.say("/habits")
    assert "2." not in await console.say("/habits")


async def test_guided_flow_needs_a_title_and_a_schedule(console: ConsoleSession) -> None:
    await console.say("/newhabit")
    assert await console.say("skip") == step(1, "This one is needed. ")
    assert await console.say("x" * 101) == step(1, TOO_LONG_TITLE + "\n\n")
    assert await console.say("Run") == step(2)
    assert await console.say("-") == step(2, "This one is needed. ")
    assert await console.say("sometimes") == step(
        2,
        "I can't read 'sometimes' as a schedule. Try 'daily', 'mon wed fri', 'weekdays' "
        "or '3x' (three times a week).\n\n",
    )
    assert await console.say("9x") == step(
        2, "A week has only 7 days, so a habit can be due up to 7× a week (7× is every day).\n\n"
    )
    assert await console.say("weekends") == step(3)
    assert await console.say("w" * 501) == step(
        3, "That is a bit long; keep it under 500 characters.\n\n"
    )
    out = await console.say(":press 2")
    assert "Run\n     Schedule: Sat, Sun\n" in out


async def test_cancel_in_the_middle_saves_nothing(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Read", ":press 1", "Because")
    assert await console.say("/cancel") == bot("Cancelled. Nothing was saved.")
    assert await console.say("/cancel") == bot("There's nothing to cancel.")
    assert await console.say("I am a reader") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )
    assert await console.say("/habits") == bot(NO_HABITS)


async def test_another_command_ends_the_flow(console: ConsoleSession) -> None:
    """As in Telegram's and Discord's bots: a command sent while a question waits stops it
    (saying so), and runs as ever; the answer that follows is not the question's any more."""
    await console.say("/newhabit Run", "/newhabit", "Read")
    out = await console.say("/habits")
    assert out.startswith("bot: Stopped the habit setup; nothing of it was saved.\n")
    assert "1. ○ Run — streak 0 days" in out
    out = await console.say("/done run", "/help done")
    assert "✓ Run done today." in out and "Stopped" not in out
    assert await console.say("daily") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )
    assert "Read" not in await console.say("/habits")


async def test_flow_button_after_the_flow_ended(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Read")
    assert console.buttons == ["Every day", "Weekdays", "3× a week"]
    # The same buttons pressed in another chat belong to no setup there.
    out = await console.say(":chat group Runners", ":press 1")
    assert out == (
        "(group chat Runners)\n(notice: That setup has ended. Start again with /newhabit.)\n"
    )
    # An abandoned setup is forgotten after an hour.
    out = await console.say(":chat dm", ":time 2026-03-23T10:30", ":press 1")
    assert out.endswith("(notice: That setup has ended. Start again with /newhabit.)\n")
    assert await console.say("daily") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )
    assert await console.say("/habits") == bot(NO_HABITS)


async def test_button_of_an_earlier_step(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Read")
    schedule_buttons = list(console.adapter.buttons)
    await console.say(":press 1", "To learn")  # now at step 4
    console.adapter.buttons = schedule_buttons  # the step-2 message is still on screen
    assert await console.say(":press 2") == ("(notice: That button belongs to an earlier step.)\n")
    assert await console.say("I am a reader") == step(5)


# --- /edithabit ----------------------------------------------------------------------------
async def test_edithabit_in_one_line(console: ConsoleSession) -> None:
    assert await console.say("/edithabit") == bot(
        "You have no habits to edit yet. Create one with /newhabit."
    )
    await console.say("/newhabit Read")
    assert await console.say("/edithabit read why Because") == bot(
        "Saved.", "", "Read", "Schedule: every day", "Why: Because"
    )
    assert await console.say("/edithabit 1 schedule mon wed") == bot(
        "Saved.", "", "Read", "Schedule: Mon, Wed", "Why: Because"
    )
    assert await console.say("/edithabit read schedule sometimes") == bot(
        "I can't read 'sometimes' as a schedule. Try 'daily', 'mon wed fri', 'weekdays' "
        "or '3x' (three times a week)."
    )
    assert await console.say("/edithabit read why -") == bot(
        "Saved.", "", "Read", "Schedule: Mon, Wed"
    )
    out = await console.say(
        "/edithabit read cue the book",
        "/edithabit read reward tea",
        "/edithabit read dose one page",
        "/edithabit read identity I am a reader",
        "/edithabit read intention After dinner",
    )
    assert out.endswith(
        bot(
            "Saved.",
            "",
            "Read",
            "Schedule: Mon, Wed",
            "Identity: I am a reader",
            "Minimal dose: one page",
            "When and where: After dinner",
            "Cue: the book",
            "Reward: tea",
        )
    )
    assert (await console.say("/edithabit read title Read books")).startswith(
        bot("Saved.", "", "Read books")
    )
    assert await console.say("/edithabit read title " + "x" * 101) == bot(TOO_LONG_TITLE)
    assert await console.say("/edithabit swim why x") == bot("I can't find a habit called 'swim'.")
    assert "1. ○ Read books — streak 0 days" in await console.say("/habits")


FIELD_BUTTONS = (
    "What do you want to change?",
    "[1] Title  [2] Schedule",
    "[3] Why it matters  [4] Identity goal",
    "[5] Minimal dose  [6] Implementation intention",
    "[7] Cue  [8] Reward",
)


async def test_edithabit_with_buttons(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Run")
    assert await console.say("/edithabit") == bot(
        "Which habit do you want to change?", "[1] 1. Read", "[2] 2. Run"
    )
    assert await console.say(":press 2") == bot(
        "Run", "Schedule: every day", "", *FIELD_BUTTONS, edited=True
    )
    assert await console.say(":press 3") == bot(
        "Send the new why it matters for Run. Send - to clear it. (/cancel to stop)"
    )
    assert await console.say("To be fit") == bot(
        "Saved.", "", "Run", "Schedule: every day", "Why: To be fit"
    )
    # The typed word is no longer taken as an answer.
    assert "Send /help" in await console.say("more text")
    # Schedule: a bad answer re-asks (the flow stays), a good one saves.
    await console.say("/edithabit run")
    assert await console.say(":press 2") == bot(
        "Send the new schedule for Run. For example: daily, weekdays, mon wed fri, 3x. "
        "(/cancel to stop)"
    )
    assert (await console.say("every other day")).startswith(
        bot("I can't read 'every other day' as a schedule.")[:-1]
    )
    assert await console.say("3x") == bot(
        "Saved.", "", "Run", "Schedule: 3 times a week", "Why: To be fit"
    )
    # Clearing with "-" through the flow, and cancelling a title change.
    await console.say("/edithabit run why")
    assert await console.say("-") == bot("Saved.", "", "Run", "Schedule: 3 times a week")
    await console.say("/edithabit run title")
    assert await console.say("/cancel") == bot("Cancelled. Nothing was saved.")
    assert "2. · Run — streak 0 weeks" in await console.say("/habits")


async def test_editing_a_habit_that_was_deleted_meanwhile(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/edithabit read cue")
    # Deleted from a group chat: a command there leaves the question here waiting.
    await console.say(":chat group Runners", "/deletehabit read", ":press 2", ":chat dm")
    assert await console.say("the book") == bot("That habit is gone, so there's nothing to edit.")
    assert await console.say("the book") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )


# --- /deletehabit --------------------------------------------------------------------------
def confirm(title: str, check_ins: str, *, edited: bool = False) -> str:
    return bot(
        f"Remove {title}? It has {check_ins}.",
        "Archive hides it and keeps its history; Delete removes it and its check-ins for good.",
        "[1] Archive  [2] Delete forever  [3] Keep it",
        edited=edited,
    )


async def test_deletehabit_keep_archive_and_delete(console: ConsoleSession) -> None:
    assert await console.say("/deletehabit") == bot("You have no habits to delete.")
    await console.say("/newhabit Read", "/newhabit Run", "/done run", "/done run yesterday")
    assert await console.say("/deletehabit read") == confirm("Read", "0 check-ins")
    assert await console.say(":press 3") == bot("Kept Read. Nothing changed.", edited=True)
    assert await console.say("/deletehabit") == bot(
        "Which habit do you want to remove?", "[1] 1. Read", "[2] 2. Run"
    )
    assert await console.say(":press 2") == confirm("Run", "2 check-ins", edited=True)
    assert await console.say(":press 1") == bot("Archived Run. Its history is kept.", edited=True)
    assert "Run" not in await console.say("/habits")
    assert await console.say("/done run") == bot("I can't find a habit called 'run'.")
    await console.say("/done read")
    assert await console.say("/deletehabit 1") == confirm("Read", "1 check-in")
    assert await console.say(":press 2") == bot("Deleted Read and its check-ins.", edited=True)
    assert await console.say("/habits") == bot(NO_HABITS)
    assert await console.say("/deletehabit read") == bot(
        "You have no habits yet. Create one with /newhabit."
    )


async def test_deletehabit_buttons_after_deletion(console: ConsoleSession) -> None:
    await console.say("/newhabit Read", "/newhabit Run", "/deletehabit read")
    confirmation = list(console.adapter.buttons)
    await console.say(":press 2")
    console.adapter.buttons = confirmation  # an older copy of the question is still on screen
    for n in ("1", "2", "3"):
        assert (
            await console.say(f":press {n}")
            == "(notice: That habit isn't on your list (any more).)\n"
        )
    assert await console.say("/deletehabit rnu") == bot(
        "I can't find a habit called 'rnu'.", "Did you mean: Run?", "[1] Run"
    )
    out = await console.say("/habits")
    assert "1. ○ Run — streak 0 days" in out
    assert "0 of 1 done." in out


async def test_a_deleted_habits_button_never_checks_in_the_next_habit(
    console: ConsoleSession,
) -> None:
    """Ids are never reused (SQLite too): the ✓ button of the newest habit, deleted for good,
    still on screen in an older /habits, does not check in the habit made after it."""
    await console.say("/newhabit Read", "/newhabit Run", "/habits")
    old_list = list(console.adapter.buttons)
    assert console.buttons == ["✓ Read", "✓ Run"]
    await console.say("/deletehabit run", ":press 2", "/newhabit Walk")
    console.adapter.buttons = old_list  # the old list is still in the chat
    assert await console.say(":press 2") == (
        "(notice: That habit isn't on your list (any more). Send /habits for your own list.)\n"
    )
    out = await console.say("/habits")
    assert "2. ○ Walk — streak 0 days" in out
    assert "0 of 2 done." in out
    assert await console.say("/undo walk") == bot("There was no check-in for Walk today.")


async def test_others_cannot_press_my_edit_or_delete_buttons(console: ConsoleSession) -> None:
    not_yours = "(notice: That habit isn't on your list (any more).)\n"
    await console.say(":user Alice", ":chat group Runners", "/newhabit Read", "/deletehabit read")
    assert await console.say(":user Bob", ":press 2") == "(you are now Bob)\n" + not_yours
    await console.say(":user Alice", "/edithabit read")
    assert await console.say(":user Bob", ":press 1") == "(you are now Bob)\n" + not_yours
    assert await console.say("Renamed by Bob") == ""  # Bob is in no edit flow
    out = await console.say(":user Alice", "/habits")
    assert "1. ○ Read — streak 0 days" in out
