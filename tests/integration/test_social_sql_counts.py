"""/feed and /learnings cost the same number of SQL statements for 3 learnings and for 30."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, Person, Request, Response
from core.db.engine import Database
from tests.support.requests import group_chat, person, private_chat, send

ALICE = person("Alice")
BOB = person("Bob")
GROUP = group_chat("Runners")
DM = private_chat(BOB)


async def ask(bot: HabitLinkBot, who: Person, chat: Chat, text: str) -> Response:
    return await send(bot, who, chat, text)


async def statements_for(bot: HabitLinkBot, db: Database, request: Request) -> int:
    """Statements of a request by someone whose flow place the bot knows already (for a person
    it has not heard from in this chat for a while, the durable flow read is part of the
    identity's statement: the same count, tests/integration/test_sql_counts.py)."""
    await bot.handle(Request.from_text(request.sender, request.chat, "/help"))
    before = db.statements
    response = await bot.handle(request)
    assert response.replies, request
    return db.statements - before


async def _learnings(bot: HabitLinkBot, start: int, stop: int) -> list[str]:
    """Alice posts; Bob likes every other one. Returns the Like payloads. An hour and a half
    apart, so Alice stays under the daily limit of learnings."""
    payloads = []
    for i in range(start, stop):
        bot.clock.advance(timedelta(hours=1, minutes=30))  # type: ignore[attr-defined]
        card = await ask(bot, ALICE, GROUP, f"/learn Tip number {i}")
        payload = card.replies[0].buttons[0][0].payload
        if i % 2:
            await bot.handle(Request(sender=BOB, chat=GROUP, button=payload))
        payloads.append(payload)
    return payloads


async def _costs(bot: HabitLinkBot, db: Database) -> dict[str, int]:
    requests = {
        "/learnings": Request.from_text(BOB, GROUP, "/learnings"),
        "/feed": Request.from_text(BOB, DM, "/feed"),
        "/feed top": Request.from_text(BOB, DM, "/feed top"),
        "Most liked button": Request(sender=BOB, chat=DM, button="fd:top:1"),
    }
    return {name: await statements_for(bot, db, r) for name, r in requests.items()}


async def test_lists_do_not_query_per_learning(bot: HabitLinkBot, database: Database) -> None:
    await ask(bot, ALICE, GROUP, "/newgroup Runners")
    await ask(bot, BOB, GROUP, "/join")
    await ask(bot, BOB, DM, "/start")
    await _learnings(bot, 0, 3)
    three = await _costs(bot, database)
    await _learnings(bot, 3, 30)
    thirty = await _costs(bot, database)
    assert three == thirty, (three, thirty)
    assert thirty["/learnings"] <= 4  # who is asking, the chat's group, its privacy, the list
    # Who is asking, the page; and its buttons' question's place, so a typed "like 2" presses
    # one (bot/choices.py).
    assert thirty["/feed"] <= 3


async def test_a_like_is_a_handful_of_statements(bot: HabitLinkBot, database: Database) -> None:
    await ask(bot, ALICE, GROUP, "/newgroup Runners")
    await ask(bot, BOB, GROUP, "/join")
    payloads = await _learnings(bot, 0, 30)
    card = Request(sender=BOB, chat=GROUP, button=payloads[0])
    feed = Request(sender=BOB, chat=DM, button=payloads[0] + ":new:2")
    # who, the learning (locked), insert, recount; a retracted like adds the delete.
    assert await statements_for(bot, database, card) <= 5
    # the same and the feed page to redraw
    assert await statements_for(bot, database, feed) <= 7
