"""Writes core/finder/data/real_words.txt: `python -m core.finder.make_real_words`.

The speller (spelling.py) must never "correct" a real English word, but only the real words it
could correct matter: those it would read as a word of the built-in Toolbox (data/seed.json),
themselves or through their stem. This takes pyspellchecker's English list (a development
dependency; the running product never imports it) and keeps those words. Run it after the seed
Toolbox's words change; tests/unit/test_finder_spelling.py fails until the file is rewritten.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from core.finder.ranker import OfflineRanker
from core.toolbox.service import seed_rows

HEADER = "# Written by `python -m core.finder.make_real_words` from pyspellchecker's English list."
TARGET = Path(__file__).parent / "data" / "real_words.txt"


def english_words() -> frozenset[str]:
    """pyspellchecker's English word list, as the package ships it."""
    data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
    words: dict[str, int] = json.loads(gzip.decompress(data))
    return frozenset(words)


def seed_ranker() -> OfflineRanker:
    """The offline ranker over the built-in Toolbox, as a fresh database gets it."""
    return OfflineRanker(seed_rows(datetime.now(UTC)))


def near_words(english: Iterable[str], ranker: OfflineRanker) -> set[str]:
    """The words of `english` the ranker's speller would read as a tool word, were they typos."""
    speller = ranker.speller
    return {w for w in english if speller.unknown(w) and speller.guess(w, ranker.stem(w))}


def render(words: Iterable[str]) -> str:
    return "\n".join([HEADER, *sorted(words)]) + "\n"


def main() -> None:
    words = near_words(english_words(), seed_ranker())
    TARGET.write_text(render(words), encoding="utf-8")
    print(f"{len(words)} words -> {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
