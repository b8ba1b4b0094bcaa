"""Proof images whose rows a unit of work deletes: their files go once the deletion is committed.

Proof images are content-addressed (`<sha256>.jpg`, `<sha256>-thumb.jpg`), so one file can serve
the proofs of several people or groups. Whoever deletes proof rows (erasing an account, closing a
group) adds their keys here; after the commit, `settle` removes the files that no proof
references any more, through the media store port (its blocking work runs in threads). It holds
each key's lock (core.media.keylock) from its check to the deletion, as whoever stores a proof
holds it from the file to the commit of the row, so the same photo posted again meanwhile never
leaves a proof without its file.

The keys are also written to `media_discards` in the transaction that deletes the rows
(`remember`), and each is struck off once its file is gone or a proof uses it again (`settle`).
A store that fails does not undo anything: the rows are gone for good. Each file is tried
`ATTEMPTS` times with a short pause; a file that still cannot be deleted is logged at ERROR level
with its key (a content hash, nothing personal) as "proof image left in the store", and stays in
`media_discards`, as does every key when the process stops between the commit and the deletion.
The scheduler's tidy job (`sweep`) tries those again, later and later, until the files are gone.
Nothing references them any more, so they are never shown meanwhile.

Each deletion is noted with its time in `media_deletions` (in the transaction that holds the key's
lock), for whoever stored the same photo before taking the lock (`deleted_since`, used by
core.proofs.service); the sweep forgets the notes after `KEEP_DELETIONS`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from core.clock import Clock
from core.db.dialects import dialect_insert
from core.db.models import MediaDeletion, MediaDiscard, Proof
from core.media.keylock import hold_keys
from core.media.storage import MediaStore, MediaStoreError

log = logging.getLogger("habitlink.media")

ATTEMPTS: Final = 3
PAUSE_SECONDS: Final = 0.2  # doubled after each failed attempt
RETRY_FIRST: Final = timedelta(minutes=5)  # a sweep's next try after a failure, doubled each
RETRY_MAX: Final = timedelta(days=1)  # time, up to this
SWEEP_BATCH: Final = 100
# How long a deletion is remembered: far longer than storing a photo and saving its proof take
# (the S3 client gives up within minutes), plus any difference between the servers' clocks.
KEEP_DELETIONS: Final = timedelta(days=1)
CLOCK_SKEW: Final = timedelta(minutes=5)


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


async def remember(session: AsyncSession, keys: Iterable[str], now: datetime) -> None:
    """Note `keys` as to delete, in the caller's transaction (the one deleting their rows)."""
    rows = [{"key": k, "attempts": 0, "next_attempt_at": now, "created_at": now} for k in keys]
    if rows:
        statement = dialect_insert(session)(MediaDiscard).values(rows)
        await session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))


async def settle(
    session: AsyncSession, media: MediaStore | None, keys: Iterable[str], clock: Clock
) -> set[str]:
    """Delete the files of `keys` that no proof uses, strike off the keys that are done and put
    the others off until later; call it after the commit that deleted the rows. One transaction
    per key, committed, holding the key's lock (core.media.keylock) from the check through the
    deletion, so the same photo posted meanwhile either waits and is stored again, or is seen
    and kept; holding one lock at a time, it cannot deadlock. Returns the keys left."""
    if media is None:
        return set()
    await session.rollback()  # end any read: each key's check must see what is committed
    left: set[str] = set()
    for key in sorted(set(keys)):
        await hold_keys(session, [key], exclusive=True)
        used = key in await still_used(session, [key])
        if not used:  # noted before it is tried: a failed delete may have deleted it after all
            await _note_deletion(session, key, clock.now())
        if used or await _delete(media, key):
            await session.execute(delete(MediaDiscard).where(MediaDiscard.key == key))
        else:
            left.add(key)
            attempts = await session.scalar(
                select(MediaDiscard.attempts).where(MediaDiscard.key == key)
            )
            wait = min(RETRY_FIRST * 2 ** min(attempts or 0, 16), RETRY_MAX)
            await session.execute(
                update(MediaDiscard)
                .where(MediaDiscard.key == key)
                .values(attempts=MediaDiscard.attempts + 1, next_attempt_at=clock.now() + wait)
            )
        await session.commit()
    return left


async def _note_deletion(session: AsyncSession, key: str, now: datetime) -> None:
    statement = dialect_insert(session)(MediaDeletion).values(key=key, deleted_at=now)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["key"], set_={"deleted_at": now})
    )


async def deleted_since(
    session: AsyncSession, keys: Iterable[str], since: datetime, now: datetime
) -> bool:
    """Whether a file of `keys` was deleted at `since` or later (less the servers' clock skew),
    or may have been with its note already forgotten (`since` is that long before `now`).
    Read it under the keys' lock."""
    if since < now - KEEP_DELETIONS + CLOCK_SKEW:
        return True
    found = await session.scalar(
        select(MediaDeletion.key)
        .where(MediaDeletion.key.in_(sorted(set(keys))))
        .where(MediaDeletion.deleted_at >= since - CLOCK_SKEW)
        .limit(1)
    )
    return found is not None


async def sweep(session: AsyncSession, media: MediaStore | None, clock: Clock) -> set[str]:
    """Try again the files due (left by a failing store or a stopped process) and forget the
    deletions older than KEEP_DELETIONS; commits. Returns the keys still left."""
    if media is None:
        return set()
    now = clock.now()
    forgotten = MediaDeletion.deleted_at < now - KEEP_DELETIONS
    await session.execute(delete(MediaDeletion).where(forgotten))
    await session.commit()
    due = await session.scalars(
        select(MediaDiscard.key)
        .where(MediaDiscard.next_attempt_at <= now)
        .order_by(MediaDiscard.next_attempt_at)
        .limit(SWEEP_BATCH)
    )
    return await settle(session, media, set(due.all()), clock)
