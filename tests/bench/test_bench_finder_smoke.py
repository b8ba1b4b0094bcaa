"""bench_finder still runs (--quick) and reports recall and a baseline; no timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

from bench import bench_finder


def test_bench_finder_quick_runs(tmp_path: Path) -> None:
    data = bench_finder.main(["--quick", "--rounds", "2", "--out", str(tmp_path)])
    (result,) = data["results"]
    assert data["cases"] >= 50 and data["tools"] >= 25
    assert 0 < result["recall_at_3"] <= 1
    assert data["held_out_cases"] >= 30 and 0 < result["held_out_recall_at_3"] <= 1
    assert 0 < result["baselines"][0]["held_out_recall_at_3"] <= 1
    assert result["baselines"][0]["name"] == "substring scan"
    assert result["baselines"][0]["ratio"] > 0
    assert json.loads((tmp_path / "bench_finder.json").read_text())["results"] == data["results"]
