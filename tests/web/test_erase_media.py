"""Erasing an account (web API and chat) and closing a group delete the proof images no other
proof uses; shared images stay; a store that fails does not undo the erasure and is logged."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Proof, User
from core.media.storage import LocalMediaStore, MediaStoreError
from tests.integration.test_media_storage import (  # the moto S3 server and its helpers
    moto_endpoint,  # noqa: F401
    new_bucket,
    s3_admin,  # noqa: F401
    s3_store,
)
from tests.support.bots import make_bot
from tests.support.console import ConsoleSession
from tests.support.images import jpeg
from tests.web.conftest import PASSWORD, Person, link_console_user, sign_up

RED, GREEN, BLUE = (200, 40, 40), (40, 200, 40), (40, 40, 200)


def photo(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> Path:
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(jpeg(320, 240, colour))
    return path


def stored(root: Path) -> set[str]:
    return {p.name for p in root.rglob("*.jpg")}


async def keys_of(database: Database, name: str) -> set[str]:
    async with database.session() as session:
        rows = await session.execute(
            select(Proof.image_key, Proof.thumb_key)
            .join(User, User.id == Proof.user_id)
            .where(User.display_name == name)
        )
        return {key for row in rows.all() for key in row}


async def crew(console: ConsoleSession, tmp_path: Path) -> None:
    """Olive owns Crew; Mia posts a photo Olive also posted (shared) and one of her own."""
    await console.say(":user Olive", ":chat group Crew", "/newgroup Crew")
    await console.say(f":photo {photo(tmp_path, 'shared', RED)}")
    await console.say(":user Mia", "/join", f":photo {photo(tmp_path, 'shared', RED)}")
    await console.say(f":photo {photo(tmp_path, 'own', GREEN)}")


async def test_erasing_through_the_api_deletes_only_unshared_images(
    api: httpx.AsyncClient, console: ConsoleSession, database: Database, tmp_path: Path
) -> None:
    mia = await sign_up(api, "Mia")
    await link_console_user(mia, console, "Mia")
    await crew(console, tmp_path)
    media = tmp_path / "media"
    olives, mias = await keys_of(database, "Olive"), await keys_of(database, "Mia")
    assert len(olives) == 2 and len(mias) == 4 and olives < mias
    assert stored(media) == mias
    erased = await mia.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code == 204, erased.text
    assert stored(media) == olives  # Olive's proof still shows its image
    assert "Proof" in await console.say(":user Olive", ":chat group Crew", "/board")


async def test_erasing_in_chat_and_closing_a_group_delete_their_images(
    console: ConsoleSession, database: Database, tmp_path: Path
) -> None:
    await crew(console, tmp_path)
    await console.say(":user Ned", ":chat group Solo", "/newgroup Solo")
    await console.say(f":photo {photo(tmp_path, 'solo', BLUE)}")
    neds = await keys_of(database, "Ned")
    media = tmp_path / "media"
    assert neds <= stored(media) and len(stored(media)) == 6
    left = await console.say("/leave")  # the last member: the group closes with its proofs
    assert "Solo" in left
    assert not neds & stored(media) and len(stored(media)) == 4
    mias, olives = await keys_of(database, "Mia"), await keys_of(database, "Olive")
    await console.say(":user Mia", ":chat dm", "/deleteme", ":press 1", ":press 1")
    assert stored(media) == olives and mias - olives
    # Olive was Crew's only other member: erasing her closes Crew, and its last image goes.
    out = await console.say(":user Olive", ":chat dm", "/deleteme", ":press 1", ":press 1")
    assert "Your profile is erased" in out
    assert stored(media) == set()


class DeletesFail(LocalMediaStore):
    """A store that keeps working for reads and writes but cannot delete (an outage)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.attempts = 0

    async def delete(self, key: str) -> None:
        self.attempts += 1
        raise MediaStoreError("delete", key, OSError("the store is down"))


async def test_a_failing_store_does_not_undo_the_erasure(
    database: Database,
    clock: SettableClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("core.media.discard.PAUSE_SECONDS", 0)
    store = DeletesFail(tmp_path / "media")
    console = ConsoleSession(make_bot(database, clock, media=store), clock, tmp_path / "out")
    await console.say(":user Mia", ":chat group Mine", "/newgroup Mine")
    await console.say(f":photo {photo(tmp_path, 'own', GREEN)}")
    keys = await keys_of(database, "Mia")
    with caplog.at_level(logging.WARNING, logger="habitlink.media"):
        out = await console.say(":chat dm", "/deleteme", ":press 1", ":press 1")
    assert "Your profile is erased" in out
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
        assert await session.scalar(select(func.count()).select_from(Proof)) == 0
    assert store.attempts == 3 * len(keys)  # each file tried three times
    left = [r for r in caplog.records if r.getMessage() == "proof image left in the store"]
    assert sorted(getattr(r, "key", "") for r in left) == sorted(keys)
    assert all(r.levelno == logging.ERROR for r in left)
    assert stored(tmp_path / "media") == keys  # left for an operator, referenced by nothing


async def test_an_erased_person_with_no_proofs_touches_no_files(
    api: httpx.AsyncClient, ada: Person, tmp_path: Path
) -> None:
    erased = await ada.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code == 204
    assert not (tmp_path / "media").exists() or stored(tmp_path / "media") == set()


async def test_erasing_deletes_unshared_images_on_s3(
    database: Database,
    clock: SettableClock,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    admin: Any = request.getfixturevalue("s3_admin")
    bucket = new_bucket(admin)
    store = s3_store(request.getfixturevalue("moto_endpoint"), bucket)
    console = ConsoleSession(make_bot(database, clock, media=store), clock, tmp_path / "out")
    await crew(console, tmp_path)

    def objects() -> set[str]:
        listed = admin.list_objects_v2(Bucket=bucket)
        return {o["Key"] for o in listed.get("Contents", [])}

    olives, mias = await keys_of(database, "Olive"), await keys_of(database, "Mia")
    assert objects() == mias
    await console.say(":user Mia", ":chat dm", "/deleteme", ":press 1", ":press 1")
    assert objects() == olives
