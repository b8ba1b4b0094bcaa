"""Deleting a proof image file while the same photo is posted again (files are keyed by content)
never leaves the new proof without its file, whichever side gets there first.

The store is the real local one; it lets the other side start at the awkward moment and waits
for it to finish, or for a second when it is made to wait (by the lock that closes the race).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Literal

import pytest

from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from tests.support.admin import make_admin
from tests.support.bots import make_bot
from tests.support.console import ConsoleSession
from tests.web.test_erase_media import RED, keys_of, photo, stored

ERASE = (":chat dm", "/deleteme", ":press 1", ":press 1")
WAIT = 1.0  # seconds the store waits for the other side before going on


class Interleaved(LocalMediaStore):
    """On the first `when` (before a delete, or after a put), runs `meanwhile` as a task and
    goes on once it is done or has waited WAIT seconds."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.when: Literal["put", "delete"] | None = None
        self.meanwhile: Callable[[], Coroutine[Any, Any, str]] | None = None
        self.task: asyncio.Task[str] | None = None

    async def _interleave(self, operation: str) -> None:
        if operation == self.when and self.meanwhile is not None and self.task is None:
            self.task = asyncio.create_task(self.meanwhile())
            await asyncio.wait({self.task}, timeout=WAIT)

    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        await super().put(key, data, content_type)
        await self._interleave("put")

    async def delete(self, key: str) -> None:
        await self._interleave("delete")
        await super().delete(key)


async def mia_and_ned(
    database: Database, clock: SettableClock, tmp_path: Path
) -> tuple[Interleaved, ConsoleSession, ConsoleSession, set[str]]:
    """Mia posts a photo in her group; Ned has a group of his own. Their consoles, her keys."""
    store = Interleaved(tmp_path / "media")
    bot = make_bot(database, clock, media=store)
    mia = ConsoleSession(bot, clock, tmp_path / "mia")
    ned = ConsoleSession(bot, clock, tmp_path / "ned")
    await mia.say(":user Mia", ":chat group Mine", "/newgroup Mine")
    await mia.say(f":photo {photo(tmp_path, 'mine', RED)}")
    await ned.say(":user Ned", ":chat group Other", "/newgroup Other")
    return store, mia, ned, await keys_of(database, "Mia")


async def test_a_photo_posted_again_between_the_check_and_the_delete_keeps_its_file(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    store, mia, ned, keys = await mia_and_ned(database, clock, tmp_path)
    # Mia's erasure found her files unused and is about to delete them when Ned posts the very
    # same photo (the same content, the same keys).
    store.when = "delete"
    store.meanwhile = lambda: ned.say(f":photo {photo(tmp_path, 'same', RED)}")
    assert "Your profile is erased" in await mia.say(*ERASE)
    assert store.task is not None
    assert "Proof saved" in await asyncio.wait_for(store.task, 10)
    assert await keys_of(database, "Mia") == set()
    assert await keys_of(database, "Ned") == keys
    assert stored(tmp_path / "media") == keys  # Ned's proof shows its image


async def test_a_photo_stored_again_before_the_check_and_saved_after_it_keeps_its_file(
    database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    store, mia, ned, keys = await mia_and_ned(database, clock, tmp_path)
    # Ned posts the same photo: its file is stored (again), and before his proof is saved, Mia
    # erases her profile, which finds no proof using the file.
    store.when = "put"
    store.meanwhile = lambda: mia.say(*ERASE)
    assert "Proof saved" in await ned.say(f":photo {photo(tmp_path, 'same', RED)}")
    assert store.task is not None
    assert "Your profile is erased" in await asyncio.wait_for(store.task, 10)
    assert await keys_of(database, "Mia") == set()
    assert await keys_of(database, "Ned") == keys
    assert stored(tmp_path / "media") == keys


@pytest.mark.postgres
async def test_two_proofs_of_one_photo_deleted_at_once_leave_no_file(
    pg_database: Database, clock: SettableClock, tmp_path: Path
) -> None:
    """An admin deletes the images of two proofs of the same photo at the same moment: each
    deletion, before the other's commit, sees the other proof still using the file. The file
    must still go once both are committed. (PostgreSQL: SQLite's one writer makes the second
    wait for the first.)"""
    store = LocalMediaStore(tmp_path / "media")
    bot = make_bot(pg_database, clock, media=store)
    mia = ConsoleSession(bot, clock, tmp_path / "mia")
    same = photo(tmp_path, "same", RED)
    await mia.say(":user Mia", ":chat group Mine", "/newgroup Mine", f":photo {same}")
    await mia.say(f":photo {same}")
    keys = await keys_of(pg_database, "Mia")
    assert stored(tmp_path / "media") == keys and len(keys) == 2  # one image, one thumbnail
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        first, second = sorted(await uow.admin.moderation.proofs(admin), key=lambda p: p.id)
    async with bot.uow() as one, bot.uow() as other:
        await one.admin.moderation.delete_proof_image(admin, first.id)
        await other.admin.moderation.delete_proof_image(admin, second.id)
        await other.commit()
        await one.commit()
    assert stored(tmp_path / "media") == set()
