"""POST /api/v1/tools/find with an AI service: the web app's finder is built from Settings
(OPENAI_API_KEY, OPENAI_BASE_URL, AI_TIMEOUT_SECONDS) as `habitlink web` builds it, and talks
to the local OpenAI-compatible fake through the real openai SDK. Every failure ends in the
offline ranking, as in the chat; the Lifebook goes out only with consent; keys stay out of logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.app import tool_finder_from_settings
from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from tests.fakes.llm_api import INVALID_JSON, NO_ANSWER, SERVER_ERROR, FakeLLM, picks
from tests.web.conftest import Person, sign_up, web_for
from web_admin.app import asgi, create_app

TIMEOUT = 10.0  # only bounds a hang: a loaded machine must not turn a good answer into a timeout
GIVE_UP = 0.5  # for NO_ANSWER, which only the timeout ends
PROBLEM = "I keep skipping the gym after work"
FIND = "/api/v1/tools/find"


@pytest.fixture
async def fake() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


@pytest.fixture
def ai_timeout() -> float:
    return TIMEOUT


@pytest.fixture
async def ai_api(
    database: Database,
    clock: SettableClock,
    media: LocalMediaStore,
    fake: FakeLLM,
    ai_timeout: float,
) -> AsyncIterator[httpx.AsyncClient]:
    web = web_for(
        database,
        clock,
        media,
        openai_api_key=fake.api_key,
        openai_base_url=fake.openai_base_url,
        openai_model="gpt-test",
        ai_timeout_seconds=ai_timeout,
        ai_daily_limit=3,
    )
    web.finder = tool_finder_from_settings(web.settings, clock)
    transport = httpx.ASGITransport(app=asgi(create_app(web)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    assert web.finder.chooser is not None
    await web.finder.chooser.close()


async def ids(person: Person, *slugs: str) -> list[int]:
    return [(await person.get(f"/api/v1/tools/by-name/{s}")).json()["id"] for s in slugs]


async def find(person: Person, problem: str = PROBLEM) -> Any:
    answer = await person.post(FIND, json={"problem": problem})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert len(found["suggestions"]) == 3
    assert len({s["tool"]["id"] for s in found["suggestions"]}) == 3
    return found


async def test_a_good_answer_is_used_and_checked(ai_api: httpx.AsyncClient, fake: FakeLLM) -> None:
    ada = await sign_up(ai_api, "Ada")
    woop, bundle = await ids(ada, "woop", "temptation-bundling")
    fake.then(
        picks((bundle, "Keep a <b>podcast</b> for the gym."), (99999, "Invented."), (woop, "Plan."))
    )
    found = await find(ada)
    assert found["answered_by"] == "OpenAI (gpt-test)"
    assert [s["tool"]["id"] for s in found["suggestions"][:2]] == [bundle, woop]
    assert found["suggestions"][0]["reason"] == "Keep a <b>podcast</b> for the gym."  # data, as is
    third = found["suggestions"][2]
    assert third["by_ai"] is False and third["reason"].startswith("You wrote ")
    assert found["footnote"] == "Suggested by OpenAI (gpt-test); 1 added by the offline ranking."
    assert fake.requests[0].user == PROBLEM and PROBLEM not in fake.requests[0].system


@pytest.mark.parametrize(
    ("answer", "ai_timeout"),
    [(INVALID_JSON, TIMEOUT), (SERVER_ERROR, TIMEOUT), (NO_ANSWER, GIVE_UP)],
    ids=["invalid-json", "500", "too-slow"],
)
async def test_failures_fall_back_to_the_offline_ranking(
    ai_api: httpx.AsyncClient, api: httpx.AsyncClient, fake: FakeLLM, answer: Any
) -> None:
    fake.then(answer)
    ada = await sign_up(ai_api, "Ada")
    found = await find(ada)
    assert found["answered_by"] is None
    assert found["footnote"] == "Ranked offline (OpenAI did not answer)."
    offline = await find(await sign_up(api, "Bob"))  # the app without a key, same database
    assert [s["tool"]["id"] for s in found["suggestions"]] == [
        s["tool"]["id"] for s in offline["suggestions"]
    ]
    assert [s["reason"] for s in found["suggestions"]] == [
        s["reason"] for s in offline["suggestions"]
    ]


async def test_the_daily_limit_then_offline(ai_api: httpx.AsyncClient, fake: FakeLLM) -> None:
    ada = await sign_up(ai_api, "Ada")
    (woop,) = await ids(ada, "woop")
    fake.then(picks((woop, "Contrast.")))
    for n in range(3):
        assert (await find(ada, f"problem {n}"))["answered_by"] is not None
    assert (await find(ada, "problem 0"))["answered_by"] is not None  # cached: no call
    limited = await find(ada, "problem 4")
    assert limited["footnote"] == "Ranked offline (today's AI requests are used up)."
    assert len(fake.requests) == 3


async def test_the_lifebook_goes_out_only_with_consent_and_keys_never_logged(
    ai_api: httpx.AsyncClient, fake: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ada = await sign_up(ai_api, "Ada")
    (woop,) = await ids(ada, "woop")
    fake.then(picks((woop, "Contrast.")))
    await ada.request("PATCH", "/api/v1/lifebook", json={"vision": "A calm grandmother"})
    await ada.post("/api/v1/habits", json={"title": "Swim"})
    await find(ada, "I skip swimming")
    assert "grandmother" not in fake.requests[-1].system
    assert "Swim" not in fake.requests[-1].system
    await ada.request("PATCH", "/api/v1/lifebook", json={"ai_allowed": True})
    await find(ada, "I skip swimming")
    assert "grandmother" in fake.requests[-1].system and "Swim" in fake.requests[-1].system
    bob = await sign_up(ai_api, "Bob")
    await find(bob, "I skip swimming on Sundays")
    assert len(fake.requests) == 3
    assert "grandmother" not in fake.requests[-1].system  # never someone else's
    assert fake.api_key not in caplog.text
    assert all(fake.api_key not in str(r.__dict__) for r in caplog.records)
