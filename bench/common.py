"""Shared pieces of the benchmarks: timing with an interleaved baseline, seeding, output.

Every measurement runs the subject and its baseline in the same rounds, alternating which goes
first, so a noisy neighbour on a shared machine slows both alike and their ratio stays readable.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bot.dispatcher import HabitLinkBot
from bot.handlers import build_router
from bot.messages import Chat, ChatKind, Person, Request, Response
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import HabitLog, Identity, User
from core.flows import MemoryFlowStore
from core.habits.history import CheckinStatus
from core.habits.service import HabitDraft, HabitService
from core.media.storage import MediaStore
from core.uow import UnitOfWorkFactory

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPO_ROOT = Path(__file__).resolve().parents[1]
PLATFORM = "bench"
# The benchmarks' "now": a Monday morning, UTC (users keep the default UTC time zone).
BENCH_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SEED = 20261123
DEFAULT_PG_URL = os.environ.get("PG_TEST_URL", "postgresql://postgres@127.0.0.1:5432/test")


# --- statistics of samples ---------------------------------------------------------------
def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    n: int
    median_ms: float
    p95_ms: float
    min_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Summary:
        if not seconds:
            raise ValueError("no samples")
        return cls(
            n=len(seconds),
            median_ms=statistics.median(seconds) * 1000,
            p95_ms=percentile(seconds, 95) * 1000,
            min_ms=min(seconds) * 1000,
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "median_ms": round(self.median_ms, 4),
            "p95_ms": round(self.p95_ms, 4),
            "min_ms": round(self.min_ms, 4),
        }


def ratio(subject: Summary, baseline: Summary) -> float:
    """Median over median: how many times the baseline's time the subject takes."""
    return subject.median_ms / baseline.median_ms if baseline.median_ms > 0 else math.inf


def _order(names: Sequence[str], round_no: int) -> list[str]:
    """Rotate the cases each round so none of them always runs first (warm caches, turbo)."""
    k = round_no % len(names)
    return [*names[k:], *names[:k]]


# --- interleaved timing -------------------------------------------------------------------
def measure_sync(
    cases: Mapping[str, Callable[[], object]], rounds: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Seconds per call of each case; every round calls each case once, in rotating order."""
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(warmup + rounds):
        for name in _order(names, r):
            fn = cases[name]
            began = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - began
            if r >= warmup:
                samples[name].append(elapsed)
    return samples


async def measure_async(
    cases: Mapping[str, Callable[[], Awaitable[object]]],
    rounds: int,
    warmup: int = 1,
    before_round: Callable[[], object] | None = None,
) -> dict[str, list[float]]:
    """Like `measure_sync` for coroutines; `before_round` runs untimed before each round."""
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(warmup + rounds):
        if before_round is not None:
            before_round()
        for name in _order(names, r):
            fn = cases[name]
            began = time.perf_counter()
            await fn()
            elapsed = time.perf_counter() - began
            if r >= warmup:
                samples[name].append(elapsed)
    return samples


class StatementCounter:
    """Records how many SQL statements each call of a coroutine sent through `db`."""

    def __init__(self, db: Database, fn: Callable[[], Awaitable[object]]) -> None:
        self.db = db
        self.fn = fn
        self.counts: list[int] = []

    async def __call__(self) -> object:
        before = self.db.statements
        result = await self.fn()
        self.counts.append(self.db.statements - before)
        return result

    def typical(self) -> int:
        """The most frequent count (they should all be equal; see `constant`)."""
        return statistics.mode(self.counts)

    @property
    def constant(self) -> bool:
        return len(set(self.counts)) <= 1


# --- realistic history --------------------------------------------------------------------
def realistic_entries(
    start: date, days: int, seed: int = SEED, done: float = 0.80, skipped: float = 0.05
) -> dict[date, CheckinStatus]:
    """A daily habit's check-ins: about `done` of the days done, `skipped` skipped, rest missed.

    Misses come in short runs (a missed day makes the next one likelier to be missed), like
    a trip or a bad week, so streaks have realistic lengths rather than coin flips.
    """
    rng = random.Random(seed)
    out: dict[date, CheckinStatus] = {}
    missed_yesterday = False
    miss = 1.0 - done - skipped
    # After a miss, a miss is three times as likely; the base rate is set so that the
    # long-run share of missed days is still `miss` (the chain's stationary probability).
    after_miss = min(0.9, 3 * miss)
    base_miss = miss * (1 - after_miss) / (1 - miss)
    for i in range(days):
        p_miss = after_miss if missed_yesterday else base_miss
        if rng.random() < p_miss:
            missed_yesterday = True
            continue
        missed_yesterday = False
        day = start + timedelta(days=i)
        out[day] = (
            CheckinStatus.SKIPPED if rng.random() < skipped / (1 - miss) else CheckinStatus.DONE
        )
    return out


HABIT_TITLES = (
    "Read 10 pages", "Meditate", "Run 5k", "Floss", "Journal", "Stretch", "Drink water",
    "Walk outside", "Practice guitar", "Learn Spanish", "No sugar", "Push-ups", "Plan tomorrow",
    "Inbox zero", "Cook dinner", "Call a friend", "Tidy desk", "Sleep by 11", "Cold shower",
    "Gratitude note", "Yoga", "Sketch", "Code kata", "Vitamins", "Language app", "Podcast",
    "Cycle to work", "No phone in bed", "Budget check", "Piano scales",
)  # fmt: skip


# --- a bot and its users ------------------------------------------------------------------
def make_bot(db: Database, clock: SettableClock, media: MediaStore | None = None) -> HabitLinkBot:
    """The bot exactly as the tests build it: in-memory flows, the real router."""
    return HabitLinkBot(
        uow=UnitOfWorkFactory(db, clock, media=media),
        flows=MemoryFlowStore(clock),
        router=build_router(),
    )


@dataclass(frozen=True)
class BenchUser:
    person: Person
    chat: Chat
    user_id: int
    habit_ids: tuple[int, ...]
    titles: tuple[str, ...]

    def request(self, text: str) -> Request:
        return Request.from_text(self.person, self.chat, text)


async def seed_user(
    bot: HabitLinkBot,
    name: str,
    n_habits: int,
    history_days: int,
    today: date,
    seed: int = SEED,
) -> BenchUser:
    """A user (first contact through the bot) with `n_habits` daily habits and their history.

    Each habit starts `history_days` days before `today` and has realistic check-ins on the
    days before today; today is left open.
    """
    person = Person(PLATFORM, name, name.title(), username=name)
    chat = Chat(PLATFORM, name, ChatKind.PRIVATE)
    response = await bot.handle(Request.from_text(person, chat, "/start"))
    expect(response, "Welcome", "/start")
    db = bot.uow.db
    start = today - timedelta(days=history_days)
    titles = HABIT_TITLES[:n_habits]
    async with db.session() as session:
        user = await session.scalar(
            select(User)
            .join(Identity, Identity.user_id == User.id)
            .where(Identity.platform == PLATFORM, Identity.external_id == name)
        )
        if user is None:
            raise RuntimeError(f"/start did not create the user {name!r}")
        service = HabitService(session, bot.clock)
        habit_ids: list[int] = []
        for k, title in enumerate(titles):
            habit = await service.create(user, HabitDraft.build(title=title), start)
            habit_ids.append(habit.id)
            entries = realistic_entries(start, history_days, seed=seed + k)
            rows = [
                {"habit_id": habit.id, "day": d, "status": s.value, "created_at": BENCH_NOW}
                for d, s in entries.items()
            ]
            if rows:  # a habit at a time: years of history stay under the statement timeout
                await session.execute(insert(HabitLog), rows)
        await session.commit()
        user_id = user.id
    return BenchUser(person, chat, user_id, tuple(habit_ids), titles)


def expect(response: Response, needle: str, what: str) -> None:
    """Stop the benchmark if the bot did not answer as expected (we'd time an error path)."""
    text = " ".join(r.text.plain() for r in response.replies)
    if needle not in text:
        raise RuntimeError(f"{what}: expected {needle!r} in the reply, got {text!r}")


# --- PostgreSQL scratch databases ---------------------------------------------------------
async def pg_admin(dsn: str, *statements: str) -> str:
    """Run statements on the server's admin database; returns the server version."""
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
        version: str = await conn.fetchval("SHOW server_version")
        return version
    finally:
        await conn.close()


def sibling_url(admin_dsn: str, name: str) -> str:
    return f"{admin_dsn.rsplit('/', 1)[0]}/{name}"


@asynccontextmanager
async def scratch_database(admin_url: str, prefix: str) -> AsyncIterator[tuple[str, str]]:
    """A fresh PostgreSQL database `<prefix>_<pid>` beside the admin URL's, dropped at the end
    whatever happens: (its asyncpg URL, the server's version)."""
    admin_dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"{prefix}_{os.getpid()}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    version = await pg_admin(admin_dsn, drop, f'CREATE DATABASE "{name}"')
    try:
        yield sibling_url(admin_dsn, name), version
    finally:
        await pg_admin(admin_dsn, drop)


# --- output ---------------------------------------------------------------------------------
def base_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="few iterations: a smoke run")
    parser.add_argument("--rounds", type=int, help="override the number of timed rounds")
    parser.add_argument(
        "--out", type=Path, default=RESULTS_DIR, help=f"results directory ({RESULTS_DIR})"
    )
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="disable the garbage collector while measuring (diagnosis: the p95 of big "
        "commands is mostly full collections); the default keeps it on, as in production",
    )
    return parser


@contextmanager
def gc_disabled(disable: bool) -> Iterator[None]:
    """Turn the garbage collector off for the block when asked, and back on afterwards."""
    was_enabled = gc.isenabled()
    if disable:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def environment() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "git_commit": commit or None,
    }


def write_results(out_dir: Path, name: str, data: Mapping[str, Any]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table; columns holding only numbers are right-aligned."""
    raw = [list(row) for row in rows]
    numeric = [
        bool(raw) and all(isinstance(row[i], int | float) or row[i] in _BLANKS for row in raw)
        for i in range(len(headers))
    ]
    cells = [[_cell(v) for v in row] for row in raw]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, cells)])


_BLANKS = (None, "", "-")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}"
        if value >= 10:
            return f"{value:.1f}"
        if value >= 0.1:
            return f"{value:.2f}"
        return f"{value:.4f}"
    return str(value)
