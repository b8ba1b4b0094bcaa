"""A small HTTP server of each bot and scheduler process: /healthz, /readyz and /metrics.

- /healthz: the process runs (its event loop answers).
- /readyz: and its database answers within a second or two: what a load balancer or a
  container's healthcheck waits for.
- /metrics: Prometheus metrics (bot/metrics.py), with the outbox read fresh.

`habitlink health [--url URL]` asks a running instance, for container healthchecks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot.metrics import refresh_outbox
from core.db.engine import Database
from core.uow import UnitOfWorkFactory

log = logging.getLogger("habitlink.health")
CHECK_TIMEOUT = 2.0  # seconds for the database to answer /readyz
DEFAULT_PORT = 9100
# The server is asyncio's own: three GET routes do not need a web framework, and aiohttp.web
# would be about 11 MB of every bot process. Each request gets one answer, then the connection
# closes (HTTP/1.1 with Connection: close, which every client and probe understands).
REQUEST_TIMEOUT = 5.0  # seconds to send the request head
MAX_HEAD = 8192  # bytes of request line and headers
JSON = "application/json; charset=utf-8"
REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    503: "Service Unavailable",
}

Answer = tuple[int, str, bytes]  # status, content type, body


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


def _json(status: int, data: dict[str, str]) -> Answer:
    return status, JSON, json.dumps(data).encode()


def health_routes(
    units: UnitOfWorkFactory, *, role: str
) -> dict[str, Callable[[], Awaitable[Answer]]]:
    async def healthz() -> Answer:
        return _json(200, {"status": "ok", "role": role})

    async def readyz() -> Answer:
        problem = await database_ready(units.db)
        if problem is not None:
            return _json(503, {"status": "unavailable", "reason": problem})
        return _json(200, {"status": "ready", "role": role})

    async def metrics() -> Answer:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                await refresh_outbox(units)
        except Exception:  # stale outbox gauges are better than no metrics at all
            log.warning("could not read the outbox for /metrics", exc_info=True)
        body = await asyncio.to_thread(generate_latest, REGISTRY)
        return 200, CONTENT_TYPE_LATEST, body

    return {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}


async def _answer(
    routes: dict[str, Callable[[], Awaitable[Answer]]], reader: asyncio.StreamReader
) -> tuple[Answer, bool]:
    """The answer to one request, and whether it was a HEAD (headers only)."""
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
        return _json(400, {"status": "bad request"}), False
    parts = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return _json(400, {"status": "bad request"}), False
    method, target = parts[0], parts[1].split("?", 1)[0]
    route = routes.get(target)
    if route is None:
        return _json(404, {"status": "not found"}), False
    if method not in ("GET", "HEAD"):
        return _json(405, {"status": "method not allowed"}), False
    return await route(), method == "HEAD"


@asynccontextmanager
async def serve_health(
    units: UnitOfWorkFactory, *, host: str, port: int | None, role: str
) -> AsyncIterator[int | None]:
    """Serve health and metrics while the block runs; yields the bound port (None: disabled)."""
    if port is None:
        yield None
        return
    routes = health_routes(units, role=role)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            (status, content_type, body), head_only = await _answer(routes, reader)
            writer.write(
                (
                    f"HTTP/1.1 {status} {REASONS[status]}\r\n"
                    f"Content-Type: {content_type}\r\n"
                    f"Content-Length: {len(body)}\r\n"
                    "Connection: close\r\n\r\n"
                ).encode("latin-1")
                + (b"" if head_only else body)
            )
            await writer.drain()
        except (ConnectionError, OSError):
            pass  # the client went away: nothing to answer
        finally:
            writer.close()

    server = await asyncio.start_server(handle, host, port, limit=MAX_HEAD)
    try:
        bound: int = server.sockets[0].getsockname()[1]
        log.info("health and metrics listening", extra={"host": host, "port": bound})
        yield bound
    finally:
        server.close()
        await server.wait_closed()


def check(url: str, timeout: float = 5.0) -> tuple[bool, str]:
    """GET url: (True, body) on 200, else (False, why). Only http and https are asked (a
    mistyped address or a file: one is refused in a sentence)."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return False, f"{url} is not a web address; give one such as http://127.0.0.1:9100/readyz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200, response.read().decode(errors="replace").strip()
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}: {exc.read().decode(errors='replace').strip()}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"no answer from {url}: {reason}"
