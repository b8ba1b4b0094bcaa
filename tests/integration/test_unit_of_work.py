"""The unit of work saves only on commit, rolls back otherwise, and reports database faults as
core's StorageError, so nothing outside core/ needs to know SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from core.clock import SettableClock
from core.db.engine import Database
from core.errors import InvalidInput, StorageConflict, StorageError
from core.habits.service import HabitDraft
from core.uow import UnitOfWorkFactory
from core.users.service import Contact

ALICE = Contact(platform="console", external_id="alice", display_name="Alice")


@pytest.fixture
def units(database: Database, clock: SettableClock) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(database, clock)


@contextmanager
def connection_drops_on(db: Database, keyword: str) -> Iterator[None]:
    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if keyword in statement:
            raise OperationalError(statement, None, ConnectionResetError("connection lost"))

    event.listen(db.engine.sync_engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", fail)


async def known(units: UnitOfWorkFactory, contact: Contact = ALICE) -> bool:
    async with units() as uow:
        return await uow.users.find(contact.platform, external_id=contact.external_id) is not None


async def test_commit_saves(units: UnitOfWorkFactory) -> None:
    async with units() as uow:
        await uow.users.identify(ALICE)
        await uow.commit()
    assert await known(units)


async def test_leaving_without_commit_rolls_back(units: UnitOfWorkFactory) -> None:
    async with units() as uow:
        user, is_new = await uow.users.identify(ALICE)
        assert is_new and await uow.users.get(user.id) is user  # visible inside the unit
    assert not await known(units)


async def test_an_error_rolls_back_and_passes_through(units: UnitOfWorkFactory) -> None:
    with pytest.raises(InvalidInput):
        async with units() as uow:
            user, _ = await uow.users.identify(ALICE)
            await uow.users.set_day_start(user, 12)  # refused: 0 to 6
            await uow.commit()
    assert not await known(units)


async def test_rollback_drops_what_came_before_and_the_unit_goes_on(
    units: UnitOfWorkFactory, clock: SettableClock
) -> None:
    bob = Contact(platform="console", external_id="bob", display_name="Bob")
    async with units() as uow:
        await uow.users.identify(ALICE)
        await uow.rollback()
        user, _ = await uow.users.identify(bob)
        await uow.habits.create(user, HabitDraft.build(title="Read"), clock.now().date())
        await uow.commit()
    assert not await known(units)
    assert await known(units, bob)


async def test_services_share_the_units_session(
    units: UnitOfWorkFactory, clock: SettableClock
) -> None:
    async with units() as uow:
        user, _ = await uow.users.identify(ALICE)
        habit = await uow.habits.create(user, HabitDraft.build(title="Read"), clock.now().date())
        assert uow.habits is uow.habits  # built once per unit
        assert [h.id for h in await uow.habits.active(user)] == [habit.id]
        await uow.commit()


async def test_a_database_fault_becomes_a_storage_error(
    units: UnitOfWorkFactory, database: Database
) -> None:
    with connection_drops_on(database, "INSERT INTO users"), pytest.raises(StorageError) as raised:
        async with units() as uow:
            await uow.users.identify(ALICE)
            await uow.commit()
    assert not isinstance(raised.value, StorageConflict)
    assert isinstance(raised.value.__cause__, SQLAlchemyError)  # the cause stays in the logs
    assert not await known(units)


async def test_bot_state_round_trip(units: UnitOfWorkFactory) -> None:
    async with units() as uow:
        assert await uow.bot_state.get("k") is None
        await uow.bot_state.put("k", "one")
        await uow.commit()
    async with units() as uow:
        await uow.bot_state.put("k", "two")  # replaces
        await uow.commit()
    async with units() as uow:
        assert await uow.bot_state.get("k") == "two"


@pytest.mark.postgres
async def test_two_writers_of_one_key_the_second_gets_a_conflict(
    pg_database: Database, clock: SettableClock
) -> None:
    units = UnitOfWorkFactory(pg_database, clock)
    async with units() as first:
        assert await first.bot_state.get("sync") is None
        await first.bot_state.put("sync", "a")
        with pytest.raises(StorageConflict):
            async with units() as second:
                assert await second.bot_state.get("sync") is None
                await second.bot_state.put("sync", "b")
                await first.commit()
                await second.commit()
    async with units() as uow:
        assert await uow.bot_state.get("sync") == "a"
