"""Typo tolerance for the offline tool finder: "procrastinte", "phne", "wrok" -> a Toolbox word.

People type /findtool quickly; a misspelt word used to be dropped (no tool has it), so "I can't
stop scrollig my phne" lost both words that mattered. `Speller` knows every word the tools use and
maps a word they don't use to the closest one: at most one edit (a letter added, dropped, changed,
or two neighbours swapped) for words of 4 to 7 letters, two for longer ones, the first letter kept
(typos rarely touch it). A real English word is never "corrected": "waking" is not a typo of
"walking", nor "line" of "like". Lookup uses precomputed deletions (the SymSpell idea), so a query
costs a few dictionary reads.

What is a real word: only the English words the speller could mistake for a tool word matter, so
instead of a whole English word list (160,000 words, about 30 MB in a process) the package ships
data/real_words.txt, the words of pyspellchecker's English list that are within those edits of a
word the built-in Toolbox uses, themselves or through their stem (a few thousand, read on the
first correction). `python -m core.finder.make_real_words` rewrites it from pyspellchecker (a
development dependency); tests/unit/test_finder_spelling.py fails when it is out of date with the
seed Toolbox. What that leaves: a tool added later (/addtool) or edited in the admin brings words
the file was not made for, and a real word a typo away from one of them, and from no built-in
word, is read as that word (a tool using "budget" makes "budged" count, at 0.8, as "budget").
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Container, Iterable
from functools import cache
from importlib import resources

log = logging.getLogger("habitlink.finder")

MIN_LENGTH = 4  # shorter words have too many neighbours to guess from
LONG_WORD = 8  # from this length two edits are allowed


def max_edits(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 2 if len(word) >= LONG_WORD else 1


def _deletions(word: str, depth: int) -> set[str]:
    """Every string made by dropping up to `depth` letters, at most two (the first letter always
    stays)."""
    n = len(word)
    out = {word}
    if depth >= 1:
        out.update([word[:i] + word[i + 1 :] for i in range(1, n)])
    if depth >= 2:
        out.update(
            [
                word[:i] + word[i + 1 : j] + word[j + 1 :]
                for i in range(1, n)
                for j in range(i + 1, n)
            ]
        )
    return out


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours);
    any value above `limit` is reported as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[len(b)], limit + 1)


REAL_WORDS = "real_words.txt"


@cache
def real_words() -> frozenset[str]:
    """The real English words near a built-in tool's word (data/real_words.txt); empty, with a
    warning, if the file cannot be read, and then nothing is corrected (a wrong guess is worse
    than none)."""
    try:
        text = resources.files("core.finder").joinpath("data", REAL_WORDS).read_text("utf-8")
    except OSError as exc:
        log.warning("no list of real words, so no typo correction: %s", exc)
        return frozenset()
    return frozenset(w for w in text.splitlines() if w and not w.startswith("#"))


class Speller:
    """Built from the words the tools use (lower-case, as written); `correct` maps a word they
    don't use to the nearest one they do, or None when nothing is close enough or the word is a
    real word (`known`: by default `real_words`, loaded on the first correction)."""

    def __init__(
        self, words: Iterable[str], known: Callable[[], Container[str]] = real_words
    ) -> None:
        self._known = known
        self._counts = Counter(w for w in words if w.isalpha())
        self._index: dict[str, set[str]] = {}
        for word in self._counts:
            for key in _deletions(word, max_edits(word)):
                self._index.setdefault(key, set()).add(word)

    def correct(self, word: str, *forms: str) -> str | None:
        """The nearest word the tools use to `word`, or else to one of its other `forms` (its stem:
        "skiping" stems to "skipe", one letter from "skip"); None for a real word."""
        if not self.unknown(word):
            return None
        known = self._known()
        if not known or word in known:
            return None
        return self.guess(word, *forms)

    def unknown(self, word: str) -> bool:
        """Whether `word` is one `correct` may change: long enough, letters only, no tool's."""
        return max_edits(word) > 0 and word.isalpha() and word not in self._counts

    def guess(self, word: str, *forms: str) -> str | None:
        """What `correct` answers for an unknown word when it is not a real word."""
        for form in dict.fromkeys((word, *forms)):  # a stem is often the word itself
            near = self._nearest(form)
            if near is not None:
                return near
        return None

    def _nearest(self, word: str) -> str | None:
        limit = max_edits(word)
        if not limit:
            return None
        keys = _deletions(word, limit)
        if self._index.keys().isdisjoint(keys):  # most words: no tool word shares a deletion
            return None
        candidates: set[str] = set()
        for key in keys:
            candidates |= self._index.get(key, set())
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            allowed = min(limit, max_edits(candidate))
            if candidate[0] != word[0] or distance(word, candidate, allowed) > allowed:
                continue
            rank = (distance(word, candidate, allowed), -self._counts[candidate], candidate)
            if best is None or rank < best:
                best = rank
        return best[2] if best else None
