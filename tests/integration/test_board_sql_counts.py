"""/board and /summary cost the same number of SQL statements for 3 members and for 50."""

from __future__ import annotations

from pathlib import Path

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, Person, Response
from core.db.engine import Database
from tests.support.images import jpeg
from tests.support.requests import group_chat, private_chat
from tests.support.requests import send as send_request

GROUP = group_chat("Runners")


def person(i: int) -> Person:
    return Person("console", f"p{i}", f"Person {i}", f"p{i}")


async def send(
    bot: HabitLinkBot, who: Person, text: str, chat: Chat = GROUP, photo: bytes | None = None
) -> Response:
    return await send_request(bot, who, chat, text, image=photo)


async def add_members(bot: HabitLinkBot, start: int, stop: int) -> None:
    for i in range(start, stop):
        who = person(i)
        dm = private_chat(who)
        if i:
            await send(bot, who, "/join")
        await send(bot, who, f"/newhabit Habit of {i}", dm)
        await send(bot, who, "/done 1", dm)
        await send(bot, who, f"/proof habit note {i}", photo=jpeg(64, 48, (i * 5 % 255, 80, 120)))


async def statements(
    bot: HabitLinkBot, db: Database, who: Person, text: str, chat: Chat = GROUP
) -> int:
    before = db.statements
    response = await send(bot, who, text, chat)
    assert response.replies and "went wrong" not in response.replies[0].text.plain()
    return db.statements - before


async def test_board_and_summary_do_not_query_per_member(
    bot: HabitLinkBot, database: Database, tmp_path: Path
) -> None:
    await send(bot, person(0), "/newgroup Runners")
    await add_members(bot, 0, 3)
    dm = private_chat(person(0))
    small = (
        await statements(bot, database, person(0), "/board"),
        await statements(bot, database, person(0), "/summary"),
        await statements(bot, database, person(0), "/summary", dm),
    )
    await add_members(bot, 3, 50)
    large = (
        await statements(bot, database, person(0), "/board"),
        await statements(bot, database, person(0), "/summary"),
        await statements(bot, database, person(0), "/summary", dm),
    )
    assert small == large
    board = (await send(bot, person(0), "/board")).replies
    assert "50 proofs this week from 50 members." in board[0].text.plain()
    assert board[1].image is not None  # the collage of this week's proofs
