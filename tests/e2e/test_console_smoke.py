"""A first conversation through the console adapter, on both databases."""

from __future__ import annotations

from tests.support.console import ConsoleSession


async def test_create_check_in_and_see_the_streak(console: ConsoleSession) -> None:
    out = await console.say("/newhabit Read 10 pages")
    assert "Created Read 10 pages, every day" in out
    out = await console.say("/habits")
    assert "1. ○ Read 10 pages — streak 0 days" in out
    assert console.buttons == ["✓ Read 10 pages"]
    out = await console.say(":press 1")
    assert "(notice: ✓ Read 10 pages)" in out
    assert "bot (edited): Today · Mon 23 Mar" in out
    assert "1. ✓ Read 10 pages — streak 1 day" in out
    assert console.buttons == ["↩ Undo Read 10 pages"]
