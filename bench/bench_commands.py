"""`/done HABIT` and `/habits` through the bot on SQLite and PostgreSQL, beside hand-written SQL.

    python -m bench.bench_commands [--quick] [--no-postgres] [--pg-url URL] [--rounds N] [--out DIR]

For a user with 1 and with 30 daily habits (a year of realistic check-ins each), every command
goes through `HabitLinkBot.handle` and is timed beside the least SQL that could answer it, run
by hand with the same engine (same driver, pool and connection settings):

* `/done HABIT`: select the user by identity, select the habit by title, insert-or-update one
  log row, commit. The clock moves one day forward before every round, so each `/done` (and
  each baseline upsert, made for a twin user with the same habits) checks in a fresh day.
* `/habits`: select the user by identity, select the habits, select their logs, commit.

SQL statements per command come from `Database.statements` deltas around each call.
PostgreSQL runs in a fresh database `habitlink_bench_<pid>`, migrated with
`core.db.schema.upgrade` and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import Date, bindparam, text

from bench.common import (
    BENCH_NOW,
    DEFAULT_PG_URL,
    BenchUser,
    StatementCounter,
    Summary,
    base_parser,
    environment,
    expect,
    gc_disabled,
    make_bot,
    measure_async,
    ratio,
    scratch_database,
    seed_user,
    table,
    write_results,
)
from bot.dispatcher import HabitLinkBot
from bot.messages import Response
from core.clock import SettableClock, local_date
from core.db.base import UTCDateTime
from core.db.engine import Database
from core.db.schema import upgrade

NAME = "bench_commands"
HABIT_COUNTS = (1, 30)
HISTORY_DAYS = 365
FULL = (200, 10)  # (timed rounds, warm-up rounds) per command
QUICK = (5, 1)

# --- the hand-written baselines -----------------------------------------------------------
IDENTITY_SQL = text(
    "SELECT u.id, s.timezone, s.day_start_hour FROM identities i "
    "JOIN users u ON u.id = i.user_id JOIN user_settings s ON s.user_id = u.id "
    "WHERE i.platform = :platform AND i.external_id = :external_id"
)
HABIT_BY_TITLE_SQL = text(
    "SELECT id FROM habits WHERE user_id = :user_id AND archived_at IS NULL AND title = :title"
)
UPSERT_LOG_SQL = text(
    "INSERT INTO habit_logs (habit_id, date, status, created_at) "
    "VALUES (:habit_id, :day, 'done', :created_at) "
    "ON CONFLICT (habit_id, date) DO UPDATE SET status = excluded.status"
).bindparams(bindparam("day", type_=Date()), bindparam("created_at", type_=UTCDateTime()))
HABITS_SQL = text(
    "SELECT id, title, schedule_kind, weekday_mask, times_per_week, start_date FROM habits "
    "WHERE user_id = :user_id AND archived_at IS NULL ORDER BY position, id"
)
LOGS_SQL = text("SELECT habit_id, date, status FROM habit_logs WHERE habit_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)

DONE_BASELINE = "identity + habit by title + upsert log"
HABITS_BASELINE = "identity + habits + their logs"


def baseline_done(
    db: Database, clock: SettableClock, user: BenchUser
) -> Callable[[], Awaitable[object]]:
    title = user.titles[0]

    async def run() -> object:
        async with db.engine.begin() as conn:
            who = (
                await conn.execute(
                    IDENTITY_SQL, {"platform": user.person.platform, "external_id": user.person.id}
                )
            ).one()
            day = local_date(clock.now(), ZoneInfo(who.timezone), who.day_start_hour)
            habit_id = (
                await conn.execute(HABIT_BY_TITLE_SQL, {"user_id": who.id, "title": title})
            ).scalar_one()
            await conn.execute(
                UPSERT_LOG_SQL, {"habit_id": habit_id, "day": day, "created_at": clock.now()}
            )
        return day

    return run


def baseline_habits(db: Database, user: BenchUser) -> Callable[[], Awaitable[object]]:
    async def run() -> object:
        async with db.engine.begin() as conn:
            who = (
                await conn.execute(
                    IDENTITY_SQL, {"platform": user.person.platform, "external_id": user.person.id}
                )
            ).one()
            habits = (await conn.execute(HABITS_SQL, {"user_id": who.id})).all()
            logs = (await conn.execute(LOGS_SQL, {"ids": [h.id for h in habits]})).all()
        return len(logs)

    return run


def bot_command(
    bot: HabitLinkBot, user: BenchUser, text_: str
) -> Callable[[], Awaitable[Response]]:
    request = user.request(text_)

    async def run() -> Response:
        return await bot.handle(request)

    return run


# --- one command, measured ------------------------------------------------------------------
async def measure_command(
    db: Database,
    *,
    backend: str,
    command: str,
    habits: int,
    subject: Callable[[], Awaitable[object]],
    baseline: Callable[[], Awaitable[object]],
    baseline_name: str,
    rounds: int,
    warmup: int,
    before_round: Callable[[], object] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    bot_case = StatementCounter(db, subject)
    base_case = StatementCounter(db, baseline)
    samples = await measure_async(
        {"bot": bot_case, "baseline": base_case}, rounds, warmup, before_round
    )
    s, b = Summary.of(samples["bot"]), Summary.of(samples["baseline"])
    if not bot_case.constant:
        counts = sorted(set(bot_case.counts))
        print(f"warning: {backend} {command} x{habits}: statements varied {counts}")
    return {
        "backend": backend,
        "command": command,
        "habits": habits,
        **s.as_dict(),
        "statements": bot_case.typical(),
        "statements_constant": bot_case.constant,
        "baseline": {
            "name": baseline_name,
            **b.as_dict(),
            "statements": base_case.typical(),
        },
        "ratio": round(ratio(s, b), 2),
        **extra,
    }


async def bench_backend(
    backend: str, url: str, rounds: int, warmup: int, history_days: int = HISTORY_DAYS
) -> list[dict[str, Any]]:
    """Both commands for 1 and 30 habits on one (empty) database; migrates it first."""
    db = Database(url)
    try:
        await upgrade(db)
        clock = SettableClock(BENCH_NOW)
        bot = make_bot(db, clock)
        today = BENCH_NOW.date()
        results: list[dict[str, Any]] = []
        for n in HABIT_COUNTS:
            clock.set(BENCH_NOW)
            user = await seed_user(bot, f"{backend}-{n}-bot", n, history_days, today)
            twin = await seed_user(bot, f"{backend}-{n}-sql", n, history_days, today)

            # /habits: read-only, so the baseline reads the very same user's rows.
            habits_cmd = bot_command(bot, user, "/habits")
            expect(await habits_cmd(), f"0 of {n} done", "/habits")
            logs_read = await baseline_habits(db, user)()
            results.append(
                await measure_command(
                    db,
                    backend=backend,
                    command="/habits",
                    habits=n,
                    subject=habits_cmd,
                    baseline=baseline_habits(db, user),
                    baseline_name=HABITS_BASELINE,
                    rounds=rounds,
                    warmup=warmup,
                    logs_loaded=logs_read,
                )
            )

            # /done: each round is a new day; the baseline writes the twin's log row.
            done_cmd = bot_command(bot, user, f"/done {user.titles[0]}")
            done_base = baseline_done(db, clock, twin)
            expect(await done_cmd(), "done today", "/done")
            await done_base()
            results.append(
                await measure_command(
                    db,
                    backend=backend,
                    command="/done HABIT",
                    habits=n,
                    subject=done_cmd,
                    baseline=done_base,
                    baseline_name=DONE_BASELINE,
                    rounds=rounds,
                    warmup=warmup,
                    before_round=lambda: clock.advance(timedelta(days=1)),
                )
            )
            await _check_done_days(db, user, twin, clock.now().date())
        return results
    finally:
        await db.dispose()


async def _check_done_days(db: Database, user: BenchUser, twin: BenchUser, last: date) -> None:
    """Every round really checked in a new day, for the bot's user and the baseline's twin."""
    sql = text("SELECT count(*) FROM habit_logs WHERE habit_id = :h AND date >= :first").bindparams(
        bindparam("first", type_=Date())
    )
    async with db.engine.connect() as conn:
        for who in (user, twin):
            n = (
                await conn.execute(sql, {"h": who.habit_ids[0], "first": BENCH_NOW.date()})
            ).scalar()
            expected = (last - BENCH_NOW.date()).days + 1
            if n != expected:
                raise RuntimeError(
                    f"{who.person.id}: {n} check-ins since the start, not {expected}"
                )


# --- backends -------------------------------------------------------------------------------
async def run_sqlite(rounds: int, warmup: int, history_days: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="habitlink-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'habitlink.db'}"
        return await bench_backend("sqlite", url, rounds, warmup, history_days)


async def run_postgres(
    admin_url: str, rounds: int, warmup: int, history_days: int
) -> tuple[list[dict[str, Any]], str]:
    """In a fresh database habitlink_bench_<pid>, dropped at the end whatever happens."""
    async with scratch_database(admin_url, "habitlink_bench") as (url, version):
        return await bench_backend("postgres", url, rounds, warmup, history_days), version


# --- report ---------------------------------------------------------------------------------
def habits_statement_check(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Does /habits send as many statements for 30 habits as for 1 (no N+1), per backend?"""
    out: dict[str, Any] = {}
    for backend in sorted({r["backend"] for r in results}):
        counts = {
            str(r["habits"]): r["statements"]
            for r in results
            if r["backend"] == backend and r["command"] == "/habits"
        }
        out[backend] = {"statements_by_habits": counts, "same": len(set(counts.values())) == 1}
    return out


def print_report(results: list[dict[str, Any]]) -> None:
    rows = [
        [
            r["backend"],
            r["command"],
            r["habits"],
            r["median_ms"],
            r["p95_ms"],
            r["statements"],
            r["baseline"]["median_ms"],
            r["baseline"]["p95_ms"],
            r["baseline"]["statements"],
            f"{r['ratio']:.1f}x",
        ]
        for r in results
    ]
    headers = ["backend", "command", "habits", "median ms", "p95 ms", "SQL"]
    headers += ["base median", "base p95", "base SQL", "ratio"]
    print(table(headers, rows))
    print(f"\nBaselines: /done = {DONE_BASELINE}; /habits = {HABITS_BASELINE}.")


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rounds, warmup = QUICK if args.quick else FULL
    if args.rounds:
        rounds = args.rounds
    env = environment()
    with gc_disabled(args.no_gc):
        results = await run_sqlite(rounds, warmup, args.history_days)
        postgres: dict[str, Any] = {"skipped": "--no-postgres"} if args.no_postgres else {}
        if not args.no_postgres:
            try:
                pg_results, version = await run_postgres(
                    args.pg_url, rounds, warmup, args.history_days
                )
            except (OSError, asyncpg.PostgresError) as exc:  # say so, keep SQLite's numbers
                postgres = {"skipped": f"PostgreSQL not reachable: {exc}"}
                print(f"PostgreSQL skipped: {exc}")
            else:
                results += pg_results
                postgres = {"server_version": version}
    check = habits_statement_check(results)
    data = {
        "benchmark": NAME,
        "quick": bool(args.quick),
        "gc": not args.no_gc,
        "environment": {**env, "postgres": postgres},
        "history_days": args.history_days,
        "rounds": rounds,
        "warmup": warmup,
        "results": results,
        "habits_statements_1_vs_30": check,
    }
    print_report(results)
    for backend, c in check.items():
        verdict = "same" if c["same"] else "DIFFERENT"
        counts = c["statements_by_habits"]
        print(f"/habits statements on {backend} by habit count: {counts} ({verdict})")
    path = write_results(args.out, NAME, data)
    print(f"\nResults written to {path}")
    return data


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else NAME)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--history-days",
        type=int,
        default=HISTORY_DAYS,
        help=f"days of check-ins per habit ({HISTORY_DAYS})",
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"admin URL ({DEFAULT_PG_URL})")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
