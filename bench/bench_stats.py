"""Statistics of a habit with five years of daily check-ins, alone and through `/stats HABIT`.

    python -m bench.bench_stats [--quick] [--rounds N] [--out DIR]

1. `compute_stats` on 1,826 days of history, beside the least work any statistic needs:
   one pass over the same dict counting the done days.
2. `/stats HABIT` through `HabitLinkBot.handle` on SQLite (identify the user, load the habits
   and the five years of logs, compute, render the year heatmap PNG), beside the raw
   `SELECT date, status FROM habit_logs WHERE habit_id = ?` with the same driver (aiosqlite)
   and beside a bare Pillow PNG encode of a blank image of the heatmap's size.
   `render_heatmap` alone is timed too, to show where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import aiosqlite
from PIL import Image

from bench.common import (
    BENCH_NOW,
    SEED,
    StatementCounter,
    Summary,
    base_parser,
    environment,
    expect,
    gc_disabled,
    make_bot,
    measure_async,
    measure_sync,
    ratio,
    realistic_entries,
    seed_user,
    table,
    write_results,
)
from bot.charts import render_heatmap
from bot.messages import Response
from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.habits.history import CheckinStatus, HabitHistory
from core.habits.schedule import Schedule
from core.habits.stats import compute_stats

NAME = "bench_stats"
HISTORY_DAYS = 1826  # five years, one of them a leap year
RAW_SQL = "SELECT date, status FROM habit_logs WHERE habit_id = ?"
# (timed rounds, warm-up rounds) for the pure computation and for the full /stats path
FULL = {"compute": (1000, 20), "stats": (100, 5)}
QUICK = {"compute": (20, 2), "stats": (3, 1)}


def result_row(
    name: str,
    subject: Sequence[float],
    baselines: dict[str, Sequence[float]],
    statements: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One benchmark: the subject's times and, per baseline, its times and the ratio."""
    s = Summary.of(subject)
    out: dict[str, Any] = {"name": name, **s.as_dict(), "statements": statements, **extra}
    out["baselines"] = []
    for base_name, samples in baselines.items():
        b = Summary.of(samples)
        out["baselines"].append({"name": base_name, **b.as_dict(), "ratio": round(ratio(s, b), 2)})
    return out


# --- 1. compute_stats ---------------------------------------------------------------------
def bench_compute(rounds: int, warmup: int) -> tuple[dict[str, Any], dict[str, Any]]:
    today = BENCH_NOW.date()
    start = today - timedelta(days=HISTORY_DAYS)
    # The same check-ins as the /stats user's habit (seed_user uses SEED for its first habit).
    entries = realistic_entries(start, HISTORY_DAYS, seed=SEED)
    history = HabitHistory(Schedule.daily(), start, entries)
    done = CheckinStatus.DONE

    def subject() -> object:
        return compute_stats(history, today)

    def baseline() -> object:
        return sum(1 for s in entries.values() if s is done)

    stats = compute_stats(history, today)
    if stats.done_total != baseline():
        raise RuntimeError("compute_stats and the baseline disagree on the done days")
    samples = measure_sync({"compute_stats": subject, "count done days": baseline}, rounds, warmup)
    shape = {
        "days": HISTORY_DAYS,
        "entries": len(entries),
        "done": stats.done_total,
        "skipped": sum(1 for s in entries.values() if s is CheckinStatus.SKIPPED),
        "current_streak": stats.current_streak,
        "best_streak": stats.best_streak,
        "strength": round(stats.strength, 3),
    }
    row = result_row(
        "compute_stats, 5 years daily",
        samples["compute_stats"],
        {"iterate the dict, count done": samples["count done days"]},
    )
    return row, shape


# --- 2. /stats HABIT through the bot on SQLite --------------------------------------------
async def bench_stats_command(rounds: int, warmup: int, workdir: Path) -> list[dict[str, Any]]:
    path = workdir / "habitlink.db"
    db = Database(f"sqlite:///{path}")
    try:
        await upgrade(db)
        clock = SettableClock(BENCH_NOW)
        bot = make_bot(db, clock)
        today = BENCH_NOW.date()
        user = await seed_user(bot, "stats", 1, HISTORY_DAYS, today)
        habit_id, title = user.habit_ids[0], user.titles[0]
        request = user.request(f"/stats {title}")

        first = await bot.handle(request)
        expect(first, "Habit strength", "/stats")
        png = _image(first)
        size = Image.open(BytesIO(png)).size

        async def stats_command() -> Response:
            return await bot.handle(request)

        bot_case = StatementCounter(db, stats_command)

        async with aiosqlite.connect(path) as raw:
            rows = list(await (await raw.execute(RAW_SQL, (habit_id,))).fetchall())
            n_logs = len(rows)

            async def raw_select() -> object:
                cursor = await raw.execute(RAW_SQL, (habit_id,))
                return await cursor.fetchall()

            blank = Image.new("RGB", size, (255, 255, 255))

            def encode() -> bytes:
                buf = BytesIO()
                blank.save(buf, format="PNG", optimize=True)  # as bot.charts._png does
                return buf.getvalue()

            history = HabitHistory(
                Schedule.daily(),
                today - timedelta(days=HISTORY_DAYS),
                realistic_entries(today - timedelta(days=HISTORY_DAYS), HISTORY_DAYS, SEED),
            )

            def heatmap() -> bytes:
                return render_heatmap(title, history, today)

            cases: dict[str, Callable[[], Awaitable[object]]] = {
                "bot": bot_case,
                "sql": raw_select,
                "pillow": _awaitable(encode),
                "heatmap": _awaitable(heatmap),
            }
            samples = await measure_async(cases, rounds, warmup)
    finally:
        await db.dispose()

    if not bot_case.constant:
        print(f"warning: /stats sent a varying number of statements: {set(bot_case.counts)}")
    return [
        result_row(
            "/stats HABIT via bot, SQLite",
            samples["bot"],
            {
                "raw SELECT of the logs (aiosqlite)": samples["sql"],
                f"Pillow PNG encode, blank {size[0]}x{size[1]}": samples["pillow"],
            },
            statements=bot_case.typical(),
            statements_constant=bot_case.constant,
            logs_loaded=n_logs,
            image_size=list(size),
            image_bytes=len(png),
        ),
        result_row(
            "render_heatmap alone (part of /stats)",
            samples["heatmap"],
            {f"Pillow PNG encode, blank {size[0]}x{size[1]}": samples["pillow"]},
        ),
    ]


def _image(response: Response) -> bytes:
    for reply in response.replies:
        if reply.image is not None:
            return reply.image.data
    raise RuntimeError("/stats answered without a heatmap image")


def _awaitable(fn: Callable[[], object]) -> Callable[[], Awaitable[object]]:
    async def call() -> object:
        return fn()

    return call


# --- the run ------------------------------------------------------------------------------
def print_report(results: list[dict[str, Any]]) -> None:
    rows: list[list[object]] = []
    for r in results:
        for i, b in enumerate(r["baselines"]):
            first = i == 0
            rows.append(
                [
                    r["name"] if first else "",
                    r["median_ms"] if first else None,
                    r["p95_ms"] if first else None,
                    (r["statements"] or "-") if first else None,
                    b["name"],
                    b["median_ms"],
                    b["p95_ms"],
                    f"{b['ratio']:.1f}x",
                ]
            )
    headers = ["benchmark", "median ms", "p95 ms", "SQL", "baseline", "median ms", "p95 ms"]
    print(table([*headers, "ratio"], rows))


async def run(args: argparse.Namespace) -> dict[str, Any]:
    plan = QUICK if args.quick else FULL
    c_rounds, c_warm = plan["compute"]
    s_rounds, s_warm = plan["stats"]
    if args.rounds:
        c_rounds = s_rounds = args.rounds
    with gc_disabled(args.no_gc):
        compute_row, shape = bench_compute(c_rounds, c_warm)
        with tempfile.TemporaryDirectory(prefix="habitlink-bench-") as tmp:
            stats_rows = await bench_stats_command(s_rounds, s_warm, Path(tmp))
    results = [compute_row, *stats_rows]
    data = {
        "benchmark": NAME,
        "quick": bool(args.quick),
        "gc": not args.no_gc,
        "environment": environment(),
        "history": shape,
        "results": results,
    }
    print(
        f"History: {shape['days']} days, {shape['entries']} check-ins "
        f"({shape['done']} done, {shape['skipped']} skipped), today still open."
    )
    print_report(results)
    path = write_results(args.out, NAME, data)
    print(f"\nResults written to {path}")
    return data


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = base_parser(__doc__.splitlines()[0] if __doc__ else NAME).parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    main()
