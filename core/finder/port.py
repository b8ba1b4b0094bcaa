"""The AI port of the tool finder: given the instructions and the person's words, pick tools.

Implementations (core/finder/llm.py) ask OpenAI or Groq; the finder validates what comes back
against the Toolbox and falls back to the offline ranker whenever an answer is missing or bad.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

REASON_MAX = 300
MAX_PICKS = 5


class AIPick(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    tool_id: int
    why: str = Field(min_length=1)

    @field_validator("why")
    @classmethod
    def _one_short_line(cls, value: str) -> str:
        text = " ".join(value.split())
        return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"


class AIAnswer(BaseModel):
    """The structured answer a model must give (a long answer is cut, not refused)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    tools: list[AIPick]

    @field_validator("tools")
    @classmethod
    def _first_few(cls, picks: list[AIPick]) -> list[AIPick]:
        return picks[:MAX_PICKS]


# The same shape as JSON Schema for providers' structured output (strict mode wants every
# property required and no others).
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["tools"],
    "properties": {
        "tools": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["tool_id", "why"],
                "properties": {
                    "tool_id": {"type": "integer"},
                    "why": {"type": "string"},
                },
            },
        }
    },
}


class AIUnavailable(Exception):
    """The model gave no usable answer (an error, a timeout, or invalid output); `reason` says
    which, in words safe to log (never a key, never the person's text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ToolChooser(Protocol):
    provider: str  # "OpenAI", "Groq": named in the reply's footnote
    model: str

    async def choose(self, system: str, user: str) -> AIAnswer:
        """Raises AIUnavailable when there is no valid answer."""
        ...

    async def close(self) -> None: ...
