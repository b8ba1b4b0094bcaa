"""A fake OpenAI-compatible chat completions server for the real openai and groq SDKs.

    async with FakeLLM() as fake:
        OpenAIChooser(fake.api_key, "gpt-test", base_url=fake.openai_base_url)
        GroqChooser(fake.api_key, "llama-test", base_url=fake.groq_base_url)

It serves POST /v1/chat/completions (openai) and /openai/v1/chat/completions (groq). Each test
scripts the next answers in order with `fake.then(...)`: a good answer, invalid JSON, an unknown
tool id, an HTTP status (429 with Retry-After, 500), an answer `held` until the
test calls `fake.release()`, or NO_ANSWER (held until the fake closes: only the client's timeout
ends the wait). When the script runs out the last entry repeats. Every request is recorded
(`fake.requests`) and checked: the bearer key, a model, a system and a user message; anything
else is answered 400 and kept in `problems`.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.fakes.changes import Changes

JSON = dict[str, Any]
DEFAULT_KEY = "sk-test-fake-key-0123456789abcdef"


@dataclass(frozen=True)
class Answer:
    """One scripted reply: `content` as the message, or an HTTP `status`; with `held`, only once
    the test releases it (`FakeLLM.release`)."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    held: bool = False


def picks(*items: tuple[int, str]) -> Answer:
    return Answer(json.dumps({"tools": [{"tool_id": i, "why": why} for i, why in items]}))


INVALID_JSON = Answer('{"tools": [ this is not json')
# Both SDKs retry a 429 or a 5xx once, after the wait the answer asks for (retry-after-ms before
# Retry-After) or else after about half a second: the scripted failures ask for a millisecond.
RETRY_AT_ONCE = {"retry-after-ms": "1"}
RATE_LIMITED = Answer(status=429, headers={"Retry-After": "1", **RETRY_AT_ONCE})
SERVER_ERROR = Answer(status=500, headers=RETRY_AT_ONCE)
NO_ANSWER = Answer(held=True)  # never released


def held(answer: Answer) -> Answer:
    return replace(answer, held=True)


@dataclass
class Recorded:
    path: str
    body: JSON
    authorization: str

    @property
    def system(self) -> str:
        return str(self.body["messages"][0]["content"])

    @property
    def user(self) -> str:
        return str(self.body["messages"][-1]["content"])


class FakeLLM(Changes):
    def __init__(self, api_key: str = DEFAULT_KEY) -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.problems: list[str] = []
        self._script: list[Answer] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._changed = asyncio.Event()  # Changes: every request wakes `wait_for`
        self._released = 0  # held answers that may go out (release)
        self._closing = False  # every held answer goes out, as a 503

    # --- scripting ------------------------------------------------------------------------
    def then(self, *answers: Answer) -> FakeLLM:
        """Answer the next requests with these, in order (replacing what was scripted)."""
        self._script = list(answers)
        return self

    def release(self, count: int = 1) -> None:
        """Let `count` held answers go out (those held now, or the next ones)."""
        self._released += count
        self._touch()

    async def _hold(self) -> bool:
        """Wait for a release (True) or for the fake to close (False)."""
        while not self._closing:
            if self._released:
                self._released -= 1
                return True
            await self._changed.wait()
        return False

    def _next(self) -> Answer:
        if not self._script:
            return SERVER_ERROR
        return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    # --- addresses ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def groq_base_url(self) -> str:
        return self.url

    # --- the server -----------------------------------------------------------------------
    async def __aenter__(self) -> FakeLLM:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        app.router.add_post("/openai/v1/chat/completions", self._completions)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closing = True
        self._touch()
        if self._runner is not None:
            await self._runner.cleanup()

    def _problem(self, text: str) -> web.Response:
        self.problems.append(text)
        return web.json_response(
            {"error": {"message": text, "type": "invalid_request"}}, status=400
        )

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        auth = request.headers.get("Authorization", "")
        if auth != f"Bearer {self.api_key}":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return self._problem("body is not JSON")
        recorded = Recorded(request.path, body, auth)
        self.requests.append(recorded)
        self._touch()
        messages = body.get("messages")
        if not isinstance(body.get("model"), str) or not isinstance(messages, list):
            return self._problem("model and messages are required")
        roles = [m.get("role") for m in messages if isinstance(m, dict)]
        if roles[:1] != ["system"] or roles[-1:] != ["user"]:
            return self._problem(f"expected a system then a user message, got {roles}")
        fmt = body.get("response_format") or {}
        if fmt.get("type") not in ("json_schema", "json_object"):
            return self._problem("a structured response_format is required")
        answer = self._next()
        if answer.held and not await self._hold():
            return web.json_response({"error": {"message": "closing"}}, status=503)
        if answer.status != 200:
            return web.json_response(
                {"error": {"message": f"scripted {answer.status}", "type": "scripted"}},
                status=answer.status,
                headers=answer.headers,
            )
        return web.json_response(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer.content},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        )
