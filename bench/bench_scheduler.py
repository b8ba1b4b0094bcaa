"""The scheduler at scale: a burst of 100,000 due reminders, and the delivery rate to Telegram.

    python -m bench.bench_scheduler [--quick] [--no-postgres] [--no-redis] [--only PART]
                                    [--users N] [--messages N] [--rounds N] [--pg-url URL]

Two parts, each beside a baseline timed in the same run:

* **burst** (PostgreSQL): `--users` people (100,000) whose reminders all fall due in the same
  minute, built with bulk SQL in a fresh database `habitlink_bench_sched_<pid>` (dropped at the
  end). Timed: `Producer.reminders` (find what is due, decide, enqueue into the outbox, commit),
  then `Outbox.claim` in batches of 500 (one transaction each) until everything is claimed.
  Baseline: the same work as hand-written SQL on the same engine: one `UPDATE reminders ...
  RETURNING` feeding an `INSERT INTO notifications ... ON CONFLICT DO NOTHING` (the same
  decisions: checked in, quiet hours, no private chat, too late), then the same claim as one
  `UPDATE ... RETURNING` per batch. Before every run the outbox is emptied, the reminders made
  due again and the tables vacuumed; both sides must leave identical outbox rows.
* **delivery** (SQLite + the fake Bot API server): `--messages` reminders (600) for as many
  private chats, sent by `Notifier.dispatch_all` through `TelegramAdapter` (as deployed, with
  PTB's AIORateLimiter) and the MemoryRateLimiter (and the RedisRateLimiter when Redis is up),
  against the fake server limited to 30 messages a second (beyond that it answers 429); and,
  as a diagnostic, with the adapter's overall limit at exactly 30 in 1.0 s (no margin).
  Baseline: a bare loop of PTB `bot.send_message` paced by aiolimiter at 30 a second.

Results: bench/results/scheduler.json.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from typing import Any

import asyncpg

from bench.common import DEFAULT_PG_URL, base_parser, environment, gc_disabled, table, write_results
from bench.scheduler_burst import run_burst
from bench.scheduler_delivery import TELEGRAM_RATE, run_delivery

NAME = "scheduler"
USERS, QUICK_USERS = 100_000, 2_000
MESSAGES, QUICK_MESSAGES = 600, 60
ROUNDS, QUICK_ROUNDS = 3, 1  # burst runs per side; delivery runs 1 per side unless --rounds


# --- report ----------------------------------------------------------------------------------
def print_report(burst: dict[str, Any], delivery: dict[str, Any]) -> None:
    if "subject" in burst:
        s, b, ratio = burst["subject"], burst["baseline"], burst["ratio"]
        rows: list[list[object]] = [
            [
                side["name"],
                side["produce_s"],
                side["produce_cpu_s"],
                side["produce_server_cpu_s"] or "-",
                side["reminders_per_s"],
                side["produce_statements"],
                side["produce_peak_rss_growth_mb"] or "-",
                side["claim_s"],
                side["claimed_per_s"],
                side["total_s"],
            ]
            for side in (s, b)
        ]
        r = {key: f"{value:.1f}x" for key, value in ratio.items()}
        cpu = burst["goal"]["produce_cpu_ratio"]
        both = f"both {cpu:.1f}x" if cpu else ""  # CPU here and on the server
        rows.append(["ratio", r["produce"], "", both, "", "", "", r["claim"], "", r["total"]])
        print(f"\nBurst: {burst['users']:,} reminders due in one minute (PostgreSQL)")
        headers = ["side", "produce s", "CPU here s", "server CPU s", "reminders/s", "SQL"]
        print(table([*headers, "peak RSS +MB", "claim s", "claimed/s", "total s"], rows))
        goal = burst["goal"]
        verdict = "met" if goal["met"] else "not met"
        print(
            f"Issue 15 goal, producing at most {goal['produce_ratio_at_most']:.1f}x the one "
            f"statement: {goal['produce_ratio']:.2f}x, {verdict}"
            + (f" (CPU, here and server: {cpu:.2f}x)" if cpu else "")
        )
    if "baseline" in delivery:
        print(f"\nDelivery: {delivery['messages']} reminders, fake server at {TELEGRAM_RATE}/s")
        rows = [
            [
                d["name"],
                d["wall_s"],
                d["overall_per_s"],
                d["sustained_per_s"],
                d["max_in_any_second"],
                d["http_429"],
                f"{d['ratio']:.2f}x" if "ratio" in d else "",
            ]
            for d in (*delivery["subjects"], delivery["baseline"])
        ]
        headers = ["side", "wall s", "msgs/s", "sustained/s", "max in 1 s", "429s", "ratio"]
        print(table(headers, rows))


async def run(args: argparse.Namespace) -> dict[str, Any]:
    users = args.users or (QUICK_USERS if args.quick else USERS)
    messages = args.messages or (QUICK_MESSAGES if args.quick else MESSAGES)
    burst_rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    delivery_rounds = args.rounds or 1
    env = environment()
    burst: dict[str, Any] = {"skipped": "--only delivery"}
    delivery: dict[str, Any] = {"skipped": "--only burst"}
    with gc_disabled(args.no_gc):
        if args.only in (None, "burst"):
            if args.no_postgres:
                burst = {"skipped": "--no-postgres"}
            else:
                try:
                    burst = await run_burst(args.pg_url, users, burst_rounds)
                except (OSError, asyncpg.PostgresError) as exc:
                    burst = {"skipped": f"PostgreSQL not reachable: {exc}"}
                    print(f"burst skipped: {exc}")
        if args.only in (None, "delivery"):
            delivery = await run_delivery(messages, delivery_rounds, not args.no_redis)
    data = {
        "benchmark": NAME,
        "quick": bool(args.quick),
        "gc": not args.no_gc,
        "environment": env,
        "burst": burst,
        "delivery": delivery,
    }
    print_report(burst, delivery)
    path = write_results(args.out, NAME, data)
    print(f"\nResults written to {path}")
    return data


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else NAME)
    parser.add_argument("--no-postgres", action="store_true", help="skip the burst (PostgreSQL)")
    parser.add_argument("--no-redis", action="store_true", help="no RedisRateLimiter run")
    parser.add_argument("--only", choices=("burst", "delivery"), help="run one part")
    parser.add_argument("--users", type=int, help=f"burst size ({USERS:,}; {QUICK_USERS:,} quick)")
    parser.add_argument(
        "--messages", type=int, help=f"delivery messages ({MESSAGES}; {QUICK_MESSAGES} quick)"
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"admin URL ({DEFAULT_PG_URL})")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
