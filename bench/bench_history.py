"""Habit commands with five years of history beside the same commands with 30 days (issue 15).

    python -m bench.bench_history [--quick] [--no-postgres] [--pg-url URL] [--rounds N] [--out DIR]

Two users with 30 daily habits each go through `HabitLinkBot.handle`: one whose habits hold
five years of realistic check-ins (the subject), one whose habits hold 30 days (the baseline).
Every round moves the clock a day forward and runs each command for both, in rotating order:
/habits, /done HABIT, /week, /stats, /stats HABIT (details and a year's heatmap) and /summary.
The ratio is the subject's median over the baseline's, in wall time and in CPU time of this
process (SQLite works in this process; PostgreSQL's own CPU is not counted). The goal is at
most 1.3x: statistics come from stored checkpoints and a few weeks of logs
(core/habits/aggregate.py). Before timing, one /habits per user makes the checkpoints of the
seeded (pre-migration-like) histories, as the first read after migration 0015 does.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.common import (
    BENCH_NOW,
    DEFAULT_PG_URL,
    BenchUser,
    base_parser,
    environment,
    expect,
    gc_disabled,
    make_bot,
    scratch_database,
    seed_user,
    table,
    write_results,
)
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.media.storage import LocalMediaStore

NAME = "bench_history"
HABITS = 30
LONG, SHORT = 5 * 365, 30
FULL = (40, 3)  # (timed rounds, warm-up rounds)
QUICK = (3, 1)
COMMANDS = ("/habits", "/done {title}", "/week", "/stats", "/stats {title}", "/summary")
GOAL = 1.3


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


async def _call(
    db: Database, bot: HabitLinkBot, user: BenchUser, command: str
) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, statements) of one command."""
    request = user.request(command.format(title=user.titles[0]))
    statements = db.statements
    wall, cpu = time.perf_counter(), time.process_time()
    response = await bot.handle(request)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if not response.replies:
        raise RuntimeError(f"{command}: no reply")
    return wall, cpu, db.statements - statements


async def bench_backend(backend: str, url: str, rounds: int, warmup: int) -> list[dict[str, Any]]:
    db = Database(url)
    try:
        await upgrade(db)
        clock = SettableClock(BENCH_NOW)
        media = tempfile.mkdtemp(prefix="habitlink-bench-media-")  # /summary counts proofs
        bot = make_bot(db, clock, media=LocalMediaStore(Path(media)))
        today = BENCH_NOW.date()
        users = {
            "long": await seed_user(bot, f"{backend}-long", HABITS, LONG, today),
            "short": await seed_user(bot, f"{backend}-short", HABITS, SHORT, today),
        }
        for user in users.values():  # the checkpoints' first computation, untimed
            expect(await bot.handle(user.request("/habits")), f"of {HABITS} done", "/habits")
        wall: dict[tuple[str, str], list[float]] = {}
        cpu: dict[tuple[str, str], list[float]] = {}
        statements: dict[tuple[str, str], set[int]] = {}
        for r in range(warmup + rounds):
            clock.advance(timedelta(days=1))
            for command in COMMANDS:
                order = ("long", "short") if r % 2 == 0 else ("short", "long")
                for who in order:
                    w, c, n = await _call(db, bot, users[who], command)
                    if r >= warmup:
                        wall.setdefault((command, who), []).append(w)
                        cpu.setdefault((command, who), []).append(c)
                        statements.setdefault((command, who), set()).add(n)
        results = []
        for command in COMMANDS:
            long_wall, short_wall = wall[(command, "long")], wall[(command, "short")]
            long_cpu, short_cpu = cpu[(command, "long")], cpu[(command, "short")]
            results.append(
                {
                    "backend": backend,
                    "command": command.format(title="HABIT"),
                    "habits": HABITS,
                    "five_years_ms": _median_ms(long_wall),
                    "thirty_days_ms": _median_ms(short_wall),
                    "ratio_wall": round(_median_ms(long_wall) / _median_ms(short_wall), 2),
                    "five_years_cpu_ms": _median_ms(long_cpu),
                    "thirty_days_cpu_ms": _median_ms(short_cpu),
                    "ratio_cpu": round(_median_ms(long_cpu) / max(_median_ms(short_cpu), 0.001), 2),
                    "statements_five_years": sorted(statements[(command, "long")]),
                    "statements_thirty_days": sorted(statements[(command, "short")]),
                }
            )
        return results
    finally:
        await db.dispose()


async def run_sqlite(rounds: int, warmup: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="habitlink-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'habitlink.db'}"
        return await bench_backend("sqlite", url, rounds, warmup)


async def run_postgres(admin_url: str, rounds: int, warmup: int) -> list[dict[str, Any]]:
    async with scratch_database(admin_url, "habitlink_bench") as (url, _):
        return await bench_backend("postgres", url, rounds, warmup)


def print_report(results: list[dict[str, Any]]) -> None:
    headers = ["backend", "command", "5y ms", "30d ms", "ratio", "5y CPU", "30d CPU", "ratio CPU"]
    headers += ["SQL 5y", "SQL 30d"]
    rows = [
        [
            r["backend"],
            r["command"],
            r["five_years_ms"],
            r["thirty_days_ms"],
            f"{r['ratio_wall']:.2f}x",
            r["five_years_cpu_ms"],
            r["thirty_days_cpu_ms"],
            f"{r['ratio_cpu']:.2f}x",
            "/".join(map(str, r["statements_five_years"])),
            "/".join(map(str, r["statements_thirty_days"])),
        ]
        for r in results
    ]
    print(table(headers, rows))
    print(f"\n{HABITS} habits; five years vs 30 days of history; goal: ratio <= {GOAL}x.")


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rounds, warmup = QUICK if args.quick else FULL
    if args.rounds:
        rounds = args.rounds
    with gc_disabled(args.no_gc):
        results = await run_sqlite(rounds, warmup)
        postgres: dict[str, Any] = {"skipped": "--no-postgres"} if args.no_postgres else {}
        if not args.no_postgres:
            try:
                results += await run_postgres(args.pg_url, rounds, warmup)
            except (OSError, asyncpg.PostgresError) as exc:
                postgres = {"skipped": f"PostgreSQL not reachable: {exc}"}
                print(f"PostgreSQL skipped: {exc}")
    data = {
        "benchmark": NAME,
        "quick": bool(args.quick),
        "environment": {**environment(), "postgres": postgres},
        "rounds": rounds,
        "warmup": warmup,
        "results": results,
    }
    print_report(results)
    path = write_results(args.out, NAME, data)
    print(f"\nResults written to {path}")
    return data


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else NAME)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"admin URL ({DEFAULT_PG_URL})")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
