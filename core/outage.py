"""Redis is an optimisation: after it fails, leave it alone for a few seconds and do without."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")
# What a Redis that is down, restarting or not answering raises (TimeoutError covers asyncio's).
STORE_ERRORS = (RedisError, OSError, TimeoutError)
RETRY_AFTER = 5.0
REDIS_TIMEOUT = 1.0  # seconds for a connection or one command


def redis_client(url: str, timeout: float = REDIS_TIMEOUT) -> Redis:
    """A client whose every call gives up after `timeout` seconds (the default has none).

    A broken connection (a pooled one, after Redis restarted) is retried once at once; a
    timeout is not retried, so a frozen Redis costs `timeout` and no more."""
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    )


class RedisOutage:
    """Whether Redis is to be left alone for now: after a failure, for `RETRY_AFTER` seconds."""

    def __init__(self, name: str, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._name = name
        self._now = monotonic
        self._until = 0.0
        self.down = False

    @property
    def resting(self) -> bool:
        return self.down and self._now() < self._until

    async def call(self, op: Callable[[], Awaitable[T]]) -> tuple[bool, T | None]:
        """(True, result) when Redis answered; (False, None) when it failed or is resting."""
        if self.resting:
            return False, None
        try:
            result = await op()
        except STORE_ERRORS as exc:
            if not self.down:
                log.warning("%s: Redis failed, using this process for now: %r", self._name, exc)
            self.down = True
            self._until = self._now() + RETRY_AFTER
            return False, None
        if self.down:
            log.warning("%s: Redis answers again", self._name)
        self.down = False
        return True, result
