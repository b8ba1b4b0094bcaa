"""The bot layer handles at most `at_once` requests at a time (HabitLinkBot, HANDLING_AT_ONCE):
the rest wait their turn, at most PLACE_WAIT seconds, and a request waiting for its person's turn
holds no place.

Two people ask the AI tool finder, whose answers are slow; a third person's /habits waits for a
place when there are two, and not when there are three; it never waits for the slow answers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.dispatcher import PLACE_WAIT, HabitLinkBot
from bot.handlers import build_router
from bot.messages import Chat, ChatKind, Person, Request, Response
from core.clock import SettableClock
from core.db.engine import Database
from core.finder.llm import OpenAIChooser
from core.finder.service import ToolFinder
from core.flows import MemoryFlowStore
from core.uow import UnitOfWorkFactory
from tests.fakes.llm_api import FakeLLM, picks, slow

SLOW = PLACE_WAIT + 1.5  # seconds the AI takes to answer


@pytest.fixture
async def fake() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


def make_bot(database: Database, clock: SettableClock, fake: FakeLLM, at_once: int) -> HabitLinkBot:
    chooser = OpenAIChooser(fake.api_key, "gpt-test", base_url=fake.openai_base_url, timeout=5.0)
    return HabitLinkBot(
        uow=UnitOfWorkFactory(database, clock),
        flows=MemoryFlowStore(clock),
        router=build_router(),
        finder=ToolFinder(chooser, clock),
        at_once=at_once,
    )


def said(bot: HabitLinkBot, who: str, text: str) -> asyncio.Task[Response]:
    person = Person("console", who, who.title())
    chat = Chat("console", who, ChatKind.PRIVATE)
    return asyncio.ensure_future(bot.handle(Request.from_text(person, chat, text)))


async def two_finders_waiting(bot: HabitLinkBot, fake: FakeLLM) -> list[asyncio.Task[Response]]:
    """Ann and Bo each ask for a tool; returns once both questions reached the AI."""
    fake.then(slow(SLOW, picks((1, "One."), (2, "Two."), (3, "Three."))))
    finders = [said(bot, who, "/findtool I keep skipping the gym") for who in ("ann", "bo")]
    await fake.wait_for(lambda: len(fake.requests) >= 2, timeout=10, what="two questions")
    return finders


def text_of(response: Response) -> str:
    return "".join(str(reply.text) for reply in response.replies)


@pytest.mark.parametrize("at_once", [2, 3])
async def test_a_request_waits_for_a_place_but_not_for_long(
    database: Database, clock: SettableClock, fake: FakeLLM, at_once: int
) -> None:
    bot = make_bot(database, clock, fake, at_once)
    for who in ("ann", "bo", "cy"):  # everyone exists first: no write races in the timing
        await said(bot, who, "/habits")
    finders = await two_finders_waiting(bot, fake)
    started = time.monotonic()
    habits = said(bot, "cy", "/habits")
    done, _ = await asyncio.wait([habits, *finders], return_when=asyncio.FIRST_COMPLETED)
    waited = time.monotonic() - started
    assert done == {habits}  # never behind the slow answers
    if at_once == 3:  # a place was free
        assert waited < PLACE_WAIT
    else:  # both places were taken: Cy waited for one, then went ahead without
        assert waited >= PLACE_WAIT
    answers = await asyncio.gather(habits, *finders)
    assert "habit" in text_of(answers[0]).lower()
    assert all("Three." in text_of(a) for a in answers[1:])


async def test_waiting_for_ones_own_turn_holds_no_place(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    """Ann sends a second message while her first waits for the AI: it waits for her turn
    without taking the last place, so Cy is answered at once."""
    bot = make_bot(database, clock, fake, 2)
    for who in ("ann", "bo", "cy"):
        await said(bot, who, "/habits")
    fake.then(slow(SLOW, picks((1, "One."), (2, "Two."), (3, "Three."))))
    first = said(bot, "ann", "/findtool I keep skipping the gym")
    await fake.wait_for(lambda: len(fake.requests) >= 1, timeout=10, what="Ann's question")
    second = said(bot, "ann", "/habits")
    await asyncio.sleep(0.05)  # Ann's second request is now waiting for her turn
    habits = said(bot, "cy", "/habits")
    done, _ = await asyncio.wait([habits, first, second], return_when=asyncio.FIRST_COMPLETED)
    assert done == {habits}
    await asyncio.gather(first, second)
