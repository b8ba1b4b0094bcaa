"""The offline tool finder keeps its top-3 recall on the team's evaluation set above a floor."""

from __future__ import annotations

from bench.bench_finder import K, evaluate, load_cases, seed_tools
from core.finder.ranker import OfflineRanker, substring_rank

FLOOR = 0.85


def test_evaluation_set_is_big_enough_and_names_real_tools() -> None:
    cases = load_cases()
    slugs = {t.slug for t in seed_tools()}
    assert len(cases) >= 50
    assert all(case.fits and case.fits <= slugs for case in cases)


def test_bm25_recall_stays_above_the_floor_and_beats_the_substring_scan() -> None:
    tools, cases = seed_tools(), load_cases()
    ranker = OfflineRanker(tools)
    recall, missed = evaluate(lambda text: ranker.rank(text, K), tools, cases)
    baseline, _ = evaluate(lambda text: substring_rank(tools, text, K), tools, cases)
    assert recall >= FLOOR, missed
    assert recall > baseline


def test_stemming_matches_word_forms() -> None:
    tools = seed_tools()
    ranker = OfflineRanker(tools)
    slug = {t.id: t.slug for t in tools}
    top = [slug[r.tool_id] for r in ranker.rank("craving cigarettes", 3)]
    assert "urge-surfing" in top  # "craving" and the keyword "craving" share the stem
    top = [slug[r.tool_id] for r in ranker.rank("distracted by notifications", 3)]
    assert "phone-out-of-sight" in top
