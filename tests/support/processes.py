"""Several real HabitLink processes on this machine: start them, wait until ready, stop them;
and a round-robin proxy in front of their Telegram webhooks (a load balancer's part).

Used by tests/e2e/test_several_processes.py and bench/bench_processes.py.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.config import Settings
from tests.fakes.telegram_api import SECRET_HEADER
from tests.support.network import free_port

REPO = Path(__file__).resolve().parents[2]


class ProcessFailed(Exception):
    """A process exited early, never became ready or did not stop; the message has its log."""


def clean_environment(**settings: str) -> dict[str, str]:
    """This environment without any HabitLink setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(REPO), **settings)
    return env


async def wait_listening(port: int, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Until something accepts connections on 127.0.0.1:port (a webhook server is up: PTB
    sets the webhook just before it starts listening)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise ProcessFailed(f"nothing listens on port {port}") from None
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return


@asynccontextmanager
async def round_robin(backends: list[str]) -> AsyncIterator[str]:
    """One public URL that hands each POST to the next backend, as a load balancer would."""
    turn = itertools.cycle(backends)
    forwarded: Counter[str] = Counter()
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def forward(request: web.Request) -> web.Response:
        target = next(turn)
        headers = {k: v for k, v in request.headers.items() if k in ("Content-Type", SECRET_HEADER)}
        async with http.post(target, data=await request.read(), headers=headers) as reply:
            forwarded[target] += 1
            return web.Response(status=reply.status, body=await reply.read())

    app = web.Application()
    app.router.add_post("/telegram", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/telegram"
    finally:
        await runner.cleanup()
        await http.close()
        if not all(forwarded[b] > 0 for b in backends):
            raise ProcessFailed(f"a backend got no request: {forwarded}")


@dataclass
class Processes:
    tmp: Path
    env: dict[str, str]
    running: list[tuple[str, asyncio.subprocess.Process, Path]] = field(default_factory=list)
    stopped: list[tuple[str, asyncio.subprocess.Process, Path]] = field(default_factory=list)

    async def start(self, name: str, command: Sequence[str], **env: str) -> None:
        log = self.tmp / f"{name}.log"
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                *command,
                env={**self.env, **env},
                cwd=self.tmp,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        self.running.append((name, process, log))

    async def wait_ready(self, url: str, name: str) -> None:
        deadline = asyncio.get_running_loop().time() + 60
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while True:
                for other, process, log in self.running:
                    if process.returncode is not None:
                        raise ProcessFailed(f"{other} exited early:\n{log.read_text()[-3000:]}")
                try:
                    async with http.get(url) as reply:
                        if reply.status == 200:
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass  # not listening yet, or too busy starting to answer within 2 s
                if asyncio.get_running_loop().time() > deadline:
                    raise ProcessFailed(f"{name} never became ready")
                await asyncio.sleep(0.2)

    async def stop(self) -> None:
        """SIGTERM to each, and wait; the running list empties."""
        for _, process, _ in self.running:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for name, process, log in self.running:
            try:
                await asyncio.wait_for(process.wait(), timeout=15)
            except TimeoutError:
                process.kill()
                await process.wait()
                tail = log.read_text()[-3000:]
                raise ProcessFailed(f"{name} did not stop on SIGTERM:\n{tail}") from None
        self.stopped.extend(self.running)
        self.running.clear()

    def errors(self) -> list[str]:
        return [
            f"{name}: {line}"
            for name, _, log in [*self.stopped, *self.running]
            for line in log.read_text().splitlines()
            if "Traceback" in line or " ERROR " in line or '"level": "ERROR"' in line
        ]


async def metric(port: int, name: str) -> float:
    """The sum of a metric's samples in one process's /metrics."""
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http,
        http.get(f"http://127.0.0.1:{port}/metrics") as reply,
    ):
        body = await reply.text()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in body.splitlines()
        if line.startswith((name + "{", name + " "))
    )
