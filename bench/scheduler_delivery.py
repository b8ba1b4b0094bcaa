"""bench.bench_scheduler's delivery: `--messages` reminders sent to the fake Bot API server.

`Notifier.dispatch_all` through `TelegramAdapter` with each rate limiter, against the fake
limited to 30 messages a second, beside a bare PTB loop paced by aiolimiter
(see bench/bench_scheduler.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import time as dt_time
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiolimiter import AsyncLimiter
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, insert, select
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from adapters.telegram.adapter import OVERALL_LIMIT, TelegramAdapter
from bench.common import BENCH_NOW, make_bot
from bench.scheduler_common import TELEGRAM, TITLE, WORKER
from bot.delivery import Notifier
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Habit, Identity, Notification, Reminder, User, UserSettings
from core.db.schema import upgrade
from core.ratelimit import Limit, MemoryRateLimiter, RateLimiter
from core.ratelimit.redis import RedisRateLimiter
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_models import FakeChat

TELEGRAM_RATE = 30  # messages a second: Telegram's overall limit, and the fake's
NO_MARGIN = "no margin (diagnostic)"
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


# --- delivery: data ------------------------------------------------------------------------
async def seed_delivery(db: Database, chats: Sequence[FakeChat]) -> None:
    """One user per chat, a habit and a reminder due at BENCH_NOW (09:00 UTC) each."""
    now = BENCH_NOW
    n = len(chats)
    async with db.session() as session:
        users = [
            {"id": i + 1, "display_name": f"User {i}", "lifebook": {}, "created_at": now}
            for i in range(n)
        ]
        await session.execute(insert(User), users)
        await session.execute(insert(UserSettings), [{"user_id": i + 1} for i in range(n)])
        identities = [
            {
                "user_id": i + 1,
                "platform": TELEGRAM,
                "external_id": str(chat.id),
                "display_name": f"User {i}",
                "dm_chat_id": str(chat.id),
                "created_at": now,
            }
            for i, chat in enumerate(chats)
        ]
        await session.execute(insert(Identity), identities)
        habits = [
            {
                "id": i + 1,
                "user_id": i + 1,
                "title": TITLE,
                "start_date": now.date() - timedelta(days=30),
                "created_at": now,
            }
            for i in range(n)
        ]
        await session.execute(insert(Habit), habits)
        reminders = [
            {"habit_id": i + 1, "local_time": dt_time(9, 0), "next_due_at": now, "created_at": now}
            for i in range(n)
        ]
        await session.execute(insert(Reminder), reminders)
        await session.commit()


# --- delivery: the sides ---------------------------------------------------------------------
@dataclass
class Delivery:
    name: str
    sent: int
    wall_s: float
    stamps: list[float]  # when each message reached the fake (time.monotonic)
    http_429: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "messages": self.sent,
            "wall_s": round(self.wall_s, 3),
            "overall_per_s": round(self.sent / self.wall_s, 2),
            "sustained_per_s": round(sustained_rate(self.stamps, TELEGRAM_RATE), 2),
            "max_in_any_second": most_in_window(self.stamps, 1.0),
            "http_429": self.http_429,
        }


def sustained_rate(stamps: Sequence[float], window: int) -> float:
    """Messages a second between the first and the last `window` messages (their centroids).

    A limiter of `window` a second that fills every second scores exactly `window`, however
    fast each send is; N / wall time instead counts the first second's burst as extra speed.
    """
    ordered = sorted(stamps)
    if len(ordered) <= window:
        return len(ordered) / max(ordered[-1] - ordered[0], 1e-9) if len(ordered) > 1 else 0.0
    first = statistics.fmean(ordered[:window])
    last = statistics.fmean(ordered[-window:])
    return (len(ordered) - window) / (last - first)


def most_in_window(stamps: Sequence[float], window: float) -> int:
    ordered = sorted(stamps)
    best, start = 0, 0
    for end, stamp in enumerate(ordered):
        while stamp - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def count_429(fake: FakeTelegram, since: int) -> int:
    return sum(1 for call in fake.calls[since:] if call.status == 429)


async def settle() -> None:
    """Let the fake's 1 s window empty, so no side starts with the last one's messages."""
    await asyncio.sleep(1.1)


async def deliver_notifier(
    name: str,
    notifier: Notifier,
    clock: SettableClock,
    fake: FakeTelegram,
    messages: int,
) -> Delivery:
    clock.advance(timedelta(days=1))  # every reminder is due again (a new day: new dedupe key)
    report = await notifier.produce()
    if report.queued != messages:
        raise RuntimeError(f"{name}: queued {report.queued}, not {messages}")
    await settle()
    stamps_at, calls_at = len(fake.all_send_times), len(fake.calls)
    began = time.monotonic()
    sent = await notifier.dispatch_all()
    wall = time.monotonic() - began
    stamps = fake.all_send_times[stamps_at:]
    if sent != messages or len(stamps) != messages:
        raise RuntimeError(f"{name}: claimed {sent}, the fake got {len(stamps)} of {messages}")
    await _check_all_sent(notifier, messages)
    return Delivery(name, len(stamps), wall, stamps, count_429(fake, calls_at))


async def _check_all_sent(notifier: Notifier, messages: int) -> None:
    async with notifier.bot.uow.db.session() as session:
        sent = await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.status == "sent", Notification.sent_at == notifier.bot.clock.now())
        )
    if sent != messages:
        raise RuntimeError(f"{sent} of {messages} notifications are marked sent")


REMINDER_HTML = f"⏰ Time for <b>{TITLE}</b>"
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("✓ Done", callback_data="rd:1:20261124"),
            InlineKeyboardButton("💤 1 hour", callback_data="rz:1"),
            InlineKeyboardButton("Skip today", callback_data="rk:1:20261124"),
        ]
    ]
)


async def deliver_bare(fake: FakeTelegram, chats: Sequence[FakeChat]) -> Delivery:
    """The baseline: PTB's Bot alone, one send_message per chat, aiolimiter at 30 a second
    (a bucket of 1 refilled every 1/30 s: evenly paced, no burst)."""
    pace = AsyncLimiter(1, 1 / TELEGRAM_RATE)
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
        await settle()
        stamps_at, calls_at = len(fake.all_send_times), len(fake.calls)
        began = time.monotonic()
        for chat in chats:
            while True:
                await pace.acquire()
                try:
                    await bot.send_message(
                        chat.id, REMINDER_HTML, parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
                    )
                    break
                except RetryAfter as exc:  # counted from the fake's log below
                    await asyncio.sleep(_seconds(exc.retry_after))
        wall = time.monotonic() - began
    stamps = fake.all_send_times[stamps_at:]
    return Delivery(
        "bare PTB loop + aiolimiter", len(stamps), wall, stamps, count_429(fake, calls_at)
    )


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def redis_limiter() -> tuple[Redis, str] | None:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        print(f"RedisRateLimiter skipped: {exc}")
        return None
    return client, f"habitlink-bench-{os.getpid()}-{uuid.uuid4().hex[:6]}"


async def run_delivery(messages: int, rounds: int, use_redis: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="habitlink-bench-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'habitlink.db'}")
        redis = await redis_limiter() if use_redis else None
        try:
            await upgrade(db)
            return await measure_delivery(db, messages, rounds, redis)
        finally:
            if redis is not None:
                client, prefix = redis
                keys = [k async for k in client.scan_iter(match=f"{prefix}:*")]
                if keys:
                    await client.delete(*keys)
                await client.aclose()
            await db.dispose()


class ExactWindowAdapter(TelegramAdapter):
    """The adapter with its overall limit exactly Telegram's: 30 in any 1.0 s (no margin)."""

    overall_limit = Limit(OVERALL_LIMIT.key, TELEGRAM_RATE, 1.0)


async def measure_delivery(
    db: Database, messages: int, rounds: int, redis: tuple[Redis, str] | None
) -> dict[str, Any]:
    clock = SettableClock(BENCH_NOW - timedelta(days=1))  # each notifier run moves a day on
    bot = make_bot(db, clock)
    async with FakeTelegram() as fake, contextlib.AsyncExitStack() as stack:
        fake.messages_per_second = TELEGRAM_RATE
        chats = [fake.private_chat(fake.new_user(f"User{i:04d}")) for i in range(messages)]
        await seed_delivery(db, chats)
        # as `habitlink scheduler` builds them: the adapter's sends and the notifier's
        # per-chat pacing counted by the app's one limiter
        setups: list[tuple[str, type[TelegramAdapter], RateLimiter]] = [
            ("memory limiter", TelegramAdapter, MemoryRateLimiter())
        ]
        if redis is not None:
            shared = RedisRateLimiter(redis[0], prefix=redis[1])
            setups.append(("Redis limiter", TelegramAdapter, shared))
        setups.append((f"memory limiter, {NO_MARGIN}", ExactWindowAdapter, MemoryRateLimiter()))
        cases: dict[str, Callable[[], Awaitable[Delivery]]] = {}
        for label, cls, limiter in setups:
            sender = cls(
                bot,
                token=fake.token,
                base_url=fake.base_url,
                base_file_url=fake.base_file_url,
                limiter=limiter,
            )
            await stack.enter_async_context(sender.application)
            notifier = Notifier(bot, {TELEGRAM: sender}, limiter, worker=WORKER)
            name = f"Notifier, {label}"
            cases[name] = _bind(deliver_notifier, name, notifier, clock, fake, messages)
        cases["baseline"] = lambda: deliver_bare(fake, chats)
        runs: dict[str, list[Delivery]] = {name: [] for name in cases}
        names = list(cases)
        for r in range(rounds):
            k = r % len(names)
            for name in (*names[k:], *names[:k]):
                run = await cases[name]()
                runs[name].append(run)
                print(
                    f"  {run.name}: {run.sent} messages in {run.wall_s:.2f} s, "
                    f"sustained {sustained_rate(run.stamps, TELEGRAM_RATE):.2f}/s, "
                    f"{run.http_429} x 429"
                )
        fake.assert_no_violations()
    baseline = _delivery_summary(runs.pop("baseline"))
    subjects = []
    for name, deliveries in runs.items():
        summary = _delivery_summary(deliveries)
        summary["name"] = name
        summary["diagnostic"] = NO_MARGIN in name
        summary["ratio"] = round(summary["sustained_per_s"] / baseline["sustained_per_s"], 3)
        summary["within_5pct_of_limit"] = (
            abs(summary["sustained_per_s"] / TELEGRAM_RATE - 1) <= 0.05
        )
        subjects.append(summary)
    return {
        "messages": messages,
        "rounds": rounds,
        "limit_per_s": TELEGRAM_RATE,
        "adapter_overall_limit": {
            "count": OVERALL_LIMIT.count,
            "period_s": OVERALL_LIMIT.period,
            "ideal_per_s": round(OVERALL_LIMIT.count / OVERALL_LIMIT.period, 2),
        },
        "database": "sqlite",
        "subjects": subjects,
        "baseline": baseline,
    }


def _bind(
    fn: Callable[[str, Notifier, SettableClock, FakeTelegram, int], Awaitable[Delivery]],
    name: str,
    notifier: Notifier,
    clock: SettableClock,
    fake: FakeTelegram,
    messages: int,
) -> Callable[[], Awaitable[Delivery]]:
    return lambda: fn(name, notifier, clock, fake, messages)


def _delivery_summary(deliveries: list[Delivery]) -> dict[str, Any]:
    """Medians over the rounds; every round's numbers are kept under `runs`."""
    dicts = [d.as_dict() for d in deliveries]
    out: dict[str, Any] = {"name": dicts[0]["name"], "messages": dicts[0]["messages"]}
    for key in ("wall_s", "overall_per_s", "sustained_per_s"):
        out[key] = round(statistics.median(d[key] for d in dicts), 3)
    out["max_in_any_second"] = max(d["max_in_any_second"] for d in dicts)
    out["http_429"] = sum(d["http_429"] for d in dicts)
    out["runs"] = dicts
    return out
