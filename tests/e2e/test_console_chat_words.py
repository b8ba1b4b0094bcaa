"""Words new users type that name a thing another way: a clock's abbreviation or spoken name
for /timezone (PST, pacific time, LA), and everyday words for a group's visibility
(/newgroup Crew secret).

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC: the
US is on summer time (since 8 March), Europe is not yet (29 March).
"""

from __future__ import annotations

from tests.support.console import ConsoleSession

INDENT = "     "


def bot(*lines: str) -> str:
    """One reply exactly as the console prints it."""
    return "\n".join(["bot: " + lines[0], *(INDENT + line for line in lines[1:])]) + "\n"


def read_as(typed: str, label: str, summer: bool = True) -> str:
    included = ", summer time included" if summer else ""
    return (
        f"I read '{typed}' as {label}{included}. Not where you are? Send /timezone and your city."
    )


# --- /timezone -----------------------------------------------------------------------------
async def test_a_clocks_abbreviation_sets_the_city_zone_that_follows_summer_time(
    console: ConsoleSession,
) -> None:
    """PST sets America/Los_Angeles (never IANA's legacy zones EST or PST8PDT, nor a fixed
    offset): the reply names the zone set, and says how the word was read."""
    assert await console.say("/timezone PST") == bot(
        "Time zone set to America/Los_Angeles. It is 02:00 on Monday there.",
        read_as("PST", "US Pacific time"),
    )
    assert await console.say("/timezone EST") == bot(
        "Time zone set to America/New_York. It is 05:00 on Monday there.",
        read_as("EST", "US Eastern time"),
    )
    assert (await console.say("/timezone")).startswith("bot: Your time zone is America/New_York.")
    assert await console.say("/timezone cet") == bot(
        "Time zone set to Europe/Berlin. It is 10:00 on Monday there.",
        read_as("CET", "Central European time"),
    )
    assert await console.say("/timezone JST") == bot(
        "Time zone set to Asia/Tokyo. It is 18:00 on Monday there.",
        read_as("JST", "Japan time", summer=False),
    )
    for typed, zone in (
        ("PDT", "America/Los_Angeles"),
        ("p.s.t.", "America/Los_Angeles"),
        ("EDT", "America/New_York"),
        ("CDT", "America/Chicago"),
        ("MDT", "America/Denver"),
        ("BST", "Europe/London"),
        ("CEST", "Europe/Berlin"),
        ("EST5EDT", "America/New_York"),
        ("PST8PDT", "America/Los_Angeles"),
    ):
        out = await console.say(f"/timezone {typed}")
        assert out.startswith(f"bot: Time zone set to {zone}."), (typed, out)


async def test_a_clocks_spoken_name_sets_its_zone(console: ConsoleSession) -> None:
    assert await console.say("/timezone pacific time") == bot(
        "Time zone set to America/Los_Angeles. It is 02:00 on Monday there.",
        read_as("pacific time", "US Pacific time"),
    )
    for typed, zone in (
        ("eastern", "America/New_York"),
        ("Eastern Time", "America/New_York"),
        ("eastern standard time", "America/New_York"),
        ("US Central", "America/Chicago"),
        ("central time", "America/Chicago"),
        ("Pacific", "America/Los_Angeles"),
        ("pacific daylight time", "America/Los_Angeles"),
        ("central european time", "Europe/Berlin"),
        ("mountain daylight time", "America/Denver"),
    ):
        out = await console.say(f"/timezone {typed}")
        assert out.startswith(f"bot: Time zone set to {zone}."), (typed, out)
    # A place followed by 'time' is the place; no note, it named the place itself.
    assert await console.say("/timezone london time") == bot(
        "Time zone set to Europe/London. It is 09:00 on Monday there."
    )
    assert (await console.say("/timezone japan time")).startswith(
        "bot: Time zone set to Asia/Tokyo."
    )


async def test_city_nicknames_set_the_city(console: ConsoleSession) -> None:
    assert await console.say("/timezone LA") == bot(
        "Time zone set to America/Los_Angeles. It is 02:00 on Monday there."
    )
    assert await console.say("/timezone NYC") == bot(
        "Time zone set to America/New_York. It is 05:00 on Monday there."
    )
    assert (await console.say("/timezone SF")).startswith(
        "bot: Time zone set to America/Los_Angeles."
    )


async def test_an_abbreviation_several_clocks_share_offers_the_places(
    console: ConsoleSession,
) -> None:
    """IST is India's, Israel's and Ireland's; CST the US's and China's; MST both Denver's and
    Arizona's, which keeps no summer time: nothing is guessed."""
    assert await console.say("/timezone IST") == bot(
        "IST is a clock several places keep; I go by the place, so summer time comes right."
        " Did you mean one of these?",
        "[1] Asia/Kolkata",
        "[2] Europe/Dublin",
        "[3] Asia/Jerusalem",
    )
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC.")
    await console.say("/timezone CST")
    assert console.buttons == ["America/Chicago", "America/Mexico_City", "Asia/Shanghai"]
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC.")
    out = await console.say("/timezone mountain time")
    assert out.startswith("bot: mountain time is a clock several places keep;")
    assert console.buttons == ["America/Denver", "America/Phoenix"]
    out = await console.say(":press 2")
    assert "Time zone set to America/Phoenix." in out
    assert "I read" not in out


async def test_gmt_offers_london_and_places_on_gmt_all_year(console: ConsoleSession) -> None:
    """GMT set UTC, so a Londoner lost summer time: it is the UK's clock in winter (BST in
    summer) and Iceland's and West Africa's all year, so those places are offered."""
    for typed in ("GMT", "gmt", "Greenwich Mean Time"):
        shown = "GMT" if typed.lower() == "gmt" else typed
        assert await console.say(f"/timezone {typed}") == bot(
            f"{shown} is the UK's clock in winter (BST in summer) and Iceland's and West"
            " Africa's all year; I go by the place, so summer time comes right. Did you mean"
            " one of these?",
            "[1] Europe/London",
            "[2] Atlantic/Reykjavik",
            "[3] Africa/Accra",
        ), typed
    assert (await console.say("/timezone")).startswith("bot: Your time zone is UTC.")
    out = await console.say("/timezone gmt", ":press 1")
    assert "Time zone set to Europe/London." in out
    # UTC itself, and an offset from GMT, are what they say.
    assert (await console.say("/timezone UTC")).startswith("bot: Time zone set to UTC.")
    assert (await console.say("/timezone GMT+0")).startswith("bot: Time zone set to UTC.")


async def test_a_country_or_its_adjective_with_time_after_it(console: ConsoleSession) -> None:
    """'korea time' and 'korean time' were offered Kosrae and Oral: a country's everyday
    name or its adjective, with 'time' (or 'standard time') after it or not, is its zone."""
    for typed, zone in (
        ("korea time", "Asia/Seoul"),
        ("Korean time", "Asia/Seoul"),
        ("korea", "Asia/Seoul"),
        ("korea standard time", "Asia/Seoul"),
        ("japanese time", "Asia/Tokyo"),
        ("japan standard time", "Asia/Tokyo"),
        ("german time", "Europe/Berlin"),
        ("French time", "Europe/Paris"),
        ("irish time", "Europe/Dublin"),
        ("india standard time", "Asia/Kolkata"),
        ("thai time", "Asia/Bangkok"),
    ):
        out = await console.say(f"/timezone {typed}")
        assert out.startswith(f"bot: Time zone set to {zone}. It is"), (typed, out)
        assert "I read" not in out, typed
    # A country with several clocks offers them, by its adjective too.
    out = await console.say("/timezone australian time")
    assert out.startswith("bot: australian time has several time zones.")
    assert "Australia/Sydney" in console.buttons and "Australia/Perth" in console.buttons


async def test_an_offset_is_still_the_offset(console: ConsoleSession) -> None:
    assert (await console.say("/timezone GMT+2")).startswith(
        bot("Time zone set to UTC+2. It is 11:00 on Monday there.")[:-1]
    )


# --- /newgroup -------------------------------------------------------------------------------
async def in_crew_chat(console: ConsoleSession) -> None:
    await console.say(":user Alice")
    await console.say(":chat group Crew chat")


async def test_newgroup_reads_secret_as_private_and_says_so(console: ConsoleSession) -> None:
    await in_crew_chat(console)
    assert await console.say("/newgroup Crew secret") == bot(
        "Created the group Crew (private: invite only). You are its owner.",
        "Members get its invite code with /invite; others join with /join CODE. Post a photo"
        " as proof of your week.",
        "I took 'secret' to mean private. Part of the name? Send /rename Crew secret and"
        " /visibility public.",
    )
    out = await console.say("/groupinfo")
    assert out.startswith("bot: Crew\n     Private · 1 member")


async def test_newgroup_visibility_words(console: ConsoleSession) -> None:
    for chat, typed, name, kind in (
        ("A", "/newgroup Crew hidden", "Crew", "Private"),
        ("B", "/newgroup Crew Invite-Only", "Crew", "Private"),
        ("C", "/newgroup Crew open", "Crew", "Public"),
        ("D", "/newgroup secret", "D", "Private"),  # the chat's name, as /newgroup private
        ("E", "/newgroup Crew private", "Crew", "Private"),
    ):
        await console.say(":user Alice", f":chat group {chat}")
        await console.say(typed)
        out = await console.say("/groupinfo")
        assert out.startswith(f"bot: {name}\n     {kind} · 1 member"), (typed, out)
    await console.say(":chat group C")
    out = await console.say("/newgroup Again")
    assert "already" in out


async def test_a_name_ending_in_a_visibility_word_can_still_be_made(
    console: ConsoleSession,
) -> None:
    await in_crew_chat(console)
    # The word is read as the visibility, and the reply says how to keep it in the name.
    out = await console.say("/newgroup Top Secret")
    assert out.startswith("bot: Created the group Top (private: invite only).")
    assert "Part of the name? Send /rename Top Secret and /visibility public." in out
    assert await console.say("/rename Top Secret") == bot("The group is now called Top Secret.")
    # Said with its visibility, the whole name is the name.
    await console.say(":chat group Other")
    out = await console.say("/newgroup Top Secret public")
    assert out.startswith("bot: Created the group Top Secret (public: anyone can find it")
    assert "I took" not in out
    # A name that only starts with such a word is all name.
    await console.say(":chat group Swimmers")
    out = await console.say("/newgroup Open Water")
    assert out.startswith("bot: Created the group Open Water (public: anyone can find it")
    assert "I took" not in out
    await console.say(":chat group Quiet")
    out = await console.say("/newgroup Open")
    assert out.startswith("bot: Created the group Quiet (public: anyone can find it")
    assert "I took 'open' to mean public. Part of the name? Send /rename Open." in out


async def test_visibility_takes_the_same_words(console: ConsoleSession) -> None:
    await in_crew_chat(console)
    await console.say("/newgroup Crew")
    assert await console.say("/visibility secret") == bot(
        "Crew is private: new members need an invite code. Its code changed, so the one "
        "anyone saw in /groups no longer works (/invite for the new one)."
    )
    assert (await console.say("/visibility open")).startswith("bot: Crew is public:")
