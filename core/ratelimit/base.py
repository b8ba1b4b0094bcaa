"""The rate-limiter port: wait until one more event under every given limit is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Limit:
    key: str  # e.g. "telegram:all", "telegram:chat:-100123"
    count: int  # at most this many events ...
    period: float  # ... in any window of this many seconds


class RateLimiter(Protocol):
    async def acquire(self, *limits: Limit) -> None:
        """Return when one more event fits under all limits (and count it)."""
        ...
