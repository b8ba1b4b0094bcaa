"""A lock per proof image key, so that deleting a file and posting the same photo again take turns.

Files are content-addressed: the photo someone posts may be the very one whose file a deleter
(`core.media.discard.settle`) is about to remove because no proof used it a moment ago. If the
photo were stored and its proof committed between the deleter's "does a proof still use it?" and
its delete, the new proof would be left without its file. So both take this lock in their
database transaction, whichever rows exist, and hold it until that transaction ends:

- the deleter, exclusively, from the check through the deletion (one key per transaction), and
  it notes the deletion's time (`media_deletions`) before it lets go;
- whoever stores a proof (`core.proofs.service.ProofService.record`), shared, from just after it
  stored the files until the proof row is committed. It stores them before taking the lock, so
  on SQLite (where the lock is the database's one write lock) nobody waits for the media store;
  under the lock, a deletion of its keys noted since it began storing means a deleter removed
  what it stored, and it stores the files again, now holding the lock.

A deleter that locked first has deleted the file and noted it, and the photo is stored again; one
that locks later waits for the proof's commit, sees the row and keeps the file.

PostgreSQL: transaction-scoped advisory locks on a hash of the key (a collision only makes two
keys take turns); uploaders share them, so two people posting the same photo never wait for each
other. Waits are bounded by the server's lock_timeout.
SQLite: its one write lock, taken by a write that changes nothing and waited for up to the busy
timeout. Reads before a transaction's first write are not part of it (the driver begins the
transaction at that write), so the deleter's check reads what was committed before its lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import MediaDiscard

_NAMESPACE = b"habitlink.media-key:"


def lock_id(key: str) -> int:
    """The PostgreSQL advisory lock (a signed 64-bit number) of one key."""
    digest = hashlib.sha256(_NAMESPACE + key.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def hold_keys(session: AsyncSession, keys: Iterable[str], *, exclusive: bool) -> None:
    """Take the lock of each of `keys` in the session's transaction, until it ends: `exclusive`
    to delete files, shared to store a proof. Several keys are locked in one order (by lock id),
    so two transactions locking overlapping keys in one call cannot deadlock."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    if session.get_bind().dialect.name == "postgresql":
        take = func.pg_advisory_xact_lock if exclusive else func.pg_advisory_xact_lock_shared
        for number in sorted({lock_id(key) for key in wanted}):
            await session.execute(select(take(number)))
        return
    # SQLite has a single writer: any write holds the database for the rest of the transaction.
    await session.execute(
        update(MediaDiscard)
        .where(MediaDiscard.key.in_(wanted))
        .values(attempts=MediaDiscard.attempts)
        .execution_options(synchronize_session=False)
    )
