"""The inbox of delivered updates: stored once, pending until handled, forgotten after a while;
the reply of a handled update kept until it is sent."""

from __future__ import annotations

from datetime import timedelta

from bot.messages import Button, Document, Image, Reply, Response, bold, italic, rich
from bot.outgoing import decode_response, encode_response
from core.clock import SettableClock
from core.db.engine import Database
from core.inbox import KEEP_HANDLED, InboxEntry
from core.uow import UnitOfWorkFactory


async def test_an_update_is_stored_once_and_pending_until_handled(
    database: Database, clock: SettableClock
) -> None:
    units = UnitOfWorkFactory(database, clock)
    first = [InboxEntry(5, '{"update_id": 5}'), InboxEntry(6, '{"update_id": 6}')]
    again = [InboxEntry(6, '{"update_id": 6}'), InboxEntry(7, '{"update_id": 7}')]
    async with units() as uow:
        assert await uow.inbox.accept("telegram", first) == first
        assert await uow.inbox.accept("telegram", again) == [again[1]]  # 6 came before
        await uow.commit()
    async with units() as uow:
        assert [e.update_id for e in await uow.inbox.pending("telegram")] == [5, 6, 7]
        await uow.inbox.mark_handled("telegram", 6)
    async with units() as uow:  # not committed: still pending
        assert [e.update_id for e in await uow.inbox.pending("telegram")] == [5, 6, 7]
        await uow.inbox.mark_handled("telegram", 5)
        await uow.inbox.mark_handled("telegram", 6)
        await uow.commit()
    async with units() as uow:
        assert [e.update_id for e in await uow.inbox.pending("telegram")] == [7]
        assert await uow.inbox.pending("discord") == []  # per platform
        assert await uow.inbox.accept("telegram", [InboxEntry(5, "{}")]) == []  # still known


async def test_handled_updates_are_forgotten_after_a_while(
    database: Database, clock: SettableClock
) -> None:
    units = UnitOfWorkFactory(database, clock)
    async with units() as uow:
        await uow.inbox.accept("telegram", [InboxEntry(1, "{}"), InboxEntry(2, "{}")])
        await uow.inbox.mark_handled("telegram", 1)
        await uow.commit()
    clock.advance(KEEP_HANDLED + timedelta(minutes=1))
    async with units() as uow:
        await uow.inbox.prune("telegram")
        await uow.commit()
    async with units() as uow:
        assert await uow.inbox.accept("telegram", [InboxEntry(1, "{}")]) == [InboxEntry(1, "{}")]
        assert [e.update_id for e in await uow.inbox.pending("telegram")] == [1, 2]


async def test_a_reply_is_kept_with_its_update_until_sent(
    database: Database, clock: SettableClock
) -> None:
    units = UnitOfWorkFactory(database, clock)
    response = Response(
        [
            Reply.of("Created ", bold("Read"), buttons=[[Button("Done", "done:1")]], edit=True),
            Reply(image=Image(b"\x89PNG\x00", "week.png", rich("Your ", italic("week")))),
            Reply(document=Document(b'{"a": 1}', "export.json", "application/json")),
            Reply(text=rich("What habit do you want to build?"), asks=True),  # a guided step
        ],
        notice="Saved",
    )
    async with units() as uow:
        await uow.inbox.accept("telegram", [InboxEntry(1, '{"update_id": 1}'), InboxEntry(2, "{}")])
        await uow.inbox.mark_handled("telegram", 1, encode_response(response))
        await uow.inbox.mark_handled("telegram", 2)  # nothing to say
        await uow.commit()
    async with units() as uow:
        (unsent,) = await uow.inbox.unsent("telegram")
        assert (unsent.update_id, unsent.payload) == (1, '{"update_id": 1}')
        assert decode_response(unsent.reply) == response
        await uow.inbox.replies_sent("telegram", [1, 2])
        await uow.commit()
    async with units() as uow:
        assert await uow.inbox.unsent("telegram") == []
