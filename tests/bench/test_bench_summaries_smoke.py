"""bench.bench_summaries still runs (--quick, PostgreSQL): no timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import bench_summaries
from tests.conftest import PG_TEST_URL
from tests.support.threads import run_main


@pytest.mark.postgres
def test_summaries_quick_runs_on_postgres(tmp_path: Path) -> None:
    argv = ["--quick", "--groups", "30", "--pg-url", PG_TEST_URL, "--out", str(tmp_path)]
    data = run_main(bench_summaries.main, *argv)
    result = data["summaries"]
    assert (result["small"]["groups"], result["big"]["groups"]) == (3, 30)
    assert result["big"]["people"] == 90
    # One batch each: the same statements for 3 groups as for 30.
    assert result["small"]["statements"] == result["big"]["statements"]
    assert result["per_group_ratio"] > 0
    written = json.loads((tmp_path / "bench_summaries.json").read_text())
    assert written["summaries"] == result
