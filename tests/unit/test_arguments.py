"""bot/arguments.py reads every command's words (or Discord's options) by its declaration."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.arguments import Args, Member, needs_lookup, parse
from bot.commands import Arg, BadArgument, Command, Kind
from bot.handlers import build_router
from bot.messages import Request, Response
from tests.support.requests import person, private_chat

TODAY = date(2026, 3, 25)  # a Wednesday
COMMANDS = build_router().commands
MIA = person("Mia")


async def nothing(ctx: object) -> Response:
    return Response()


def declared(*params: object, name: str = "x") -> Command:
    return Command(name, nothing, "Summary", params=tuple(params))  # type: ignore[arg-type]


def words(
    command: Command | str, text: str, *, known: set[str] | None = None, **request: object
) -> Args:
    cmd = COMMANDS[command] if isinstance(command, str) else command
    lookup = None
    if known is not None:
        lookup = lambda kind, phrase: phrase.lower() in known  # noqa: E731
    req = Request(person("Ada"), private_chat(person("Ada")), args=text, **request)  # type: ignore[arg-type]
    return parse(cmd, req, TODAY, lookup)


def options(command: str, values: dict[str, str], **request: object) -> Args:
    req = Request(person("Ada"), private_chat(person("Ada")), options=values, **request)  # type: ignore[arg-type]
    return parse(COMMANDS[command], req, TODAY)


def refused(command: Command | str, text: str, **kw: object) -> str:
    with pytest.raises(BadArgument) as caught:
        words(command, text, **kw)  # type: ignore[arg-type]
    return caught.value.message


def test_habit_names_with_spaces_and_a_day() -> None:
    read = words("done", "drink  water yesterday")
    assert read.habit() == "drink water" and read.day() == date(2026, 3, 24)
    assert words("done", "drink water").day() is None
    assert words("done", "3 -2").values == {"habit": "3", "day": date(2026, 3, 23)}
    assert words("skip", "call mom mon").day() == date(2026, 3, 23)


def test_words_and_options_end_at_the_same_values() -> None:
    cases = [
        ("done", "drink water yesterday", {"habit": "drink water", "day": "yesterday"}),
        ("remind", "tea 7:30 mon fri", {"habit": "tea", "time": "7:30", "days": "mon fri"}),
        ("edithabit", "read why calm", {"habit": "read", "field": "why", "value": "calm"}),
        ("newgroup", "Early Birds private", {"name": "Early Birds", "visibility": "private"}),
        ("unlearn", "2", {"number": "2"}),
        ("feed", "best", {"order": "best"}),
        ("lifebook", "goal Run 5k by 2026-06-30", {"part": "goal", "text": "Run 5k by 2026-06-30"}),
    ]  # fmt: skip
    for command, text, given in cases:
        assert words(command, text) == options(command, given), command


def test_typed_values() -> None:
    remind = words("remind", "drink water 7pm mon wed")
    assert remind.habit() == "drink water" and remind.time() == time(19, 0)
    assert remind.text("days") == "mon wed"
    assert words("unlearn", "2").number("number") == 2
    assert words("feed", "BEST").choice("order") == "top"
    assert words("lifebook", "setup").choice("part") == "guide"
    assert words("trust", "@mia").member() == Member(username="@mia")
    replied = words("kick", "", reply_to=MIA)
    assert replied.member() == Member(person=MIA)
    assert words("trust", "thanks for this!", reply_to=MIA).member() == Member(person=MIA)
    learned = words("learn", "Start tiny.\n  Then grow.")
    assert learned.text("text") == "Start tiny.\n  Then grow."  # free text as typed


def test_optional_words_that_are_really_the_options() -> None:
    assert words("newgroup", "private").values == {"visibility": "private"}
    assert words("newgroup", "Public speaking").text("name") == "Public speaking"
    assert words("edithabit", "why").habit() == "why"  # a habit called Why
    assert words("edithabit", "read more").values == {"habit": "read more"}


def test_two_names_in_a_row_split_where_the_first_is_known() -> None:
    usetool = COMMANDS["usetool"]
    assert needs_lookup(usetool) == {Kind.TOOL}
    assert needs_lookup(COMMANDS["proof"]) == {Kind.HABIT}
    assert needs_lookup(COMMANDS["done"]) == set()
    known = {"habit stacking", "habit", "woop"}
    split = words("usetool", "habit stacking morning run off", known=known)
    assert split.values == {"tool": "habit stacking", "habit": "morning run", "off": "off"}
    assert words("usetool", "woop", known=known).values == {"tool": "woop"}
    unknown = words("usetool", "nothing like it", known=known)
    assert unknown.values == {"tool": "nothing like it"}  # the tool's lookup explains
    photo = declared(Arg.habit(), Arg.text("note", "A note"), name="proof")
    assert words(photo, "run 5k in the rain", known={"run 5k"}).values == {
        "habit": "run 5k",
        "note": "in the rain",
    }
    assert words(photo, "what a day", known={"run 5k"}).values == {"note": "what a day"}


@pytest.mark.parametrize(
    ("command", "text", "reply"),
    [
        ("unlearn", "two", "Send /unlearn N with the number from /learnings, e.g. /unlearn 2."),
        ("unlearn", "", "Send /unlearn N with the number from /learnings, e.g. /unlearn 2."),
        ("daystart", "seven", "Give an hour from 0 to 6, for example /daystart 3."),
        ("visibility", "sometimes", "Say /visibility public or /visibility private."),
        ("visibility", "", "/visibility needs public|private."),
        ("remind", "read", "/remind needs HH:MM."),
        ("remind", "read 25:00", "25:00 is not a time of day. Use HH:MM, like 07:30 or 19:00."),
        ("done", "read 2026-02-30", "2026-02-30 is not a real date. Use YYYY-MM-DD."),
        ("done", "read tomorrow", "is in the future"),
        (
            "kick",
            "mia",
            "Whom? Reply to their message with /kick, or send /kick @mia: a username starts "
            "with @.",
        ),
        ("kick", "mia!", "Whom? Reply to their message with /kick, or send /kick @username."),
        ("kick", "@mia now", "I didn't expect 'now' there."),
        ("quiet", "maybe", "Say /quiet to switch the weekly summary off"),
        ("lifebook", "dreams big", "I don't know the Lifebook part “dreams”."),
        ("learn", "", "/learn needs WHAT YOU LEARNED."),
    ],
)
def test_words_that_do_not_fit_get_the_usage(command: str, text: str, reply: str) -> None:
    assert reply in refused(command, text)


def test_the_usage_reply_is_derived_from_the_declaration() -> None:
    reply = refused("remind", "read")
    assert reply.splitlines() == [
        "/remind needs HH:MM.",
        "Usage: /remind HABIT HH:MM [mon wed fri]",
        "  HABIT: The habit: its number in /habits, its name or a word of it",
        "  HH:MM: Your local time: 07:30, 12 30, 7pm, noon or a whole hour (19)",
        "  mon wed fri: Weekdays, e.g. mon wed fri (default: the habit's days)",
    ]
    hour = declared(Arg.number("hour", "0 to 6", low=0, high=6, label="H"), name="daystart")
    for bad in ("7", "-1", "three", "1-2"):
        assert refused(hour, bad).startswith("H is a whole number from 0 to 6.\nUsage:")
    assert refused(hour, "3 4").startswith("I didn't expect '4' there.")
    assert words(hour, " 3 ").number("hour") == 3 and not words(hour, "")


def test_bare_commands_reach_their_handler() -> None:
    for name in ("done", "tool", "usetool", "findtool", "summarytime", "quiethours"):
        assert COMMANDS[name].bare and words(name, "   ") == Args({}), name
    assert words("proof", "", photo=None).values == {"photo": None}
