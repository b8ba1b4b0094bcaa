"""What the fake servers share: every state change wakes whoever waits for a condition."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# How long a test waits for what it waits for (a reply, a call) before it fails. Waits end on
# the event, so this only bounds a hang: CI runs the tests two at a time on a machine that is
# often loaded, where a reply can take several seconds (5 s were seen to run out).
WAIT = 30.0


class Changes:
    """A fake's state that tests (and the fake's own long polls) wait on."""

    _changed: asyncio.Event  # set by the subclass's __init__

    def _touch(self) -> None:
        """Wake every waiter."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(
        self,
        check: Callable[[], T | None],
        *,
        timeout: float = WAIT,  # noqa: ASYNC109
        what: str = "condition",
    ) -> T:
        """Wait until check() returns something truthy (re-evaluated on every state change)."""
        deadline = time.monotonic() + timeout
        while True:
            event = self._changed
            result = check()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
