"""Resident memory of an idle `habitlink run` with one platform configured, beside a bare bot.

    python -m bench.bench_idle [--quick] [--no-postgres] [--no-discord] [--pg-url URL]
                               [--rounds N] [--idle S] [--out DIR]

Subjects, each a real `habitlink run` process (`python -m bot.cli run`, with the scheduler):
- telegram-sqlite: only TELEGRAM_BOT_TOKEN, long-polling the fake Bot API server (tests/fakes),
  on a migrated SQLite file in a temporary directory (the embedded database);
- telegram-postgres: the same on PostgreSQL (DATABASE_URL), in a fresh database that the bench
  creates, migrates and drops (`--no-postgres` skips it);
- discord-sqlite: only DISCORD_BOT_TOKEN, connected to the fake Discord server (REST and
  gateway) through bench/idle_discord.py, on SQLite (`--no-discord` skips it).
Baselines: a bare python-telegram-bot echo bot (bench/idle_echo.py) and a bare discord.py echo
client (`bench.idle_discord echo`) against the same fake servers.

Each process is started, waited for (a subject's /readyz; then its first getUpdates, or its
gateway session), left idle for `--idle` seconds, and its resident set (VmRSS in
/proc/<pid>/status) read; every round runs every side, the order reversed each round.
Ratio = subject median / its platform's baseline median.

All run with `-X importtime`, so the report also lists which of the heavy libraries each
process imported: the goal is nothing that idling with one platform does not need.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    DEFAULT_PG_URL,
    base_parser,
    environment,
    scratch_database,
    table,
    write_results,
)
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram
from tests.support.network import free_port
from tests.support.processes import REPO, Processes, clean_environment

NAME = "bench_idle"
ROUNDS, QUICK_ROUNDS = 3, 1
IDLE_S, QUICK_IDLE_S = 5.0, 1.0
GOAL_MB = 100.0
# Top-level packages whose import matters at idle (megabytes each, or a platform that is off).
HEAVY = (
    "discord",
    "telegram",
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
    "asyncpg",
    "jwt",
)
# What each side may import of HEAVY: its platform's library (discord.py needs aiohttp) and,
# on PostgreSQL, its driver.
ALLOWED = {
    "telegram-sqlite": ["telegram"],
    "telegram-postgres": ["asyncpg", "telegram"],
    "telegram-echo": ["telegram"],
    "discord-sqlite": ["aiohttp", "discord"],
    "discord-echo": ["aiohttp", "discord"],
}
BASELINE = {
    "telegram-sqlite": "telegram-echo",
    "telegram-postgres": "telegram-echo",
    "discord-sqlite": "discord-echo",
}


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


@dataclass
class Side:
    name: str
    command: list[str]
    env: dict[str, str]
    polled: Callable[[], Awaitable[None]]  # the next poll or gateway session
    subject: bool  # a `habitlink run`: waited for on /readyz first


async def ready(procs: Processes, url: str) -> None:
    """Until /readyz answers 200 (Processes.wait_ready, patient with a loaded machine)."""
    for _ in range(10):
        try:
            await procs.wait_ready(url, "habitlink")
            return
        except TimeoutError:
            await asyncio.sleep(1)
    raise RuntimeError("habitlink never became ready")


async def measure(side: Side, tmp: Path, idle: float, python: str) -> dict[str, Any]:
    procs = Processes(tmp, side.env)
    health = free_port()
    command = [python, "-X", "importtime", *side.command]
    await procs.start(side.name, command, HEALTH_PORT=str(health))
    _, process, log = procs.running[0]
    polled = asyncio.ensure_future(side.polled())
    try:
        if side.subject:
            await ready(procs, f"http://127.0.0.1:{health}/readyz")
        await asyncio.wait_for(polled, timeout=60)
        await asyncio.sleep(idle)
        if process.returncode is not None:
            raise RuntimeError(f"{side.name} exited:\n{log.read_text()[-3000:]}")
        rss = rss_mb(process.pid)
    finally:
        polled.cancel()
        await procs.stop()
    return {"rss_mb": round(rss, 1), "imported": imported(log)}


def telegram_polled(fake: FakeTelegram) -> Callable[[], Awaitable[None]]:
    async def polled() -> None:
        polls = len([c for c in fake.calls if c.method == "getUpdates"])
        await fake.wait_for_calls("getUpdates", polls + 1, timeout=60)

    return polled


def discord_polled(fake: FakeDiscord) -> Callable[[], Awaitable[None]]:
    async def polled() -> None:
        sessions = len(fake.sessions)
        await fake.wait_for(
            lambda: len(fake.sessions) > sessions, timeout=60, what="a gateway session"
        )

    return polled


async def migrate(env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "migrate",
        env=env,
        cwd=REPO,
        stdout=asyncio.subprocess.DEVNULL,
    )
    if await process.wait() != 0:
        raise RuntimeError("habitlink migrate failed")


async def postgres_database(stack: AsyncExitStack, admin_url: str) -> tuple[str, str]:
    """A fresh database habitlink_idle_<pid>, dropped when the stack closes: (url, version)."""
    return await stack.enter_async_context(scratch_database(admin_url, "habitlink_idle"))


async def sides_of(
    stack: AsyncExitStack, tmp: Path, args: argparse.Namespace, info: dict[str, Any]
) -> list[Side]:
    telegram = await stack.enter_async_context(FakeTelegram())
    base = {"LOG_LEVEL": "WARNING"}
    tg_env = clean_environment(
        DATA_DIR=str(tmp / "telegram"),
        TELEGRAM_BOT_TOKEN=telegram.token,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        TELEGRAM_FILE_BASE_URL=telegram.base_file_url,
        **base,
    )
    await migrate(tg_env)
    run = ["-m", "bot.cli", "run"]
    sides = [
        Side("telegram-sqlite", run, tg_env, telegram_polled(telegram), True),
        Side("telegram-echo", ["-m", "bench.idle_echo"], tg_env, telegram_polled(telegram), False),
    ]
    if not args.no_postgres:
        url, info["postgres_version"] = await postgres_database(stack, args.pg_url)
        pg_env = {**tg_env, "DATABASE_URL": url}
        await migrate(pg_env)
        sides.append(Side("telegram-postgres", run, pg_env, telegram_polled(telegram), True))
    if not args.no_discord:
        discord = await stack.enter_async_context(FakeDiscord(patch_discord=False))
        dc_env = clean_environment(
            DATA_DIR=str(tmp / "discord"),
            DISCORD_BOT_TOKEN=discord.token,
            BENCH_DISCORD_API=discord.api_base,
            BENCH_DISCORD_GATEWAY=discord.gateway_url,
            **base,
        )
        await migrate(dc_env)
        launcher = ["-m", "bench.idle_discord"]
        sides += [
            Side("discord-sqlite", [*launcher, "run"], dc_env, discord_polled(discord), True),
            Side("discord-echo", [*launcher, "echo"], dc_env, discord_polled(discord), False),
        ]
    return sides


async def run(args: argparse.Namespace, rounds: int, idle: float) -> dict[str, Any]:
    info: dict[str, Any] = {}
    runs: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp_dir:
        async with AsyncExitStack() as stack:
            sides = await sides_of(stack, Path(tmp_dir), args, info)
            for r in range(rounds):
                for side in sides if r % 2 == 0 else sides[::-1]:
                    found = await measure(side, Path(tmp_dir), idle, args.python)
                    runs.setdefault(side.name, []).append(found)
                    print(f"  {side.name}: {found['rss_mb']} MB")
    result: dict[str, Any] = {"rounds": rounds, "idle_s": idle, "goal_mb": GOAL_MB, **info}
    result["python"] = args.python
    for name, measured in runs.items():
        result[name] = {
            "median_rss_mb": round(statistics.median(r["rss_mb"] for r in measured), 1),
            "runs_mb": [r["rss_mb"] for r in measured],
            "imported": measured[-1]["imported"],
            "allowed": ALLOWED[name],
        }
    for name, baseline in BASELINE.items():
        if name in result:
            subject = result[name]["median_rss_mb"]
            result[name]["baseline"] = baseline
            result[name]["ratio"] = round(subject / result[baseline]["median_rss_mb"], 2)
            result[name]["met"] = subject < GOAL_MB
    return result


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser: argparse.ArgumentParser = base_parser(__doc__ or NAME)
    parser.add_argument("--idle", type=float, help=f"seconds idle before reading ({IDLE_S})")
    parser.add_argument("--no-postgres", action="store_true", help="skip telegram-postgres")
    parser.add_argument("--no-discord", action="store_true", help="skip the Discord sides")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"admin URL ({DEFAULT_PG_URL})")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter of the measured processes, e.g. a venv with only `pip install .` "
        "(as deployed: no dev extras, which httpx imports when they are there)",
    )
    args = parser.parse_args(argv)
    args.python = os.path.abspath(args.python)  # the processes start in a temporary folder
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    idle = args.idle or (QUICK_IDLE_S if args.quick else IDLE_S)
    result = asyncio.run(run(args, rounds, idle))
    data = {"environment": environment(), "idle": result}
    write_results(args.out, NAME, data)
    names = [name for name in ALLOWED if name in result]
    rows = [
        [
            name,
            result[name]["median_rss_mb"],
            result[name].get("ratio", ""),
            ", ".join(result[name]["imported"]),
        ]
        for name in names
    ]
    print(table(["process", "idle RSS MB", "ratio to echo", "heavy imports"], rows))
    for name in BASELINE:
        if name in result:
            verdict = "met" if result[name]["met"] else "not met"
            print(f"{name}: {result[name]['median_rss_mb']} MB, under {GOAL_MB:.0f} MB: {verdict}")
    return data


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
