"""A new user's first contact through the console: /start, /help and hints.

Every test runs on SQLite and PostgreSQL (the `database` fixture). The clock starts at
Monday 2026-03-23 09:00 UTC; `:time` moves it (naive times are UTC in the console).
"""

from __future__ import annotations

from tests.support.console import INDENT, ConsoleSession, bot

WELCOME_BODY = (
    "I help you build habits one small day at a time, and keep you honest with friends.",
    "",
    "1. Set your time zone so your days start at your midnight: /timezone Europe/Berlin (now: UTC)",
    "2. Create a habit: /newhabit (guided) or /newhabit Read 10 pages",
    "3. Check in every day with /habits or /done read",
    "",
    "Send /help for everything else.",
)


# --- /start, /help and what the bot says to anything else --------------------------------
async def test_start_welcomes_a_new_user_and_then_a_returning_one(console: ConsoleSession) -> None:
    assert await console.say("/start") == bot("Welcome to HabitLink, you!", *WELCOME_BODY)
    assert console.buttons == []
    # Nothing made yet (a "hi" first, or /start again): still a newcomer, not "back".
    await console.say("hi")
    assert await console.say("/start") == bot("Welcome to HabitLink, you!", *WELCOME_BODY)
    await console.say("/newhabit Read")
    assert await console.say("/start") == bot("Welcome back, you!", *WELCOME_BODY)


async def test_start_in_a_group_points_to_the_group_commands(console: ConsoleSession) -> None:
    out = await console.say(":chat group Runners", "/start")
    assert out == "(group chat Runners)\n" + bot(
        "Hi you! This chat has no accountability group yet. Make one with /newgroup NAME, then "
        "everyone sends /join. Send /help to see the group commands."
    )


HELP_HABITS = (
    "Habits",
    "/habits – Today's habits, with a button to check each one in",
    "/done – Check a habit in as done",
    "/skip – Skip a habit for a day without breaking the streak",
    "/undo – Take back a check-in or a skip",
    "/newhabit – Create a habit (guided), or in one line: /newhabit Read 10 pages",
    "/edithabit – Change a habit's name, schedule, why, identity or loop",
    "/deletehabit – Archive or delete a habit (asks first)",
    "/archived – Your archived habits, with a button to restore each",
    "/restore – Bring an archived habit back, with its history",
    "/week – This week's tracker, as text and as a picture",
    "/stats – Streaks, 66-day progress, habit strength and a year heatmap",
)
HELP_BASICS = (
    "Basics",
    "/start – What HabitLink does and how to begin",
    "/help – All commands, or /help COMMAND",
    "/cancel – Stop what we're in the middle of",
)
HELP_FOOTER = "Send /help COMMAND for details, for example /help done."


def help_sections(out: str) -> list[list[str]]:
    """The /help reply as sections (lines without the console's indent), split at blank lines."""
    body = [line.removeprefix("bot: ").removeprefix(INDENT) for line in out.splitlines()]
    sections: list[list[str]] = [[]]
    for line in body:
        if line.strip():
            sections[-1].append(line)
        else:
            sections.append([])
    return sections


async def test_help_lists_every_command_by_section(console: ConsoleSession) -> None:
    out = await console.say("/help")
    sections = help_sections(out)
    assert sections[0] == list(HELP_BASICS)
    assert sections[1] == list(HELP_HABITS)
    assert sections[-1] == [HELP_FOOTER]
    settings = next(s for s in sections if s[0] == "Settings")
    assert settings[1:3] == [
        "/timezone – Set your time zone, so your day starts at your midnight",
        "/daystart – Night owl? Let your day end at 1–6 in the morning",
    ]
    titles = [s[0] for s in sections[:-1]]
    assert titles == [
        "Basics",
        "Habits",
        "Lifebook",
        "Toolbox",
        "Groups",
        "Learnings",
        "Summary",
        "Reminders",
        "Settings",
    ]
    toolbox = next(s for s in sections if s[0] == "Toolbox")
    assert [line.split(" – ")[0] for line in toolbox[1:]] == [
        "/tools",
        "/tool",
        "/usetool",
        "/addtool",
        "/findtool",
    ]
    # In a group the private-only settings are left out.
    out = await console.say(":chat group Runners", "/help")
    assert out.startswith("(group chat Runners)\n")
    assert help_sections(out.split("\n", 1)[1])[:2] == [list(HELP_BASICS), list(HELP_HABITS)]
    assert out.endswith(INDENT + HELP_FOOTER + "\n")
    group_settings = next(s for s in help_sections(out) if s[0] == "Settings")
    assert [line.split(" – ")[0] for line in group_settings[1:]] == ["/link"]  # works anywhere
    assert "/timezone" not in out
    assert "/daystart" not in out
    assert "/lifebook" not in out and "/findtool" not in out  # private only


async def test_help_for_one_command(console: ConsoleSession) -> None:
    # Usage and parameters come from the command's declaration (bot/commands.py):
    assert await console.say("/help done") == bot(
        "/done: Check a habit in as done",
        "/done HABIT [DAY]",
        "HABIT: The habit: its number in /habits, its name or a word of it",
        "DAY (optional): today, yesterday, a weekday, -2 or YYYY-MM-DD (7 days back)",
    )
    assert await console.say("/help /TIMEZONE") == bot(
        "/timezone (private chat): Set your time zone, so your day starts at your midnight",
        "/timezone [ZONE]",
        "ZONE (optional): An IANA name (Europe/Berlin), a city (Tokyo) or an offset (UTC+2)",
    )
    assert await console.say("/help proof") == bot(
        "/proof (group chat): Post a photo as proof (use it as the photo's caption)",
        "/proof [HABIT] [NOTE]",
        "PHOTO: The photo",
        "HABIT (optional): The habit: its number in /habits, its name or a word of it",
        "NOTE (optional): A few words about it",
        "Send a photo in your group's chat with this as its caption.",
    )
    assert await console.say("/help fly") == bot("There is no /fly. Send /help for the list.")


async def test_unknown_command_gets_a_hint(console: ConsoleSession) -> None:
    assert await console.say("/fly away") == bot(
        "I don't know /fly. Send /help to see what I can do."
    )


async def test_plain_text_in_private_gets_a_hint(console: ConsoleSession) -> None:
    assert await console.say("hello there") == bot(
        "Send /help to see what I can do, or /habits for today's list."
    )


async def test_plain_text_in_a_group_gets_no_reply(console: ConsoleSession) -> None:
    assert await console.say(":chat group Runners") == "(group chat Runners)\n"
    assert await console.say("morning all!", "who's running today?") == ""
    # Unknown commands may be meant for another bot there.
    assert await console.say("/fly away") == ""
    # Commands are still answered there, and /timezone says where it works.
    assert await console.say("/timezone Tokyo") == bot("/timezone works in a private chat with me.")
    assert await console.say("/daystart 2") == bot("/daystart works in a private chat with me.")


async def test_group_and_habit_in_a_group_chat_are_answered(console: ConsoleSession) -> None:
    """A bare /group in a group chat got no reply at all (an unknown command there may be
    another bot's). /group and /habit are HabitLink's own words (Discord's command families),
    so they are answered there as in a private chat, with a command that works where said."""
    await console.say(":user Alice", ":chat group Runners")
    assert await console.say("/group") == bot(
        "I don't know /group. Did you mean",
        "/groupinfo – About this chat's group",
        "Send /help to see what I can do.",
    )
    assert await console.say("/habit") == bot(
        "I don't know /habit. Did you mean",
        "/habits – Today's habits, with a button to check each one in",
        "Send /help to see what I can do.",
    )
    assert await console.say("/fly away") == ""  # still maybe another bot's
    await console.say(":chat dm")
    assert await console.say("/group") == bot(
        "I don't know /group. Did you mean",
        "/groups – Public groups you can join",
        "Send /help to see what I can do.",
    )


async def test_public_and_private_in_a_habitlink_groups_chat_point_to_visibility(
    console: ConsoleSession,
) -> None:
    """/public or /private typed by a group's owner in its chat got no reply at all. In a chat
    that is a HabitLink group's they can only be ours, so they point to /visibility; in any
    other group chat they stay another bot's."""
    await console.say(":user Alice", ":chat group Runners")
    assert await console.say("/public") == ""  # no HabitLink group here yet
    await console.say("/newgroup Runners private")
    assert await console.say("/public") == bot(
        "I don't know /public. Did you mean",
        "/visibility public – Make this group public or private (owner or admin)",
        "Send /help to see what I can do.",
    )
    assert await console.say("/Private") == bot(
        "I don't know /private. Did you mean",  # commands are read case aside
        "/visibility private – Make this group public or private (owner or admin)",
        "Send /help to see what I can do.",
    )
    assert await console.say("/fly away") == ""  # still maybe another bot's
    assert "Runners is public" in await console.say("/visibility public")
    await console.say(":chat group Walkers")
    assert await console.say("/private") == ""


async def test_public_and_private_in_a_private_chat_say_what_they_do_and_where(
    console: ConsoleSession,
) -> None:
    """/public or /private in a private chat got "I don't know /public", as if no such thing
    existed: they are a group's visibility, set in its group chat with /visibility."""
    assert await console.say("/public") == bot(
        "/public is for a group: a public group is one anyone can find with /groups and join. "
        "An owner or admin sets it in the group's chat: /visibility public there."
    )
    assert await console.say("/Private now") == bot(
        "/private is for a group: a private group takes new members only with its invite code. "
        "An owner or admin sets it in the group's chat: /visibility private there, or /newgroup "
        "NAME private there to start one so."
    )


# --- /habits and its buttons ---------------------------------------------------------------


async def test_an_unknown_command_names_the_one_it_most_likely_meant(
    console: ConsoleSession,
) -> None:
    tried = {
        "/toolbox": "/tools – Browse the Toolbox",  # a word declared for /tools
        "/habit": "/habits – Today's habits",  # the start of one
        "/reminder": "/reminders – Your reminders",
        "/hbits": "/habits – Today's habits",  # a typo away
        "/statistics": "/stats – Streaks",
    }
    for typed, meant in tried.items():
        out = await console.say(typed)
        assert f"I don't know {typed}. Did you mean\n     {meant}" in out, out
    out = await console.say("/help toolbox")
    assert out.startswith("bot: There is no /toolbox; here is /tools."), out
    assert "KEYWORD (optional)" in out
