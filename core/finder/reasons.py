"""Why the offline ranker picked a tool, in a sentence about the person's own words.

BM25 only says "this scored highest"; `explain` finds which of the person's words (after the same
stop-word removal and stemming the ranker uses) met which part of the tool: one of the problem
phrases it is for, its keywords or name, or a sentence of its summary. `reason` turns that into
the sentence /findtool and the API show, quoting the person's words as they wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from core.db.models import Tool

Field = Literal["problem", "keywords", "title", "summary"]
# On a tie, the field that speaks most directly to a problem wins.
PREFERENCE: tuple[Field, ...] = ("problem", "keywords", "title", "summary")
MAX_WORDS = 4
PHRASE_MAX = 140
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

Pairs = Callable[[str], list[tuple[str, str]]]  # text -> [(word as written, its stem)]


@dataclass(frozen=True)
class Match:
    """Where the person's words met the tool best: `field` and `phrase` (a problem phrase, the
    matched keywords, the title or a summary sentence) and `words`, the person's words (as
    written, in their order) found there; `all_words`: every one of their words the tool has."""

    words: tuple[str, ...]
    field: Field | None
    phrase: str
    all_words: tuple[str, ...] = ()


def explain(pairs: Pairs, text: str, tool: Tool) -> Match:
    query: dict[str, str] = {}
    for word, stem in pairs(text):
        query.setdefault(stem, word)
    if not query:
        return Match((), None, "")
    candidates: list[tuple[int, int, Field, str, set[str]]] = []
    met: set[str] = set()

    def consider(field: Field, phrase: str, stems: set[str]) -> None:
        hit = stems & query.keys()
        met.update(hit)
        if hit:
            candidates.append((len(hit), -PREFERENCE.index(field), field, phrase, hit))

    for phrase in tool.problems:
        consider("problem", phrase, _stems(pairs, phrase))
    keyword_hits = [k for k in tool.keywords if _stems(pairs, k) & query.keys()]
    if keyword_hits:
        consider(
            "keywords", ", ".join(keyword_hits[:MAX_WORDS]), _stems(pairs, " ".join(keyword_hits))
        )
    consider("title", tool.title, _stems(pairs, tool.title))
    for sentence in _SENTENCE.split(tool.description):
        consider("summary", sentence, _stems(pairs, sentence))
    if not candidates:
        return Match((), None, "")
    _, _, field, phrase, hit = max(candidates, key=lambda c: (c[0], c[1]))
    return Match(
        tuple(word for stem, word in query.items() if stem in hit),
        field,
        phrase,
        tuple(word for stem, word in query.items() if stem in met),
    )


def _stems(pairs: Pairs, text: str) -> set[str]:
    return {stem for _, stem in pairs(text)}


def quoted(words: Sequence[str]) -> str:
    """“a”, “b” and “c” (at most MAX_WORDS of them)."""
    marks = [f"“{w}”" for w in words[:MAX_WORDS]]
    if len(marks) == 1:
        return marks[0]
    return ", ".join(marks[:-1]) + " and " + marks[-1]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PHRASE_MAX else text[: PHRASE_MAX - 1] + "…"


def reason(match: Match, tool: Tool, general: str) -> str:
    """One sentence on why `tool` fits, citing the person's words; `general` (the tool's first
    sentence) when none of them met it (the ranker's general starting points)."""
    if match.field is None or not match.words:
        return f"None of your words point to this one; it is a good general start: {general}"
    said = quoted(match.words)
    verb = "matches" if len(match.words) == 1 else "match"
    if match.field == "problem":
        return f"You wrote {said}, which {verb} what it is for: “{_short(match.phrase)}”."
    if match.field == "keywords":
        return f"You wrote {said}, which {verb} what it works on: {_short(match.phrase)}."
    if match.field == "title":
        return f"You wrote {said}, which {verb} its name: {tool.title}."
    return f"You wrote {said}, which {verb} what it does: “{_short(match.phrase)}”"
