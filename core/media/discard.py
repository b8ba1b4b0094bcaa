"""Proof images whose rows a unit of work deletes: their files go once the deletion is committed.

Proof images are content-addressed (`<sha256>.jpg`, `<sha256>-thumb.jpg`), so one file can serve
the proofs of several people or groups. Whoever deletes proof rows (erasing an account, closing a
group) adds their keys here; after the commit, `drop_unreferenced` removes the files that no proof
references any more, through the media store port (its blocking work runs in threads).

A store that fails does not undo anything: the rows are gone for good. Each file is tried
`ATTEMPTS` times with a short pause; a file that still cannot be deleted is logged at ERROR level
with its key (a content hash, nothing personal) as "proof image left in the store", so an operator
can remove it by hand. Nothing else references it any more, so it is never shown again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Final

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from core.db.models import Proof
from core.media.storage import MediaStore, MediaStoreError

log = logging.getLogger("habitlink.media")

ATTEMPTS: Final = 3
PAUSE_SECONDS: Final = 0.2  # doubled after each failed attempt


async def proof_keys(session: AsyncSession, condition: ColumnElement[bool]) -> set[str]:
    """The image and thumbnail keys of the proofs matching `condition`."""
    query = select(Proof.image_key, Proof.thumb_key).where(condition)
    return {key for row in (await session.execute(query)).all() for key in row}


async def still_used(session: AsyncSession, keys: Iterable[str]) -> set[str]:
    """Those of `keys` that some proof still references (as its image or its thumbnail); a proof
    whose image an admin deleted (core.admin.moderation) references nothing."""
    wanted = sorted(set(keys))
    used: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = await session.execute(
            select(Proof.image_key, Proof.thumb_key).where(
                or_(Proof.image_key.in_(chunk), Proof.thumb_key.in_(chunk)),
                Proof.image_deleted_at.is_(None),
            )
        )
        used.update(key for row in rows.all() for key in row)
    return used & set(wanted)


async def drop_unreferenced(
    session: AsyncSession, media: MediaStore | None, keys: Iterable[str]
) -> set[str]:
    """Delete the files of `keys` that no proof references; the keys it could not delete.
    Call it after the commit that deleted the rows (it reads in a fresh transaction)."""
    candidates = set(keys)
    if not candidates or media is None:
        return set()
    orphans = candidates - await still_used(session, candidates)
    await session.rollback()  # end the read; nothing was written
    left: set[str] = set()
    for key in sorted(orphans):
        if not await _delete(media, key):
            left.add(key)
    return left


async def _delete(media: MediaStore, key: str) -> bool:
    pause = PAUSE_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        try:
            await media.delete(key)
            return True
        except (MediaStoreError, OSError) as exc:
            if attempt == ATTEMPTS:
                log.error(
                    "proof image left in the store",
                    extra={"key": key, "attempts": attempt, "error": type(exc).__name__},
                )
                return False
            log.warning("deleting a proof image failed, trying again", extra={"key": key})
            await asyncio.sleep(pause)
            pause *= 2
    return False
