"""When a person's day starts (/timezone, /daystart) and the console's own meta lines:
several people (:user), group chats (:chat), buttons (:press), the clock (:time), photos.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.console import ConsoleSession

INDENT = "     "
HINT = "Send /help to see what I can do, or /habits for today's list."


def bot(*lines: str, edited: bool = False) -> str:
    """One reply exactly as the console prints it."""
    lead = "bot (edited): " if edited else "bot: "
    return "\n".join([lead + lines[0], *(INDENT + line for line in lines[1:])]) + "\n"


# --- /timezone -----------------------------------------------------------------------------
async def test_timezone_by_name_and_by_city(console: ConsoleSession) -> None:
    assert await console.say("/timezone") == bot(
        "Your time zone is UTC. Change it with /timezone Europe/Berlin"
        " (any IANA name, or just a city such as Tokyo)."
    )
    assert await console.say("/timezone Europe/Berlin") == bot(
        "Time zone set to Europe/Berlin. It is 10:00 on Monday there."
    )
    assert await console.say("/timezone Tokyo") == bot(
        "Time zone set to Asia/Tokyo. It is 18:00 on Monday there."
    )
    assert await console.say("/timezone new york") == bot(
        "Time zone set to America/New_York. It is 05:00 on Monday there."
    )
    assert await console.say("/timezone america/argentina/buenos_aires") == bot(
        "Time zone set to America/Argentina/Buenos_Aires. It is 06:00 on Monday there."
    )
    assert await console.say("/timezone utc") == bot(  # GMT offers London: test_console_chat_words
        "Time zone set to UTC. It is 09:00 on Monday there."
    )
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC.")
    # The /start text shows it too.
    await console.say("/timezone Tokyo")
    assert "(now: Asia/Tokyo)" in await console.say("/start")


async def test_misspelled_timezone_offers_buttons(console: ConsoleSession) -> None:
    out = await console.say("/timezone Europe/Berln")
    assert out.startswith(
        bot(
            "I don't know the time zone 'Europe/Berln'. Did you mean one of these?",
            "[1] Europe/Berlin",
        )
    )
    assert console.buttons[0] == "Europe/Berlin"
    assert 1 < len(console.buttons) <= 5
    assert all("/" in label for label in console.buttons)
    assert await console.say(":press 1") == "(notice: Time zone: Europe/Berlin)\n" + bot(
        "Time zone set to Europe/Berlin. It is 10:00 on Monday there.", edited=True
    )
    assert (await console.say("/timezone")).startswith("bot: Your time zone is Europe/Berlin.")


async def test_timezone_nonsense_gets_no_suggestions(console: ConsoleSession) -> None:
    assert await console.say("/timezone qqxqzzv") == bot(
        "I don't know the time zone 'qqxqzzv'. Try a name like Europe/Berlin or a city like Tokyo."
    )
    assert console.buttons == []
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC.")


async def test_timezone_as_an_offset(console: ConsoleSession) -> None:
    # IANA's Etc/GMT+5 is UTC-5: "GMT-5" used to be offered Etc/GMT-5, ten hours off.
    assert await console.say("/timezone GMT-5") == bot(
        "Time zone set to UTC-5. It is 04:00 on Monday there.",
        "That offset stays the same all year. If your clocks change for summer, name your"
        " city instead, for example /timezone Berlin.",
    )
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC-5.")
    assert (await console.say("/timezone utc +2")).startswith(
        bot("Time zone set to UTC+2. It is 11:00 on Monday there.")[:-1]
    )
    await console.say("/newhabit Read")
    assert await console.say("/remind read 07:00") == bot(
        "I'll remind you of Read at 07:00 every day (UTC+2). Next: Tue 24 Mar, 07:00."
    )
    assert await console.say(":time 2026-03-24T05:00") == (
        "(clock: Tue 2026-03-24 05:00 UTC)\n(message for you)\n"
        + bot("⏰ Time for Read", "[1] ✓ Done  [2] 💤 1 hour  [3] Skip today")
    )
    # No fixed zone has half an hour: the places on that offset come as buttons.
    assert await console.say("/timezone +05:30") == bot(
        "UTC+05:30 is not a whole hour, so name the place. Did you mean one of these?",
        "[1] Asia/Colombo",
        "[2] Asia/Kolkata",
    )
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC+2.")
    assert await console.say("/timezone UTC+15") == bot(
        "UTC+15 is not an offset any place uses. Try a name like Europe/Berlin or a city like"
        " Tokyo."
    )
    assert await console.say("/timezone Etc/GMT-5") == bot(
        "Time zone set to UTC+5. It is 10:00 on Tuesday there.",
        "That offset stays the same all year. If your clocks change for summer, name your"
        " city instead, for example /timezone Berlin.",
    )


async def test_timezone_by_a_city_iana_does_not_name(console: ConsoleSession) -> None:
    """Mumbai, Beijing or San Francisco are on no IANA name, yet are what people type; an old
    name (Calcutta, Kiev) is the place's zone under its current name, never a second choice."""
    said = {
        "Mumbai": "Asia/Kolkata",
        "bengaluru": "Asia/Kolkata",
        "New Delhi": "Asia/Kolkata",
        "Beijing": "Asia/Shanghai",
        "san francisco": "America/Los_Angeles",
        "Washington": "America/New_York",
        "Boston": "America/New_York",
        "Calcutta": "Asia/Kolkata",
        "asia/calcutta": "Asia/Kolkata",
        "Kiev": "Europe/Kyiv",
        "Oslo": "Europe/Oslo",  # a place of its own, though its clock is Berlin's
    }
    for typed, zone in said.items():
        assert (await console.say(f"/timezone {typed}")).startswith(
            f"bot: Time zone set to {zone}. It is"
        ), typed
    out = await console.say("/timezone kalkutta")
    assert "Asia/Kolkata" in console.buttons, out
    assert "Asia/Calcutta" not in console.buttons, out
    await console.say("/timezone mumbay")
    assert console.buttons[0] == "Asia/Kolkata"


async def test_timezone_names_written_with_their_accents(console: ConsoleSession) -> None:
    """A new user's trial: 'São Paulo' was unknown (only 'Sao Paulo' was found), though that is
    how the city is written; accents and the common names of a city with a long one do not
    matter, as for habits."""
    said = {
        "São Paulo": "America/Sao_Paulo",
        "Bogotá": "America/Bogota",
        "Zürich": "Europe/Zurich",
        "reykjavík": "Atlantic/Reykjavik",
        "Ho Chi Minh City": "Asia/Ho_Chi_Minh",
        "America/São_Paulo": "America/Sao_Paulo",
    }
    for typed, zone in said.items():
        assert (await console.say(f"/timezone {typed}")).startswith(
            f"bot: Time zone set to {zone}. It is"
        ), typed
    await console.say("/timezone Sāo Pāulo city")
    assert console.buttons[0] == "America/Sao_Paulo"


async def test_timezone_abbreviations_offer_places(console: ConsoleSession) -> None:
    """IST or CST name clocks of places far apart (and not when summer time starts): the
    places that keep them come as buttons, and nothing changes until one is pressed. One
    place's clock (EST, CET) sets that place: tests/e2e/test_console_chat_words.py."""
    assert await console.say("/timezone CST") == bot(
        "CST is a clock several places keep; I go by the place, so summer time comes right."
        " Did you mean one of these?",
        "[1] America/Chicago",
        "[2] America/Mexico_City",
        "[3] Asia/Shanghai",
    )
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC.")
    await console.say("/timezone eet")
    assert console.buttons[:2] == ["Europe/Athens", "Europe/Kyiv"]
    assert await console.say(":press 2") == "(notice: Time zone: Europe/Kyiv)\n" + bot(
        "Time zone set to Europe/Kyiv. It is 11:00 on Monday there.", edited=True
    )


async def test_timezone_moves_the_users_today(console: ConsoleSession) -> None:
    await console.say(":time 2026-03-23T23:30", "/newhabit Read")
    assert (await console.say("/habits")).startswith("bot: Today · Mon 23 Mar\n")
    assert await console.say("/timezone Pacific/Auckland") == bot(
        "Time zone set to Pacific/Auckland. It is 12:30 on Tuesday there."
    )
    out = await console.say("/habits")
    assert out.startswith("bot: Today · Tue 24 Mar\n")
    assert "1. ○ Read — streak 0 days" in out
    assert await console.say("/done read") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    assert (await console.say("/done read yesterday")).startswith("bot: ✓ Read done yesterday.")
    # Back in UTC it is still Monday, which is done (as Auckland's "yesterday").
    await console.say("/timezone UTC")
    out = await console.say("/habits")
    assert out.startswith("bot: Today · Mon 23 Mar\n")
    assert "1. ✓ Read — streak 1 day" in out
    assert await console.say("/done read tomorrow") == bot(
        "2026-03-24 is in the future; you can only check in for today or earlier."
    )


async def test_daystart_lets_night_owls_finish_yesterday(console: ConsoleSession) -> None:
    assert await console.say("/daystart") == bot(
        "Your day starts at 00:00. Night owls can move it, for example /daystart 3"
        " counts anything before 03:00 as the day before."
    )
    assert "H (optional): The hour your day ends, from 0 (midnight) to 6 in the morning" in (
        await console.say("/help daystart")
    )
    assert await console.say("/daystart 3") == bot("Done: your day now starts at 03:00.")
    assert (await console.say("/daystart")).startswith("bot: Your day starts at 03:00.")
    await console.say("/newhabit Read")
    # 01:30 on Tuesday still counts as Monday.
    out = await console.say(":time 2026-03-24T01:30", "/habits")
    assert out.startswith("(clock: Tue 2026-03-24 01:30 UTC)\nbot: Today · Mon 23 Mar\n")
    assert await console.say("/done read") == bot("✓ Read done today. Streak 1 day, day 1 of 66.")
    out = await console.say(":time 2026-03-24T03:00", "/habits")
    assert "bot: Today · Tue 24 Mar\n" in out
    assert "1. ○ Read — streak 1 day" in out
    assert (await console.say("/done read yesterday")).startswith(
        bot("Read was already done yesterday.")[:-1]
    )
    assert await console.say("/daystart 0") == bot("Done: your day now starts at 00:00.")


async def test_daystart_rejects_other_hours(console: ConsoleSession) -> None:
    """'3 am' was refused here with the words that are no hour; it is 03:00, and accepted now
    (test_console_typed_words). '7' is an hour, past 6: refused saying so."""
    usage = bot("Give an hour from 0 to 6, for example /daystart 3.")
    for arg in ("-1", "abc", "2.5", "²", "24", "3 4"):
        assert await console.say(f"/daystart {arg}") == usage, arg
    assert await console.say("/daystart 7") == bot(
        "Your day can start at midnight or up to 6 in the morning, not at 07:00: "
        "for example /daystart 3."
    )
    assert (await console.say("/daystart")).startswith("bot: Your day starts at 00:00.")


# --- people and chats ------------------------------------------------------------------------
async def test_each_user_has_their_own_habits(console: ConsoleSession) -> None:
    assert await console.say(":user Alice") == "(you are now Alice)\n"
    assert (await console.say("/start")).startswith("bot: Welcome to HabitLink, Alice!\n")
    await console.say("/newhabit Read", "/done read")
    await console.say(":user Bob")
    assert (await console.say("/start")).startswith("bot: Welcome to HabitLink, Bob!\n")
    assert await console.say("/done read") == bot(
        "You have no habits yet. Create one with /newhabit."
    )
    await console.say("/newhabit Run", "/timezone Tokyo")
    out = await console.say("/habits")
    assert "1. ○ Run — streak 0 days" in out
    assert "Read" not in out
    await console.say(":user Alice")
    assert (await console.say("/start")).startswith("bot: Welcome back, Alice!\n")
    out = await console.say("/habits")
    assert "1. ✓ Read — streak 1 day" in out
    assert "Run" not in out
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC.")


async def test_someone_else_pressing_my_button_in_a_group(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Read", ":chat group Runners", "/habits")
    assert console.buttons == ["✓ Read"]
    out = await console.say(":user Bob", ":press 1")
    assert out == (
        "(you are now Bob)\n"
        "(notice: That habit isn't on your list (any more). Send /habits for your own list.)\n"
    )
    # Nothing changed for Alice, and Bob has nothing either.
    assert await console.say("/habits") == bot(
        "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages."
    )
    out = await console.say(":user Alice", "/habits")
    assert "1. ○ Read — streak 0 days" in out
    assert "0 of 1 done." in out
    # Alice's own press works in the group, editing her list in place.
    out = await console.say(":press 1")
    assert out.startswith("(notice: ✓ Read)\nbot (edited): Today · Mon 23 Mar\n")
    assert "1. ✓ Read — streak 1 day" in out


async def test_switching_between_group_and_private_chat(console: ConsoleSession) -> None:
    assert await console.say(":chat group Runners") == "(group chat Runners)\n"
    assert console.adapter.prompt() == "you@#Runners> "
    # Switching people keeps the group; /habits there is still personal.
    assert await console.say(":user Alice") == "(you are now Alice)\n"
    assert console.adapter.prompt() == "Alice@#Runners> "
    await console.say("/newhabit Read")
    assert "1. ○ Read" in await console.say("/habits")
    assert await console.say(":chat dm") == "(private chat with the bot)\n"
    assert console.adapter.prompt() == "Alice@dm> "
    assert "1. ○ Read" in await console.say("/habits")
    assert await console.say("hello") == bot(HINT)


async def test_a_setup_belongs_to_the_chat_it_started_in(console: ConsoleSession) -> None:
    await console.say("/newhabit")
    # In a group, the answer is just chatter.
    assert await console.say(":chat group Runners", "Read") == "(group chat Runners)\n"
    out = await console.say(":chat dm", "Read")
    assert out.startswith("(private chat with the bot)\nbot: 2/8 How often?")
    # And another person in the same chat is not inside it.
    assert await console.say(":user Bob", "daily") == "(you are now Bob)\n" + bot(HINT)


# --- the console's meta lines ----------------------------------------------------------------
async def test_press_needs_a_button_that_exists(console: ConsoleSession) -> None:
    assert await console.say(":press 1") == "(there is no button 1; the last reply had 0)\n"
    await console.say("/newhabit Read", "/habits")
    for arg in ("2", "0", "x", "²"):
        assert await console.say(f":press {arg}") == (
            f"(there is no button {arg}; the last reply had 1)\n"
        )
    assert "0 of 1 done." in await console.say("/habits")


async def test_time_meta_line(console: ConsoleSession) -> None:
    usage = "(use :time YYYY-MM-DDTHH:MM, for example :time 2026-03-29T07:30)\n"
    assert await console.say(":time tomorrow") == usage
    assert await console.say(":time 2026-02-30T10:00") == usage
    assert await console.say(":time 2026-03-29T07:30") == "(clock: Sun 2026-03-29 07:30 UTC)\n"
    assert await console.say(":time 2026-03-29T07:30+02:00") == (
        "(clock: Sun 2026-03-29 05:30 UTC)\n"
    )
    assert (await console.say("/newhabit Read", "/habits")).endswith(
        "bot: Today · Sun 29 Mar\n" + INDENT + "1. ○ Read — streak 0 days\n"
        f"{INDENT}\n{INDENT}0 of 1 done.\n{INDENT}[1] ✓ Read\n"
    )


async def test_photo_meta_line(console: ConsoleSession, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-photo.jpg"
    assert await console.say(f":photo {missing} my run") == f"(no file at {missing})\n"
    photo = tmp_path / "run.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    assert await console.say(f":photo {photo} morning run") == bot(
        "Nice photo! Send a photo in your group's chat, with the caption /proof [habit] [note] "
        "if you like."
    )


async def test_unknown_and_incomplete_meta_lines(console: ConsoleSession) -> None:
    for line in (":dance", ":user", ":chat", ":chat group", ":chat lobby", ":photo", ":press"):
        assert await console.say(line) == (
            f"(unknown or incomplete meta line {line!r}; :help lists them)\n"
        )
    out = await console.say(":help")
    assert out.startswith("Meta lines (everything else goes to the bot):\n")
    assert "  :press N                press button N of the last reply\n" in out
    assert "\nCommands here (/help COMMAND for one): /start /help /cancel /habits " in out
    assert " /timezone " in out and " /learn " not in out  # in a private chat
    group = await console.say(":chat group Runners", ":help")
    assert " /learn " in group and " /timezone " not in group
    # Blank lines and comments are ignored; :quit ends the session.
    assert await console.say("", "   ", "# a comment") == ""
    assert await console.adapter.feed(":quit") is False
    assert await console.adapter.feed("/help") is True


# --- /settings ------------------------------------------------------------------------------
async def test_settings_shows_every_setting_and_how_to_change_it(console: ConsoleSession) -> None:
    # Telegram's own convention (BotFather offers /settings beside /start and /help): it used
    # to get "I don't know /settings".
    assert await console.say("/settings") == bot(
        "Your settings",
        "Time zone: UTC (09:00 on Monday there) · /timezone",
        "Day starts: 00:00 · /daystart",
        "Quiet hours: off · /quiethours",
        "Weekly summary: on Sun at 18:00 (UTC) · /summarytime, /quiet",
        "Chat accounts: Console · /link",
        "Web account: none (register on the web, then /link)",
    )
    await console.say(
        "/timezone Berlin", "/daystart 3", "/quiethours 22-7", "/summarytime mon 8", "/quiet"
    )
    out = await console.say("/settings")
    assert "Time zone: Europe/Berlin (10:00 on Monday there) · /timezone\n" in out
    assert "Day starts: 03:00 · /daystart\n" in out
    assert "Quiet hours: 22:00–07:00 · /quiethours\n" in out
    assert "Weekly summary: never (it is off: /quiet off) · /summarytime, /quiet\n" in out
    assert "Did you mean\n     /settings – " in await console.say("/preferences")
    await console.say(":chat group Runners")
    assert await console.say("/settings") == bot("/settings works in a private chat with me.")
