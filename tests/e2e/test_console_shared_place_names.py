"""A place name several places share asks which one: 'Samoa' is the country (Apia, UTC+13) and
American Samoa (Pago Pago, UTC-11), a day apart; 'Congo' two countries; 'Georgia' the country
and the US state. 'Samoa' used to set American Samoa's clock without a word (tzdata's old name
Pacific/Samoa is Pago Pago), 'Congo' to suggest the Cocos Islands, 'Georgia' South Georgia,
Montenegro, Saskatchewan and Yucatán. SQLite and PostgreSQL; the clock starts at Monday
2026-03-23 09:00 UTC."""

from __future__ import annotations

from tests.support.console import ConsoleSession, bot


async def test_samoa_asks_which_samoa(console: ConsoleSession) -> None:
    out = await console.say("/timezone Samoa")
    assert out.startswith("bot: Samoa is the name of more than one place. Did you mean one of")
    assert console.buttons == ["Pacific/Pago_Pago", "Pacific/Apia"]
    assert await console.say("2") == bot(
        "Time zone set to Pacific/Apia. It is 22:00 on Monday there."
    )
    # Either Samoa named as itself needs no question.
    assert await console.say("/timezone American Samoa") == bot(
        "Time zone set to Pacific/Pago_Pago. It is 22:00 on Sunday there."
    )
    assert await console.say("/timezone Western Samoa") == bot(
        "Time zone set to Pacific/Apia. It is 22:00 on Monday there."
    )
    out = await console.say("/timezone samoa time")  # the clock of a shared name: the same
    assert out.startswith("bot: samoa time is the name of more than one place.")


async def test_congo_offers_both_countries_clocks(console: ConsoleSession) -> None:
    out = await console.say("/timezone Congo")
    assert out.startswith("bot: Congo is the name of more than one place.")
    assert console.buttons == ["Africa/Kinshasa", "Africa/Lubumbashi", "Africa/Brazzaville"]
    assert await console.say("3") == bot(
        "Time zone set to Africa/Brazzaville. It is 10:00 on Monday there."
    )


async def test_georgia_is_a_country_and_a_state(console: ConsoleSession) -> None:
    out = await console.say("/timezone Georgia")
    assert out.startswith("bot: Georgia is the name of more than one place.")
    assert console.buttons == ["Asia/Tbilisi", "America/New_York"]
    assert await console.say("1") == bot(
        "Time zone set to Asia/Tbilisi. It is 13:00 on Monday there."
    )


async def test_any_place_typed_under_the_question_answers_it(console: ConsoleSession) -> None:
    # The buttons are some places; a person may type theirs by its city ('Brazzaville' for
    # Africa/Brazzaville) or name another: it is read as /timezone would read it.
    await console.say("/timezone Congo")
    assert await console.say("Brazzaville") == bot(
        "Time zone set to Africa/Brazzaville. It is 10:00 on Monday there."
    )
    await console.say("/timezone United States")
    assert await console.say("denver") == bot(
        "Time zone set to America/Denver. It is 03:00 on Monday there."
    )
    # A number that is no button's is the list again, not a place called "7".
    await console.say("/timezone Congo")
    assert (await console.say("7")).startswith("bot: That isn't one of the choices.")
    # Nothing a time zone is: said as /timezone says it, and nothing changes.
    await console.say("/timezone Samoa")
    out = await console.say("somewhere nice")
    assert out.startswith("bot: I don't know the time zone 'somewhere nice'.")
    assert "Your time zone is America/Denver." in await console.say("/timezone")
