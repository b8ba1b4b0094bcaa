"""A proof's photo goes to the media store before its transaction takes the database's lock: a
stalled S3 holds up nobody else's check-in, and files whose proof the database refuses are
deleted again. S3 is moto's server over real HTTP, behind a proxy that can stall it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import MediaDiscard, Proof
from core.media.s3 import S3MediaStore
from tests.integration.test_media_storage import (  # the moto S3 server and its helpers
    moto_endpoint,  # noqa: F401
    new_bucket,
    s3_admin,  # noqa: F401
    s3_store,
)
from tests.support.bots import make_bot
from tests.support.console import ConsoleSession
from tests.support.tcp_proxy import FreezingProxy, freezing_proxy
from tests.web.test_erase_media import BLUE, RED, photo

PROMPTLY = 2.0  # seconds: a check-in takes milliseconds; before, it waited 5 s for the lock


def objects(admin: Any, bucket: str) -> set[str]:
    listed = admin.list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listed.get("Contents", [])}


async def until(condition: Any, what: str, timeout: float = 10.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


@pytest.fixture
async def stalling_s3(moto_endpoint: str) -> AsyncIterator[FreezingProxy]:  # noqa: F811
    """A proxy in front of moto's S3 that can stop answering (freeze) and go on (thaw)."""
    where = urlsplit(moto_endpoint)
    async with freezing_proxy(where.hostname or "127.0.0.1", where.port or 80) as proxy:
        yield proxy


async def test_a_check_in_is_not_held_up_by_a_stalled_upload(
    database: Database,
    clock: SettableClock,
    tmp_path: Path,
    stalling_s3: FreezingProxy,
    s3_admin: Any,  # noqa: F811
) -> None:
    bucket = new_bucket(s3_admin)
    store = s3_store(f"http://127.0.0.1:{stalling_s3.port}", bucket, max_attempts=1)
    bot = make_bot(database, clock, media=store)
    mia = ConsoleSession(bot, clock, tmp_path / "mia")
    ned = ConsoleSession(bot, clock, tmp_path / "ned")
    await mia.say(":user Mia", ":chat group Crew", "/newgroup Crew")
    await ned.say(":user Ned", "/newhabit Read")

    stalling_s3.freeze()  # S3 stops answering, as a slow or stuck service does
    connections = stalling_s3.accepted
    posting = asyncio.create_task(mia.say(f":photo {photo(tmp_path, 'run', RED)}"))
    await until(lambda: stalling_s3.accepted > connections, "the upload to reach S3")
    started = time.monotonic()
    done = await asyncio.wait_for(ned.say("/done read"), 10)
    took = time.monotonic() - started
    assert "Read" in done and "couldn't" not in done, done
    assert took < PROMPTLY, f"/done took {took:.2f} s while an upload was stalled"
    assert not posting.done()  # Mia's photo is still on its way

    stalling_s3.thaw()
    saved = await asyncio.wait_for(posting, 30)
    assert "Proof saved, Mia!" in saved
    async with database.session() as session:
        keys = (await session.execute(select(Proof.image_key, Proof.thumb_key))).one()
    assert await asyncio.to_thread(objects, s3_admin, bucket) == set(keys)


REFUSE_PROOFS = {
    "sqlite": [
        "CREATE TRIGGER refuse_proofs BEFORE INSERT ON proofs "
        "BEGIN SELECT RAISE(ABORT, 'no proofs today'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_proof() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'no proofs today'; END $$",
        "CREATE TRIGGER refuse_proofs BEFORE INSERT ON proofs "
        "FOR EACH ROW EXECUTE FUNCTION refuse_proof()",
    ],
}
ALLOW_PROOFS = {
    "sqlite": ["DROP TRIGGER refuse_proofs"],
    "postgresql": ["DROP TRIGGER refuse_proofs ON proofs", "DROP FUNCTION refuse_proof()"],
}


async def run(database: Database, statements: dict[str, list[str]]) -> None:
    async with database.engine.begin() as conn:
        for statement in statements[database.dialect]:
            await conn.execute(text(statement))


async def test_files_of_a_proof_the_database_refuses_are_deleted(
    database: Database,
    clock: SettableClock,
    tmp_path: Path,
    moto_endpoint: str,  # noqa: F811
    s3_admin: Any,  # noqa: F811
) -> None:
    bucket = new_bucket(s3_admin)
    store: S3MediaStore = s3_store(moto_endpoint, bucket)
    bot = make_bot(database, clock, media=store)
    mia = ConsoleSession(bot, clock, tmp_path / "mia")
    await mia.say(":user Mia", ":chat group Crew", "/newgroup Crew")
    assert "Proof saved" in await mia.say(f":photo {photo(tmp_path, 'kept', RED)}")
    kept = await asyncio.to_thread(objects, s3_admin, bucket)
    assert len(kept) == 2  # the photo and its thumbnail

    await run(database, REFUSE_PROOFS)  # the database refuses every new proof from now on
    try:
        refused = await mia.say(f":photo {photo(tmp_path, 'new', BLUE)}")
        again = await mia.say(f":photo {photo(tmp_path, 'same', RED)}")  # another proof uses it
    finally:
        await run(database, ALLOW_PROOFS)
    assert "I couldn't save that just now" in refused
    assert "I couldn't save that just now" in again
    assert await asyncio.to_thread(objects, s3_admin, bucket) == kept  # no orphaned object
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Proof)) == 1
        assert await session.scalar(select(func.count()).select_from(MediaDiscard)) == 0
