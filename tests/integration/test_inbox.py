"""The inbox of delivered updates: stored once, pending until handled, forgotten after a while."""

from __future__ import annotations

from datetime import timedelta

from core.clock import SettableClock
from core.db.engine import Database
from core.inbox import Inbox, InboxEntry, mark_handled
from core.inbox.service import KEEP_HANDLED


async def test_an_update_is_stored_once_and_pending_until_handled(
    database: Database, clock: SettableClock
) -> None:
    inbox = Inbox(database, clock, "telegram")
    first = [InboxEntry(5, '{"update_id": 5}'), InboxEntry(6, '{"update_id": 6}')]
    assert await inbox.accept(first) == first
    again = [InboxEntry(6, '{"update_id": 6}'), InboxEntry(7, '{"update_id": 7}')]
    assert await inbox.accept(again) == [again[1]]  # 6 was delivered before
    assert [e.update_id for e in await inbox.pending()] == [5, 6, 7]
    async with database.session() as session:  # handled with its effect
        await mark_handled(session, "telegram", 6, clock)
        await session.commit()
    await inbox.finish(5)
    assert [e.update_id for e in await inbox.pending()] == [7]
    assert await Inbox(database, clock, "discord").pending() == []  # per platform
    assert await inbox.accept([InboxEntry(5, "{}")]) == []  # handled ones are still known


async def test_handled_updates_are_forgotten_after_a_while(
    database: Database, clock: SettableClock
) -> None:
    inbox = Inbox(database, clock, "telegram")
    await inbox.accept([InboxEntry(1, "{}"), InboxEntry(2, "{}")])
    await inbox.finish(1)
    clock.advance(KEEP_HANDLED + timedelta(minutes=1))
    await inbox.prune()
    assert await inbox.accept([InboxEntry(1, "{}")]) == [InboxEntry(1, "{}")]  # forgotten
    assert [e.update_id for e in await inbox.pending()] == [1, 2]  # 2 was never handled
