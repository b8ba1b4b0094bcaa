"""The health server (plain asyncio, no web framework): what probes and scrapers send it."""

from __future__ import annotations

import asyncio
import json

import httpx

from bot.health import serve_health
from core.clock import SettableClock
from core.db.engine import Database
from core.uow import UnitOfWorkFactory


async def raw(port: int, data: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=10)
    writer.close()
    return answer


async def test_routes_methods_and_bad_requests(database: Database, clock: SettableClock) -> None:
    units = UnitOfWorkFactory(database, clock)
    async with serve_health(units, host="127.0.0.1", port=0, role="scheduler") as port:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            ready = await http.get("/readyz?probe=1")  # a query string is ignored
            assert ready.status_code == 200
            assert ready.headers["content-type"] == "application/json; charset=utf-8"
            assert ready.json() == {"status": "ready", "role": "scheduler"}
            assert (await http.get("/healthz")).json() == {"status": "ok", "role": "scheduler"}
            metrics = await http.get("/metrics")
            assert metrics.status_code == 200
            assert metrics.headers["content-type"].startswith("text/plain")
            assert "habitlink_outbox" in metrics.text
            head = await http.head("/healthz")
            assert head.status_code == 200 and head.content == b""
            assert (await http.get("/nothing")).status_code == 404
            assert (await http.post("/healthz", content=b"x")).status_code == 405
        # Not HTTP at all, or a head that never ends: 400, and the server carries on.
        assert (await raw(port, b"hello\r\n\r\n")).startswith(b"HTTP/1.1 400 ")
        assert (await raw(port, b"GET /healthz HTTP/1.1\r\nHost: x" + b"a" * 9000)).startswith(
            b"HTTP/1.1 400 "
        )
        body = (await raw(port, b"GET /healthz HTTP/1.0\r\n\r\n")).split(b"\r\n\r\n", 1)[1]
        assert json.loads(body) == {"status": "ok", "role": "scheduler"}
