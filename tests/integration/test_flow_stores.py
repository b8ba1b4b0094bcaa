"""The flow-state cache behaves the same in memory and in the real Redis; the durable copy in
the database outlives both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from core.clock import SettableClock
from core.db.engine import Database
from core.flows import FlowKey, FlowState, FlowStore, MemoryFlowStore
from core.flows.redis import RedisFlowStore
from core.flows.resilient import ResilientFlowStore
from core.uow import UnitOfWorkFactory
from tests.conftest import REDIS_TEST_URL, redis_for_test

KEY = FlowKey("telegram", "100", "42")


@pytest.fixture(
    params=[
        "memory",
        pytest.param("redis", marks=pytest.mark.redis),
        pytest.param("resilient", marks=pytest.mark.redis),
    ]
)
async def store(request: pytest.FixtureRequest, clock: SettableClock) -> AsyncIterator[FlowStore]:
    if request.param == "memory":
        yield MemoryFlowStore(clock)
        return
    async with redis_for_test() as (client, prefix):
        redis_store = RedisFlowStore(client, prefix=prefix, clock=clock)
        if request.param == "redis":
            yield redis_store
        else:
            yield ResilientFlowStore(redis_store)


async def test_set_get_clear(store: FlowStore) -> None:
    assert await store.get(KEY) is None
    state = FlowState("newhabit", "why", {"title": "Read <b>", "n": 3})
    await store.set(KEY, state)
    assert await store.get(KEY) == state
    other = FlowKey("telegram", "100", "43")
    assert await store.get(other) is None  # per person
    assert await store.get(FlowKey("discord", "100", "42")) is None  # per platform
    assert await store.lookup(other) == (False, None)  # nothing known: ask the database
    await store.clear(KEY)
    assert await store.get(KEY) is None
    assert await store.lookup(KEY) == (True, None)  # known to be over
    await store.clear(KEY)  # clearing twice is fine


async def test_a_state_expires_by_the_injected_clock(
    store: FlowStore, clock: SettableClock
) -> None:
    """The same time as the database copy's (whose clock a test sets), not Redis's own."""
    await store.set(KEY, FlowState("lifebook", "vision"))
    clock.advance(timedelta(minutes=29))
    assert await store.get(KEY) == FlowState("lifebook", "vision")
    clock.advance(timedelta(minutes=1))
    assert await store.lookup(KEY) == (False, None)  # nothing known: the database says


async def test_memory_state_expires(clock: SettableClock) -> None:
    store = MemoryFlowStore(clock)
    await store.set(KEY, FlowState("newhabit", "title"), ttl=60)
    clock.advance(timedelta(seconds=59))
    assert await store.get(KEY) is not None
    clock.advance(timedelta(seconds=2))
    assert await store.get(KEY) is None


@pytest.mark.redis
async def test_redis_state_survives_a_new_client_and_expires(
    redis_env: tuple[Redis, str],
) -> None:
    redis_client, redis_prefix = redis_env
    await RedisFlowStore(redis_client, prefix=redis_prefix).set(
        KEY, FlowState("newhabit", "why", {"title": "Run"}), ttl=30
    )
    fresh = Redis.from_url(REDIS_TEST_URL)  # a restarted bot process
    try:
        store = RedisFlowStore(fresh, prefix=redis_prefix)
        assert await store.get(KEY) == FlowState("newhabit", "why", {"title": "Run"})
        ttl = await fresh.ttl(f"{redis_prefix}:flow:{KEY.as_str()}")
        assert 0 < ttl <= 30
    finally:
        await fresh.aclose()


@pytest.mark.redis
async def test_a_cleared_flow_stays_cleared_for_a_process_with_an_old_copy(
    redis_env: tuple[Redis, str], clock: SettableClock
) -> None:
    """Two processes share Redis: one finishes a flow, the other must not bring it back."""
    client, prefix = redis_env
    first = ResilientFlowStore(RedisFlowStore(client, prefix=prefix))
    second = ResilientFlowStore(RedisFlowStore(client, prefix=prefix))
    await first.set(KEY, FlowState("newhabit", "why"))
    await second.clear(KEY)
    assert await first.get(KEY) is None
    assert await second.get(KEY) is None


async def test_the_database_copy_is_kept_with_the_unit_of_work_and_expires(
    database: Database, clock: SettableClock
) -> None:
    units = UnitOfWorkFactory(database, clock)
    state = FlowState("newhabit", "how_often", {"title": "Stretch"})
    async with units() as uow:
        await uow.flow_states.put(KEY, state, ttl=60)  # not committed: not kept
    async with units() as uow:
        assert await uow.flow_states.get(KEY) is None
        await uow.flow_states.put(KEY, state, ttl=60)
        await uow.commit()
    async with units() as uow:
        assert await uow.flow_states.get(KEY) == state
        moved = FlowState("newhabit", "why", {"title": "Stretch"})
        await uow.flow_states.put(KEY, moved, ttl=60)  # a later step replaces it
        await uow.commit()
    async with units() as uow:
        assert await uow.flow_states.get(KEY) == moved
    clock.advance(timedelta(seconds=61))
    async with units() as uow:
        assert await uow.flow_states.get(KEY) is None  # abandoned: forgotten
        await uow.flow_states.prune()
        await uow.flow_states.put(FlowKey("telegram", "1", "2"), state)
        await uow.flow_states.put(FlowKey("telegram", "1", "2"), None)  # the flow ended
        await uow.commit()
    async with units() as uow:
        assert await uow.flow_states.get(FlowKey("telegram", "1", "2")) is None
