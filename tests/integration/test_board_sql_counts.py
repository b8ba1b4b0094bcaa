"""/board and /summary cost the same number of SQL statements for 3 members and for 50."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Photo, Request, Response
from core.db.engine import Database

GROUP = Chat("console", "group:runners", ChatKind.GROUP, "Runners")


def person(i: int) -> Person:
    return Person("console", f"p{i}", f"Person {i}", f"p{i}")


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


async def send(
    bot: HabitLinkBot, who: Person, text: str, chat: Chat = GROUP, photo: bytes | None = None
) -> Response:
    attached = None
    if photo is not None:
        data = photo

        async def load() -> bytes:
            return data

        attached = Photo(load=load, size=len(photo))
    return await bot.handle(Request.from_text(who, chat, text, photo=attached))


async def add_members(bot: HabitLinkBot, start: int, stop: int) -> None:
    for i in range(start, stop):
        who = person(i)
        dm = Chat("console", f"dm:p{i}", ChatKind.PRIVATE)
        if i:
            await send(bot, who, "/join")
        await send(bot, who, f"/newhabit Habit of {i}", dm)
        await send(bot, who, "/done 1", dm)
        await send(bot, who, f"/proof habit note {i}", photo=jpeg((i * 5 % 255, 80, 120)))


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
    dm = Chat("console", "dm:p0", ChatKind.PRIVATE)
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
