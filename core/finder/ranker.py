"""The offline tool finder: BM25 (bm25s) over each tool's title, keywords, problems and summary.

Words are lower-cased, common words dropped and the rest stemmed (PyStemmer, English Snowball), so
"skipping the gym" meets "skip" and "gym". Title and keywords count twice. Works with nothing set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

from core.db.models import Tool
from core.finder.reasons import Match, explain

# bm25s sets its own logger to DEBUG when imported, which would print a line per index built.
logging.getLogger("bm25s").setLevel(logging.WARNING)

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "im",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "my",
        "myself",
        "of",
        "on",
        "or",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "am",
        "get",
        "gets",
        "got",
        "keep",
        "keeps",
        "really",
        "always",
        "very",
        "much",
        "some",
        "any",
        "all",
        "also",
        "about",
        "again",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")
# Good general starting points when nothing in the words matches any tool.
FALLBACK_SLUGS = ("two-minute-version", "implementation-intentions", "habit-stacking")


@dataclass(frozen=True)
class Ranked:
    tool_id: int
    score: float


class Tokenizer:
    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")

    def __call__(self, text: str) -> list[str]:
        return list(self._stemmer.stemWords(self.words(text)))

    @staticmethod
    def words(text: str) -> list[str]:
        return [w for w in _WORD.findall(text.lower().replace("'", "")) if w not in STOPWORDS]

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """Each kept word as written (lower-cased) with its stem."""
        words = self.words(text)
        return list(zip(words, self._stemmer.stemWords(words), strict=True))


def tool_text(tool: Tool) -> str:
    """What the ranker reads for one tool; title and keywords twice, they say the most."""
    head = " ".join([tool.title, *tool.keywords])
    return " ".join([head, head, *tool.problems, tool.description])


class OfflineRanker:
    """Built once per set of tools (a few milliseconds for hundreds)."""

    def __init__(self, tools: Sequence[Tool]) -> None:
        self._tokenize = Tokenizer()
        self._ids = [t.id for t in tools]
        self._fallback = [t.id for slug in FALLBACK_SLUGS for t in tools if t.slug == slug]
        corpus = [self._tokenize(tool_text(t)) or ["_empty_"] for t in tools]
        self._bm25 = bm25s.BM25()
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._vocab: dict[str, int] = dict(self._bm25.vocab_dict) if corpus else {}

    def explain(self, text: str, tool: Tool) -> Match:
        """Which of the person's words met which part of `tool` (for the reason shown)."""
        return explain(self._tokenize.pairs, text, tool)

    def rank(self, text: str, k: int = 3) -> list[Ranked]:
        """The k best tools for the text; general starters when no word matches."""
        tokens = [t for t in self._tokenize(text) if t in self._vocab]
        if not tokens or not self._ids:
            return [Ranked(i, 0.0) for i in self._fallback[:k]]
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=float)
        order = np.argsort(-scores, kind="stable")[:k]
        ranked = [Ranked(self._ids[i], float(scores[i])) for i in order if scores[i] > 0]
        for tool_id in self._fallback:
            if len(ranked) >= k:
                break
            if all(r.tool_id != tool_id for r in ranked):
                ranked.append(Ranked(tool_id, 0.0))
        return ranked


def substring_rank(tools: Sequence[Tool], text: str, k: int = 3) -> list[Ranked]:
    """The baseline the benchmark compares with: count query words found as plain substrings."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    scored = []
    for tool in tools:
        hay = tool_text(tool).lower()
        score = sum(1 for w in words if w in hay)
        if score:
            scored.append(Ranked(tool.id, float(score)))
    scored.sort(key=lambda r: -r.score)
    return scored[:k]
