"""What a newcomer typed in a trial and was refused although it meant the right thing: an
invite code in another case, '/daystart 3am', '/tools sleep', '/findtool 😴😴😴'."""

from __future__ import annotations

from tests.e2e.test_console_group_week import invite_code
from tests.support.console import ConsoleSession, bot


def other_case(code: str) -> str:
    """The code with every letter's case flipped (upper for lower and back)."""
    return code.swapcase()


async def test_an_invite_code_joins_in_any_case_and_with_stray_spaces(
    console: ConsoleSession,
) -> None:
    """'/join SRRGJSOMA_CE' was refused for a code shown with other letters small: link codes
    ignore case, invite codes didn't. A code read out, copied in capitals or with a space
    joins; a wrong code is still refused."""
    await console.say(":user Alice", ":chat group Book club", "/newgroup Book club private")
    code = invite_code(await console.say("/invite"))
    await console.say(":user Bob", ":chat dm")
    assert await console.say(f"/join {code.lower()}") == bot(
        "You joined Book club. Post your proofs and learnings in its chat."
    )
    await console.say(":user Carol")
    spaced = f"{code[:4].upper()} {code[4:].lower()}"
    assert (await console.say(f"/join  {spaced} ")).startswith("bot: You joined Book club.")
    await console.say(":user Dan")
    wrong = code[:-1] + ("X" if code[-1].upper() != "X" else "Y")
    assert "doesn't match any group" in await console.say(f"/join {wrong}")
    # In the group's own chat too.
    await console.say(":chat group Book club")
    assert await console.say(f"/join {other_case(code)}") == bot("Welcome to Book club, Dan!")


async def test_daystart_reads_3am_and_03_00_and_says_why_it_refuses(
    console: ConsoleSession,
) -> None:
    """'/daystart 3am', '3 am' and '03:00' were refused with 'Give an hour from 0 to 6', which
    they were. They set 03:00; an hour past 6, or one with minutes, is refused saying why."""
    for said in ("3am", "3 am", "03:00", "3:00", "3 a.m."):
        assert await console.say(f"/daystart {said}") == bot(
            "Done: your day now starts at 03:00."
        ), said
    assert await console.say("/daystart midnight") == bot("Done: your day now starts at 00:00.")
    assert await console.say("/daystart 7am") == bot(
        "Your day can start at midnight or up to 6 in the morning, not at 07:00: "
        "for example /daystart 3."
    )
    assert await console.say("/daystart 3pm") == bot(
        "Your day can start at midnight or up to 6 in the morning, not at 15:00: "
        "for example /daystart 3."
    )
    assert await console.say("/daystart 03:30") == bot(
        "Your day starts on a whole hour, not at 03:30: for example /daystart 3."
    )
    assert (await console.say("/daystart")).startswith("bot: Your day starts at 00:00.")


async def test_tools_finds_a_word_in_any_form(console: ConsoleSession) -> None:
    """'/tools sleep' said no tool mentions it, though tools help people out of bed in the
    morning; a plural or another form of a word ('urges', 'slept') found nothing either."""
    sleep = await console.say("/tools sleep")
    assert "Toolbox · “sleep”" in sleep and "Design your environment" in sleep
    assert "Design your environment" in await console.say("/tools slept")
    assert "Urge surfing" in await console.say("/tools Urges")
    assert "Urge surfing" in await console.say("/tools resisting")
    assert "No tool mentions “zzzz”" in await console.say("/tools zzzz")


async def test_findtool_with_only_emoji_asks_for_words(console: ConsoleSession) -> None:
    """'/findtool 😴😴😴' got the reply to an empty /findtool, as if nothing was sent."""
    assert await console.say("/findtool 😴😴😴") == bot(
        "I can't read emoji alone (😴😴😴). Tell me what gets in your way in words, for example:",
        "/findtool I keep skipping the gym after work",
    )
