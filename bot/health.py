"""A small HTTP server of each bot and scheduler process: /healthz, /readyz and /metrics.

- /healthz: the process runs (its event loop answers).
- /readyz: and its database answers within a second or two: what a load balancer or a
  container's healthcheck waits for.
- /metrics: Prometheus metrics (bot/metrics.py), with the outbox read fresh.

`habitlink health [--url URL]` asks a running instance, for container healthchecks.
"""

from __future__ import annotations

import asyncio
import logging
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot.metrics import refresh_outbox
from core.db.engine import Database
from core.uow import UnitOfWorkFactory

log = logging.getLogger("habitlink.health")
CHECK_TIMEOUT = 2.0  # seconds for the database to answer /readyz
DEFAULT_PORT = 9100


async def database_ready(db: Database) -> str | None:
    """None when the database answers `SELECT 1` in CHECK_TIMEOUT, else why not."""
    timeout = CHECK_TIMEOUT
    try:
        async with asyncio.timeout(timeout):
            await db.ping()
    except TimeoutError:
        return f"the database did not answer within {timeout:g} s"
    except Exception as exc:  # any driver error means "not ready", never a traceback
        return f"the database is not reachable: {type(exc).__name__}"
    return None


def health_app(units: UnitOfWorkFactory, *, role: str) -> web.Application:
    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "role": role})

    async def readyz(_: web.Request) -> web.Response:
        problem = await database_ready(units.db)
        if problem is not None:
            return web.json_response({"status": "unavailable", "reason": problem}, status=503)
        return web.json_response({"status": "ready", "role": role})

    async def metrics(_: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                await refresh_outbox(units)
        except Exception:  # stale outbox gauges are better than no metrics at all
            log.warning("could not read the outbox for /metrics", exc_info=True)
        body = await asyncio.to_thread(generate_latest, REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    return app


@asynccontextmanager
async def serve_health(
    units: UnitOfWorkFactory, *, host: str, port: int | None, role: str
) -> AsyncIterator[int | None]:
    """Serve health and metrics while the block runs; yields the bound port (None: disabled)."""
    if port is None:
        yield None
        return
    runner = web.AppRunner(health_app(units, role=role), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound: int = runner.addresses[0][1]
        log.info("health and metrics listening", extra={"host": host, "port": bound})
        yield bound
    finally:
        await runner.cleanup()


def check(url: str, timeout: float = 5.0) -> tuple[bool, str]:
    """GET url: (True, body) on 200, else (False, why)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200, response.read().decode(errors="replace").strip()
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}: {exc.read().decode(errors='replace').strip()}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"no answer from {url}: {reason}"
