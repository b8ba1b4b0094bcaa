"""Lists cost the same number of SQL statements for 1 habit and for 30: no query per row."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatcher import HabitLinkBot
from bot.messages import Response
from core.db.engine import Database
from tests.support.requests import person, private_chat, send

ALICE = person("Alice")
DM = private_chat(ALICE)


async def say(bot: HabitLinkBot, text: str) -> Response:
    return await send(bot, ALICE, DM, text)


async def statements_for(bot: HabitLinkBot, db: Database, text: str) -> int:
    before = db.statements
    response = await say(bot, text)
    assert response.replies, text
    return db.statements - before


async def _habits(bot: HabitLinkBot, n: int) -> None:
    for i in range(n):
        await say(bot, f"/newhabit Habit {i:02d}")
        await say(bot, f"/done {i + 1}")
        await say(bot, f"/skip {i + 1} yesterday")


async def test_list_commands_do_not_query_per_habit(bot: HabitLinkBot, database: Database) -> None:
    await _habits(bot, 1)
    one = {cmd: await statements_for(bot, database, cmd) for cmd in ("/habits", "/week", "/stats")}
    await _habits(bot, 29)
    thirty = {
        cmd: await statements_for(bot, database, cmd) for cmd in ("/habits", "/week", "/stats")
    }
    # /stats shows details for a single habit and an overview for several: compare /habits, /week.
    assert one["/habits"] == thirty["/habits"] == 3
    assert one["/week"] == thirty["/week"] == 3
    assert thirty["/stats"] == 3


async def test_done_is_a_handful_of_statements(bot: HabitLinkBot, database: Database) -> None:
    await _habits(bot, 30)
    # identity, active habits, the habit's earlier start, the upsert, a few weeks of logs
    # (tests/integration/test_history_cost.py has every command with long histories).
    assert await statements_for(bot, database, "/done 30 -2") == 5
    assert await statements_for(bot, database, "/done 30 -2") == 4  # already done: no UPDATE


async def test_done_a_day_later_costs_what_it_costs_within_the_hour(
    bot: HabitLinkBot, database: Database
) -> None:
    """The flow cache forgets a person's place after an hour; the durable flow read that
    follows is part of the identity's statement, not a statement of its own."""
    await _habits(bot, 1)
    bot.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    await say(bot, "/help")  # the flow cache knows Alice's place again
    within_the_hour = await statements_for(bot, database, "/done 1")
    bot.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    a_day_later = await statements_for(bot, database, "/done 1")  # the cache has nothing
    assert a_day_later == within_the_hour == 4
