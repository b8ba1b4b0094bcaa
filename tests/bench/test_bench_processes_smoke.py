"""bench.bench_processes still runs: --quick, real processes, no timing assertions."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench import bench_processes

pytestmark = [pytest.mark.serial, pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


def test_bench_processes_quick_runs(tmp_path: Path, pg_admin_dsn: str) -> None:
    argv = ["--quick", "--users", "10", "--out", str(tmp_path), "--pg-url", pg_admin_dsn]
    with ThreadPoolExecutor(1) as pool:  # its own thread, so its asyncio.run owns a fresh loop
        data = pool.submit(bench_processes.main, argv).result()
    one, two = data["results"]
    assert (one["processes"], two["processes"]) == (1, 2)
    for run in data["runs"]:
        assert run["handled"] == run["updates"] == data["rounds"] * 10  # each update once
        assert run["bot_cpu_ms"] > 0 and run["bot_layer_ms"] > 0
    assert data["ratio"] > 0
    written = json.loads((tmp_path / "bench_processes.json").read_text())
    assert written["results"] == data["results"]
