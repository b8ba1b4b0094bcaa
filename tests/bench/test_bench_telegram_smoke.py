"""bench.bench_telegram still runs: --quick, no timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

from bench import bench_telegram
from tests.support.threads import run_main


def test_bench_telegram_quick_runs(tmp_path: Path) -> None:
    data = run_main(bench_telegram.main, "--quick", "--no-postgres", "--out", str(tmp_path))
    modes = [r["rate_limit"] for r in data["results"]]
    assert modes == [False, True]
    for r in data["results"]:
        assert r["habitlink"]["updates_per_s"] > 0 and r["echo"]["updates_per_s"] > 0
        assert r["ratio"] > 0 and r["cpu_ratio"] > 0
        assert r["habitlink"]["n"] == r["echo"]["n"] == data["rounds"]
    assert data["results"][0]["bot_layer"]["median_ms"] > 0
    # the adapter alone (fixed reply) ran beside them, answering every update
    assert data["results"][0]["cpu_per_update_ms"]["adapter_fixed_reply"] > 0
    assert data["results"][0]["adapter_floor_ratio"] > 0
    written = json.loads((tmp_path / "bench_telegram.json").read_text())
    assert written["results"] == data["results"]
