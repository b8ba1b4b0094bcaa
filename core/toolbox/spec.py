"""What a toolbox technique is made of, and the seed library shipped in this package."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.text import clean_text

TITLE_MIN, TITLE_MAX = 3, 80
SUMMARY_MIN, SUMMARY_MAX = 20, 600
STEP_MAX = 300
MIN_STEPS, MAX_STEPS = 3, 7
KEYWORD_MAX, MAX_KEYWORDS = 40, 15
PROBLEM_MAX, MAX_PROBLEMS = 200, 10
SEED_FILE = "seed.json"

Evidence = Literal["research", "practitioner", "community"]
EVIDENCE_LABELS = {
    "research": "research (peer-reviewed studies)",
    "practitioner": "practitioner (books and coaching practice)",
    "community": "community (shared by a HabitLink member)",
}


def one_line(value: str) -> str:
    """On one line, without control characters (whichever way it came in)."""
    return " ".join(clean_text(value).split())


class Source(BaseModel):
    model_config = ConfigDict(frozen=True)

    authors: str = Field(min_length=2, max_length=200)
    year: int = Field(ge=1900, le=2100)
    title: str = Field(min_length=2, max_length=300)
    where: str = Field(min_length=2, max_length=200)  # a journal and volume, or a publisher

    def cite(self) -> str:
        return f"{self.authors} ({self.year}). {self.title}. {self.where}."


class ToolSpec(BaseModel):
    """A technique as written down: the seed file's entries and what /addtool collects."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    title: str = Field(min_length=TITLE_MIN, max_length=TITLE_MAX)
    summary: str = Field(min_length=SUMMARY_MIN, max_length=SUMMARY_MAX)
    steps: tuple[str, ...] = Field(min_length=MIN_STEPS, max_length=MAX_STEPS)
    keywords: tuple[str, ...] = Field(default=(), max_length=MAX_KEYWORDS)
    problems: tuple[str, ...] = Field(default=(), max_length=MAX_PROBLEMS)
    source: Source | None = None
    evidence: Evidence = "community"

    @field_validator("title", "summary")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return one_line(value)

    @field_validator("steps", "keywords", "problems", mode="before")
    @classmethod
    def _no_blank_items(cls, items: object) -> object:
        """Blank items are dropped before the list's length is checked, so three steps are
        three real ones (["", " ", "x"] is one step, too few)."""
        if isinstance(items, list | tuple):
            return [i for i in items if not isinstance(i, str) or one_line(i)]
        return items

    @field_validator("steps")
    @classmethod
    def _steps(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        steps = tuple(one_line(s) for s in items)
        if any(len(s) > STEP_MAX for s in steps):
            raise ValueError(f"keep each step under {STEP_MAX} characters")
        return steps

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        words = tuple(dict.fromkeys(one_line(k).lower() for k in items if one_line(k)))
        if any(len(k) > KEYWORD_MAX for k in words):
            raise ValueError(f"keep each keyword under {KEYWORD_MAX} characters")
        return words

    @field_validator("problems")
    @classmethod
    def _problems(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        problems = tuple(one_line(p) for p in items if one_line(p))
        if any(len(p) > PROBLEM_MAX for p in problems):
            raise ValueError(f"keep each problem under {PROBLEM_MAX} characters")
        return problems


class SeedFile(BaseModel):
    version: int
    tools: tuple[ToolSpec, ...]

    @field_validator("tools")
    @classmethod
    def _unique(cls, tools: tuple[ToolSpec, ...]) -> tuple[ToolSpec, ...]:
        for attr in ("slug", "title"):
            names = [getattr(t, attr).lower() for t in tools]
            if len(names) != len(set(names)):
                raise ValueError(f"two seed tools share a {attr}")
        for tool in tools:
            if tool.slug.startswith("u-") or tool.source is None or tool.evidence == "community":
                raise ValueError(f"seed tool {tool.slug} needs a source and a seed slug")
        return tools


@dataclass(frozen=True)
class Seed:
    tools: tuple[ToolSpec, ...]
    digest: str  # changes whenever the file does, so a new release re-syncs


@cache
def load_seed() -> Seed:
    raw = resources.files("core.toolbox").joinpath("data").joinpath(SEED_FILE).read_bytes()
    parsed = SeedFile.model_validate(json.loads(raw))
    return Seed(parsed.tools, hashlib.sha256(raw).hexdigest())
