"""Updates per second through python-telegram-bot: HabitLink's adapter beside a bare echo bot.

    python -m bench.bench_telegram [--quick] [--rounds N] [--batch N] [--no-postgres] [--out DIR]

Both bots long-poll their own fake Bot API server (tests/fakes, the same one the end-to-end
tests use) in one event loop:

* subject: `TelegramAdapter` + `HabitLinkBot` on SQLite (a migrated temporary file), handling
  `/done Read 10 pages` from `--batch` different users; every round is a new day, so every
  update inserts a check-in and gets the "done today" reply;
* baseline: a bare PTB `Application` with one `MessageHandler` that replies with the text;
* in the mode without a rate limiter, two cases that split the difference: the bot layer alone
  (`HabitLinkBot.handle`, no PTB, no HTTP) and the adapter alone (the real `TelegramAdapter`,
  its inbox and ordering, answering every update with the reply `/done` gives, recorded once,
  so no bot layer runs: the floor of this adapter, `adapter_floor_ratio`).

A round injects a whole batch into each server (in rotating order) and times until the last
reply arrives; updates per second = batch / that time. PTB handles one update at a time, so
this is the throughput of one bot process. The fake server's own cost is part of both sides,
which is why the ratio is the number to read.

Two modes: without a rate limiter (what the processing costs), and as deployed, with the
adapter's ChatRateLimiter (30 messages a second overall) on both sides, where it sets the pace.
The mode without a rate limiter runs again with HabitLink on PostgreSQL (a fresh database,
dropped at the end) unless --no-postgres. Besides wall time, every batch records the
CPU time the bot used (time.process_time: the event loop and aiosqlite's threads). Each fake
server runs in a process of its own (bench.fake_process), since against Telegram its work is
another machine's: neither its CPU nor its hold on the GIL is the bot's. Its CPU is reported
beside (`fake_cpu_per_update_ms`). `cpu_ratio` = HabitLink's CPU per update over the echo
bot's. PostgreSQL's server CPU is not in it (another process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, filters
from telegram.ext import MessageHandler as PTBMessageHandler

from adapters.telegram.adapter import TelegramAdapter
from adapters.telegram.limits import ChatRateLimiter
from bench.common import (
    BENCH_NOW,
    DEFAULT_PG_URL,
    Summary,
    base_parser,
    environment,
    expect,
    gc_disabled,
    make_bot,
    scratch_database,
    table,
    write_results,
)
from bench.fake_process import FakeInProcess
from bot.dispatcher import HabitLinkBot
from bot.handlers import build_router
from bot.messages import Chat, ChatKind, Person, Request, Response
from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.flows import MemoryFlowStore
from core.uow import UnitOfWorkFactory

NAME = "bench_telegram"
FLOOR = "adapter, fixed reply"
COMMAND = "/done Read 10 pages"
FULL = (15, 2)  # (timed rounds, warm-up rounds)
QUICK = (2, 0)
BATCH = 50
OVERALL_LIMIT = 30  # ChatRateLimiter: 30 messages in any 1.03 s
PTBApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Side:
    """One bot polling its own fake server, and the users who write to it."""

    name: str
    server: FakeInProcess
    users: list[int]  # the fake's users, by index
    expect: str  # every reply of a round starts with this

    async def batch(self, text: str = COMMAND, expect: str | None = None) -> None:
        """Every user sends `text` at once; returns when every reply has arrived."""
        since = await self.server.call("send", text, self.users)
        replies = await self.server.call("sent_since", since, len(self.users), 120.0)
        wanted = self.expect if expect is None else expect
        wrong = [r for r in replies if not r.startswith(wanted)]
        if wrong:  # an error path must never be timed
            raise RuntimeError(f"{self.name}: unexpected replies, e.g. {wrong[0]!r}")


@dataclass
class BotLayer:
    """The same command straight into HabitLinkBot.handle (no PTB, no HTTP): what the bot
    layer alone costs, to split the adapter's share out of the difference."""

    bot: HabitLinkBot
    users: list[tuple[Person, Chat]]
    name: str = "bot layer"

    @classmethod
    async def create(cls, bot: HabitLinkBot, n: int) -> BotLayer:
        users = [
            (
                Person("bench", f"direct{i:03d}", f"Direct {i}"),
                Chat("bench", f"direct{i:03d}", ChatKind.PRIVATE),
            )
            for i in range(n)
        ]
        for person, chat in users:
            expect(
                await bot.handle(Request.from_text(person, chat, "/newhabit Read 10 pages")),
                "Created",
                "/newhabit",
            )
        return cls(bot, users)

    async def batch(self) -> None:
        for person, chat in self.users:
            response = await self.bot.handle(Request.from_text(person, chat, COMMAND))
            expect(response, "✓ Read 10 pages done", COMMAND)


class FixedReply(HabitLinkBot):
    """The adapter's floor: a bot whose every answer is one reply `/done` gave, handed back
    without the bot layer (the update is still stored, ordered, rendered and marked)."""

    canned = Response()

    async def handle(self, request: Request) -> Response:
        return dataclasses.replace(self.canned, replies=list(self.canned.replies), recorded=False)

    @classmethod
    async def create(cls, db: Database, clock: SettableClock) -> FixedReply:
        fixed = cls(
            uow=UnitOfWorkFactory(db, clock), flows=MemoryFlowStore(clock), router=build_router()
        )
        bot = make_bot(db, clock)
        person = Person("bench", "fixed", "Fixed")
        chat = Chat("bench", "fixed", ChatKind.PRIVATE)
        await bot.handle(Request.from_text(person, chat, "/newhabit Read 10 pages"))
        fixed.canned = await bot.handle(Request.from_text(person, chat, COMMAND))
        expect(fixed.canned, "✓ Read 10 pages done", COMMAND)
        return fixed


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message is not None and message.text:
        await message.reply_text(message.text)


def echo_app(server: FakeInProcess, *, rate_limit: bool) -> PTBApp:
    builder = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
    )
    app: PTBApp
    if rate_limit:  # configured exactly as TelegramAdapter configures its own
        app = builder.rate_limiter(ChatRateLimiter(max_retries=5)).build()
    else:
        app = builder.build()
    app.add_handler(PTBMessageHandler(filters.TEXT, _echo))
    return app


def _adapter(bot: HabitLinkBot, server: FakeInProcess, rate_limit: bool) -> TelegramAdapter:
    return TelegramAdapter(
        bot,
        token=server.token,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
        rate_limit=rate_limit,
    )


@contextlib.asynccontextmanager
async def polling(app: PTBApp, server: FakeInProcess) -> AsyncIterator[None]:
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1)
        await server.call("calls", "getUpdates", 1)
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


@contextlib.asynccontextmanager
async def serving(adapter: TelegramAdapter, server: FakeInProcess) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.serve(stop, poll_timeout=1))
    await server.call("calls", "getUpdates", 1)
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


async def measure_mode(
    db: Database,
    clock: SettableClock,
    *,
    rate_limit: bool,
    rounds: int,
    warmup: int,
    batch: int,
    backend: str = "sqlite",
) -> dict[str, Any]:
    """Both bots, each on its own fake server, timed in the same interleaved rounds."""
    bot = make_bot(db, clock)
    async with contextlib.AsyncExitStack() as stack:
        hl_server = await stack.enter_async_context(FakeInProcess())
        echo_server = await stack.enter_async_context(FakeInProcess())
        fakes = [hl_server, echo_server]
        adapter = _adapter(bot, hl_server, rate_limit)
        users = await hl_server.call("new_users", batch)
        habitlink = Side("habitlink", hl_server, users, "✓ Read 10 pages done")
        echo = Side("echo", echo_server, await echo_server.call("new_users", batch), COMMAND)
        cases: list[Side | BotLayer] = [habitlink, echo]
        echo_bot = echo_app(echo_server, rate_limit=rate_limit)
        await stack.enter_async_context(serving(adapter, hl_server))
        await stack.enter_async_context(polling(echo_bot, echo_server))
        if not rate_limit:
            cases.append(await BotLayer.create(bot, batch))
            floor_server = await stack.enter_async_context(FakeInProcess())
            await floor_server.call("update_ids_from", 900_000_001)  # its own in the inbox
            fakes.append(floor_server)
            floor = _adapter(await FixedReply.create(db, clock), floor_server, rate_limit)
            await stack.enter_async_context(serving(floor, floor_server))
            floor_users = await floor_server.call("new_users", batch)
            cases.append(Side(FLOOR, floor_server, floor_users, "✓ Read 10 pages done"))
        await habitlink.batch("/newhabit Read 10 pages", "Created")  # each user's habit
        clock.advance(timedelta(days=1))
        samples, cpu, fake_cpu = await interleaved(
            cases,
            rounds,
            warmup,
            before_round=lambda: clock.advance(timedelta(days=1)),
            settle=min(batch, OVERALL_LIMIT) / OVERALL_LIMIT + 0.1 if rate_limit else 0.0,
            fakes=fakes,
        )
        for server in fakes:
            problem = await server.call("violations")
            if problem:
                raise RuntimeError(f"the bot broke the Bot API's rules: {problem}")
    hl, base = Summary.of(samples["habitlink"]), Summary.of(samples["echo"])
    hl_rate, echo_rate = batch / (hl.median_ms / 1000), batch / (base.median_ms / 1000)
    direct: dict[str, Any] = {}
    if "bot layer" in samples:
        layer = Summary.of(samples["bot layer"])
        direct = {
            "bot_layer": {
                **layer.as_dict(),
                "updates_per_s": round(batch / (layer.median_ms / 1000), 1),
            },
            # what is left of habitlink's time per update after the echo bot's and the bot
            # layer's: translation, rendering, the second HTTP round trip's extra bytes...
            "adapter_overhead_ms": round(
                (hl.median_ms - base.median_ms - layer.median_ms) / batch, 3
            ),
        }
    cpu_ms = {name: statistics.median(v) * 1000 / batch for name, v in cpu.items()}
    fake_ms = {name: statistics.median(v) * 1000 / batch for name, v in fake_cpu.items()}
    direct_cpu: dict[str, float] = {}
    if "bot layer" in cpu_ms:
        direct_cpu = {
            "bot_layer": round(cpu_ms["bot layer"], 3),
            "adapter_fixed_reply": round(cpu_ms[FLOOR], 3),
        }
        direct["adapter_floor_ratio"] = round(cpu_ms[FLOOR] / cpu_ms["echo"], 2)
    return {
        "backend": backend,
        "mode": "ChatRateLimiter (as deployed)" if rate_limit else "no rate limiter",
        "rate_limit": rate_limit,
        "batch": batch,
        "habitlink": {**hl.as_dict(), "updates_per_s": round(hl_rate, 1)},
        "echo": {**base.as_dict(), "updates_per_s": round(echo_rate, 1)},
        "ratio": round(echo_rate / hl_rate, 2),  # how many times the echo bot's rate
        "per_update_ms": {
            "habitlink": round(hl.median_ms / batch, 3),
            "echo": round(base.median_ms / batch, 3),
            "difference": round((hl.median_ms - base.median_ms) / batch, 3),
        },
        "cpu_per_update_ms": {
            "habitlink": round(cpu_ms["habitlink"], 3),
            "echo": round(cpu_ms["echo"], 3),
            **direct_cpu,
        },
        # the fake servers' own CPU per update (their thread), left out of the numbers above
        "fake_cpu_per_update_ms": {name: round(ms, 3) for name, ms in fake_ms.items()},
        "cpu_ratio": round(cpu_ms["habitlink"] / cpu_ms["echo"], 2),
        **direct,
    }


async def interleaved(
    sides: Sequence[Side | BotLayer],
    rounds: int,
    warmup: int,
    *,
    before_round: Callable[[], object],
    settle: float,
    fakes: Sequence[FakeInProcess],
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, list[float]]]:
    """Seconds per batch of each side: wall, CPU of this process (the fakes run in their own),
    and the fakes' CPU; the order rotates every round (see bench.common).
    `settle` seconds pass untimed before each batch, so a rate limiter's bucket starts empty
    for both sides alike rather than holding what the other side's batch left in it."""
    samples: dict[str, list[float]] = {side.name: [] for side in sides}
    cpu: dict[str, list[float]] = {side.name: [] for side in sides}
    fake_cpu: dict[str, list[float]] = {side.name: [] for side in sides}

    async def fakes_cpu() -> float:
        return sum([await fake.cpu_seconds() for fake in fakes])

    for r in range(warmup + rounds):
        before_round()
        k = r % len(sides)
        for side in [*sides[k:], *sides[:k]]:
            if settle:
                await asyncio.sleep(settle)
            began_fakes = await fakes_cpu()  # read outside the timed batch: a pipe round trip
            began, began_cpu = time.perf_counter(), time.process_time()
            await side.batch()
            spent, spent_cpu = time.perf_counter() - began, time.process_time() - began_cpu
            if r >= warmup:
                samples[side.name].append(spent)
                cpu[side.name].append(spent_cpu)
                fake_cpu[side.name].append(await fakes_cpu() - began_fakes)
    return samples, cpu, fake_cpu


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rounds, warmup = QUICK if args.quick else FULL
    if args.rounds:
        rounds = args.rounds
    batch = args.batch or (10 if args.quick else BATCH)
    env = environment()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="habitlink-bench-") as tmp, gc_disabled(args.no_gc):
        for rate_limit in (False, True):
            db = Database(f"sqlite:///{Path(tmp) / f'habitlink-{rate_limit}.db'}")
            results.append(
                await _timed(db, rate_limit=rate_limit, rounds=rounds, warmup=warmup, batch=batch)
            )
        if not args.no_postgres:
            try:
                results.append(await _postgres(args.pg_url, rounds, warmup, batch))
            except (OSError, asyncpg.PostgresError) as exc:  # keep SQLite's numbers
                print(f"PostgreSQL skipped: {exc}")
    data = {
        "benchmark": NAME,
        "quick": bool(args.quick),
        "gc": not args.no_gc,
        "environment": env,
        "command": COMMAND,
        "rounds": rounds,
        "warmup": warmup,
        "results": results,
    }
    print_report(results)
    path = write_results(args.out, NAME, data)
    print(f"\nResults written to {path}")
    return data


async def _postgres(admin_url: str, rounds: int, warmup: int, batch: int) -> dict[str, Any]:
    """The mode without a rate limiter, HabitLink on PostgreSQL (habitlink_bench_tg_<pid>)."""
    async with scratch_database(admin_url, "habitlink_bench_tg") as (url, _):
        return await _timed(
            Database(url), rate_limit=False, rounds=rounds, warmup=warmup, batch=batch,
            backend="postgres",
        )  # fmt: skip


async def _timed(
    db: Database, *, rate_limit: bool, rounds: int, warmup: int, batch: int, backend: str = "sqlite"
) -> dict[str, Any]:
    """`measure_mode` on a freshly migrated database, with its wall time; disposes of `db`."""
    try:
        await upgrade(db)
        began = time.perf_counter()
        result = await measure_mode(
            db, SettableClock(BENCH_NOW), rate_limit=rate_limit, rounds=rounds, warmup=warmup,
            batch=batch, backend=backend,
        )  # fmt: skip
        return {**result, "wall_s": round(time.perf_counter() - began, 1)}
    finally:
        await db.dispose()


def print_report(results: list[dict[str, Any]]) -> None:
    rows = [
        [
            r["backend"],
            r["mode"],
            r["batch"],
            r["habitlink"]["updates_per_s"],
            r["echo"]["updates_per_s"],
            f"{r['ratio']:.1f}x",
            r["per_update_ms"]["habitlink"],
            r["per_update_ms"]["echo"],
            r["bot_layer"]["median_ms"] / r["batch"] if "bot_layer" in r else "-",
            r["cpu_per_update_ms"]["habitlink"],
            r["cpu_per_update_ms"]["echo"],
            r["cpu_per_update_ms"].get("bot_layer", "-"),
            r["cpu_per_update_ms"].get("adapter_fixed_reply", "-"),
            f"{r['cpu_ratio']:.2f}x",
            f"{r['adapter_floor_ratio']:.2f}x" if "adapter_floor_ratio" in r else "-",
        ]
        for r in results
    ]
    headers = ["backend", "mode", "batch", "habitlink upd/s", "echo upd/s", "ratio"]
    headers += ["habitlink ms/upd", "echo ms/upd", "bot layer ms/upd"]
    headers += ["CPU ms/upd", "echo CPU", "bot layer CPU", "fixed-reply CPU", "CPU ratio"]
    headers += ["floor ratio"]
    print(table(headers, rows))
    print(f"\nCommand: {COMMAND!r}; ratio = echo rate / habitlink rate (medians of the rounds).")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else NAME)
    parser.add_argument("--batch", type=int, help=f"updates per round and side ({BATCH})")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"admin URL ({DEFAULT_PG_URL})")
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
