"""The tool finder against a local OpenAI-compatible server, through the real openai and groq SDKs.

Every scripted failure (invalid JSON, unknown ids, 429, 500, no answer in time) still ends in
three tools from the Toolbox; API keys never reach the logs; the Lifebook goes out only with
consent.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date

import pytest

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Tool, User
from core.errors import InvalidInput
from core.finder.llm import GroqChooser, OpenAIChooser
from core.finder.port import ToolChooser
from core.finder.service import PROBLEM_MAX, Finding, ToolFinder
from core.habits.service import HabitDraft, HabitService
from core.lifebook.model import Section
from core.lifebook.service import LifebookService
from core.toolbox.service import ToolboxService
from core.uow import UnitOfWorkFactory
from core.users.service import Contact, UserService
from tests.fakes.llm_api import (
    INVALID_JSON,
    NO_ANSWER,
    RATE_LIMITED,
    SERVER_ERROR,
    FakeLLM,
    picks,
)

TODAY = date(2026, 3, 23)
# Only bounds a hang: a good answer must never become a timeout on a loaded machine. The one
# test of a timeout gets no answer at all, so only its short timeout can end the wait.
TIMEOUT = 10.0
GIVE_UP = 0.5
PROBLEM = "I keep skipping the gym after work"


@pytest.fixture
async def fake() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


def openai_chooser(fake: FakeLLM, timeout: float = TIMEOUT) -> OpenAIChooser:
    return OpenAIChooser(fake.api_key, "gpt-test", base_url=fake.openai_base_url, timeout=timeout)


def groq_chooser(fake: FakeLLM) -> GroqChooser:
    return GroqChooser(fake.api_key, "llama-test", base_url=fake.groq_base_url, timeout=TIMEOUT)


async def ask(
    db: Database, clock: SettableClock, finder: ToolFinder, text: str = PROBLEM, name: str = "al"
) -> Finding:
    async with UnitOfWorkFactory(db, clock)() as uow:
        user, _ = await uow.users.identify(Contact("console", name, name, name))
        habits = await uow.habits.active(user)
        finding = await finder.find(uow, user, text, today=TODAY, habits=habits)
        await uow.commit()
        return finding


async def tool_ids(db: Database, clock: SettableClock, *slugs: str) -> list[int]:
    async with db.session() as session:
        tools = {t.slug: t.id for t in await ToolboxService(session, clock).all()}
        await session.commit()
    return [tools[s] for s in slugs]


def assert_useful(finding: Finding) -> None:
    assert len(finding.suggestions) == 3
    assert len({s.tool.id for s in finding.suggestions}) == 3
    assert all(s.reason for s in finding.suggestions)


@pytest.mark.parametrize("make", [openai_chooser, groq_chooser], ids=["openai", "groq"])
async def test_a_good_answer_is_used(
    database: Database, clock: SettableClock, fake: FakeLLM, make: type[ToolChooser]
) -> None:
    woop, bundle, env = await tool_ids(
        database, clock, "woop", "temptation-bundling", "environment-design"
    )
    fake.then(
        picks((bundle, "Keep a podcast for the gym."), (env, "Pack the bag."), (woop, "Plan."))
    )
    chooser = make(fake)  # type: ignore[call-arg]
    finding = await ask(database, clock, ToolFinder(chooser, clock))
    await chooser.close()
    assert [s.tool.id for s in finding.suggestions] == [bundle, env, woop]
    assert finding.suggestions[0].reason == "Keep a podcast for the gym."
    assert finding.footnote().startswith(f"Suggested by {chooser.provider}")
    request = fake.requests[0]
    assert request.path.endswith("/v1/chat/completions")
    assert request.user == PROBLEM
    assert PROBLEM not in request.system
    assert "Temptation bundling" in request.system


@pytest.mark.parametrize(
    ("script", "calls"),
    [
        ([INVALID_JSON], 1),
        ([RATE_LIMITED], 2),  # one retry, then offline
        ([SERVER_ERROR], 2),
        ([NO_ANSWER], 2),  # timed out, retried, timed out
    ],
    ids=["invalid-json", "429", "500", "too-slow"],
)
async def test_failures_fall_back_to_the_offline_ranking(
    database: Database, clock: SettableClock, fake: FakeLLM, script: list, calls: int
) -> None:
    fake.then(*script)
    chooser = openai_chooser(fake, GIVE_UP if NO_ANSWER in script else TIMEOUT)
    finding = await ask(database, clock, ToolFinder(chooser, clock))
    await chooser.close()
    assert_useful(finding)
    assert finding.answered_by is None
    assert finding.footnote() == "Ranked offline (OpenAI did not answer)."
    assert len(fake.requests) == calls
    offline = await ask(database, clock, ToolFinder(None, clock), name="bo")
    assert [s.tool.id for s in finding.suggestions] == [s.tool.id for s in offline.suggestions]


async def test_a_retry_after_429_can_still_succeed(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    (woop,) = await tool_ids(database, clock, "woop")
    fake.then(RATE_LIMITED, picks((woop, "Picture it, then plan for the obstacle.")))
    chooser = groq_chooser(fake)
    finding = await ask(database, clock, ToolFinder(chooser, clock))
    await chooser.close()
    assert finding.answered_by == "Groq (llama-test)"
    assert finding.suggestions[0].tool.id == woop
    assert finding.footnote() == "Suggested by Groq (llama-test); 2 added by the offline ranking."
    assert [r.path for r in fake.requests] == ["/openai/v1/chat/completions"] * 2


async def test_unknown_tool_ids_are_dropped_and_filled(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    (woop,) = await tool_ids(database, clock, "woop")
    fake.then(picks((99999, "A tool that doesn't exist."), (woop, "Contrast."), (woop, "Again.")))
    chooser = openai_chooser(fake)
    finding = await ask(database, clock, ToolFinder(chooser, clock))
    assert_useful(finding)
    assert [s.by_ai for s in finding.suggestions] == [True, False, False]
    assert all("doesn't exist" not in s.reason for s in finding.suggestions)
    fake.requests.clear()
    fake.then(picks((99998, "Nothing real.")))
    only_unknown = await ask(database, clock, ToolFinder(chooser, clock), text="tired", name="cy")
    await chooser.close()
    assert_useful(only_unknown)
    assert only_unknown.footnote() == "Ranked offline (OpenAI's answer named no Toolbox tool)."


async def test_daily_limit_then_cache(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    (woop,) = await tool_ids(database, clock, "woop")
    fake.then(picks((woop, "Contrast.")))
    chooser = openai_chooser(fake)
    finder = ToolFinder(chooser, clock, daily_ai_calls=2)
    await ask(database, clock, finder, "one")
    await ask(database, clock, finder, "two")
    assert len(fake.requests) == 2
    cached = await ask(database, clock, finder, "ONE")  # the same question: from the cache
    assert cached.answered_by is not None and len(fake.requests) == 2
    limited = await ask(database, clock, finder, "three")
    assert_useful(limited)
    assert limited.footnote() == "Ranked offline (today's AI requests are used up)."
    assert len(fake.requests) == 2
    other = await ask(database, clock, finder, "three", name="bo")  # someone else still may
    await chooser.close()
    assert other.answered_by is not None and len(fake.requests) == 3


async def test_text_is_cut_and_empty_text_refused(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    (woop,) = await tool_ids(database, clock, "woop")
    fake.then(picks((woop, "Contrast.")))
    chooser = openai_chooser(fake)
    finder = ToolFinder(chooser, clock)
    finding = await ask(database, clock, finder, "gym " * 2500)
    assert_useful(finding)
    assert len(fake.requests[0].user) == PROBLEM_MAX
    with pytest.raises(InvalidInput):
        await ask(database, clock, finder, "   \n ")
    await chooser.close()


async def test_lifebook_only_with_consent_and_keys_never_logged(
    database: Database, clock: SettableClock, fake: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    (woop,) = await tool_ids(database, clock, "woop")
    fake.then(picks((woop, "Contrast.")))
    async with database.session() as session:
        user, _ = await UserService(session, clock).identify(Contact("console", "al", "Al", "al"))
        book = LifebookService(session, clock)
        book.set_section(user, Section.VISION, "A strong and calm grandmother")
        book.set_section(user, Section.VALUES, "health, family")
        await HabitService(session, clock).create(user, HabitDraft.build(title="Swim"), TODAY)
        await session.commit()
    chooser = openai_chooser(fake)
    finder = ToolFinder(chooser, clock)
    await ask(database, clock, finder, "I skip swimming")
    assert "grandmother" not in fake.requests[-1].system
    assert "Swim" not in fake.requests[-1].system
    async with database.session() as session:
        stored = await session.get(User, user.id)
        assert stored is not None
        LifebookService(session, clock).set_ai(stored, True)
        await session.commit()
    await ask(database, clock, finder, "I skip swimming")
    await chooser.close()
    system = fake.requests[-1].system
    assert "grandmother" in system and "family" in system and "Swim" in system
    assert len(fake.requests) == 2  # consent changed the question: no stale cache
    assert fake.api_key not in caplog.text
    assert all(fake.api_key not in str(r.__dict__) for r in caplog.records)


async def test_without_a_key_the_offline_ranking_answers(
    database: Database, clock: SettableClock
) -> None:
    finding = await ask(database, clock, ToolFinder(None, clock))
    assert_useful(finding)
    assert finding.footnote() == "Ranked offline (no AI service is set up)."
    slugs = {s.tool.slug for s in finding.suggestions}
    assert slugs & {"environment-design", "temptation-bundling", "coping-planning"}
    unmatched = await ask(database, clock, ToolFinder(None, clock), "zzzz qqqq")
    assert [s.tool.slug for s in unmatched.suggestions] == [
        "two-minute-version",
        "implementation-intentions",
        "habit-stacking",
    ]
    assert isinstance(unmatched.suggestions[0].tool, Tool)


async def test_settings_pick_the_service(
    clock: SettableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.app import tool_finder_from_settings
    from bot.config import Settings

    for name in ("OPENAI_API_KEY", "GROQ_API_KEY", "AI_DAILY_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    none = tool_finder_from_settings(Settings(_env_file=None), clock)  # type: ignore[call-arg]
    assert none.chooser is None
    groq = tool_finder_from_settings(
        Settings(_env_file=None, groq_api_key="gsk-x", ai_daily_limit=5),  # type: ignore[call-arg]
        clock,
    )
    assert groq.chooser is not None and groq.chooser.provider == "Groq"
    assert groq.daily_ai_calls == 5
    both = tool_finder_from_settings(
        Settings(_env_file=None, groq_api_key="gsk-x", openai_api_key="sk-x"),  # type: ignore[call-arg]
        clock,
    )
    assert both.chooser is not None and both.chooser.provider == "OpenAI"
    for finder in (groq, both):
        assert finder.chooser is not None
        await finder.chooser.close()


def sample(name: str, **labels: str) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_ai_calls_are_counted_by_outcome(
    database: Database, clock: SettableClock, fake: FakeLLM
) -> None:
    from bot.metrics import CountedChooser

    woop, bundle, env = await tool_ids(
        database, clock, "woop", "temptation-bundling", "environment-design"
    )
    ok, error = (
        sample("habitlink_ai_calls_total", provider="OpenAI", outcome=o) for o in ("ok", "error")
    )
    fake.then(picks((bundle, "Podcast."), (env, "Pack."), (woop, "Plan.")), SERVER_ERROR)
    chooser = CountedChooser(openai_chooser(fake))
    finder = ToolFinder(chooser, clock)
    await ask(database, clock, finder)
    failed = await ask(database, clock, finder, "I forget to stretch in the evening")
    await chooser.close()
    assert failed.answered_by is None
    assert sample("habitlink_ai_calls_total", provider="OpenAI", outcome="ok") == ok + 1
    assert sample("habitlink_ai_calls_total", provider="OpenAI", outcome="error") == error + 1
