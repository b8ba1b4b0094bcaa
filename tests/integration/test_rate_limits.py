"""The rate-limiter port keeps its limits, in memory and in the real Redis (shared by processes).

These check behaviour, not speed: every acquisition is stamped with time.monotonic() as it
returns, and no window of a limit's period may hold more than its count. Client-side stamps
carry scheduling and network jitter (Redis admits by the server's clock; on a loaded 2-core
machine running the suite on two workers a stamp was seen 40 ms after its admission), so a window
is checked SLACK shorter than the period. A limiter that did not wait would put every stamp
within a few milliseconds, far inside that.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

import pytest
from redis.asyncio import Redis

from core.ratelimit import Limit, MemoryRateLimiter, RateLimiter
from core.ratelimit.redis import RedisRateLimiter
from tests.conftest import REDIS_TEST_URL, redis_for_test

SLACK = 0.06  # seconds of stamp jitter tolerated per window
BLOCKED = 0.15  # an acquisition that has not returned after this long is waiting


def most_in_window(stamps: Sequence[float], window: float) -> int:
    """The largest number of stamps inside any half-open interval [t, t + window)."""
    ordered = sorted(stamps)
    best, start = 0, 0
    for end, stamp in enumerate(ordered):
        while stamp - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def assert_within(stamps: Sequence[float], limit: Limit) -> None:
    most = most_in_window(stamps, limit.period - SLACK)
    assert most <= limit.count, (
        f"{most} acquisitions within {limit.period - SLACK:.3f} s under {limit}: "
        f"{[round(s - stamps[0], 3) for s in sorted(stamps)]}"
    )


async def stamped(limiter: RateLimiter, n: int, *limits: Limit) -> list[float]:
    """Acquire n times in a row; the monotonic time at which each acquisition returned."""
    stamps: list[float] = []
    for _ in range(n):
        await limiter.acquire(*limits)
        stamps.append(time.monotonic())
    return stamps


async def is_blocked(limiter: RateLimiter, *limits: Limit) -> bool:
    """Whether acquire() is still waiting after BLOCKED seconds (it is cancelled then)."""
    try:
        await asyncio.wait_for(limiter.acquire(*limits), BLOCKED)
    except TimeoutError:
        return True
    return False


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    async with redis_for_test() as (client, prefix):
        yield RedisRateLimiter(client, prefix=prefix)


async def test_a_burst_is_spread_over_the_windows(limiter: RateLimiter) -> None:
    limit = Limit("k", 5, 0.5)
    began = time.monotonic()
    stamps = await stamped(limiter, 15, limit)
    # 5 now, 5 after 0.5 s, 5 after 1.0 s.
    assert stamps[-1] - began >= 1.0 - SLACK
    assert_within(stamps, limit)
    assert stamps[4] - began < 0.25  # the first window's five went at once


@pytest.mark.redis
async def test_two_instances_on_two_clients_share_one_budget() -> None:
    """The cross-process case: two limiters, two connections, one budget in Redis."""
    limit = Limit("shared", 5, 0.5)
    async with redis_for_test() as (client, prefix):
        other = Redis.from_url(REDIS_TEST_URL)
        try:
            first = RedisRateLimiter(client, prefix=prefix)
            second = RedisRateLimiter(other, prefix=prefix)
            began = time.monotonic()
            a, b = await asyncio.gather(stamped(first, 8, limit), stamped(second, 7, limit))
        finally:
            await other.aclose()
    stamps = a + b
    assert max(stamps) - began >= 1.0 - SLACK  # 15 under one budget of 5 per 0.5 s
    assert_within(stamps, limit)
    assert len(a) == 8 and len(b) == 7


async def test_the_stricter_limit_governs(limiter: RateLimiter) -> None:
    async def one_chat() -> list[float]:  # its own limit (2) is stricter than the overall (6)
        return await stamped(limiter, 3, Limit("all:1", 6, 0.4), Limit("chat:1", 2, 0.4))

    async def many_chats() -> list[list[float]]:  # now the overall limit (3) is the stricter
        overall = Limit("all:2", 3, 0.4)
        chats = [Limit(f"chat:2:{i}", 5, 0.4) for i in range(3)]
        return await asyncio.gather(*(stamped(limiter, 2, overall, c) for c in chats))

    began = time.monotonic()
    single, multi = await asyncio.gather(one_chat(), many_chats())
    assert single[-1] - began >= 0.4 - SLACK  # 2 at once, the third a window later
    assert_within(single, Limit("chat:1", 2, 0.4))
    stamps = [s for chat_stamps in multi for s in chat_stamps]
    assert max(stamps) - began >= 0.4 - SLACK  # 6 at 3 per 0.4 s
    assert_within(stamps, Limit("all:2", 3, 0.4))


async def test_a_blocked_acquisition_uses_up_no_other_limit(limiter: RateLimiter) -> None:
    overall = Limit("all", 4, 30.0)
    chat_a, chat_b, chat_c = (Limit(f"chat:{c}", 2, 30.0) for c in "abc")
    await limiter.acquire(overall, chat_a)
    await limiter.acquire(overall, chat_a)
    assert await is_blocked(limiter, overall, chat_a)  # chat a is full
    # The overall limit still has 2: the blocked attempt above counted nowhere.
    await asyncio.wait_for(limiter.acquire(overall, chat_b), BLOCKED)
    await asyncio.wait_for(limiter.acquire(overall, chat_b), BLOCKED)
    assert await is_blocked(limiter, overall, chat_c)  # a fresh chat, but overall is full


async def test_keys_are_independent(limiter: RateLimiter) -> None:
    a, b = Limit("a", 2, 30.0), Limit("b", 2, 30.0)
    await limiter.acquire(a)
    await limiter.acquire(a)
    assert await is_blocked(limiter, a)
    began = time.monotonic()
    await limiter.acquire(b)
    await limiter.acquire(b)
    assert time.monotonic() - began < BLOCKED
    assert await is_blocked(limiter, b)
    await limiter.acquire()  # no limits: nothing to wait for


@pytest.mark.redis
async def test_redis_budget_is_shared_by_key_and_prefix() -> None:
    """Two processes of one bot (same prefix) share; another bot (another prefix) does not."""
    async with redis_for_test() as (client, prefix):
        other = Redis.from_url(REDIS_TEST_URL)
        try:
            limit = Limit("telegram:all", 2, 30.0)
            await RedisRateLimiter(client, prefix=prefix).acquire(limit)
            await RedisRateLimiter(other, prefix=prefix).acquire(limit)
            assert await is_blocked(RedisRateLimiter(client, prefix=prefix), limit)
            assert await is_blocked(RedisRateLimiter(other, prefix=prefix), limit)
            elsewhere = RedisRateLimiter(other, prefix=f"{prefix}:other-bot")
            await asyncio.wait_for(elsewhere.acquire(limit), BLOCKED)
        finally:
            await other.aclose()
