"""Per-person locks: one request of a person at a time, in one process and across processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.dispatcher import HabitLinkBot
from bot.handlers import build_router
from bot.messages import Chat, ChatKind, Person, Request
from core.clock import SettableClock
from core.db.engine import Database
from core.flows import MemoryFlowStore
from core.locks import LockBusy, MemoryPersonLocks, PersonLocks
from core.locks.redis import RedisPersonLocks
from core.uow import UnitOfWorkFactory
from tests.conftest import REDIS_TEST_URL, redis_for_test
from tests.fakes.changes import WAIT


@pytest.fixture
def lock_wait() -> float:
    """How long a waiter waits for a person: only bounds a hang (sixteen requests taking turns
    could pass 2 s on a loaded machine), unless a test parametrizes it."""
    return WAIT


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def two_holders(
    request: pytest.FixtureRequest, lock_wait: float
) -> AsyncIterator[tuple[PersonLocks, PersonLocks]]:
    """Two lock clients as two processes would have them (Redis: two connections)."""
    if request.param == "memory":
        shared = MemoryPersonLocks(wait=lock_wait)
        yield shared, shared
        return
    async with redis_for_test() as (first, prefix):
        second = Redis.from_url(REDIS_TEST_URL)
        try:
            yield (
                RedisPersonLocks(first, prefix, wait=lock_wait),
                RedisPersonLocks(second, prefix, wait=lock_wait),
            )
        finally:
            await second.aclose()


async def test_one_holder_at_a_time_per_person(
    two_holders: tuple[PersonLocks, PersonLocks],
) -> None:
    inside: dict[str, int] = {"alice": 0, "bob": 0}
    most: dict[str, int] = {"alice": 0, "bob": 0}
    done: dict[str, int] = {"alice": 0, "bob": 0}
    side_by_side = False

    async def work(locks: PersonLocks, who: str) -> None:
        nonlocal side_by_side
        async with locks.hold(who):
            inside[who] += 1
            most[who] = max(most[who], inside[who])
            side_by_side = side_by_side or all(inside.values())
            await asyncio.sleep(0.01)
            inside[who] -= 1
            done[who] += 1

    a, b = two_holders
    await asyncio.gather(
        *(work(locks, who) for locks in (a, b) for who in inside for _ in range(4))
    )
    assert done == {"alice": 8, "bob": 8}
    assert most == {"alice": 1, "bob": 1}  # one at a time per person...
    assert side_by_side  # ...but Alice's requests do not wait for Bob's


@pytest.mark.parametrize("lock_wait", [0.05])  # the lock stays held: any wait runs out
async def test_a_waiter_gives_up_with_lock_busy(
    two_holders: tuple[PersonLocks, PersonLocks],
) -> None:
    a, b = two_holders
    async with a.hold("alice"):
        with pytest.raises(LockBusy):
            async with b.hold("alice"):
                pass
    async with b.hold("alice"):  # released: free again
        pass


@pytest.mark.redis
async def test_a_crashed_holder_does_not_lock_a_person_out() -> None:
    async with redis_for_test() as (redis, prefix):
        crashed = RedisPersonLocks(redis, prefix, lease=0.2, wait=0.05)
        await redis.set(f"{prefix}:lock:alice", "a dead process's token")
        with pytest.raises(LockBusy):
            async with crashed.hold("alice"):
                pass
        # The dead process's lease runs out (set apart from the key, so that no pause of this
        # machine between the two can end it before LockBusy); a waiter then gets Alice.
        await redis.pexpire(f"{prefix}:lock:alice", 200)
        async with RedisPersonLocks(redis, prefix, wait=WAIT).hold("alice"):
            assert await redis.get(f"{prefix}:lock:alice") != b"a dead process's token"


async def test_a_busy_person_gets_a_friendly_reply_and_nothing_changes(
    database: Database, clock: SettableClock
) -> None:
    locks = MemoryPersonLocks(wait=0.05)
    bot = HabitLinkBot(
        uow=UnitOfWorkFactory(database, clock),
        flows=MemoryFlowStore(clock),
        router=build_router(),
        locks=locks,
    )

    def request(text: str) -> Request:
        alice = Person("console", "alice", "Alice")
        return Request.from_text(alice, Chat("console", "c1", ChatKind.PRIVATE), text)

    async with locks.hold("console:alice"):
        busy = await bot.handle(request("/newhabit Read"))
    assert "still busy with your previous message" in busy.replies[0].text.plain()
    listed = await bot.handle(request("/habits"))
    assert listed.replies[0].text.plain().startswith("You have no")


async def test_with_redis_down_a_person_is_still_served_one_request_at_a_time() -> None:
    from core.locks.resilient import ResilientPersonLocks
    from core.outage import redis_client
    from tests.support.network import free_port

    dead = redis_client(f"redis://127.0.0.1:{free_port()}/0", timeout=0.2)  # nobody listens
    locks = ResilientPersonLocks(RedisPersonLocks(dead, "t", wait=1.0), MemoryPersonLocks(wait=1.0))
    inside = 0
    most = 0

    async def work() -> None:
        nonlocal inside, most
        async with locks.hold("telegram:1"):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.05)
            inside -= 1

    try:
        await asyncio.gather(work(), work(), work())
    finally:
        await dead.aclose()
    assert most == 1
    assert locks.outage.down
