"""A fake Bot API server in a thread of its own, so its CPU time can be told apart.

A benchmark of a bot's CPU per update should not count the fake Telegram's work (parsing the
reply's HTML, checking requests against the spec): against the real Telegram that is another
machine's. Here the fake runs its own event loop in its own thread; `cpu_seconds()` reads that
thread's CPU clock, and the benchmark subtracts it from the process's CPU time. The bot's own
threads (aiosqlite's workers among them) stay counted.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from tests.fakes.telegram_api import FakeTelegram

T = TypeVar("T")


class FakeInThread:
    """Starts a FakeTelegram in a new thread's event loop; calls reach it thread-safely."""

    def __init__(self) -> None:
        self.fake = FakeTelegram()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-telegram", daemon=True)
        self._clock: int | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._clock = time.pthread_getcpuclockid(threading.get_ident())
        self._ready.set()
        self._loop.run_forever()

    async def __aenter__(self) -> FakeInThread:
        self._thread.start()
        self._ready.wait(10)
        await self.run(self.fake.start())
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.run(self.fake.stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    def cpu_seconds(self) -> float:
        """CPU time the fake's thread has used so far."""
        assert self._clock is not None
        return time.clock_gettime(self._clock)

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await a coroutine of the fake in the fake's loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self._loop))

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call one of the fake's plain methods in the fake's loop and wait for its result."""
        done: concurrent.futures.Future[T] = concurrent.futures.Future()

        def target() -> None:
            try:
                done.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # handed back to the caller
                done.set_exception(exc)

        self._loop.call_soon_threadsafe(target)
        return done.result(timeout=30)
