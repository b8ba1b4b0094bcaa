"""Which tools `/tools KEYWORD` (and GET /api/v1/tools?q=) finds: those whose title, keywords,
summary or problems contain the keyword as typed, or that use every one of its words in some
form ("urges" finds "urge", "slept" finds "sleeping": the finder's stems, core/finder/ranker)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

from core.db.models import Tool

if TYPE_CHECKING:
    from core.finder.ranker import Tokenizer


@cache
def _tokens() -> Tokenizer:
    # Imported when first needed: the ranker brings bm25s and numpy, which an idle bot
    # does without (tests/unit/test_platform_imports.py).
    from core.finder.ranker import Tokenizer

    return Tokenizer()


def haystack(tool: Tool) -> str:
    return " ".join([tool.title, *tool.keywords, tool.description, *tool.problems]).lower()


# By text: a tool's words are stemmed once, not on every /tools KEYWORD (an edited tool's new
# text is a new entry; the bound keeps thousands of community tools' worth).
@lru_cache(maxsize=4096)
def stems(text: str) -> frozenset[str]:
    return frozenset(_tokens()(text))


def mentions(tool: Tool, word: str, wanted: frozenset[str]) -> bool:
    """Does the tool mention `word` (lower-cased), or each of `wanted` (its stems) in a form?"""
    text = haystack(tool)
    return word in text or (bool(wanted) and wanted <= stems(text))
