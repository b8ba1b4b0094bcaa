"""Login throttling with `limits`: failures per account and per client address.

After MAX_PER_ACCOUNT failed sign-ins for one email (or MAX_PER_ADDRESS from one address) within
the window, further attempts get 429 with Retry-After until the oldest failure leaves the window.
The counters live in memory, or in Redis when REDIS_URL is set (shared by every process).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20
WINDOW_MINUTES = 15


def _key(kind: str, value: str) -> str:
    # Emails are hashed: the throttle's keys should not be a list of addresses.
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


@dataclass(frozen=True)
class Limits:
    account: RateLimitItem
    address: RateLimitItem


DEFAULT_LIMITS = Limits(
    RateLimitItemPerMinute(MAX_PER_ACCOUNT, WINDOW_MINUTES),
    RateLimitItemPerMinute(MAX_PER_ADDRESS, WINDOW_MINUTES),
)


class LoginThrottle:
    def __init__(self, storage: Storage, limits: Limits = DEFAULT_LIMITS) -> None:
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.limits = limits

    @classmethod
    def from_settings(cls, redis_url: str | None, prefix: str) -> LoginThrottle:
        if not redis_url:
            return cls(MemoryStorage())
        uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
        return cls(
            RedisStorage(uri, implementation="redispy", key_prefix=f"{prefix}:login-throttle")
        )

    def _pairs(self, email: str, address: str) -> list[tuple[RateLimitItem, str]]:
        return [
            (self.limits.account, _key("account", email.strip().lower())),
            (self.limits.address, _key("address", address)),
        ]

    async def retry_after(self, email: str, address: str) -> int:
        """Seconds to wait before trying again; 0 when a sign-in may be tried now."""
        wait = 0.0
        for item, key in self._pairs(email, address):
            if not await self.limiter.test(item, key):
                stats = await self.limiter.get_window_stats(item, key)
                wait = max(wait, stats.reset_time - time.time())
        return max(math.ceil(wait), 1) if wait > 0 else 0

    async def failed(self, email: str, address: str) -> None:
        for item, key in self._pairs(email, address):
            await self.limiter.hit(item, key)

    async def succeeded(self, email: str) -> None:
        """A correct password clears the account's failures (not the address's)."""
        item, key = self._pairs(email, "")[0]
        await self.limiter.clear(item, key)


def try_again_in(seconds: int) -> str:
    """When to try again, in whole minutes (as a Retry-After of `seconds` means)."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"try again in {minutes} minute{'' if minutes == 1 else 's'}"


def limits_from_text(account: str, address: str) -> Limits:
    """For tests and tuning: `Limits` from strings such as '3/minute'."""
    return Limits(parse(account), parse(address))
