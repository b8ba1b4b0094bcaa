"""A chat marked gone (the bot removed from it) is marked back by an explicit write where the bot
hears from the chat, never by reading the chat's group; the statements of a request from a
group chat stay what they were, one more only when the mark is cleared."""

from __future__ import annotations

from sqlalchemy import select

from bot.dispatcher import HabitLinkBot
from bot.messages import Request
from core.db.engine import Database
from core.db.models import GroupChat
from core.groups.service import ChatRef
from tests.support.requests import group_chat, person, send

ANN = person("Ann")
RUNNERS = group_chat("Runners")


async def gone(bot: HabitLinkBot) -> bool:
    async with bot.uow.db.session() as session:
        return (await session.scalar(select(GroupChat.gone_at))) is not None


async def statements(bot: HabitLinkBot, db: Database, text: str) -> int:
    await bot.handle(Request.from_text(ANN, RUNNERS, "/help"))  # the flow cache knows Ann
    before = db.statements
    response = await send(bot, ANN, RUNNERS, text)
    assert response.replies
    return db.statements - before


async def test_reading_a_chats_group_leaves_its_mark(bot: HabitLinkBot) -> None:
    await send(bot, ANN, RUNNERS, "/newgroup Runners")
    assert await bot.mark_chat(RUNNERS.platform, RUNNERS.id, gone=True)
    async with bot.uow() as uow:
        group = await uow.groups.for_chat(ChatRef(RUNNERS.platform, RUNNERS.id))
        found = await uow.groups.in_chat(ChatRef(RUNNERS.platform, RUNNERS.id))
        await uow.commit()
    assert group is not None and found is not None and found.gone
    assert await gone(bot)


async def test_a_request_from_the_chat_marks_it_back_at_one_statement_once(
    bot: HabitLinkBot, database: Database
) -> None:
    await send(bot, ANN, RUNNERS, "/newgroup Runners")
    before = await statements(bot, database, "/members")
    assert before == 3  # who is asking, the chat's group (with its mark), the members
    await bot.mark_chat(RUNNERS.platform, RUNNERS.id, gone=True)
    assert await statements(bot, database, "/members") == before + 1  # the mark cleared
    assert not await gone(bot)
    assert await statements(bot, database, "/members") == before


async def test_a_proof_or_start_from_the_chat_marks_it_back(bot: HabitLinkBot) -> None:
    await send(bot, ANN, RUNNERS, "/newgroup Runners")
    for text in ("/start", "/join", "/groupinfo"):
        await bot.mark_chat(RUNNERS.platform, RUNNERS.id, gone=True)
        await send(bot, ANN, RUNNERS, text)
        assert not await gone(bot), text
