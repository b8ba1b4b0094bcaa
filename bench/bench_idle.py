"""Resident memory of an idle `habitlink run` with only Telegram configured, beside a bare PTB bot.

    python -m bench.bench_idle [--quick] [--rounds N] [--idle S] [--out DIR]

Subject: a real `habitlink run` process (`python -m bot.cli run`, with the scheduler) long-polling
the fake Bot API server (tests/fakes), on a migrated SQLite file in a temporary directory, no
Discord token. Baseline: a bare python-telegram-bot echo bot process (bench/idle_echo.py)
polling its own fake server. Each process is started, waited for (the subject's /readyz and
its first getUpdates; the baseline's first getUpdates), left idle for `--idle` seconds, and
its resident set (VmRSS in /proc/<pid>/status) read; rounds alternate the sides.
Ratio = subject median / baseline median.

Both run with `-X importtime`, so the report also lists which of the heavy libraries each
process imported (a platform that is off, Pillow, the AI SDKs, the web stack...): the goal is
nothing that idling with one platform does not need.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import base_parser, environment, table, write_results
from tests.fakes.telegram_api import FakeTelegram
from tests.support.network import free_port
from tests.support.processes import REPO, Processes, clean_environment

NAME = "bench_idle"
ROUNDS, QUICK_ROUNDS = 3, 1
IDLE_S, QUICK_IDLE_S = 5.0, 1.0
# Top-level packages whose import matters at idle (megabytes each, or a platform that is off).
HEAVY = (
    "discord",
    "PIL",
    "matplotlib",
    "numpy",
    "openai",
    "groq",
    "bm25s",
    "boto3",
    "botocore",
    "fastapi",
    "sqladmin",
    "uvicorn",
    "aiohttp",
    "alembic",
    "redis",
    "telegram",
)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def imported(log: Path) -> list[str]:
    """The HEAVY packages in a `-X importtime` log."""
    found: set[str] = set()
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip().split(".")[0]
            if name in HEAVY:
                found.add(name)
    return sorted(found)


async def ready(procs: Processes, url: str) -> None:
    """Until /readyz answers 200 (Processes.wait_ready, patient with a loaded machine)."""
    for _ in range(10):
        try:
            await procs.wait_ready(url, "habitlink")
            return
        except TimeoutError:
            await asyncio.sleep(1)
    raise RuntimeError("habitlink never became ready")


async def measure(
    name: str, command: list[str], env: dict[str, str], fake: FakeTelegram, tmp: Path, idle: float
) -> dict[str, Any]:
    procs = Processes(tmp, env)
    health = free_port()
    await procs.start(name, [sys.executable, "-X", "importtime", *command], HEALTH_PORT=str(health))
    _, process, log = procs.running[0]
    try:
        if name == "habitlink":
            await ready(procs, f"http://127.0.0.1:{health}/readyz")
        polls = len([c for c in fake.calls if c.method == "getUpdates"])
        await fake.wait_for_calls("getUpdates", polls + 1, timeout=60)
        await asyncio.sleep(idle)
        if process.returncode is not None:
            raise RuntimeError(f"{name} exited:\n{log.read_text()[-3000:]}")
        rss = rss_mb(process.pid)
    finally:
        await procs.stop()
    return {"rss_mb": round(rss, 1), "imported": imported(log)}


async def run(rounds: int, idle: float) -> dict[str, Any]:
    sides: dict[str, list[dict[str, Any]]] = {"habitlink": [], "echo": []}
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        async with FakeTelegram() as fake:
            env = clean_environment(
                DATA_DIR=str(tmp / "data"),
                TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_BASE_URL=fake.base_url,
                TELEGRAM_FILE_BASE_URL=fake.base_file_url,
                LOG_LEVEL="WARNING",
            )
            migrate = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "migrate",
                env=env,
                cwd=REPO,
                stdout=asyncio.subprocess.DEVNULL,
            )
            if await migrate.wait() != 0:
                raise RuntimeError("habitlink migrate failed")
            commands = {
                "habitlink": ["-m", "bot.cli", "run"],
                "echo": ["-m", "bench.idle_echo"],
            }
            for r in range(rounds):
                order = ["habitlink", "echo"] if r % 2 == 0 else ["echo", "habitlink"]
                for side in order:
                    sides[side].append(await measure(side, commands[side], env, fake, tmp, idle))
                    print(f"  {side}: {sides[side][-1]['rss_mb']} MB")
    result: dict[str, Any] = {"rounds": rounds, "idle_s": idle}
    for side, runs in sides.items():
        result[side] = {
            "median_rss_mb": round(statistics.median(r["rss_mb"] for r in runs), 1),
            "runs_mb": [r["rss_mb"] for r in runs],
            "imported": runs[-1]["imported"],
        }
    result["ratio"] = round(
        result["habitlink"]["median_rss_mb"] / result["echo"]["median_rss_mb"], 2
    )
    return result


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser: argparse.ArgumentParser = base_parser(__doc__ or NAME)
    parser.add_argument("--idle", type=float, help=f"seconds idle before reading ({IDLE_S})")
    args = parser.parse_args(argv)
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    idle = args.idle or (QUICK_IDLE_S if args.quick else IDLE_S)
    result = asyncio.run(run(rounds, idle))
    data = {"environment": environment(), "idle": result}
    write_results(args.out, NAME, data)
    rows = [
        [side, result[side]["median_rss_mb"], ", ".join(result[side]["imported"])]
        for side in ("habitlink", "echo")
    ]
    print(table(["process", "idle RSS MB", "heavy imports"], rows))
    print(f"ratio {result['ratio']}x (habitlink run / bare PTB echo bot)")
    return data


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
