"""The web API: sign-ins and GET /api/v1/habits per second against a bare FastAPI endpoint in the
same run, and the p95 of /healthz while 20 sign-ins hash at once (hashing must not stall the loop).

In process, through httpx's ASGI transport, on a migrated SQLite file:

    .venv/bin/python -m bench.bench_web            # ~30 s
    .venv/bin/python -m bench.bench_web --quick    # smoke run
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from bench.common import base_parser, environment, percentile, table, write_results
from bot.config import Settings
from core.accounts.passwords import Passwords
from core.clock import SystemClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.media.storage import LocalMediaStore
from web_admin.app import asgi, create_app
from web_admin.context import Web
from web_admin.throttle import LoginThrottle

PASSWORD = "benchmark pass phrase"
HABITS = 30
CONCURRENT_LOGINS = 20


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")


async def per_second(call: Callable[[], Awaitable[None]], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        await call()
    return n / (time.perf_counter() - started)


async def healthz_p95(api: httpx.AsyncClient, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        (await api.get("/healthz")).raise_for_status()
        samples.append((time.perf_counter() - t) * 1000)
        await asyncio.sleep(0.002)
    return samples


async def run(quick: bool, rounds: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    db = Database(f"sqlite:///{folder / 'habitlink.db'}")
    await upgrade(db)
    web = Web(
        settings=Settings(_env_file=None, secret_key="bench-" + "x" * 40),  # type: ignore[call-arg]
        db=db,
        clock=SystemClock(),
        media=LocalMediaStore(folder / "media"),
        passwords=Passwords(),
        throttle=LoginThrottle.from_settings(None, "bench"),
    )
    bare = FastAPI()

    @bare.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    n = 5 if quick else 60
    async with client(asgi(create_app(web))) as api, client(bare) as plain:
        emails = [f"bench{i}@example.com" for i in range(CONCURRENT_LOGINS + 1)]
        for email in emails:
            body = {"email": email, "password": PASSWORD, "display_name": "Bench"}
            (await api.post("/api/v1/auth/register", json=body)).raise_for_status()
        login = {"email": emails[0], "password": PASSWORD}
        token = (await api.post("/api/v1/auth/login", json=login)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for i in range(HABITS):
            r = await api.post("/api/v1/habits", json={"title": f"Habit {i}"}, headers=headers)
            r.raise_for_status()
            if i % 2:
                await api.post(
                    f"/api/v1/habits/{r.json()['id']}/checkins", json={}, headers=headers
                )

        async def bare_call() -> None:
            (await plain.get("/ping")).raise_for_status()

        async def login_call() -> None:
            (await api.post("/api/v1/auth/login", json=login)).raise_for_status()

        async def habits_call() -> None:
            r = await api.get("/api/v1/habits", headers=headers)
            assert len(r.json()) == HABITS

        rates: dict[str, list[float]] = {"bare": [], "login": [], "habits": []}
        for _ in range(rounds):
            rates["bare"].append(await per_second(bare_call, n * 10))
            rates["login"].append(await per_second(login_call, max(n // 4, 2)))
            rates["habits"].append(await per_second(habits_call, n))
        idle = await healthz_p95(api, n * 2)

        async def logins() -> None:
            await asyncio.gather(
                *(
                    api.post("/api/v1/auth/login", json={"email": e, "password": PASSWORD})
                    for e in emails[1:]
                )
            )

        task = asyncio.create_task(logins())
        busy: list[float] = []
        while not task.done():
            busy += await healthz_p95(api, 1)
        await task
    await db.dispose()
    bare_rate = statistics.median(rates["bare"])
    results = [
        {
            "name": name,
            "per_second": round(statistics.median(values), 1),
            "ratio_to_bare": round(bare_rate / statistics.median(values), 1),
        }
        for name, values in rates.items()
    ]
    health = {
        "idle_p95_ms": round(percentile(idle, 95), 2),
        "during_20_logins_p95_ms": round(percentile(busy, 95), 2),
        "samples_during_logins": len(busy),
    }
    health["ratio"] = round(health["during_20_logins_p95_ms"] / health["idle_p95_ms"], 1)
    return {"environment": environment(), "results": results, "healthz": health}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__ or "")
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 5)
    data = asyncio.run(run(args.quick, rounds))
    print(
        table(
            ["endpoint", "per second", "bare / endpoint"],
            [(r["name"], r["per_second"], r["ratio_to_bare"]) for r in data["results"]],
        )
    )
    print(f"/healthz p95: {data['healthz']}")
    write_results(args.out, "bench_web", data)
    return data


if __name__ == "__main__":
    main()
