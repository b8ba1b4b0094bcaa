"""The offline finder's typo reading: a word no tool uses becomes the nearest one a tool does,
unless it is a real English word; short words and other first letters are left alone."""

from __future__ import annotations

from importlib import resources

from bench.bench_finder import seed_tools
from core.finder import make_real_words
from core.finder.ranker import OfflineRanker
from core.finder.spelling import REAL_WORDS, Speller, distance, real_words


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
    assert "waking" in real_words() and "phne" not in real_words()


def test_the_shipped_real_words_are_those_of_the_english_list_near_a_seed_tool_word() -> None:
    """data/real_words.txt is what `python -m core.finder.make_real_words` writes today: every
    word of pyspellchecker's English list the seed Toolbox's speller could take for a typo, and
    no other (a seed tool's new word, or a new pyspellchecker list, fails here until rerun)."""
    english = make_real_words.english_words()
    ranker = make_real_words.seed_ranker()
    near = make_real_words.near_words(english, ranker)
    shipped = resources.files("core.finder").joinpath("data", REAL_WORDS).read_text("utf-8")
    assert shipped == make_real_words.render(near), "run: python -m core.finder.make_real_words"
    assert real_words() == near and near <= english
    assert {"waking", "line", "thin"} <= near  # a typo away from walking, like, thing
    assert "phone" not in near and "xylophone" not in near  # a tool's own word; far from all
    assert len(near) < len(english) / 10
    # through its stem: "thinly" is two edits from "thing", its stem "thin" one
    assert ranker.speller.guess("thinly") is None and "thinly" in near


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
    assert match.words == ("scrolling", "phone")  # quoted as the words meant
    assert "pomodoro" in [slug[r.tool_id] for r in ranker.rank("i procrastinte on my homwork")]
