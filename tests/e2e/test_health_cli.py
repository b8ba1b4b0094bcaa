"""`habitlink health`: what a container healthcheck runs, against a real health server."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.config import Settings
from bot.health import serve_health
from core.clock import SettableClock
from core.db.engine import Database
from core.uow import UnitOfWorkFactory
from tests.e2e.test_console_cli import REPO, habitlink
from tests.support.network import free_port


async def health_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    clean = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    clean.update(PYTHONPATH=str(REPO), **(env or {}))
    process = await asyncio.create_subprocess_exec(
        *habitlink(),
        "health",
        *args,
        env=clean,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_health_exits_0_when_ready_and_1_otherwise(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    port = free_port()
    async with serve_health(
        UnitOfWorkFactory(database, clock), host="127.0.0.1", port=port, role="bot"
    ):
        status, out = await health_cli(env={"HEALTH_PORT": str(port)})  # the default URL
        assert (status, out) == (0, 'ok: {"status": "ready", "role": "bot"}\n')
        status, out = await health_cli("--url", f"http://127.0.0.1:{port}/healthz")
        assert status == 0
    status, out = await health_cli("--url", f"http://127.0.0.1:{port}/readyz", "--timeout", "2")
    assert status == 1
    assert out.startswith(f"not ready: no answer from http://127.0.0.1:{port}/readyz")


async def test_health_exits_1_when_the_database_is_gone(clock: SettableClock) -> None:
    gone = Database("postgresql://postgres@127.0.0.1:9/nothing")
    async with serve_health(
        UnitOfWorkFactory(gone, clock), host="127.0.0.1", port=0, role="bot"
    ) as port:
        status, out = await health_cli("--url", f"http://127.0.0.1:{port}/readyz")
    await gone.dispose()
    assert status == 1
    assert out.startswith("not ready: HTTP 503: ")
    assert "the database is not reachable" in out


async def test_a_url_that_is_not_http_is_a_sentence_not_a_traceback() -> None:
    """A mistyped --url ended in a ValueError traceback; a file: URL was opened and read."""
    for url in ("not a url", "localhost:9100/readyz", "file:///etc/hostname", "ftp://x/readyz"):
        status, out = await health_cli("--url", url)
        assert status == 1, (url, out)
        assert out == (
            f"not ready: {url} is not a web address; give one such as "
            "http://127.0.0.1:9100/readyz\n"
        ), url
