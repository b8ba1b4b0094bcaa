"""A proof photo's caption: its cost must not grow with its length.

    python -m bench.bench_captions [--quick] [--rounds N] [--out DIR]

A member with five habits posts the same small PNG as a proof in a group chat, through
`HabitLinkBot.handle`, on SQLite. Timed in the same interleaved rounds:

- baseline: the caption `/proof run` (it names the habit, no note);
- `/proof run` followed by a note of 100, 500 and 2,000 characters (the longest caption a
  request may carry), words that name no habit.

The ratio of each to the baseline is what to read. Before the caption was matched against at
most as many words as the longest habit title has, every extra word cost a full habit lookup
over the whole remaining caption (quadratic): 8,000 characters took 1.7 s.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image

from bench.common import (
    BENCH_NOW,
    PLATFORM,
    Summary,
    base_parser,
    environment,
    expect,
    measure_async,
    ratio,
    table,
    write_results,
)
from bot.dispatcher import HabitLinkBot
from bot.handlers import build_router
from bot.messages import MAX_CAPTION_CHARS, Chat, ChatKind, Person, Photo, Request, Response
from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.flows import MemoryFlowStore
from core.media.storage import LocalMediaStore
from core.uow import UnitOfWorkFactory

NAME = "bench_captions"
BASELINE = "/proof run"
NOTE_LENGTHS = (100, 500, MAX_CAPTION_CHARS - len(BASELINE) - 1)
FULL = (20, 2)  # (timed rounds, warm-up rounds)
QUICK = (2, 1)
MEMBER = Person(PLATFORM, "member", "Member", "member")
GROUP = Chat(PLATFORM, "group:bench", ChatKind.GROUP, "Bench")
DM = Chat(PLATFORM, "member", ChatKind.PRIVATE)
HABITS = ("Run 5k", "Read 10 pages", "Meditate", "Write one line", "Stretch the back")


def note(length: int) -> str:
    words = ("rain", "mud", "slow", "hills", "happy", "tired", "wind", "dawn")
    text = " ".join(words[i % len(words)] for i in range(length // 4 + 1))
    return text[:length].strip()


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), (40, 160, 90)).save(out, format="PNG")
    return out.getvalue()


def proof_call(bot: HabitLinkBot, caption: str) -> Callable[[], Awaitable[Response]]:
    data = png()

    async def load() -> bytes:
        return data

    photo = Photo(load=load, file_name="proof.png", size=len(data))

    async def call() -> Response:
        return await bot.handle(Request.from_text(MEMBER, GROUP, caption, photo=photo))

    return call


async def run(rounds: int, warmup: int, workdir: Path) -> list[dict[str, Any]]:
    db = Database(f"sqlite:///{workdir / 'habitlink.db'}")
    try:
        await upgrade(db)
        clock = SettableClock(BENCH_NOW)
        bot = HabitLinkBot(
            uow=UnitOfWorkFactory(db, clock, media=LocalMediaStore(workdir / "media")),
            flows=MemoryFlowStore(clock),
            router=build_router(),
        )
        for title in HABITS:
            await bot.handle(Request.from_text(MEMBER, DM, f"/newhabit {title}"))
        await bot.handle(Request.from_text(MEMBER, GROUP, "/newgroup Bench"))
        cases: dict[str, Callable[[], Awaitable[Response]]] = {BASELINE: proof_call(bot, BASELINE)}
        for length in NOTE_LENGTHS:
            cases[f"{BASELINE} + {length}-char note"] = proof_call(
                bot, f"{BASELINE} {note(length)}"
            )
        for name, call in cases.items():
            expect(await call(), "Run 5k is checked in", name)
        samples = await measure_async(cases, rounds, warmup)
    finally:
        await db.dispose()
    base = Summary.of(samples[BASELINE])
    results = []
    for name, seconds in samples.items():
        summary = Summary.of(seconds)
        results.append(
            {
                "name": name,
                **summary.as_dict(),
                "ratio_to_baseline": round(ratio(summary, base), 3),
            }
        )
    return results


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = base_parser(__doc__ or NAME).parse_args(argv)
    rounds, warmup = QUICK if args.quick else FULL
    if args.rounds:
        rounds = args.rounds
    with tempfile.TemporaryDirectory() as tmp:
        results = asyncio.run(run(rounds, warmup, Path(tmp)))
    data = {"name": NAME, "environment": environment(), "baseline": BASELINE, "results": results}
    print(
        table(
            ["case", "median ms", "p95 ms", "× baseline"],
            [(r["name"], r["median_ms"], r["p95_ms"], r["ratio_to_baseline"]) for r in results],
        )
    )
    print(f"results: {write_results(args.out, NAME, data)}")
    return data


if __name__ == "__main__":
    main()
