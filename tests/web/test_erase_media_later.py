"""Proof image files that could not be deleted with the erasure (the store was down, the
process stopped) are kept in media_discards and deleted later by the scheduler's tidy job."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import MediaDeletion, MediaDiscard
from core.media.storage import LocalMediaStore, MediaStoreError
from tests.support.bots import make_bot
from tests.support.console import ConsoleSession
from tests.web.test_erase_media import GREEN, RED, keys_of, photo, stored

ERASE = (":chat dm", "/deleteme", ":press 1", ":press 1")


class Outage(LocalMediaStore):
    """Deletes fail while `down`; with `hold` set, a delete waits until it is released."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.down = False
        self.hold: asyncio.Event | None = None
        self.deleting = asyncio.Event()

    async def delete(self, key: str) -> None:
        self.deleting.set()
        if self.hold is not None:
            await self.hold.wait()
        if self.down:
            raise MediaStoreError("delete", key, OSError("the store is down"))
        await super().delete(key)


async def pending(database: Database) -> dict[str, int]:
    async with database.session() as session:
        rows = await session.execute(select(MediaDiscard.key, MediaDiscard.attempts))
        return {key: attempts for key, attempts in rows.all()}


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.media.discard.PAUSE_SECONDS", 0)


async def mia_posts(
    database: Database, clock: SettableClock, tmp_path: Path, colour: tuple[int, int, int]
) -> tuple[Outage, HabitLinkBot, ConsoleSession, set[str]]:
    """Mia opens a group and posts a photo there: the store, bot, console and her image keys."""
    store = Outage(tmp_path / "media")
    bot = make_bot(database, clock, media=store)
    console = ConsoleSession(bot, clock, tmp_path / "out")
    await console.say(":user Mia", ":chat group Mine", "/newgroup Mine")
    await console.say(f":photo {photo(tmp_path, 'mine', colour)}")
    return store, bot, console, await keys_of(database, "Mia")


async def test_files_a_failing_store_kept_are_deleted_once_it_is_back(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    store, bot, console, keys = await mia_posts(database, clock, tmp_path, GREEN)
    store.down = True
    assert "Your profile is erased" in await console.say(*ERASE)
    assert await pending(database) == {key: 1 for key in keys}  # tried once, kept
    notifier = Notifier(bot, {})
    store.down = False
    await notifier.tidy()  # not due yet: the next try is five minutes later
    assert stored(tmp_path / "media") == keys
    clock.advance(timedelta(minutes=6))
    store.down = True
    await notifier.tidy()  # still down: tried, put off for longer
    assert await pending(database) == {key: 2 for key in keys}
    clock.advance(timedelta(minutes=6))
    store.down = False
    await notifier.tidy()  # not yet: ten minutes this time
    assert stored(tmp_path / "media") == keys
    clock.advance(timedelta(minutes=5))
    await notifier.tidy()
    assert stored(tmp_path / "media") == set()
    assert await pending(database) == {}


async def test_files_of_a_process_stopped_mid_deletion_are_deleted_by_the_next_sweep(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    store, _, console, keys = await mia_posts(database, clock, tmp_path, GREEN)
    store.hold = asyncio.Event()
    erasing = asyncio.create_task(console.say(*ERASE))
    await asyncio.wait_for(store.deleting.wait(), 10)
    # The erasure is committed and the files are noted in the same transaction...
    assert await keys_of(database, "Mia") == set()
    assert set(await pending(database)) == keys
    erasing.cancel()  # ...when the process stops before deleting any of them.
    with pytest.raises(asyncio.CancelledError):
        await erasing
    assert stored(tmp_path / "media") == keys
    store.hold = None
    await Notifier(make_bot(database, clock, media=store), {}).tidy()  # the next process
    assert stored(tmp_path / "media") == set()
    assert await pending(database) == {}


async def test_a_file_used_again_before_the_sweep_is_kept(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    store, bot, console, keys = await mia_posts(database, clock, tmp_path, RED)
    store.down = True
    await console.say(*ERASE)
    store.down = False
    # Before the next sweep, Ned posts the very same photo: the same content, the same files.
    await console.say(":user Ned", ":chat group Other", "/newgroup Other")
    await console.say(f":photo {photo(tmp_path, 'same', RED)}")
    assert await keys_of(database, "Ned") == keys
    clock.advance(timedelta(hours=1))
    await Notifier(bot, {}).tidy()
    assert stored(tmp_path / "media") == keys  # Ned's proof shows them
    assert await pending(database) == {}


async def deletions(database: Database) -> set[str]:
    async with database.session() as session:
        return set((await session.scalars(select(MediaDeletion.key))).all())


async def test_deletions_are_noted_for_a_day_then_forgotten(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    """Whoever stored the same photo before taking its keys' lock reads these notes (see
    core.media.keylock); a day later nobody can still be storing it, and tidy forgets them."""
    _, bot, console, keys = await mia_posts(database, clock, tmp_path, GREEN)
    assert await deletions(database) == set()
    assert "Your profile is erased" in await console.say(*ERASE)
    assert stored(tmp_path / "media") == set()
    assert await deletions(database) == keys
    notifier = Notifier(bot, {})
    clock.advance(timedelta(hours=23))
    await notifier.tidy()
    assert await deletions(database) == keys
    clock.advance(timedelta(hours=2))
    await notifier.tidy()
    assert await deletions(database) == set()
