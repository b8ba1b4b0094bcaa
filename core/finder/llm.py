"""ToolChooser implementations over the official openai and groq SDKs.

Both use a short timeout and one retry (the SDKs retry connection errors, timeouts, 429 and 5xx,
honouring Retry-After); output is structured JSON validated with Pydantic.
"""

from __future__ import annotations

import asyncio
import json
import logging
from abc import ABC, abstractmethod
from typing import Any

from pydantic import ValidationError

from core.finder.port import ANSWER_SCHEMA, AIAnswer, AIUnavailable

log = logging.getLogger("habitlink.finder")
RETRIES = 1
JSON_MODE: Any = {"type": "json_object"}


def _parse(content: str | None) -> AIAnswer:
    if not content:
        raise AIUnavailable("empty answer")
    try:
        return AIAnswer.model_validate_json(content)
    except ValidationError:
        raise AIUnavailable("answer is not the expected JSON") from None


def _messages(system: str, user: str) -> Any:
    """The system message carries the instructions; the person's words only the user message."""
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


class _SdkChooser(ABC):
    """What both SDKs share: one chat completion under an overall deadline, their errors
    turned into AIUnavailable, the answer validated. Subclasses make the client and the call."""

    provider = ""

    def __init__(self, model: str, timeout: float) -> None:
        self.model = model
        self._timeout = timeout
        self._client: Any = None

    @abstractmethod
    def _sdk(self) -> Any:
        """The SDK module, for its exception classes (imported only when a chooser is used)."""

    @abstractmethod
    async def _complete(self, system: str, user: str) -> Any:
        """One chat completion through the SDK's client."""

    async def choose(self, system: str, user: str) -> AIAnswer:
        sdk = self._sdk()
        try:
            async with asyncio.timeout(self._timeout * (RETRIES + 1) + 1):
                completion = await self._complete(system, user)
        except (sdk.APITimeoutError, TimeoutError):
            raise AIUnavailable("timed out") from None
        except sdk.APIStatusError as exc:
            raise AIUnavailable(f"HTTP {exc.status_code}") from None
        except sdk.APIError as exc:
            raise AIUnavailable(type(exc).__name__) from None
        if not completion.choices:
            raise AIUnavailable("no choices")
        return _parse(completion.choices[0].message.content)

    async def close(self) -> None:
        await self._client.close()


class OpenAIChooser(_SdkChooser):
    provider = "OpenAI"

    def __init__(
        self, api_key: str, model: str, *, base_url: str | None = None, timeout: float = 4.0
    ) -> None:
        from openai import AsyncOpenAI

        super().__init__(model, timeout)
        self._client = AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=RETRIES
        )

    def _sdk(self) -> Any:
        import openai

        return openai

    async def _complete(self, system: str, user: str) -> Any:
        response_format: Any = {
            "type": "json_schema",
            "json_schema": {"name": "tool_choice", "strict": True, "schema": ANSWER_SCHEMA},
        }
        return await self._client.chat.completions.create(
            model=self.model,
            messages=_messages(system, user),
            response_format=response_format,
            temperature=0.2,
        )


class GroqChooser(_SdkChooser):
    provider = "Groq"

    def __init__(
        self, api_key: str, model: str, *, base_url: str | None = None, timeout: float = 4.0
    ) -> None:
        from groq import AsyncGroq

        super().__init__(model, timeout)
        self._client = AsyncGroq(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=RETRIES
        )

    def _sdk(self) -> Any:
        import groq

        return groq

    async def _complete(self, system: str, user: str) -> Any:
        # JSON mode works on every Groq model; the shape is spelled out in the instructions.
        shape = "\nAnswer with JSON only, exactly this shape: " + json.dumps(ANSWER_SCHEMA)
        return await self._client.chat.completions.create(
            model=self.model,
            messages=_messages(system + shape, user),
            response_format=JSON_MODE,
            temperature=0.2,
        )
