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
