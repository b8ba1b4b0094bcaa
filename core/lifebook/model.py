"""The Lifebook: a person's vision, values, identity, 90-day goals and life domains.

Stored as JSON in users.lifebook with a schema version; `upgrade` reads any earlier shape (and
forgives damaged entries, dropping what cannot be kept rather than failing the person's request).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import InvalidInput
from core.validation import build

SCHEMA_VERSION = 2
VISION_MAX = 600
VALUE_MAX = 40
MAX_VALUES = 5
IDENTITY_MAX = 200
MAX_IDENTITIES = 5
GOAL_MAX = 200
MAX_GOALS = 10
DOMAIN_MAX = 40
MAX_DOMAINS = 8
GOAL_HORIZON_DAYS = 90
MAX_GOAL_ID = 9_999  # goal ids are g1 to g9999

SUGGESTED_VALUES = (
    "health",
    "family",
    "growth",
    "courage",
    "kindness",
    "creativity",
    "freedom",
    "honesty",
    "calm",
    "adventure",
)
SUGGESTED_DOMAINS = (
    "health",
    "relationships",
    "work",
    "learning",
    "money",
    "home",
    "fun",
    "community",
)


class Section(StrEnum):
    VISION = "vision"
    VALUES = "values"
    IDENTITY = "identity"
    GOALS = "goals"
    DOMAINS = "domains"


SECTION_TITLES = {
    Section.VISION: "Vision",
    Section.VALUES: "Values",
    Section.IDENTITY: "Identity",
    Section.GOALS: "Goals (90 days)",
    Section.DOMAINS: "Life domains",
}


def _one_line(value: str) -> str:
    return " ".join(value.split())


class Goal(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str = Field(pattern=r"^g[0-9]{1,4}$")
    text: str = Field(min_length=1, max_length=GOAL_MAX)
    due: date | None = None

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _one_line(value)


class Lifebook(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, defer_build=True)

    schema_version: Literal[2] = 2
    vision: str | None = Field(default=None, max_length=VISION_MAX)
    values: tuple[str, ...] = Field(default=(), max_length=MAX_VALUES)
    identity: tuple[str, ...] = Field(default=(), max_length=MAX_IDENTITIES)
    goals: tuple[Goal, ...] = Field(default=(), max_length=MAX_GOALS)
    domains: tuple[str, ...] = Field(default=(), max_length=MAX_DOMAINS)
    # May the Lifebook and the habits go to an outside AI service (the tool finder)? Off by default.
    ai_allowed: bool = False
    next_goal: int = Field(default=1, ge=1)

    @field_validator("values", "domains")
    @classmethod
    def _short_unique(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        return _unique(items, VALUE_MAX)

    @field_validator("identity")
    @classmethod
    def _statements(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        return _unique(items, IDENTITY_MAX)

    @property
    def is_empty(self) -> bool:
        return not (self.vision or self.values or self.identity or self.goals or self.domains)

    def erased(self) -> Lifebook:
        """An empty book that goes on counting goal ids, so a goal's old button or link never
        names a goal written after the erase."""
        return Lifebook(next_goal=self.next_goal)

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def to_storage(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def with_goal(
        self,
        text: str,
        due: date | None,
        *,
        goal_id: str | None = None,
        today: date | None = None,
    ) -> Lifebook:
        """The book with one more goal: a new id, or `goal_id` (an id this book gave before).
        The same words as a goal already there (case and spacing aside) are refused, and so is
        a date before `today` (the person's day; None: not checked)."""
        same = next((g for g in self.goals if goal_key(g.text) == goal_key(text)), None)
        if same is not None:
            raise InvalidInput(f"“{same.text}” is one of your goals already.")
        check_due(text, due, today)
        if len(self.goals) >= MAX_GOALS:
            raise InvalidInput(f"You have {MAX_GOALS} goals already; finish or remove one first.")
        goal = build(Goal, id=goal_id or f"g{self.next_goal}", text=text, due=due)
        return self.model_copy(
            update={
                "goals": (*self.goals, goal),
                "next_goal": self.next_goal + (goal_id is None),
            }
        )

    def with_goals(
        self, goals: list[tuple[str, date | None]], *, today: date | None = None
    ) -> Lifebook:
        """Every goal replaced. A goal whose text stays (case aside) keeps its id, and with it
        the habits that serve it, whatever its date; the others get new ids. A goal given twice
        is kept once (the first), as values are. A date before `today` is refused, unless the
        goal had that very date already (a goal past its date may stay as it was)."""
        unique: dict[str, tuple[str, date | None]] = {}
        for text, due in goals:
            unique.setdefault(goal_key(text), (text, due))
        if len(unique) > MAX_GOALS:  # not "you have 10 already": these replace the ones there
            raise InvalidInput(f"That is too many goals: at most {MAX_GOALS}.")
        had = {(goal_key(g.text), g.due) for g in self.goals}
        for key, (text, due) in unique.items():
            if (key, due) not in had:
                check_due(text, due, today)
        kept: dict[str, str] = {}
        for old in reversed(self.goals):  # the first of equal texts wins
            kept[goal_key(old.text)] = old.id
        book = self.model_copy(update={"goals": ()})
        for key, (text, due) in unique.items():
            book = book.with_goal(text, due, goal_id=kept.pop(key, None))
        return book


def check_due(text: str, due: date | None, today: date | None) -> None:
    """A goal's date may be today or later (the person's day), never a day gone by."""
    if due is not None and today is not None and due < today:
        raise InvalidInput(
            f"{due.isoformat()} has passed already: give “{_one_line(text)[:60]}” a date from "
            f"today ({today.isoformat()}) on, or none."
        )


def goal_key(text: str) -> str:
    """What makes two goals the same goal: their words, case and spacing aside."""
    return " ".join(text.split()).lower()


def _unique(items: tuple[str, ...], max_length: int) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        clean = _one_line(item)
        if not clean:
            continue
        if len(clean) > max_length:
            raise ValueError(f"keep each one under {max_length} characters")
        if clean.lower() not in seen:
            seen.add(clean.lower())
            out.append(clean)
    return tuple(out)


def edit(book: Lifebook, **changes: object) -> Lifebook:
    """A changed copy, validated (model_copy alone would not check the limits)."""
    return build(Lifebook, **{**book.model_dump(), **changes})


# --- reading stored data --------------------------------------------------------------------
def upgrade(raw: dict[str, Any] | None) -> Lifebook:
    """Any stored shape -> the current Lifebook.

    Version 1 (no schema_version) kept values, identity and goals as plain text (identity as one
    string, goals without ids). Entries that no longer fit the limits are cut, not refused.
    """
    if not raw:
        return Lifebook()
    data = dict(raw)
    version = data.get("schema_version", 1)
    if version == SCHEMA_VERSION:
        try:
            return Lifebook.model_validate(data)
        except ValidationError:
            pass  # damaged: read it leniently below
    return _lenient(data)


def _texts(value: object, limit: int, count: int) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return ()
    out = [_one_line(str(v))[:limit] for v in value if isinstance(v, str | int | float)]
    return _unique(tuple(o for o in out if o), limit)[:count]


def _lenient(data: dict[str, Any]) -> Lifebook:
    goals: list[Goal] = []
    raw_goals = data.get("goals") or []
    for item in raw_goals if isinstance(raw_goals, list) else []:
        text: object = item.get("text") if isinstance(item, dict) else item
        due: object = item.get("due") if isinstance(item, dict) else None
        if not isinstance(text, str) or not _one_line(text):
            continue
        try:
            day = date.fromisoformat(due) if isinstance(due, str) else None
        except ValueError:
            day = None
        goals.append(Goal(id=f"g{len(goals) + 1}", text=_one_line(text)[:GOAL_MAX], due=day))
        if len(goals) == MAX_GOALS:
            break
    vision = data.get("vision")
    return Lifebook(
        vision=_one_line(vision)[:VISION_MAX] or None if isinstance(vision, str) else None,
        values=_texts(data.get("values"), VALUE_MAX, MAX_VALUES),
        identity=_texts(data.get("identity"), IDENTITY_MAX, MAX_IDENTITIES),
        goals=tuple(goals),
        domains=_texts(data.get("domains"), DOMAIN_MAX, MAX_DOMAINS),
        ai_allowed=data.get("ai_allowed") is True,
        next_goal=max(len(goals) + 1, stored_counter(data)),
    )


def stored_counter(raw: dict[str, Any] | None) -> int:
    """The first goal id a stored book may still give: past its `next_goal` and past every goal
    id in it (1 when it has neither). Capped where goal ids end, so a damaged number cannot
    stop new goals."""
    data = raw or {}
    counter = data.get("next_goal")
    highest = counter if isinstance(counter, int) and not isinstance(counter, bool) else 1
    goals = data.get("goals")
    for item in goals if isinstance(goals, list) else []:
        found = (
            re.fullmatch(r"g([0-9]{1,4})", str(item.get("id"))) if isinstance(item, dict) else None
        )
        if found is not None:
            highest = max(highest, int(found.group(1)) + 1)
    return max(1, min(highest, MAX_GOAL_ID))


# --- what people type ---------------------------------------------------------------------
_DUE = re.compile(r"\s*(?:\bby\b|\bdue\b|\()\s*(\d{4}-\d{2}-\d{2})\)?\s*$", re.IGNORECASE)
# "by 31/12/2026", "due 12.31.26": a date, in an order that can't be told (day or month first)
_OTHER_DATE = re.compile(
    r"(?:\bby\b|\bdue\b)\s*(\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\s*$", re.IGNORECASE
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_NTH = r"\d{1,2}(?:st|nd|rd|th)?"
# "by tomorrow", "by June", "due 6/30", "by the end of the year": a date in words, which a goal
# kept as its own words with no date (it looked dated); said, as the other orders above are.
_WORDS_DATE = re.compile(
    r"(?:\bby\b|\bdue\b)\s*("
    r"(?:tomorrow|today|tonight)"
    rf"|next\s+(?:week|month|year|{_WEEKDAY}|{_MONTH})"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+)?\w+(?:\s+\d{4})?"
    r"|(?:the\s+)?weekend"
    rf"|(?:this\s+)?{_WEEKDAY}"
    rf"|{_MONTH}(?:\s+{_NTH})?(?:,?\s+\d{{4}})?"
    rf"|(?:the\s+)?{_NTH}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    r"|\d{1,2}[./]\d{1,2}"
    r")\s*$",
    re.IGNORECASE,
)


def split_items(text: str) -> list[str]:
    """'health, family; growth' or one per line -> ['health', 'family', 'growth']."""
    return [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]


def split_statements(text: str) -> list[str]:
    """Identity statements and goals may contain commas: split on ';' and new lines only."""
    return [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]


def parse_goal(text: str) -> tuple[str, date | None]:
    """'Run a 10k by 2027-03-01' -> ('Run a 10k', date(2027, 3, 1))."""
    match = _DUE.search(text)
    if match is None:
        other = _OTHER_DATE.search(text)
        if other is not None:
            raise InvalidInput(f"Write the date {other.group(1)} as YYYY-MM-DD, e.g. 2026-12-31.")
        words = _WORDS_DATE.search(text)
        if words is not None:
            raise InvalidInput(
                f"I can't read “{words.group(1)}” as a date: write it as YYYY-MM-DD "
                "(e.g. 2026-06-30), or leave it out. Nothing changed."
            )
        return text.strip(), None
    try:
        due = date.fromisoformat(match.group(1))
    except ValueError:
        raise InvalidInput(f"{match.group(1)} is not a date; write it as YYYY-MM-DD.") from None
    return text[: match.start()].strip(), due
