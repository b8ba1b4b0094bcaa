"""bench.bench_done_sql still runs: --quick, no timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

from bench import bench_done_sql
from tests.support.threads import run_main


def test_bench_done_sql_quick_runs(tmp_path: Path) -> None:
    data = run_main(bench_done_sql.main, "--quick", "--rounds", "1", "--out", str(tmp_path))
    [result] = data["results"]
    # /done's four statements (identity, habits, the upsert, the window) were replayed.
    assert result["statements_per_update"] >= 4
    assert result["bot_layer_cpu_ms"] > 0 and result["statements_cpu_ms"] > 0
    assert result["cpu_ratio"] > 0 and result["database_share"] > 0
    written = json.loads((tmp_path / "bench_done_sql.json").read_text())
    assert written["results"] == data["results"]
