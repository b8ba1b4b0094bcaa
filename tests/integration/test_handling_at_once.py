"""The bot layer handles at most `at_once` requests at a time (HabitLinkBot, HANDLING_AT_ONCE):
the rest wait their turn, at most PLACE_WAIT seconds, and a request waiting for its person's turn
holds no place.

Two people ask the AI tool finder, which holds its answers until the test lets them go; a third
person's /habits waits for a place when there are two, and not when there are three; it never
waits for the AI's answers."""

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
from tests.fakes.llm_api import FakeLLM, held, picks

HANG = 30.0  # seconds; only bounds a hang (a request that never gets its answer)
ENDLESS = 3600.0  # a wait for a place that no test outlives


@pytest.fixture
async def fake() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


def make_bot(
    database: Database,
    clock: SettableClock,
    fake: FakeLLM,
    at_once: int,
    place_wait: float = PLACE_WAIT,
) -> HabitLinkBot:
    chooser = OpenAIChooser(fake.api_key, "gpt-test", base_url=fake.openai_base_url, timeout=HANG)
    return HabitLinkBot(
        uow=UnitOfWorkFactory(database, clock),
        flows=MemoryFlowStore(clock),
        router=build_router(),
        finder=ToolFinder(chooser, clock),
        at_once=at_once,
        place_wait=place_wait,
    )


def said(bot: HabitLinkBot, who: str, text: str) -> asyncio.Task[Response]:
    person = Person("console", who, who.title())
    chat = Chat("console", who, ChatKind.PRIVATE)
    return asyncio.ensure_future(bot.handle(Request.from_text(person, chat, text)))


async def two_finders_waiting(bot: HabitLinkBot, fake: FakeLLM) -> list[asyncio.Task[Response]]:
    """Ann and Bo each ask for a tool; returns once both questions reached the AI, which holds
    its answers (each holding a place) until `fake.release`."""
    fake.then(held(picks((1, "One."), (2, "Two."), (3, "Three."))))
    finders = [said(bot, who, "/findtool I keep skipping the gym") for who in ("ann", "bo")]
    await fake.wait_for(lambda: len(fake.requests) >= 2, timeout=HANG, what="two questions")
    return finders


async def answered(task: asyncio.Task[Response]) -> Response:
    """The task's response, failing instead of hanging if it never comes."""
    return await asyncio.wait_for(task, HANG)


def text_of(response: Response) -> str:
    return "".join(str(reply.text) for reply in response.replies)


async def test_a_free_place_is_taken_at_once(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    """Three places, two held by questions to the AI: Cy is answered while they are, though a
    wait for a place would not end before the test's."""
    bot = make_bot(database, clock, fake, 3, place_wait=ENDLESS)
    for who in ("ann", "bo", "cy"):  # everyone exists first
        await said(bot, who, "/habits")
    finders = await two_finders_waiting(bot, fake)
    habits = await answered(said(bot, "cy", "/habits"))
    assert "habit" in text_of(habits).lower()
    assert not any(finder.done() for finder in finders)  # never behind the AI's answers
    fake.release(2)
    answers = [await answered(finder) for finder in finders]
    assert all("Three." in text_of(answer) for answer in answers)


async def test_with_every_place_taken_a_request_waits_but_not_for_long(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    """Two places, both held by questions to the AI that it never answers meanwhile: Cy waits
    PLACE_WAIT for a place, then goes ahead without one."""
    bot = make_bot(database, clock, fake, 2)
    for who in ("ann", "bo", "cy"):
        await said(bot, who, "/habits")
    finders = await two_finders_waiting(bot, fake)
    started = time.monotonic()
    habits = await answered(said(bot, "cy", "/habits"))
    assert time.monotonic() - started >= PLACE_WAIT  # it did wait (a load cannot shorten this)
    assert "habit" in text_of(habits).lower()
    assert not any(finder.done() for finder in finders)
    fake.release(2)
    answers = [await answered(finder) for finder in finders]
    assert all("Three." in text_of(answer) for answer in answers)


async def test_waiting_for_ones_own_turn_holds_no_place(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    """Ann sends a second message while her first waits for the AI: it waits for her turn
    without taking the last place, so Cy is answered while Ann's question is held, though a
    wait for a place would not end before the test's."""
    bot = make_bot(database, clock, fake, 2, place_wait=ENDLESS)
    for who in ("ann", "bo", "cy"):
        await said(bot, who, "/habits")
    fake.then(held(picks((1, "One."), (2, "Two."), (3, "Three."))))
    first = said(bot, "ann", "/findtool I keep skipping the gym")
    await fake.wait_for(lambda: len(fake.requests) >= 1, timeout=HANG, what="Ann's question")
    # Tasks start in the order they are made, and nothing comes before a person's turn in
    # HabitLinkBot.handle: Ann's second request waits for her turn before Cy's even starts.
    second = said(bot, "ann", "/habits")
    habits = await answered(said(bot, "cy", "/habits"))
    assert "habit" in text_of(habits).lower()
    assert not first.done() and not second.done()  # Ann's turn is still her first request's
    fake.release()
    assert "Three." in text_of(await answered(first))
    assert "habit" in text_of(await answered(second)).lower()
