"""What a demanding first-time user tried in the console, and the replies it must get.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot


async def test_quiet_sent_twice_keeps_the_summary_off(console: ConsoleSession) -> None:
    await console.say("/newhabit Read")
    assert await console.say("/quiet") == bot(
        "No more weekly summaries. Send /quiet off to get them back."
    )
    # A second /quiet (a double send, or to be sure) must not switch them back on.
    assert await console.say("/quiet") == bot(
        "Weekly summaries are already off. Send /quiet off to get them back."
    )
    assert "(message for" not in await console.say(":time 2026-03-29T18:30")
    assert await console.say("/quiet off") == bot(
        "Weekly summaries are back: on Sun at 18:00 (UTC)."
    )
    assert await console.say("/quiet off") == bot(
        "Weekly summaries are already on: they come on Sun at 18:00 (UTC)."
    )


async def invite_code(console: ConsoleSession) -> str:
    out = await console.say("/invite")
    return out.split("send /join ")[1].split()[0]


async def test_join_with_a_code_in_a_chat_without_a_group_points_to_the_private_chat(
    console: ConsoleSession,
) -> None:
    await console.say(":user Carol", ":chat group Secret", "/newgroup Secret private")
    code = await invite_code(console)
    await console.say(":user Bob", ":chat group Elsewhere")
    # Bob has a good code; being told to create a group of his own is a dead end.
    assert await console.say(f"/join {code}") == bot(
        f"Invite codes work in a private chat with me: send /join {code} there."
    )
    assert "Secret" not in await console.say(":chat dm", "/mygroups")
    assert await console.say(f"/join {code}") == bot(
        "You joined Secret. Post your proofs and learnings in its chat."
    )


async def test_a_wrong_code_in_a_private_groups_chat_says_the_code_is_wrong(
    console: ConsoleSession,
) -> None:
    await console.say(":user Carol", ":chat group Secret", "/newgroup Secret private")
    code = await invite_code(console)
    await console.say(":user Bob")
    assert await console.say("/join") == bot(
        "Secret is private. Ask a member for an invite (/invite), then send /join CODE."
    )
    assert await console.say("/join WRONG") == bot(
        "That code doesn't open Secret (its code changes when someone is kicked or banned). "
        "Ask a member for the current one (/invite), then send /join CODE."
    )
    assert "1 member" in await console.say(":user Carol", "/groupinfo")
    await console.say(":user Bob")
    assert await console.say(f"/join {code}") == bot("Welcome to Secret, Bob!")


async def test_a_one_line_habit_mid_lifebook_guide_says_the_guide_stopped(
    console: ConsoleSession,
) -> None:
    await console.say("/lifebook guide", "Calm and strong")
    # Another command stops the guide, whose answers are saved only at its end: it says so.
    out = await console.say("/newhabit Swim")
    assert out.startswith("bot: Stopped the Lifebook edit; nothing of it was saved.\n")
    assert "Created Swim" in out
    assert await console.say("health, calm") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )


async def test_a_one_line_habit_ends_a_guided_habit_setup(console: ConsoleSession) -> None:
    await console.say("/newhabit", "Walk")
    assert "Created Run" in await console.say("/newhabit Run")
    assert await console.say("daily") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )


async def test_a_skip_before_the_habit_started_changes_nothing(console: ConsoleSession) -> None:
    await console.say(":time 2026-03-25T09:00", "/newhabit Read")
    # Skipping a day before Read existed used to start its history there, turning the days in
    # between (Mon, Tue) into missed ones: the 7-day rate fell to 0% for a skip.
    assert await console.say("/skip read -3") == bot(
        "Read starts on Wed 25 Mar, so there is nothing to skip on Sun 22 Mar. "
        "A /done for that day would start it there."
    )
    week = await console.say("/week")
    assert "Read               ○\n" in week and "✗" not in week.split("✓ done")[0]
    assert "Read: 0/5 this week" in await console.say("/summary")
    # A done before the start still starts the history there, and a skip after that is fine.
    assert "✓ Read done Mon 23 Mar" in await console.say("/done read monday")
    assert await console.say("/skip read yesterday") == bot(
        "Skipped Read yesterday. Streak 1 day, still safe."
    )


async def test_rewriting_the_goals_keeps_the_habits_serving_the_goals_that_stay(
    console: ConsoleSession,
) -> None:
    await console.say("/lifebook goals Run 5k; Read more", "/newhabit Jog")
    assert await console.say(":press 1") == bot(
        "Jog serves Run 5k. See them together in /lifebook.", edited=True
    )
    # Giving the goal a date (the goals are set as a whole) used to drop every habit's link.
    out = await console.say("/lifebook goals Run 5k by 2026-05-01; Read more; Sleep by 23")
    assert "• Run 5k (by 2026-05-01) ← Jog" in out
    assert "Serves: Run 5k" in await console.say("/edithabit jog")
    # A goal that is gone takes its links with it; one added later is a new goal.
    out = await console.say("/lifebook goals Read more", "/lifebook goal Run 5k")
    assert "← Jog" not in out
    assert "Serves:" not in await console.say("/edithabit jog")


async def test_a_reminder_in_the_quiet_hours_says_it_will_not_come(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read", "/remind read 23:30", "/remind read 08:00")
    # Quiet hours hold back every reminder inside them; the two replies used to promise it.
    assert await console.say("/quiethours 22-7") == bot(
        "No reminders from 22:00 to 07:00.",
        "Your reminder at 23:30 (Read) falls in them, so it won't come while they last.",
    )
    assert await console.say("/remind read 6:45") == bot(
        "I'll remind you of Read at 06:45 every day (UTC). Next: Tue 24 Mar, 06:45.",
        "That is in your quiet hours (22:00–07:00), so it won't come while they last "
        "(/quiethours off).",
    )
    assert await console.say("/remind read 07:00") == bot(
        "I'll remind you of Read at 07:00 every day (UTC). Next: Tue 24 Mar, 07:00."
    )
    out = await console.say(":time 2026-03-23T23:30", ":time 2026-03-24T06:45")
    assert "Time for Read" not in out
    assert await console.say("/quiethours 1-5") == bot("No reminders from 01:00 to 05:00.")


async def test_the_same_learning_sent_twice_is_shared_once(console: ConsoleSession) -> None:
    await console.say(":chat group Club", "/newgroup Club")
    assert "you shared a learning in Club" in await console.say("/learn Shoes by the door")
    # A double send used to post it twice, in the group and in everyone's feed.
    assert await console.say("/learn   Shoes by the door ") == bot(
        "You already shared that in Club (/learnings)."
    )
    assert await console.say("/learnings") == bot(
        "Latest learnings in Club",
        "1. Shoes by the door — you, 23 Mar · 👍 0",
        "Delete one of your own with /unlearn N.",
    )
    # Once deleted, it may be shared again; and another person may say the same.
    await console.say("/unlearn 1")
    assert "you shared a learning" in await console.say("/learn Shoes by the door")
    await console.say(":user Bob", "/join")
    assert "Bob shared a learning" in await console.say("/learn Shoes by the door")
