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
