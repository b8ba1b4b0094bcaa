"""The caption benchmark still runs: main() in --quick mode, no timing assertions.

Performance itself is measured by `python -m bench.bench_captions`.
"""

from __future__ import annotations

from pathlib import Path

from bench import bench_captions
from tests.support.threads import run_main


def test_bench_captions_quick_runs(tmp_path: Path) -> None:
    data = run_main(bench_captions.main, "--quick", "--out", str(tmp_path))
    names = [r["name"] for r in data["results"]]
    assert names[0] == bench_captions.BASELINE and len(names) == 4
    for r in data["results"]:
        assert r["median_ms"] > 0 and r["ratio_to_baseline"] > 0
    assert (tmp_path / "bench_captions.json").exists()
