"""The offline finder's typo reading: a word no tool uses becomes the nearest one a tool does,
unless it is a real English word; short words and other first letters are left alone."""

from __future__ import annotations

from bench.bench_finder import seed_tools
from core.finder.ranker import OfflineRanker
from core.finder.spelling import Speller, distance, english_words


def test_typos_become_the_nearest_tool_word() -> None:
    speller = Speller(["phone", "work", "procrastinate", "scrolling", "floss", "skip"])
    assert speller.correct("phne") == "phone"  # a letter dropped
    assert speller.correct("wrok") == "work"  # two neighbours swapped
    assert speller.correct("phome") == "phone"  # a letter changed
    assert speller.correct("procrastnte") == "procrastinate"  # two edits in a long word
    assert speller.correct("scrollig") == "scrolling"
    assert speller.correct("skiping", "skipe") == "skip"  # through its stem


def test_real_words_short_words_and_far_words_stay_as_they_are() -> None:
    speller = Speller(["walking", "like", "task", "thing", "phone", "work"])
    assert speller.correct("waking") is None  # a real word, though one letter from "walking"
    assert speller.correct("line") is None and speller.correct("thin") is None
    assert speller.correct("wok") is None  # under four letters: too many neighbours
    assert speller.correct("fone") is None  # the first letter is kept
    assert speller.correct("pxyne") is None  # two edits in a short word is too far


def test_without_a_word_list_nothing_is_corrected() -> None:
    assert Speller(["phone"], known=frozenset).correct("phne") is None
    assert "waking" in english_words() and "phne" not in english_words()


def test_distance_counts_swaps_as_one_edit() -> None:
    assert distance("wrok", "work", 2) == 1
    assert distance("procrastnte", "procrastinate", 2) == 2
    assert distance("abc", "xyzuvw", 1) == 2  # anything past the limit is limit + 1


def test_the_ranker_reads_typos_and_says_which_words_met() -> None:
    tools = seed_tools()
    ranker = OfflineRanker(tools)
    slug = {t.id: t.slug for t in tools}
    by_slug = {t.slug: t for t in tools}
    top = [slug[r.tool_id] for r in ranker.rank("I cant stop scrollig my phne")]
    assert "phone-out-of-sight" in top
    match = ranker.explain("I cant stop scrollig my phne", by_slug["phone-out-of-sight"])
    assert match.words == ("scrollig", "phne")
    assert "pomodoro" in [slug[r.tool_id] for r in ranker.rank("i procrastinte on my homwork")]
