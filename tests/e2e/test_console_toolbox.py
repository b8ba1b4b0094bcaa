"""/tools, /tool, /usetool, /addtool and /findtool through the console, on SQLite and PostgreSQL.

The bot here has no AI key, so /findtool ranks offline (tests/integration/test_tool_finder.py
drives the AI paths against the fake server)."""

from __future__ import annotations

from core.db.engine import Database
from core.db.models import Tool
from tests.conftest import DEFAULT_NOW
from tests.support.console import ConsoleSession, bot


async def test_browse_pages_and_open(console: ConsoleSession) -> None:
    out = await console.say("/tools")
    assert "Toolbox · 31 tools · page 1/7" in out
    assert console.buttons[-1] == "Next ▶"
    out = await console.say(":press 6")
    assert out.startswith("bot (edited): Toolbox · 31 tools · page 2/7")
    assert console.buttons[-2:] == ["◀ Previous", "Next ▶"]
    out = await console.say("/tools phone")
    assert "Toolbox · “phone”" in out and "Phone out of sight" in out
    assert "Toolbox · “woop” · 1 tool · page 1/1" in await console.say("/tools woop")
    out = await console.say(":press 1")
    assert "Evidence:" in out and "Source:" in out
    assert "No tool mentions “zzzz”" in await console.say("/tools zzzz")


async def test_a_tool_by_its_number_in_the_toolbox(console: ConsoleSession) -> None:
    """/tools numbers every tool (6 to 10 on page 2); /tool N opens the one numbered N, and a
    list of the tools with a keyword shows the same numbers. '/tool 6' found nothing."""
    await console.say("/tools")
    page2 = await console.say(":press 6")
    sixth = next(line.strip() for line in page2.splitlines() if line.strip().startswith("6. "))
    title = sixth.removeprefix("6. ").rsplit(" (", 1)[0]
    assert (await console.say("/tool 6")).startswith(f"bot: {title}\n")
    phone = await console.say("/tools phone")
    listed = next(line.strip() for line in phone.splitlines() if "Phone out of sight" in line)
    n = listed.split(".", 1)[0]
    assert n != "1"  # its number in the whole Toolbox, not in this list of two
    assert (await console.say(f"/tool {n}")).startswith("bot: Phone out of sight")
    assert "Open one below, or /tool NAME or /tool NUMBER." in phone
    assert "There is no tool called “32”" in await console.say("/tool 32")  # 31 tools


async def test_a_shipped_tool_by_name_wins_over_a_community_namesake(
    console: ConsoleSession, database: Database
) -> None:
    await console.say("/tools")  # the seed is in
    async with database.session() as session:
        session.add(
            Tool(title="woop", description="Mine.", steps=["a", "b", "c"], created_at=DEFAULT_NOW)
        )
        await session.commit()
    assert (await console.say("/tool woop")).startswith("bot: WOOP (mental contrasting)\n")


async def test_tool_shows_steps_and_source(console: ConsoleSession) -> None:
    out = await console.say("/tool temptation bundling")
    assert out.startswith("bot: Temptation bundling\n")
    assert "\n     1. List a few guilty pleasures" in out
    assert "Evidence: research (peer-reviewed studies)" in out
    assert "Milkman, K. L., Minson, J. A. and Volpp, K. G. M. (2014)" in out
    out = await console.say("/tool temptaton bundlng")
    assert "There is no tool called “temptaton bundlng”" in out
    assert "Did you mean: Temptation bundling?" in out
    # Its button opens it, and so does its number or its name typed (it had no button).
    assert console.buttons == ["Temptation bundling"]
    assert (await console.say(":press 1")).startswith("bot: Temptation bundling\n")
    await console.say("/tool temptaton bundlng")
    assert (await console.say("1")).startswith("bot: Temptation bundling\n")
    await console.say("/tool temptaton bundlng")  # another try at the name answers it too
    assert (await console.say("temptation")).startswith("bot: Temptation bundling\n")
    # Names as people type them: no apostrophe, the slug's words, hyphens as spaces.
    assert (await console.say("/tool dont break the chain")).startswith("bot: Don't break the")
    assert (await console.say("/tool eat the frog")).startswith("bot: Hardest thing first\n")
    out = await console.say("/tool two minute version")
    assert out.startswith("bot: The two-minute version\n")
    assert "Which tool?" in await console.say("/tool")
    assert "There is no tool called" in await console.say("/tool " + "y" * 3_000)


async def test_usetool_attaches_and_shows_on_card_and_stats(console: ConsoleSession) -> None:
    assert "no habits yet" in await console.say("/usetool woop run")
    await console.say("/newhabit Morning run")
    out = await console.say("/usetool woop morning run")
    assert "Morning run now uses WOOP (mental contrasting)." in out
    assert "already uses" in await console.say("/usetool woop morning")
    await console.say("/usetool habit stacking")
    assert console.buttons == ["1. Morning run"]
    assert "Morning run now uses Habit stacking." in await console.say(":press 1")
    out = await console.say("/stats morning")
    assert "Techniques: WOOP (mental contrasting), Habit stacking" in out or (
        "Techniques: Habit stacking, WOOP (mental contrasting)" in out
    )
    assert "Techniques:" in await console.say("/edithabit morning")
    assert "no longer uses" in await console.say("/usetool woop morning off")
    assert "I can't find a habit called 'swim'" in await console.say("/usetool woop swim")
    assert "There is no tool called “nothing”" in await console.say("/usetool nothing")


async def test_addtool_guided_with_author_and_daily_limit(console: ConsoleSession) -> None:
    out = await console.say("/addtool")
    assert "1/4 What is the technique called?" in out
    assert "Keep the name between 3 and 80" in await console.say("ab")
    assert "already a tool called" in await console.say("Habit stacking")
    # Names /tool would read as a shipped tool's (apostrophe, hyphens, its slug's words) too.
    assert "already a tool called" in await console.say("Dont break the chain")
    assert "already a tool called" in await console.say("Eat-the-frog")
    assert "2/4" in await console.say("Walk-and-talk calls")
    assert "between 20 and 600" in await console.say("Too short")
    assert "3/4" in await console.say("Take calls while walking, so catching up also moves you.")
    assert "Keep each step under" in await console.say("x" * 301)
    blank = await console.say("Pick the calls; \u00a0 ;\u3000\nWalk until you hang up")
    assert "2. Walk until you hang up\n" in blank  # spaces of any kind are no step
    assert "Send the next one (1 more at least)." in blank
    out = await console.say("Pick the calls\nPut on shoes first\nWalk until you hang up")
    assert "3. Put on shoes first" in out and console.buttons == ["That's all"]
    out = await console.say(":press 1")
    assert "4/4" in out and console.buttons == ["Skip"]
    out = await console.say("walking, calls")
    assert "Walk-and-talk calls is in the Toolbox now" in out
    # Only the keywords step can be skipped, with the word or a bare /skip.
    await console.say("/addtool")
    assert await console.say("/skip") == bot(
        "Only the keywords can be skipped; please answer, or send /cancel."
    )
    assert "2/4" in await console.say("Phone-free meals")
    await console.say("Leave every phone in another room while the family eats together.")
    assert "4/4" in await console.say("Put phones away\nSit down together\nTalk about the day")
    assert "Phone-free meals is in the Toolbox now" in await console.say("/skip")
    out = await console.say(":press 1")
    assert "Shared by you" in out and "Evidence: community" in out
    assert "Walk-and-talk calls (community, by you)" in await console.say("/tools walking")
    # /cancel leaves nothing behind.
    await console.say("/addtool Zebra idea", "/cancel")
    assert "No tool mentions “zebra”" in await console.say("/tools zebra")
    for n in (2, 3):
        await console.say(
            f"/addtool Idea number {n}",
            "A small thing that helped me a lot.",
            "one; two; three",
            "skip",
        )
    assert "You can add 3 tools a day" in await console.say("/addtool")


async def test_findtool_offline_with_buttons(console: ConsoleSession) -> None:
    await console.say("/newhabit Gym")
    out = await console.say("/findtool I keep skipping the gym after work")
    assert out.startswith("bot: Three tools for “I keep skipping the gym after work”:")
    assert "”:\n     \n     Design your environment\n" in out  # first, by title: no number
    # The reason quotes this person's words and the part of the tool they met.
    assert "You wrote “skipping”, “gym”, “after” and “work”, which match what it is for" in out
    assert "Ranked offline (no AI service is set up)." in out
    assert console.buttons[:2] == ["Open Design your environme…", "Use for a habit"]
    assert "Design your environment\n" in await console.say(":press 1")
    await console.say("/findtool I keep skipping the gym after work", ":press 2")
    assert "Gym now uses Design your environment." in await console.say(":press 1")


async def test_findtool_bad_input(console: ConsoleSession) -> None:
    assert "Tell me what gets in your way" in await console.say("/findtool")
    assert "Tell me what gets in your way" in await console.say("/findtool    ")
    # Nothing to go on: asked for words rather than answered with three general tools.
    for nothing in ("?", "🙃", "... !!"):
        out = await console.say(f"/findtool {nothing}")
        assert "Tell me what gets in your way" in out and "Three tools" not in out
    out = await console.say("/findtool " + "gym " * 2500)  # 10,000 characters: over the cap
    assert out.startswith("bot: That's too long for me: I read messages of up to 4,096")
    out = await console.say("/findtool " + "gym " * 1000)  # under the 4,096 message cap
    assert "I read the first 500 characters." in out
    assert len(console.buttons) == 3  # three tools, one button each (no habits)
    out = await console.say("/findtool qqqq zzzz")
    assert "”:\n     \n     The two-minute version\n" in out
    assert "None of your words point to this one; it is a good general start" in out


async def test_toolbox_commands_stay_out_of_groups(console: ConsoleSession) -> None:
    await console.say(":chat group Runners")
    for command in ("/tools", "/tool woop", "/findtool gym", "/addtool", "/usetool woop run"):
        name = command.split()[0]
        assert f"{name} works in a private chat with me." in await console.say(command)


async def test_an_offline_answer_counts_as_an_ai_fallback(console: ConsoleSession) -> None:
    from prometheus_client import REGISTRY

    before = REGISTRY.get_sample_value("habitlink_ai_fallbacks_total") or 0.0
    assert "Ranked offline" in await console.say("/findtool I keep skipping the gym after work")
    assert REGISTRY.get_sample_value("habitlink_ai_fallbacks_total") == before + 1


async def test_picking_the_habit_from_buttons_keeps_the_tool_first(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Drink water", "/newhabit Drink tea")
    out = await console.say("/usetool woop drink")
    assert "'drink' matches 2 habits." in out
    assert console.buttons == ["Drink water", "Drink tea"]
    assert (await console.say(":press 2")).startswith("bot: Drink tea now uses WOOP")
    await console.say("/usetool woop drink off")
    assert (
        await console.say(":press 2")
        == "bot: Drink tea no longer uses WOOP (mental contrasting).\n"
    )
    # A tool whose name holds the habit's word: the habit is the words after it.
    await console.say("/newhabit Habit stacking practice", "/newhabit Habit tracker")
    out = await console.say("/usetool habit stacking habit")
    assert "'habit' matches 2 habits." in out
    assert (await console.say(":press 2")).startswith("bot: Habit tracker now uses Habit stacking")


async def test_findtool_reads_typos_as_the_words_meant(console: ConsoleSession) -> None:
    # Misspelt words used to be dropped: this got two tools for the word "stop" and no phone.
    out = await console.say("/findtool I cant stop scrollig my phne")
    assert "Phone out of sight" in out
    # The reason quotes the words read, not the typos ("You wrote “phne”" read oddly).
    assert (
        "You wrote “scrolling” and “phone”, which match what it works on: phone, scrolling." in out
    )
    assert "phne" not in out.split("\n", 1)[1]
    # ... and with every word misspelt, the general starters and "none of your words".
    out = await console.say("/findtool i procrastinte on my homwork")
    assert "Work in short timed blocks (Pomodoro)" in out and "Hardest thing first" in out
    assert "None of your words" not in out and "You wrote “procrastinate”" in out
    out = await console.say("/findtool I keep skiping the gym after wrok")
    assert "You wrote “skip”, “gym”, “after” and “work”, which match what it is for" in out
    # A past form the stemmer does not know is read as its verb: "forgot" meets "forget".
    out = await console.say("/findtool Forgot to floss again")
    assert "You wrote “forgot”, which matches what it is for: “I keep forgetting to do it”." in out
    assert "None of your words" not in out
    # A real word is not a typo: "waking" is not read as "walking".
    out = await console.say("/findtool waking")
    assert "walking" not in out


async def test_findtool_knows_everyday_words(console: ConsoleSession) -> None:
    """ "waking", "meditate" and "meditation" met no tool (only the general starters came)."""
    out = await console.say("/findtool I have a hard time waking up early")
    assert "None of your words" not in out and "Design your environment" in out
    assert "You wrote “waking”" in out
    out = await console.say("/findtool I want to meditate")
    assert "The two-minute version" in out and "None of your words" not in out
    assert "You wrote “want” and “meditate”, which match what it is for" in out
    out = await console.say("/findtool meditation is boring and I quit after a few days")
    assert "The two-minute version" in out and "You wrote “meditation”" in out
    out = await console.say("/findtool morning")
    assert "None of your words" not in out and "Implementation intentions" in out


async def test_usetool_reads_the_habit_first_too(console: ConsoleSession) -> None:
    """`/usetool floss woop` (habit, then tool) used to be "no tool called floss woop"."""
    await console.say("/newhabit Floss", "/newhabit Morning run")
    out = await console.say("/usetool floss woop")
    assert "Floss now uses WOOP (mental contrasting)." in out
    out = await console.say("/usetool morning run habit stacking")
    assert "Morning run now uses Habit stacking." in out
    out = await console.say("/usetool floss woop off")
    assert "Floss no longer uses WOOP (mental contrasting)." in out
    # The usual order is as before.
    assert "Floss now uses WOOP" in await console.say("/usetool woop floss")
    # Words that read both ways ask which, and change nothing until a press.
    await console.say("/newhabit Woop practice", "/newhabit Pomodoro study")
    out = await console.say("/usetool pomodoro woop")
    assert "Which did you mean?" in out and "now uses" not in out
    assert len(console.buttons) == 2
    assert console.buttons[0].startswith("Use Work in short timed") and console.buttons[0].endswith(
        " for Woop practice"
    )
    assert console.buttons[1] == "Use WOOP (mental contrasting) for Pomodoro study"
    assert "Pomodoro study now uses WOOP" in await console.say(":press 2")
    out = await console.say("/usetool pomodoro woop off")
    assert console.buttons[1] == "Stop WOOP (mental contrasting) for Pomodoro study"
    assert "Pomodoro study no longer uses WOOP" in await console.say(":press 2")
    # Neither reading: the answers stay as they were.
    out = await console.say("/usetool floss nothing")
    assert "There is no tool called “floss nothing”" in out


async def test_usetool_with_only_a_habit_asks_which_tool(console: ConsoleSession) -> None:
    """`/usetool floss` used to say "There is no tool called “floss”"."""
    await console.say("/newhabit Floss", "/newhabit Morning run")
    out = await console.say("/usetool floss")
    assert "There is no tool" not in out
    assert "Which tool for Floss? For example /usetool woop floss" in out
    out = await console.say("/usetool Morning Run")
    assert "Which tool for Morning run? For example /usetool woop morning run" in out
    assert "There is no tool called “swim”" in await console.say("/usetool swim")
