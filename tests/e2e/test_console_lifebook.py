"""/lifebook through the console: showing, one-line edits, the guided flow (skips, /cancel), the
AI consent switch, erasing, habits serving goals and values, privacy in groups, and the weekly
summary's line from the person's own words. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.console import ConsoleSession


async def test_one_line_edits_and_showing(console: ConsoleSession) -> None:
    out = await console.say("/lifebook")
    assert "A private page for where you're heading" in out
    assert console.buttons[:2] == ["Fill it in", "Vision"]
    out = await console.say("/lifebook vision Healthy, calm and close to my family")
    assert "Saved." in out and "Healthy, calm and close to my family" in out
    out = await console.say("/lifebook values health, family, Health")
    assert "• health\n" in out and "• family" in out and "• Health" not in out
    out = await console.say("/lifebook identity someone who moves every day; I am a reader")
    assert "• I am someone who moves every day" in out and "• I am a reader" in out
    out = await console.say("/lifebook goal Run 5 km by 2026-06-30")
    assert "• Run 5 km (by 2026-06-30)" in out
    # The same goal with another date moves its date (it said "one of your goals already").
    out = await console.say("/lifebook goal run 5 km by 2026-07-31")
    assert out.startswith("bot: “Run 5 km” is now due by 2026-07-31 (it was 2026-06-30).\n")
    assert "• Run 5 km (by 2026-07-31)" in out and "2026-06-30)" not in out.split("\n", 1)[1]
    assert "one of your goals already" in await console.say("/lifebook goal Run 5 km")
    assert "has passed already" in await console.say("/lifebook goal Run 5 km by 2026-01-01")
    out = await console.say("/lifebook domains health, learning")
    assert "health, learning" in out
    assert "Shared with the AI tool finder: off" in out
    out = await console.say("/lifebook vision -")
    assert "Healthy, calm" not in out and "Vision" not in out


async def test_bad_input_changes_nothing(console: ConsoleSession) -> None:
    await console.say("/lifebook values calm")
    assert "at most 5" in await console.say("/lifebook values a, b, c, d, e, f")
    assert "under 600" in await console.say("/lifebook vision " + "x" * 1_000)
    assert "not a date" in await console.say("/lifebook goal Run by 2026-02-30")
    assert "I don't know the Lifebook part “dreams”" in await console.say("/lifebook dreams big")
    assert "Say /lifebook ai on or /lifebook ai off." in await console.say("/lifebook ai maybe")
    # '-' clears a section; as one goal it is refused, not added as a goal called "-".
    assert "To remove every goal: /lifebook goals -" in await console.say("/lifebook goal -")
    # A date in another order is not silently kept as part of the goal's words.
    out = await console.say("/lifebook goal Read 12 books by 31/12/2026")
    assert "Write the date 31/12/2026 as YYYY-MM-DD" in out
    # Goals replace the ones there: eleven are too many, whatever the book held before.
    out = await console.say("/lifebook goals " + "; ".join(f"Goal {n}" for n in range(11)))
    assert "That is too many goals: at most 10." in out and "already" not in out
    out = await console.say("/lifebook")
    assert "• calm" in out and "xxx" not in out and "Run" not in out and "• Goal" not in out
    assert "• -" not in out and "Read 12" not in out


async def test_a_goal_is_there_once(console: ConsoleSession) -> None:
    await console.say("/lifebook goal Run 5k by 2027-01-01")
    out = await console.say("/lifebook goal run  5K")  # sent again, or typed again
    assert "“Run 5k” is one of your goals already." in out
    out = await console.say("/lifebook goals Read 4 books; Swim; read 4 books")
    assert out.count("Read 4 books") == 1 and "• Swim" in out and "read 4 books" not in out


async def test_guided_flow_skips_keep_and_cancel_keeps_what_was_there(
    console: ConsoleSession,
) -> None:
    await console.say("/lifebook vision Old vision", "/lifebook values calm")
    out = await console.say("/lifebook guide")
    assert "Nothing is saved until the last step." in out and "1/5 Your vision" in out
    assert "Now: Old vision" in out
    out = await console.say("A brand new vision")
    assert "2/5 Your core values" in out
    await console.say("courage, kindness")
    assert "Cancelled" in await console.say("/cancel")
    out = await console.say("/lifebook")
    assert "Old vision" in out and "• calm" in out and "brand new" not in out
    # Now through to the end, skipping some steps by word and by button.
    out = await console.say("/lifebook guide", "A brand new vision", "skip")
    assert (
        out.rstrip()
        .splitlines()[-4]
        .endswith(
            "3/5 Who are you becoming? One or more 'I am "
            "someone who…' statements, separated by ';'."
        )
    )
    out = await console.say(":press 1")  # skip identity
    assert "4/5 Your goals" in out
    out = await console.say("Run 5 km by 2026-06-30; Read 4 books")
    assert "5/5 The life domains" in out
    out = await console.say("health")
    assert "Your Lifebook is saved." in out
    assert "A brand new vision" in out and "• calm" in out  # values skipped: kept
    assert "• Run 5 km (by 2026-06-30)" in out and "• Read 4 books" in out
    assert "Old vision" not in out


async def test_guided_flow_asks_again_after_bad_answer(console: ConsoleSession) -> None:
    await console.say("/lifebook guide", "/skip")  # a bare /skip skips too
    out = await console.say("a, b, c, d, e, f, g")
    assert "That is too many values: at most 5." in out and "2/5" in out
    await console.say("skip", "skip")
    out = await console.say("; ".join(f"Goal {n}" for n in range(12)))
    assert "That is too many goals: at most 10." in out and "4/5" in out


async def test_section_button_edits_one_section(console: ConsoleSession) -> None:
    await console.say("/lifebook vision First")
    out = await console.say("/lifebook")
    assert console.buttons[:3] == ["Vision", "Values", "Identity"]
    out = await console.say(":press 2")
    assert "Your core values" in out and "2/5" not in out
    out = await console.say("growth, calm")
    assert "Saved." in out and "• growth" in out and "First" in out


async def test_ai_consent_and_erasing(console: ConsoleSession) -> None:
    await console.say("/lifebook vision Strong", "/newhabit Run")
    out = await console.say("/lifebook ai on")
    assert "may now read your Lifebook" in out
    assert "Shared with the AI tool finder: on" in await console.say("/lifebook")
    out = await console.say("/lifebook ai off")
    assert "stay here" in out
    out = await console.say("/lifebook delete")
    assert console.buttons == ["Yes, erase it", "Keep it"]
    assert "Kept as it is." in await console.say(":press 2")
    await console.say("/lifebook delete")
    assert "Your Lifebook is erased." in await console.say(":press 1")
    assert "A private page" in await console.say("/lifebook")


async def test_habits_serve_goals_and_values(console: ConsoleSession) -> None:
    out = await console.say("/newhabit Run")
    assert "serve" not in out  # no Lifebook yet: nothing to ask
    await console.say("/lifebook values health, family", "/lifebook goal Run 5 km")
    out = await console.say("/newhabit Jog")
    assert "Which of your Lifebook goals or values does it serve?" in out
    assert console.buttons == ["Run 5 km", "health", "family", "None of these"]
    assert "Jog serves Run 5 km." in await console.say(":press 1")
    # /edithabit offers the same question.
    await console.say("/edithabit run")
    assert console.buttons[-1] == "What it serves in your Lifebook"
    await console.say(f":press {len(console.buttons)}")
    assert "Run serves family." in await console.say(":press 3")
    out = await console.say("/lifebook")
    assert "• family ← Run" in out and "• Run 5 km ← Jog" in out
    out = await console.say("/edithabit jog")
    assert "Serves: Run 5 km" in out


async def test_never_in_a_group(console: ConsoleSession) -> None:
    await console.say("/lifebook vision Secret vision")
    out = await console.say(":chat group Runners", "/lifebook")
    assert "/lifebook works in a private chat with me." in out
    assert "Secret" not in out


async def test_weekly_summary_opens_with_a_line_of_the_persons_own(
    console: ConsoleSession,
) -> None:
    await console.say("/lifebook vision A calm life", "/lifebook values health")
    first = await console.say("/summary")
    await console.say(":time 2026-03-30T09:00")
    second = await console.say("/summary")
    lines = {first.splitlines()[1].strip(), second.splitlines()[1].strip()}
    assert lines == {"A calm life", "You value health."}


async def test_values_can_be_picked_from_suggestions(console: ConsoleSession) -> None:
    await console.say("/lifebook values")
    assert console.buttons[:3] == ["health", "family", "growth"]
    assert "Picked: health" in await console.say(":press 1")
    assert "Picked: health, courage" in await console.say(":press 4")
    out = await console.say(f":press {console.buttons.index('Use these') + 1}")
    assert "Saved." in out and "• health\n" in out and "• courage" in out


async def test_an_edit_that_drops_a_link_says_which_habits_lost_it(console: ConsoleSession) -> None:
    await console.say("/lifebook values health, family", "/lifebook goals Run 5 km; Read 4 books")
    await console.say("/newhabit Jog", ":press 1", "/newhabit Read", ":press 2")
    await console.say("/newhabit Walk", ":press 3")
    # Rewording a goal makes it a new goal: the habit that served the old one is told, not
    # silently dropped. Case and spacing aside, the same words keep their habits.
    out = await console.say("/lifebook goals run 5 KM; Read 5 books")
    assert "• run 5 KM ← Jog" in out and "• Read 5 books\n" in out
    assert "Read is no longer linked: what it served is gone. Link it again" in out
    out = await console.say("/lifebook values family")  # health goes, and Walk's link with it
    assert "Walk is no longer linked" in out and "Read is no longer" not in out
    assert "Jog is no longer linked" in await console.say("/lifebook goals Swim")
    assert "no longer linked" not in await console.say("/lifebook")  # said once, on the edit
    # The guided flow's save says it too.
    await console.say("/edithabit walk")
    await console.say(f":press {len(console.buttons)}")
    assert "Walk serves Swim." in await console.say(":press 1")
    out = await console.say("/lifebook guide", "skip", "skip", "skip", "Bike", "skip")
    assert "Your Lifebook is saved." in out
    assert "Walk is no longer linked: what it served is gone." in out


async def test_a_goal_date_in_the_past_is_refused_by_the_persons_own_day(
    console: ConsoleSession,
) -> None:
    """The person's day, not UTC's: in Auckland it is already the 24th at 12:00 UTC on the 23rd;
    in Los Angeles it is still the 22nd at 03:00 UTC on the 23rd. Today itself is fine."""
    await console.say("/timezone Pacific/Auckland", ":time 2026-03-23T12:00+00:00")
    out = await console.say("/lifebook goal Run 5 km by 2026-03-23")
    assert "2026-03-23 has passed already" in out and "from today (2026-03-24) on" in out
    assert "Goal added" not in out
    out = await console.say("/lifebook goals Swim by 2026-04-01; Read by 2020-01-01")
    assert "2020-01-01 has passed already: give “Read” a date" in out and "Saved" not in out
    out = await console.say("/lifebook goal Run 5 km by 2026-03-24")
    assert "Goal added." in out and "• Run 5 km (by 2026-03-24)" in out
    # The guided flow asks again, keeping the step.
    await console.say("/lifebook guide", "skip", "skip", "skip")
    out = await console.say("Swim by 2026-01-05")
    assert "has passed already" in out and "4/5" in out
    await console.say("/cancel")
    # A goal past its date may stay as it was when the others change.
    await console.say(":time 2026-04-10T12:00+00:00")
    out = await console.say("/lifebook goals Run 5 km by 2026-03-24; Swim")
    assert "Saved." in out and "• Run 5 km (by 2026-03-24)" in out and "• Swim" in out
    await console.say("/timezone America/Los_Angeles", ":time 2026-04-12T03:00+00:00")
    out = await console.say("/lifebook goal Stretch by 2026-04-11")  # still the 11th there
    assert "Goal added." in out and "• Stretch (by 2026-04-11)" in out
    out = await console.say("/lifebook")
    assert "Swim" in out and "2020" not in out and "2026-01-05" not in out


async def test_identity_statements_read_as_i_am(console: ConsoleSession) -> None:
    """Whatever way the statement is typed, it reads as one grammatical sentence; what cannot
    follow "I am" is kept as written."""
    cases = {
        "reads every day": "I am someone who reads every day",
        "a reader": "I am a reader",
        "I am a reader": "I am a reader",
        "i am a runner": "I am a runner",
        "I'm a writer": "I'm a writer",
        "someone who reads every day": "I am someone who reads every day",
        "am patient": "I am patient",
        "I read every day": "I read every day",
        "calm and kind": "I am calm and kind",
        "the kind of person who shows up": "I am the kind of person who shows up",
        "becoming a runner": "I am becoming a runner",
        "never miss twice": "I am someone who never misses twice",
        "Family first": "Family first",
        "morning person": "morning person",
        "a person who moves daily": "I am a person who moves daily",
        "Read every day": "I am someone who reads every day",
        "go to bed early": "I am someone who goes to bed early",
        "don't skip workouts": "I am someone who doesn't skip workouts",
        "study and run daily": "I am someone who studies and runs daily",
    }
    for typed, shown in cases.items():
        out = await console.say(f"/lifebook identity {typed}")
        assert f"• {shown}\n" in out, (typed, out)


async def test_an_old_goal_button_after_erasing_links_nothing_new(console: ConsoleSession) -> None:
    await console.say("/lifebook goal Run 5 km", "/newhabit Jog")
    stale = list(console.adapter.buttons)  # "Run 5 km" (g1), still on screen
    assert console.buttons[0] == "Run 5 km"
    await console.say("/lifebook delete", ":press 1")
    out = await console.say("/lifebook")
    assert "A private page" in out  # empty again
    await console.say("/lifebook goal Learn Spanish")
    console.adapter.buttons = stale
    out = await console.say(":press 1")
    assert "Jog serves" not in out and "not in your Lifebook" in out
    assert "Learn Spanish ←" not in await console.say("/lifebook")
