"""bench.bench_history still runs: --quick on SQLite, no timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

from bench import bench_history
from tests.support.threads import run_main


def test_bench_history_quick_runs_on_sqlite(tmp_path: Path) -> None:
    argv = ("--quick", "--no-postgres", "--rounds", "1", "--out", str(tmp_path))
    data = run_main(bench_history.main, *argv)
    commands = [r["command"] for r in data["results"]]
    assert commands == ["/habits", "/done HABIT", "/week", "/stats", "/stats HABIT", "/summary"]
    for r in data["results"]:
        assert r["backend"] == "sqlite"
        # Five years of history send the same statements as 30 days.
        assert r["statements_five_years"] == r["statements_thirty_days"]
        assert r["five_years_ms"] > 0 and r["thirty_days_ms"] > 0 and r["ratio_wall"] > 0
    written = json.loads((tmp_path / "bench_history.json").read_text())
    assert written["results"] == data["results"]
