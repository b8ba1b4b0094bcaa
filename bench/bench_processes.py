"""Updates per second on PostgreSQL and Redis with one bot process and with two, same load.

    python -m bench.bench_processes [--quick] [--rounds N] [--users N] [--repeats N] [--out DIR]

Real processes (bench/bot_process.py: the app of `habitlink run`, Telegram in webhook mode, no
rate limiter) behind a round-robin proxy; the fake Telegram server POSTs every update to the
proxy, as Telegram posts to a load balancer. A round: each of `--users` people sends one update
at once (`/done read`, then `/undo read` the next round, so every update writes); it ends when
every reply has arrived. Updates per second = users / round time.

The one-process configuration is the baseline; the configurations alternate (1, 2, 1, 2, ...)
so a noisy neighbour hits both. Ratio = two processes' median rate / one process's.

Where the time goes, per update: the bot layer (`habitlink_handler_seconds`, from each
process's /metrics), the CPU of the bot processes (`process_cpu_seconds_total`), and the CPU of
this process, which plays Telegram and the load balancer. On a machine of N cores, everything
(PostgreSQL, Redis, this process, the bots) shares them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_PG_URL, base_parser, environment, table, write_results
from tests.conftest import REDIS_TEST_URL, create_pg_database, drop_pg_database
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_models import FakeChat, FakeUser
from tests.support.network import free_port
from tests.support.processes import (
    Processes,
    clean_environment,
    metric,
    round_robin,
    wait_listening,
)

NAME = "bench_processes"
FULL = (12, 2)  # (timed rounds, warm-up rounds) per configuration run; both even
QUICK = (2, 2)
USERS = 60
REPEATS = 2
SECRET = "bench-processes-secret-4Tw8Nc2Hq6Zy"  # 32+ characters, as webhook mode asks
COMMANDS = ("/done read", "/undo read")
EXPECT = ("✓ Read done", "Undone: Read")


class Load:
    """The people, their chats and the rounds they send."""

    def __init__(self, fake: FakeTelegram, users: int) -> None:
        self.fake = fake
        self.people: list[tuple[FakeUser, FakeChat]] = []
        for i in range(users):
            person = fake.new_user(f"Bench{i}", username=f"bench{i}")
            self.people.append((person, fake.private_chat(person)))

    async def send_all(self, text: str, expect: str) -> float:
        """Everyone sends `text` at once; returns the seconds until every reply arrived."""
        fake = self.fake
        since = len(fake.sent_messages)
        started = time.perf_counter()
        for person, chat in self.people:
            fake.send_text(text, chat=chat, user=person)
        want = since + len(self.people)
        await fake.wait_for(lambda: len(fake.sent_messages) >= want, timeout=120, what="replies")
        elapsed = time.perf_counter() - started
        wrong = [
            m.plain_text
            for m in fake.sent_messages[since:]
            if not (m.plain_text or "").startswith(expect)
        ]
        if wrong or len(fake.sent_messages) != want:  # an error path is never timed
            raise RuntimeError(f"unexpected replies to {text!r}, e.g. {wrong[:1]}")
        return elapsed


async def configuration(
    processes: int, load: Load, env: dict[str, str], tmp: Path, rounds: int, warmup: int
) -> dict[str, Any]:
    """Start `processes` bots behind the proxy, run the rounds, stop them; the measurements."""
    webhook_ports = [free_port() for _ in range(processes)]
    health_ports = [free_port() for _ in range(processes)]
    backends = [f"http://127.0.0.1:{port}/telegram" for port in webhook_ports]
    async with round_robin(backends) as public_url:
        procs = Processes(tmp, {**env, "TELEGRAM_WEBHOOK_URL": public_url})
        try:
            for i in range(processes):
                await procs.start(
                    f"bot{processes}-{i}",
                    [sys.executable, "-m", "bench.bot_process"],
                    TELEGRAM_WEBHOOK_PORT=str(webhook_ports[i]),
                    HEALTH_PORT=str(health_ports[i]),
                )
            for i, port in enumerate(health_ports):
                await procs.wait_ready(f"http://127.0.0.1:{port}/readyz", f"bot {i}")
            for port in webhook_ports:
                await wait_listening(port)
            for i in range(warmup):
                await load.send_all(COMMANDS[i % 2], EXPECT[i % 2])

            async def totals(name: str) -> float:
                return sum([await metric(port, name) for port in health_ports])

            before = {
                name: await totals(name)
                for name in (
                    "habitlink_handler_seconds_sum",
                    "habitlink_handler_seconds_count",
                    "process_cpu_seconds_total",
                )
            }
            own_cpu = time.process_time()
            times = [await load.send_all(COMMANDS[i % 2], EXPECT[i % 2]) for i in range(rounds)]
            own_cpu = time.process_time() - own_cpu
            after = {name: await totals(name) for name in before}
        finally:
            await procs.stop()
    updates = rounds * len(load.people)
    delta = {name: after[name] - before[name] for name in before}
    return {
        "processes": processes,
        "round_seconds": times,
        "updates": updates,
        "updates_per_s": [len(load.people) / t for t in times],
        "handled": delta["habitlink_handler_seconds_count"],
        "bot_layer_ms": 1000 * delta["habitlink_handler_seconds_sum"] / updates,
        "bot_cpu_ms": 1000 * delta["process_cpu_seconds_total"] / updates,
        "bench_cpu_ms": 1000 * own_cpu / updates,
        "wall_ms": 1000 * sum(times) / updates,
    }


def _totals(runs: list[dict[str, Any]], processes: int) -> dict[str, Any]:
    mine = [r for r in runs if r["processes"] == processes]
    rates = [rate for r in mine for rate in r["updates_per_s"]]
    return {
        "processes": processes,
        "rounds": len(rates),
        "median_updates_per_s": statistics.median(rates),
        "min_updates_per_s": min(rates),
        "max_updates_per_s": max(rates),
        **{
            key: statistics.mean(r[key] for r in mine)
            for key in ("wall_ms", "bot_layer_ms", "bot_cpu_ms", "bench_cpu_ms")
        },
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rounds, warmup = QUICK if args.quick else FULL
    rounds = args.rounds or rounds
    rounds += rounds % 2  # /done and /undo in pairs: every run starts from the same state
    repeats = 1 if args.quick else args.repeats
    pg_url = create_pg_database(args.pg_url, migrate=True)
    runs: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with FakeTelegram() as fake:
                env = clean_environment(
                    DATABASE_URL=pg_url,
                    REDIS_URL=args.redis_url,
                    REDIS_PREFIX=f"bench-{uuid.uuid4().hex[:8]}",
                    DATA_DIR=str(Path(tmp) / "data"),
                    TELEGRAM_BOT_TOKEN=fake.token,
                    TELEGRAM_API_BASE_URL=fake.base_url,
                    TELEGRAM_FILE_BASE_URL=fake.base_file_url,
                    TELEGRAM_WEBHOOK_SECRET=SECRET,
                    TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
                    LOG_LEVEL="WARNING",
                )
                load = Load(fake, args.users)
                # The habit everyone checks in, made through the bot (not timed).
                await _prepare(load, env, Path(tmp))
                for _ in range(repeats):
                    for processes in (1, 2):
                        runs.append(
                            await configuration(processes, load, env, Path(tmp), rounds, warmup)
                        )
                fake.assert_no_violations()
    finally:
        drop_pg_database(args.pg_url, pg_url)
    one, two = _totals(runs, 1), _totals(runs, 2)
    data = {
        "name": NAME,
        "users": args.users,
        "rounds": rounds,
        "repeats": repeats,
        "results": [one, two],
        "runs": runs,
        "ratio": two["median_updates_per_s"] / one["median_updates_per_s"],
        "environment": environment(),
    }
    print(
        table(
            [
                "bot processes",
                "updates/s (median)",
                "min",
                "max",
                "wall ms/update",
                "bot layer ms",
                "bot CPU ms",
                "fake+proxy CPU ms",
            ],
            [
                [
                    r["processes"],
                    round(r["median_updates_per_s"], 1),
                    round(r["min_updates_per_s"], 1),
                    round(r["max_updates_per_s"], 1),
                    round(r["wall_ms"], 2),
                    round(r["bot_layer_ms"], 2),
                    round(r["bot_cpu_ms"], 2),
                    round(r["bench_cpu_ms"], 2),
                ]
                for r in (one, two)
            ],
        )
    )
    print(f"ratio (two processes / one): {data['ratio']:.2f}")
    path = write_results(args.out, NAME, data)
    print(f"results: {path}")
    return data


async def _prepare(load: Load, env: dict[str, str], tmp: Path) -> None:
    """Everyone creates the habit Read, through one bot process."""
    procs = Processes(tmp, env)
    port, health = free_port(), free_port()
    async with round_robin([f"http://127.0.0.1:{port}/telegram"]) as public_url:
        procs.env = {**env, "TELEGRAM_WEBHOOK_URL": public_url}
        try:
            await procs.start(
                "prepare",
                [sys.executable, "-m", "bench.bot_process"],
                TELEGRAM_WEBHOOK_PORT=str(port),
                HEALTH_PORT=str(health),
            )
            await procs.wait_ready(f"http://127.0.0.1:{health}/readyz", "prepare")
            await wait_listening(port)
            await load.send_all("/newhabit Read", "Created Read")
        finally:
            await procs.stop()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else NAME)
    parser.add_argument("--users", type=int, default=USERS, help=f"people per round ({USERS})")
    parser.add_argument(
        "--repeats", type=int, default=REPEATS, help=f"runs of each configuration ({REPEATS})"
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="the admin database")
    parser.add_argument("--redis-url", default=REDIS_TEST_URL)
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
