"""Three people in group chats through the console: what a newcomer tried, and the replies it
must get. Every test runs on SQLite and PostgreSQL; the clock starts at Monday 2026-03-23 09:00
UTC."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.support.console import ConsoleSession, bot


def red_jpeg(folder: Path) -> Path:
    path = folder / "red.jpg"
    Image.new("RGB", (64, 64), "red").save(path)
    return path


async def test_a_monday_weekly_summary_tells_the_week_that_just_ended(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """Summaries set for Monday morning used to arrive about the week just begun: 0 done,
    no proofs, no collage. They tell the week that ended the day before."""
    photo = red_jpeg(tmp_path)
    await console.say(":user Alice", "/newhabit Run", "/done run", "/summarytime mon 9")
    await console.say(":chat group Runners", "/newgroup Runners", "/summarytime mon 9")
    await console.say(f":photo {photo} run")
    await console.say(":time 2026-03-24T08:00", "/done run")
    assert "(message" not in await console.say(":time 2026-03-30T08:30")
    out = await console.say(":time 2026-03-30T09:01")
    assert out == (
        "(clock: Mon 2026-03-30 09:01 UTC)\n"
        "(message for alice)\n"
        + bot(
            "Your week · Mon 23 Mar to Sun 29 Mar",
            "• Run: 2/7 that week · streak 0 days · day 2 of 66",
            "",
            "Proofs",
            "• Runners: 1 proof",
            "",
            "Insights from people you trust",
            "None that week. Trust people whose learnings you value: /trust @name.",
        )
        + "(message in group runners)\n"
        + bot(
            "Runners · week of Mon 23 Mar",
            "               proofs  check-ins  streak",
            "Alice               1        2/7       0",
            "1 proof that week from 1 member.",
        )
        + "(message in group runners)\n"
        + f"bot: [image {console.media_dir / '001-proofs-2026-03-23.jpg'}] "
        "Proofs · Runners · week of Mon 23 Mar\n"
    )
    # The board on demand is still this week's.
    out = await console.say("/board")
    assert "Runners · week of Mon 30 Mar" in out and "0 proofs this week" in out


async def test_a_sunday_weekly_summary_tells_the_week_under_way(
    console: ConsoleSession,
) -> None:
    await console.say(":user Alice", "/newhabit Run", "/done run")
    out = await console.say(":time 2026-03-29T18:01")
    assert "Your week · Mon 23 Mar to Sun 29 Mar" in out
    assert "• Run: 1/7 this week" in out and "None this week." in out
