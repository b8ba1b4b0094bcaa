"""Run work concurrently, yet in arrival order for each key (a chat, a person)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Hashable, Iterable

log = logging.getLogger("habitlink.ordering")


class Sequencer:
    """`submit(keys, work)` starts `work` once every earlier submission sharing one of its keys
    has finished. Submissions with no key in common run side by side, so a chat held up by a
    platform's rate limit holds up nobody else. Dependencies only point at earlier submissions,
    so they can never wait for each other in a circle."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._tails: dict[Hashable, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, keys: Iterable[Hashable], work: Callable[[], Awaitable[None]]) -> None:
        keys = tuple(dict.fromkeys(keys))
        before = {self._tails[k] for k in keys if k in self._tails}

        async def run() -> None:
            if before:
                await asyncio.wait(before)
            try:
                await work()
            except Exception:
                log.exception("ordered work failed", extra={"sequence": self.name})

        task = asyncio.create_task(run(), name=f"{self.name}:{keys}")
        for key in keys:
            self._tails[key] = task
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._forget(t, keys))

    def _forget(self, task: asyncio.Task[None], keys: tuple[Hashable, ...]) -> None:
        self._tasks.discard(task)
        for key in keys:
            if self._tails.get(key) is task:
                del self._tails[key]

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def join(self) -> None:
        """Return once nothing submitted is left (including what is submitted meanwhile)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait up to `timeout` seconds for what was submitted, then cancel the rest."""
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in late:
            task.cancel()
        for task in late:
            with contextlib.suppress(asyncio.CancelledError):
                await task
