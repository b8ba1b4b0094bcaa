"""bench.bench_idle still runs: --quick, real processes, no timing or size assertions.

What it does assert is what the processes imported: `habitlink run` with only Telegram on the
embedded database loads none of the heavy libraries it does not need to idle.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import bench_idle
from tests.support.threads import run_main

pytestmark = [pytest.mark.slow]


def test_bench_idle_quick_runs(tmp_path: Path) -> None:
    data = run_main(bench_idle.main, "--quick", "--out", str(tmp_path))
    result = data["idle"]
    for side in ("habitlink", "echo"):
        assert len(result[side]["runs_mb"]) == bench_idle.QUICK_ROUNDS
        assert result[side]["median_rss_mb"] > 0
        assert result[side]["imported"] == ["telegram"]
    assert result["ratio"] > 0
    written = json.loads((tmp_path / "bench_idle.json").read_text())
    assert written["idle"] == result
