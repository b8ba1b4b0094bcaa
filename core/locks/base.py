"""The port: `async with locks.hold(key):` runs the block while no other holder of key does."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from core.errors import HabitLinkError

# A request takes well under a second; one still running after the lease no longer excludes
# others (a crashed process must not lock a person out), and a waiter gives up after WAIT.
LEASE_SECONDS = 30.0
WAIT_SECONDS = 15.0


class LockBusy(HabitLinkError):
    """Another request of the same person held the lock for too long: nothing was done."""

    def __init__(self) -> None:
        super().__init__(
            "I'm still busy with your previous message. Nothing was changed, "
            "please send that again in a moment."
        )


class PersonLocks(Protocol):
    def hold(self, key: str) -> AbstractAsyncContextManager[None]: ...
