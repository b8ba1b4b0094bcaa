"""A tool an admin hides (core.admin.tools) after someone attached it to a habit: the habit keeps
it (nothing the person chose is thrown away; approving it again brings it back everywhere), its
card and /stats list it marked as no longer in the Toolbox, and /usetool TOOL HABIT off detaches
it. It used to vanish from the habit's lists with no way to detach it. SQLite and PostgreSQL."""

from __future__ import annotations

from bot.dispatcher import HabitLinkBot
from tests.support.admin import make_admin
from tests.support.console import ConsoleSession

WOOP = "WOOP (mental contrasting)"
GONE = f"{WOOP} (no longer in the Toolbox)"


async def hide(bot: HabitLinkBot, name: str) -> None:
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        tool = await uow.toolbox.find(name)
        assert await uow.admin.tools.hide(admin, tool.id)
        await uow.commit()


async def test_a_hidden_tool_stays_on_the_habit_marked_and_can_be_detached(
    bot: HabitLinkBot, console: ConsoleSession
) -> None:
    await console.say("/newhabit Morning run", "/usetool woop morning run")
    await console.say("/usetool habit stacking morning run")
    await hide(bot, "woop")
    assert f"Techniques: Habit stacking, {GONE}" in await console.say("/stats morning")
    assert f"Techniques: Habit stacking, {GONE}" in await console.say("/edithabit morning")
    await console.say("/cancel")
    # Using it again is refused, saying how to stop it; it is not in /tools any more.
    out = await console.say("/usetool woop morning run")
    assert f"{WOOP} is no longer in the Toolbox" in out and "/usetool woop morning run off" in out
    assert "WOOP" not in await console.say("/tools woop")
    assert await console.say("/usetool woop morning run off") == (
        f"bot: Morning run no longer uses {WOOP}.\n"
    )
    out = await console.say("/stats morning")
    assert "Techniques: Habit stacking\n" in out and "WOOP" not in out
    assert "There is no tool called" in await console.say("/usetool woop morning run off")


async def test_a_hidden_tool_is_detached_from_the_only_habit_using_it(
    bot: HabitLinkBot, console: ConsoleSession
) -> None:
    """Without a habit, off stops it where it is used (one habit: at once; several: which)."""
    await console.say("/newhabit Floss", "/newhabit Read", "/newhabit Run")
    await console.say("/usetool woop floss", "/usetool woop read")
    await hide(bot, "woop")
    out = await console.say("/usetool woop off")
    assert "Stop using" in out and console.buttons == [
        f"Stop {WOOP} for Floss",
        f"Stop {WOOP} for Read",
    ]
    assert f"Read no longer uses {WOOP}." in await console.say("2")  # typed, as pressed
    assert await console.say("/usetool woop off") == f"bot: Floss no longer uses {WOOP}.\n"
    assert "WOOP" not in await console.say("/stats floss")
