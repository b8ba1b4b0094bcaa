"""The offline tool finder: top-3 recall on two evaluation sets, and time per query.

    python -m bench.bench_finder [--quick] [--rounds N] [--out DIR]

bench/finder_eval.json holds problem statements as people write them, each with the Toolbox tools
that fit (the team's set; the tools' keywords were tuned on its misses, so it is not blind).
bench/finder_holdout.json is the held-out set: written from the tools' titles only and committed
before the ranker ever ran on it; nothing may be tuned against it. A query is a hit when at least
one fitting tool is among the first three; recall is the share of hits, reported for each set.
The BM25 ranker (core/finder/ranker.py) is compared in the same run with the
plain baseline: a substring scan counting the query's words in each tool's text. Both are timed
per query over the seed Toolbox (and building the BM25 index once, for the record).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import (
    Summary,
    base_parser,
    environment,
    gc_disabled,
    measure_sync,
    ratio,
    table,
    write_results,
)
from core.db.models import Tool
from core.finder.ranker import OfflineRanker, Ranked, substring_rank
from core.toolbox.service import seed_rows

NAME = "bench_finder"
EVAL_FILE = Path(__file__).with_name("finder_eval.json")
HOLDOUT_FILE = Path(__file__).with_name("finder_holdout.json")
K = 3
RECALL_GOAL = 0.85
FULL, QUICK = (50, 3), (3, 1)  # (timed rounds, warm-up rounds); a round runs every query once


@dataclass(frozen=True)
class Case:
    problem: str
    fits: frozenset[str]


def load_cases(path: Path = EVAL_FILE) -> list[Case]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [Case(c["problem"], frozenset(c["fits"])) for c in raw["cases"]]


def seed_tools() -> list[Tool]:
    """The seed Toolbox as unsaved rows, ids in file order (the ranker reads nothing else)."""
    return seed_rows(datetime.now(UTC))


Rank = Callable[[str], Sequence[Ranked]]


def evaluate(rank: Rank, tools: Sequence[Tool], cases: Sequence[Case]) -> tuple[float, list[str]]:
    """Top-K recall and the problems missed."""
    slug = {t.id: t.slug for t in tools}
    missed = [
        c.problem for c in cases if not {slug[r.tool_id] for r in rank(c.problem)[:K]} & c.fits
    ]
    return 1 - len(missed) / len(cases), missed


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__ or NAME)
    args = parser.parse_args(argv)
    rounds, warmup = QUICK if args.quick else FULL
    rounds = args.rounds or rounds
    tools, cases, held_out = seed_tools(), load_cases(), load_cases(HOLDOUT_FILE)
    ranker = OfflineRanker(tools)

    def bm25(text: str) -> Sequence[Ranked]:
        return ranker.rank(text, K)

    def scan(text: str) -> Sequence[Ranked]:
        return substring_rank(tools, text, K)

    recall_bm25, missed_bm25 = evaluate(bm25, tools, cases)
    recall_scan, _ = evaluate(scan, tools, cases)
    held_bm25, held_missed = evaluate(bm25, tools, held_out)
    held_scan, _ = evaluate(scan, tools, held_out)
    queries = [c.problem for c in cases]
    with gc_disabled(args.no_gc):
        samples = measure_sync(
            {
                "bm25": lambda: [bm25(q) for q in queries],
                "substring scan": lambda: [scan(q) for q in queries],
                "build bm25 index": lambda: OfflineRanker(tools),
            },
            rounds,
            warmup,
        )
    per_query = {
        name: Summary.of([s / len(queries) for s in samples[name]])
        for name in ("bm25", "substring scan")
    }
    build = Summary.of(samples["build bm25 index"])
    results = [
        {
            "name": "BM25 ranker (bm25s, stemmed)",
            "recall_at_3": round(recall_bm25, 4),
            "held_out_recall_at_3": round(held_bm25, 4),
            "per_query": per_query["bm25"].as_dict(),
            "baselines": [
                {
                    "name": "substring scan",
                    "recall_at_3": round(recall_scan, 4),
                    "held_out_recall_at_3": round(held_scan, 4),
                    "per_query": per_query["substring scan"].as_dict(),
                    "ratio": round(ratio(per_query["bm25"], per_query["substring scan"]), 3),
                }
            ],
            "missed": missed_bm25,
            "held_out_missed": held_missed,
        }
    ]
    data = {
        "benchmark": NAME,
        "environment": environment(),
        "tools": len(tools),
        "cases": len(cases),
        "held_out_cases": len(held_out),
        "goal_recall_at_3": RECALL_GOAL,
        "build_index": build.as_dict(),
        "results": results,
    }
    path = write_results(args.out, NAME, data)
    rows = [
        ["BM25 (bm25s, stemmed)", recall_bm25, held_bm25, per_query["bm25"].median_ms],
        ["substring scan", recall_scan, held_scan, per_query["substring scan"].median_ms],
    ]
    print(
        f"{len(cases)} team problems (tuned on), {len(held_out)} held-out problems, "
        f"{len(tools)} tools, top-{K} recall (goal {RECALL_GOAL:.0%})"
    )
    print(table(["ranker", "recall@3 team", "recall@3 held-out", "ms/query (median)"], rows))
    hits = round(held_bm25 * len(held_out))
    print(f"held-out, BM25: {hits} of {len(held_out)} problems had a fitting tool in the top {K}")
    print(f"BM25 / scan time per query: {results[0]['baselines'][0]['ratio']}x")
    print(f"building the BM25 index: {build.median_ms:.2f} ms (median)")
    for problem in missed_bm25:
        print(f"missed (team set): {problem}")
    for problem in held_missed:
        print(f"missed (held-out): {problem}")
    print(f"written: {path}")
    return data


if __name__ == "__main__":
    main()
