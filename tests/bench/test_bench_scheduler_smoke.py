"""bench.bench_scheduler still runs: --quick, no timing assertions.

The delivery part runs on SQLite against the fake Bot API server; the burst part needs
PostgreSQL and runs small (500 users) in its own test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import bench_scheduler
from tests.conftest import PG_TEST_URL, unavailable
from tests.support.threads import run_main


# The diagnostic side meets 429s; PTB 22 warns on every RetryAfter about its type to come.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_delivery_quick_runs(tmp_path: Path) -> None:
    data = run_main(
        bench_scheduler.main, "--quick", "--no-postgres", "--no-redis", "--out", str(tmp_path)
    )
    assert data["burst"] == {"skipped": "--no-postgres"}
    delivery = data["delivery"]
    subjects = delivery["subjects"]
    assert [s["diagnostic"] for s in subjects] == [False, True]
    for side in (*subjects, delivery["baseline"]):
        assert side["messages"] == delivery["messages"] == bench_scheduler.QUICK_MESSAGES
        assert side["sustained_per_s"] > 0 and side["overall_per_s"] > 0
        assert side["max_in_any_second"] <= bench_scheduler.TELEGRAM_RATE  # the fake's limit
    assert all(s["ratio"] > 0 for s in subjects)
    written = json.loads((tmp_path / "scheduler.json").read_text())
    assert written["delivery"] == delivery


@pytest.mark.postgres
def test_burst_quick_runs_on_postgres(tmp_path: Path) -> None:
    argv = ["--quick", "--only", "burst", "--users", "500", "--pg-url", PG_TEST_URL]
    data = run_main(bench_scheduler.main, *argv, "--out", str(tmp_path))
    burst = data["burst"]
    if "skipped" in burst:
        unavailable("PostgreSQL", burst["skipped"])
    assert burst["users"] == 500
    assert burst["expected"]["queued"] == 500 - 25 - 10 - 5  # checked in, quiet, unreachable
    assert burst["identical_outbox"]
    for side in (burst["subject"], burst["baseline"]):
        assert side["produce_s"] > 0 and side["claim_s"] > 0
        assert len(side["runs"]) == bench_scheduler.QUICK_ROUNDS
    assert all(r > 0 for r in burst["ratio"].values())
    goal = burst["goal"]
    assert goal["produce_ratio"] == round(
        burst["subject"]["produce_s"] / burst["baseline"]["produce_s"], 2
    )
    assert goal["produce_ratio_at_most"] == 2.0
    assert goal["met"] is (goal["produce_ratio"] <= 2.0)
    # Set-based: two statements per batch of 1,000 on PostgreSQL (one short batch here).
    assert burst["subject"]["produce_statements"] == 2
    assert data["delivery"] == {"skipped": "--only burst"}
