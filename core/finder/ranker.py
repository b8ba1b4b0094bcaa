"""The offline tool finder: BM25 (bm25s) over each tool's title, keywords, problems and summary.

Words are lower-cased, common words dropped and the rest stemmed (PyStemmer, English Snowball), so
"skipping the gym" meets "skip" and "gym"; irregular past forms ("forgot") are read as the verb
first. Title and keywords count twice. A word no tool uses is
read as the nearest word one does, when one is a typo away ("phne" -> "phone", core/finder/
spelling.py); such a corrected word counts a little less. Works with nothing set.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

from core.db.models import Tool
from core.finder.reasons import Match, explain
from core.finder.spelling import Speller

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
# Past forms the stemmer leaves alone ("forgot" would never meet "forget"): read as the verb.
IRREGULAR = {
    "ate": "eat",
    "eaten": "eat",
    "began": "begin",
    "begun": "begin",
    "bought": "buy",
    "broke": "break",
    "broken": "break",
    "chose": "choose",
    "chosen": "choose",
    "drank": "drink",
    "drunk": "drink",
    "fell": "fall",
    "fallen": "fall",
    "felt": "feel",
    "forgot": "forget",
    "forgotten": "forget",
    "gave": "give",
    "given": "give",
    "lost": "lose",
    "made": "make",
    "ran": "run",
    "sat": "sit",
    "slept": "sleep",
    "spent": "spend",
    "thought": "think",
    "took": "take",
    "taken": "take",
    "went": "go",
    "woke": "wake",
    "woken": "wake",
    "wrote": "write",
    "written": "write",
}
_WORD = re.compile(r"[a-z0-9]+")
# Good general starting points when nothing in the words matches any tool.
FALLBACK_SLUGS = ("two-minute-version", "implementation-intentions", "habit-stacking")
CORRECTED_WEIGHT = 0.8  # a word read through a typo is a guess: it counts a little less


@dataclass(frozen=True)
class Ranked:
    tool_id: int
    score: float


class Tokenizer:
    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")

    def __call__(self, text: str) -> list[str]:
        return self._stems(self.words(text))

    def _stems(self, words: list[str]) -> list[str]:
        return list(self._stemmer.stemWords([IRREGULAR.get(w, w) for w in words]))

    def stem(self, word: str) -> str:
        return self._stems([word])[0]

    @staticmethod
    def words(text: str) -> list[str]:
        return [w for w in _WORD.findall(text.lower().replace("'", "")) if w not in STOPWORDS]

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """Each kept word as written (lower-cased) with its stem."""
        words = self.words(text)
        return list(zip(words, self._stems(words), strict=True))


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
        words = [w for t in tools for w in self._tokenize.words(tool_text(t))]
        self.speller = Speller([*words, *self._vocab])  # the words as written, and their stems
        self.stem = self._tokenize.stem
        # A stem as the tools write it most often ("procrastin" -> "procrastination"): how a
        # correction that is a bare stem is quoted back.
        self._written: dict[str, str] = {}
        for word, _ in Counter(words).most_common():
            self._written.setdefault(self.stem(word), word)
        self._words = frozenset(words)

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """Each kept word with its stem; a misspelt word as the tool word it was read as, with
        that word's stem ("phne" -> ("phone", "phone")), so a reason quotes the word meant."""
        out: list[tuple[str, str]] = []
        for word, stem in self._tokenize.pairs(text):
            if stem in self._vocab:
                out.append((word, stem))
                continue
            near = self.speller.correct(word, stem)
            fixed = self._tokenize.stem(near) if near else None
            if near is None or fixed is None or fixed not in self._vocab:
                out.append((word, stem))
            else:
                out.append((near if near in self._words else self._written.get(fixed, near), fixed))
        return out

    def _known(self, word: str, stem: str) -> str | None:
        """The stem as the index knows it: `stem` itself, or its typo's correction's, or None."""
        if stem in self._vocab:
            return stem
        near = self.speller.correct(word, stem)
        fixed = self._tokenize.stem(near) if near else None
        return fixed if fixed in self._vocab else None

    def explain(self, text: str, tool: Tool) -> Match:
        """Which of the person's words met which part of `tool` (for the reason shown)."""
        return explain(self.pairs, text, tool)

    def rank(self, text: str, k: int = 3) -> list[Ranked]:
        """The k best tools for the text; general starters when no word matches."""
        exact: list[str] = []
        fixed: list[str] = []
        for word, stem in self._tokenize.pairs(text):
            known = self._known(word, stem)
            if known is not None:
                (exact if known == stem else fixed).append(known)
        if not (exact or fixed) or not self._ids:
            return [Ranked(i, 0.0) for i in self._fallback[:k]]
        scores = np.zeros(len(self._ids), dtype=float)
        if exact:
            scores += np.asarray(self._bm25.get_scores(exact), dtype=float)
        if fixed:
            scores += CORRECTED_WEIGHT * np.asarray(self._bm25.get_scores(fixed), dtype=float)
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
