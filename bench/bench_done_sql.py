"""`/done`'s own database work against the bot layer around it (SQLite).

    python -m bench.bench_done_sql [--quick] [--rounds N] [--batch N] [--out DIR]

Each round is a new day. `--batch` people (one habit each) send `/done Read 10 pages` straight
into `HabitLinkBot.handle` on a SQLite file: the bot layer as `bench_telegram` measures it
(`bot layer CPU` there). Every statement each update sends is recorded with its parameters, and
the same statements are then sent again, each update's in one transaction, through Python's
`sqlite3` on a copy of the file taken before the first round: the same rows, the same PRAGMAs,
one thread, no asyncio, no SQLAlchemy, no bot. That is the floor of the database's own work for
the same `/done`; the ratio says how much of the bot layer is not the database. The replay
always runs after the bot layer in a round (it replays what the round recorded), and the run
stops unless both files end with the same check-ins.

Results go to `bench/results/bench_done_sql.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.bench_telegram import BotLayer
from bench.common import (
    BENCH_NOW,
    base_parser,
    environment,
    expect,
    gc_disabled,
    make_bot,
    table,
    write_results,
)
from bot.messages import Request
from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade

NAME = "bench_done_sql"
COMMAND = "/done Read 10 pages"
FULL = (20, 2)  # (timed rounds, warm-up rounds)
QUICK = (2, 1)
BATCH = 50
Statement = tuple[str, tuple[Any, ...]]


def _replay(connection: sqlite3.Connection, updates: list[list[Statement]]) -> None:
    """Each update's statements in one transaction, their rows fetched as the driver does."""
    for statements in updates:
        connection.execute("BEGIN")
        for sql, parameters in statements:
            connection.execute(sql, parameters).fetchall()
        connection.execute("COMMIT")


def _raw_connection(path: Path) -> sqlite3.Connection:
    """A plain connection with the engine's PRAGMAs (core/db/engine.py)."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _checkins(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return connection.execute(
        "SELECT habit_id, date, status, was_skipped FROM habit_logs ORDER BY habit_id, date"
    ).fetchall()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rounds, warmup = QUICK if args.quick else FULL
    if args.rounds:
        rounds = args.rounds
    batch = args.batch or (5 if args.quick else BATCH)
    env = environment()
    bot_cpu: list[float] = []
    raw_cpu: list[float] = []
    counts: list[int] = []
    with tempfile.TemporaryDirectory(prefix="habitlink-bench-") as tmp, gc_disabled(args.no_gc):
        path, copy = Path(tmp) / "bot.db", Path(tmp) / "raw.db"
        db = Database(f"sqlite:///{path}")
        await upgrade(db)
        clock = SettableClock(BENCH_NOW)
        layer = await BotLayer.create(make_bot(db, clock), batch)
        source = sqlite3.connect(path)
        raw = _raw_connection(copy)
        source.backup(raw)  # the rows as they are before the first round
        source.close()
        recording: list[Statement] = []

        def record(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
            recording.append((sql, tuple(params)))

        event.listen(db.engine.sync_engine, "before_cursor_execute", record)
        try:
            for r in range(warmup + rounds):
                clock.advance(timedelta(days=1))
                updates: list[list[Statement]] = []
                began = time.process_time()
                for person, chat in layer.users:
                    response = await layer.bot.handle(Request.from_text(person, chat, COMMAND))
                    updates.append(recording[:])
                    recording.clear()
                    expect(response, "✓ Read 10 pages done", COMMAND)
                bot = time.process_time() - began
                began = time.process_time()
                _replay(raw, updates)
                replayed = time.process_time() - began
                if r >= warmup:
                    bot_cpu.append(bot / batch)
                    raw_cpu.append(replayed / batch)
                    counts.extend(len(u) for u in updates)
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", record)
        with sqlite3.connect(path) as check:
            if _checkins(check) != _checkins(raw):  # the replay did what the bot did
                raise RuntimeError("the replayed statements left other check-ins")
        raw.close()
        await db.dispose()
    bot_ms = statistics.median(bot_cpu) * 1000
    raw_ms = statistics.median(raw_cpu) * 1000
    result = {
        "backend": "sqlite",
        "batch": batch,
        "bot_layer_cpu_ms": round(bot_ms, 4),
        "statements_cpu_ms": round(raw_ms, 4),
        "cpu_ratio": round(bot_ms / raw_ms, 2) if raw_ms > 0 else None,
        "database_share": round(raw_ms / bot_ms, 4) if bot_ms > 0 else None,
        "statements_per_update": statistics.mean(counts),
    }
    data = {
        "benchmark": NAME,
        "quick": bool(args.quick),
        "gc": not args.no_gc,
        "environment": env,
        "command": COMMAND,
        "rounds": rounds,
        "warmup": warmup,
        "results": [result],
    }
    headers = ["backend", "batch", "statements/upd", "bot layer CPU ms", "statements CPU ms"]
    row = ["sqlite", batch, result["statements_per_update"], round(bot_ms, 3), round(raw_ms, 3)]
    share = f"{raw_ms / bot_ms:.1%}"
    print(
        table([*headers, "CPU ratio", "database share"], [[*row, f"{bot_ms / raw_ms:.1f}x", share]])
    )
    print(f"\nCommand: {COMMAND!r}; CPU per update, medians of the rounds.")
    out = write_results(args.out, NAME, data)
    print(f"Results written to {out}")
    return data


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else NAME)
    parser.add_argument("--batch", type=int, help=f"people per round (default {BATCH})")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
