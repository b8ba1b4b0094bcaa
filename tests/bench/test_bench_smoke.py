"""The benchmarks still run: each main() in --quick mode on SQLite, no timing assertions.

Performance itself is measured by `python -m bench.bench_stats` / `bench.bench_commands`.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench import bench_commands, bench_stats
from tests.support.threads import run_main


def test_bench_stats_quick_runs(tmp_path: Path) -> None:
    data = run_main(bench_stats.main, "--quick", "--rounds", "2", "--out", str(tmp_path))
    names = [r["name"] for r in data["results"]]
    assert any(n.startswith("compute_stats") for n in names)
    stats = next(r for r in data["results"] if r["name"].startswith("/stats"))
    assert stats["statements"] > 0
    assert stats["logs_loaded"] == data["history"]["entries"]
    for r in data["results"]:
        assert r["median_ms"] > 0
        assert r["baselines"] and all(b["ratio"] > 0 for b in r["baselines"])
    written = json.loads((tmp_path / "bench_stats.json").read_text())
    assert written["results"] == data["results"]


def test_bench_commands_quick_runs_on_sqlite(tmp_path: Path) -> None:
    argv = ("--quick", "--no-postgres", "--rounds", "2", "--out", str(tmp_path))
    data = run_main(bench_commands.main, *argv)
    results = data["results"]
    seen = {(r["backend"], r["command"], r["habits"]) for r in results}
    assert seen == {
        ("sqlite", command, n) for command in ("/habits", "/done HABIT") for n in (1, 30)
    }
    for r in results:
        assert r["statements"] > 0
        assert r["baseline"]["statements"] > 0
        assert r["median_ms"] > 0 and r["ratio"] > 0
    assert data["habits_statements_1_vs_30"]["sqlite"]["same"]
    assert (tmp_path / "bench_commands.json").is_file()


def test_bench_web_quick_runs(tmp_path: Path) -> None:
    from bench import bench_web

    data = run_main(bench_web.main, "--quick", "--out", str(tmp_path))
    assert {r["name"] for r in data["results"]} == {"bare", "login", "habits"}
    assert data["healthz"]["samples_during_logins"] > 0
