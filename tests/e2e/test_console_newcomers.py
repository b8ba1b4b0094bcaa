"""What three new users (a beginner who mistypes, a committed tracker, a group organiser) ran
into in the console, and the replies they must get instead.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot


async def test_plural_weekdays_and_everyday_words_are_a_schedule(console: ConsoleSession) -> None:
    # The bot itself says "not due on Tuesdays", and /remind reads "mondays"; a new habit said
    # the same way used to become a daily habit named "Yoga on tuesdays and thursdays".
    assert await console.say("/newhabit Yoga on tuesdays and thursdays") == bot(
        "Created Yoga, on Tue, Thu. Check in with /done yoga or /habits. "
        "Add why, identity and a cue with /edithabit."
    )
    assert await console.say("/newhabit Meal prep sundays") == bot(
        "Created Meal prep, on Sun. Check in with /done meal or /habits. "
        "Add why, identity and a cue with /edithabit."
    )
    assert await console.say("/newhabit Call mom twice a week") == bot(
        "Created Call mom, 2 times a week. Check in with /done call or /habits. "
        "Add why, identity and a cue with /edithabit."
    )
    assert await console.say("/newhabit Walk every weekday") == bot(
        "Created Walk, on weekdays. Check in with /done walk or /habits. "
        "Add why, identity and a cue with /edithabit."
    )
    # '&' and '+' join days as 'and' does: it made "Gym mon, wed &" on Fridays.
    assert await console.say("/newhabit Gym mon, wed & fri") == bot(
        "Created Gym, on Mon, Wed, Fri. Check in with /done gym or /habits. "
        "Add why, identity and a cue with /edithabit."
    )
    assert "Created Row, on Tue, Thu." in await console.say("/newhabit Row tue+thu")
    # The field of /edithabit reads them the same way.
    assert "Schedule: Mon, Wed, Fri" in await console.say(
        "/edithabit walk schedule mondays, wednesdays and fridays"
    )


async def test_a_day_written_another_way_is_said_not_read_as_the_habits_name(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read")
    # 'read 3/3' used to be looked up as a habit's name, and its "Did you mean: Read?" button
    # checked Read in for today, not the day they meant.
    hint = (
        "{} is not a day I can read. Name the day as today, yesterday, a weekday (mon), "
        "-2 (two days ago) or YYYY-MM-DD, up to 7 days back: /{} read yesterday."
    )
    assert await console.say("/done read 3/3") == bot(hint.format("3/3", "done"))
    assert console.buttons == []
    assert "Send /help" in await console.say("1")  # nor a habit to pick by typing
    assert await console.say("/skip read 22.03.2026") == bot(hint.format("22.03.2026", "skip"))
    assert await console.say("/undo read march 22") == bot(hint.format("march 22", "undo"))
    assert await console.say("/done read 21st") == bot(hint.format("21st", "done"))
    assert "Nothing" not in await console.say("/habits")  # nothing was checked in
    assert "○ Read" in await console.say("/habits")
    # A habit whose name has such words is still found by them.
    await console.say("/newhabit Pages 1/2")
    assert await console.say("/done pages 1/2") == bot(
        "✓ Pages 1/2 done today. Streak 1 day, day 1 of 66."
    )


async def test_a_country_names_its_time_zone(console: ConsoleSession) -> None:
    # 'germany' used to get Europe/Guernsey and Asia/Tehran, 'UK' Pacific/Chuuk.
    assert await console.say("/timezone germany") == bot(
        "Time zone set to Europe/Berlin. It is 10:00 on Monday there."
    )
    assert await console.say("/timezone UK") == bot(
        "Time zone set to Europe/London. It is 09:00 on Monday there."
    )
    assert await console.say("/timezone Sweden") == bot(
        "Time zone set to Europe/Stockholm. It is 10:00 on Monday there."
    )
    # A country with several clocks asks which.
    out = await console.say("/timezone United States")
    assert out.startswith("bot: United States has several time zones. Did you mean one of these?\n")
    assert "America/New_York" in console.buttons and "America/Los_Angeles" in console.buttons
    assert "America/Chicago" in await console.say("/timezone usa")


async def test_the_summary_does_not_tell_someone_who_trusts_people_to_trust_people(
    console: ConsoleSession,
) -> None:
    await console.say(":user Bob", "/start", ":user Olga", "/newhabit Run", "/trust @Bob")
    out = await console.say("/summary")
    assert "Trust people whose learnings you value" not in out
    assert out.endswith(
        "Insights from people you trust\n"
        "     None this week from the people you trust (/trusted). "
        "Add someone whose learnings you value: /trust @name.\n"
    )


async def test_a_tools_steps_sent_one_a_message_are_kept(console: ConsoleSession) -> None:
    # Enter sends the message on Telegram's desktop app: each step came alone and was refused
    # ("Please give 3 to 7 steps; that was 1."), over and over.
    await console.say("/addtool Two-minute walk", "Walk for two minutes after lunch, every day.")
    assert await console.say("Stand up") == bot(
        "Steps so far:", "1. Stand up", "", "Send the next one (2 more at least)."
    )
    assert (await console.say("Walk", "stand up")).endswith(
        "2. Walk\n     \n     Send the next one (1 more at least).\n"
    )  # one sent again is kept once
    assert await console.say("Sit down") == bot(
        "Steps so far:",
        "1. Stand up",
        "2. Walk",
        "3. Sit down",
        "",
        "Send another, or 'done' if that's all.",
        "[1] That's all",
    )
    assert "4. Walk back" in await console.say("Walk back")
    assert "4/4 A few keywords" in await console.say("done")
    await console.say("walking")
    out = await console.say("/tool two-minute walk")
    assert "1. Stand up\n     2. Walk\n     3. Sit down\n     4. Walk back\n" in out


async def test_the_schedule_step_takes_its_buttons_words(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Swim")
    # A bare number used to get "I can't read '2' as a schedule", and the button's own label
    # "3× a week", typed, was refused the same way.
    assert await console.say("2") == bot(
        "'2' alone is not a schedule: send 2x for 2 times a week, or tap a choice.",
        "",
        "2/8 How often? Tap a choice or type days such as 'mon wed fri'.",
        "For example: daily, weekdays, 3x",
        "[1] Every day  [2] Weekdays  [3] 3× a week",
    )
    assert "3/8 Why does it matter to you?" in await console.say("3× a week")
    assert "Schedule: 3 times a week" in await console.say(":press 2")  # Save now


async def test_a_weekday_after_on_or_last_is_the_day(console: ConsoleSession) -> None:
    """'/done read on tuesday' was the habit 'read on' (not found) on Tuesday; 'last tue' the
    habit 'read last'. 'last' is the one before today: on a Thursday, last thursday is a week
    ago."""
    await console.say("/newhabit Read", ":time 2026-03-26T09:00")  # Monday; now Thursday
    assert await console.say("/done read on tuesday") == bot(
        "✓ Read done Tue 24 Mar. Streak 0 days, day 1 of 66."
    )
    assert await console.say("/skip read last wed") == bot(
        "Skipped Read yesterday. Streak 1 day, still safe."
    )
    assert await console.say("/undo read on tue") == bot("Undone: Read Tue 24 Mar is open again.")
    last = await console.say("/done read last thursday")  # Thu 19 Mar, before Read began
    assert "Thu 19 Mar" in last and "26 Mar" not in last
    # 'on' or 'last' alone is no day: the words stay the habit's.
    assert "I can't find a habit called 'read last'" in await console.say("/done read last")
