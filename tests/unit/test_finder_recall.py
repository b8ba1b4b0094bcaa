"""The offline tool finder keeps its top-3 recall above a floor on two sets: the team's set (the
tools' keywords were tuned on its misses, so it is not blind) and the held-out set, written
without looking at the tools' keywords and measured once, before any change (0.825: 33 of 40).
The held-out floor comes from that first measurement; never tune keywords or the ranker on the
held-out problems (that would make it one more tuned set): write a new held-out file instead."""

from __future__ import annotations

from pathlib import Path

from bench.bench_finder import HOLDOUT_FILE, K, evaluate, load_cases, seed_tools
from core.finder.ranker import OfflineRanker, substring_rank

FLOOR = 0.85  # the team set: the goal
HELD_OUT_MEASURED = 0.825  # 33 of 40, first run, 2026-11-30
HELD_OUT_FLOOR = 0.80  # one more miss than measured is allowed, not two
# The second held-out set (bench/finder_holdout2.json): 43 of 47 on its first run; one more miss
# is allowed, not two. (Words for two of its misses, waking and meditation, were later added to
# the tools from a user's report: 45 of 47 since, and the set is no longer blind.)
HOLDOUT_2 = Path(__file__).parents[2] / "bench" / "finder_holdout2.json"
HELD_OUT_2_FLOOR = 42 / 47


def test_evaluation_sets_are_big_enough_and_name_real_tools() -> None:
    cases, held_out = load_cases(), load_cases(HOLDOUT_FILE)
    slugs = {t.slug for t in seed_tools()}
    assert len(cases) >= 50 and len(held_out) >= 30
    assert all(case.fits and case.fits <= slugs for case in cases + held_out)
    team = {c.problem.lower() for c in cases}
    assert not any(c.problem.lower() in team for c in held_out)


def test_bm25_recall_stays_above_the_floor_and_beats_the_substring_scan() -> None:
    tools, cases = seed_tools(), load_cases()
    ranker = OfflineRanker(tools)
    recall, missed = evaluate(lambda text: ranker.rank(text, K), tools, cases)
    baseline, _ = evaluate(lambda text: substring_rank(tools, text, K), tools, cases)
    assert recall >= FLOOR, missed
    assert recall > baseline


def test_held_out_recall_stays_above_its_floor() -> None:
    tools, held_out = seed_tools(), load_cases(HOLDOUT_FILE)
    ranker = OfflineRanker(tools)
    recall, missed = evaluate(lambda text: ranker.rank(text, K), tools, held_out)
    assert recall >= HELD_OUT_FLOOR, missed
    # Honest note: on the held-out set the plain substring scan did as well or better (0.85 on
    # the first run); BM25's edge on the team set comes partly from the tuned keywords.


def test_second_held_out_set_names_real_tools_and_stays_above_its_floor() -> None:
    tools, held_out = seed_tools(), load_cases(HOLDOUT_2)
    slugs = {t.slug for t in tools}
    assert len(held_out) >= 40 and all(case.fits and case.fits <= slugs for case in held_out)
    earlier = {c.problem.lower() for c in load_cases() + load_cases(HOLDOUT_FILE)}
    assert not any(c.problem.lower() in earlier for c in held_out)
    ranker = OfflineRanker(tools)
    recall, missed = evaluate(lambda text: ranker.rank(text, K), tools, held_out)
    assert recall >= HELD_OUT_2_FLOOR, missed


def test_stemming_matches_word_forms() -> None:
    tools = seed_tools()
    ranker = OfflineRanker(tools)
    slug = {t.id: t.slug for t in tools}
    top = [slug[r.tool_id] for r in ranker.rank("craving cigarettes", 3)]
    assert "urge-surfing" in top  # "craving" and the keyword "craving" share the stem
    top = [slug[r.tool_id] for r in ranker.rank("distracted by notifications", 3)]
    assert "phone-out-of-sight" in top
    # Past forms the stemmer leaves alone are read as their verb: "ate" meets "eat".
    friction = next(t for t in tools if t.slug == "add-friction")
    assert ranker.explain("I ate junk food again", friction).words == ("ate", "junk", "food")
