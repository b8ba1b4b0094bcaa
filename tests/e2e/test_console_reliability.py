"""Legal but awkward input through the console, on both databases: clear answers, never the
generic apology, and replies that fit every platform whatever people typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from bot.dispatcher import SORRY_BUG, SORRY_STORAGE, TOO_LONG
from bot.messages import Chat, ChatKind, Person, Request, Response, utf16_len
from tests.support.console import ConsoleSession

DISCORD_TEXT_LIMIT = 2000
ANA = Person("console", "ana", "Ana", "ana")
ANA_DM = Chat("console", "dm:ana", ChatKind.PRIVATE)


def apologises(out: str) -> bool:
    return SORRY_BUG in out or SORRY_STORAGE in out


async def handle(console: ConsoleSession, request: Request) -> Response:
    return await console.adapter.bot.handle(request)


async def test_the_last_member_leaving_closes_the_group(
    console: ConsoleSession, tmp_path: Path
) -> None:
    photo = tmp_path / "run.png"
    Image.new("RGB", (40, 30), (10, 120, 200)).save(photo)
    await console.say(":user Ana", ":chat group Runners", "/newgroup Runners")
    await console.say("/learn Warm up first", f":photo {photo} /proof")
    out = await console.say("/leave")
    assert out == "bot: You were the last member, so Runners is closed.\n"
    assert "has no HabitLink group" in await console.say("/groupinfo")
    assert "Created the group Runners" in await console.say("/newgroup Runners")  # free again


async def test_numbers_out_of_range_get_clear_answers(console: ConsoleSession) -> None:
    await console.say(":user Ana", "/newhabit Read")
    # Python refuses to convert strings of over 4,300 digits; messages are capped below that.
    assert TOO_LONG in await console.say("/done " + "9" * 4301)
    huge = "9" * 4000
    cases = {
        "/done 9223372036854775808": "There is no habit number 9223372036854775808; you have 1.",
        f"/done {huge}": "There is no habit number 9999999999",
        f"/daystart {huge}": "Give an hour from 0 to 6",
        "/daystart 99999999999999999999": "Give an hour from 0 to 6",
        f"/unremind {huge}": "Give the number of a reminder from /reminders",
        f"/quiethours {huge}-7": "Quiet hours: off.",
        f"/summarytime sun {huge}": "Name a day and an hour",
    }
    for line, expected in cases.items():
        out = await console.say(line)
        assert expected in out, (line, out)
        assert not apologises(out)
    assert len(await console.say(f"/done {huge}")) < 200  # the echo is cut short


@pytest.mark.parametrize(
    "payload",
    [
        "hd:9223372036854775808:20260323",
        "hu:" + "9" * 90,
        "lk:99999999999999999999999",
        "lk:1:newest:9223372036854775807",
        "fd:newest:" + "9" * 60,
        "st:2147483648",
        "rd:9223372036854775808:20260323",
        "ef:-1:title",
        "dh:1:" + "x" * 200,  # longer than any platform's button payload
    ],
)
async def test_forged_buttons_get_a_short_notice(console: ConsoleSession, payload: str) -> None:
    await console.say("/newhabit Read")
    response = await handle(console, Request(ANA, ANA_DM, button=payload))
    assert response.notice is not None
    assert not response.replies


async def test_nul_and_control_characters_are_dropped(console: ConsoleSession) -> None:
    out = await console.say(":user Ana", "/newhabit Read\x00ing\x07 books")
    assert "Created Reading books, every day." in out
    response = await handle(console, Request.from_text(ANA, ANA_DM, "/done \x00reading books"))
    assert "✓ Reading books done today" in response.replies[0].text.plain()
    named = Person("console", "ana", "An\x00a")
    response = await handle(console, Request.from_text(named, ANA_DM, "/habits"))
    assert not apologises(response.replies[0].text.plain())


async def test_too_long_input_is_refused_before_any_work(console: ConsoleSession) -> None:
    out = await console.say(":chat group Runners", "/newgroup Runners", "/learn " + "a" * 5000)
    assert TOO_LONG in out
    assert "No learnings in Runners yet" in await console.say("/learnings")


async def test_replies_that_echo_input_cut_it_short(console: ConsoleSession) -> None:
    await console.say(":user Ana", "/newhabit Read")
    for line in ("/done " + "😀" * 2040, "/deletehabit " + "é" * 3000, "/timezone " + "x" * 4000):
        response = await handle(console, Request.from_text(ANA, ANA_DM, line))
        text = "\n".join(r.text.plain() for r in response.replies)
        assert "…" in text and utf16_len(text) < 600, text[:300]


async def test_pages_of_long_learnings_fit_a_message(console: ConsoleSession) -> None:
    await console.say(":user Ana", ":chat group Runners", "/newgroup Runners public")
    for n in range(10):  # ten different ones (the same learning again is refused)
        await console.say("/learn " + "😀" * 999 + str(n))
    group = Chat("console", "group:runners", ChatKind.GROUP, "Runners")
    pages = [
        await handle(console, Request.from_text(ANA, group, "/learnings")),
        await handle(console, Request.from_text(ANA, ANA_DM, "/feed")),
        await handle(console, Request.from_text(ANA, ANA_DM, "/feed top")),
    ]
    for page in pages:
        (reply,) = page.replies
        assert reply.text.plain().count("😀…") >= 5
        assert utf16_len(reply.text.plain()) <= DISCORD_TEXT_LIMIT


async def test_the_console_clock_refuses_days_outside_the_calendar(
    console: ConsoleSession,
) -> None:
    await console.say("/newhabit Read", "/remind read 07:30")
    for when in ("0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00+01:00"):
        out = await console.say(f":time {when}")
        assert out == "(the clock goes from 1971 to 9998; pick a time in between)\n", out
    assert "(clock: Wed 9998-12-30 12:00 UTC)" in await console.say(":time 9998-12-30T12:00")
    assert "Today · Wed 30 Dec" in await console.say("/habits")
