"""What three new users (a newcomer who types loosely, a committed tracker, a Toolbox reader)
typed and got a wrong or unhelpful answer to, and the replies they must get now.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot


async def test_a_misspelt_day_is_said_to_be_one_and_checks_nothing_in(
    console: ConsoleSession,
) -> None:
    """'/done water yesterdy' read the misspelt day into the habit's name: "I can't find a
    habit called 'water yesterdy'" with a Drink water button that checked it in for today,
    not yesterday. A day word a typo away is said so, with the command that works, and no
    button; so is 'N days ago', which found no habit at all."""
    await console.say("/newhabit Drink water")
    assert await console.say("/done water yesterdy") == bot(
        "yesterdy is not a day I can read. Did you mean /done water yesterday?"
    )
    assert console.buttons == []
    assert await console.say("/skip water mondy") == bot(
        "mondy is not a day I can read. Did you mean /skip water monday?"
    )
    assert await console.say("/done water last tusday") == bot(
        "last tusday is not a day I can read. Did you mean /done water last tuesday?"
    )
    assert await console.say("/done water tomorow") == bot(
        "tomorow is not a day I can read, and tomorrow is in the future: you can check in "
        "today or up to 7 days back (/done water -2 is two days ago)."
    )
    assert await console.say("/done water 2 days ago") == bot(
        "2 days ago is not a day I can read: for 2 days ago send /done water -2 "
        "(days back go up to -7)."
    )
    assert console.buttons == []
    assert "1. ○ Drink water — streak 0 days" in await console.say("/habits")  # nothing done
    # The forms suggested work.
    assert (await console.say("/done water yesterday")).startswith(
        "bot: ✓ Drink water done yesterday."
    )
    assert (await console.say("/done water -2")).startswith("bot: ✓ Drink water done Sat 21 Mar.")
    # A habit's own word that only looks like a day is still its name.
    await console.say("/newhabit Sundae treat")
    assert (await console.say("/done sundae")).startswith("bot: ✓ Sundae treat done today.")
