"""Login throttling through a real Redis: two processes (two throttles) share the counts."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from tests.conftest import REDIS_TEST_URL
from web_admin.throttle import MAX_PER_ACCOUNT, LoginThrottle

pytestmark = pytest.mark.redis


async def test_failures_are_shared_through_redis(redis_env: tuple[Redis, str]) -> None:
    client, prefix = redis_env
    first = LoginThrottle.from_settings(REDIS_TEST_URL, prefix)
    second = LoginThrottle.from_settings(REDIS_TEST_URL, prefix)
    for _ in range(MAX_PER_ACCOUNT - 1):
        await first.failed("Ada@example.com", "198.51.100.1")
    assert await second.retry_after("ada@example.com", "198.51.100.2") == 0
    await second.failed("ada@example.com", "198.51.100.2")
    wait = await first.retry_after(" ada@example.com", "198.51.100.3")
    assert 0 < wait <= 15 * 60
    keys = [k async for k in client.scan_iter(match=f"{prefix}:*")]
    assert keys and not any(b"ada" in k for k in keys)  # addresses are hashed in the keys
    await first.succeeded("ada@example.com")
    assert await second.retry_after("ada@example.com", "198.51.100.4") == 0
