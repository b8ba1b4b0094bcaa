"""The media store port behaves the same on local disk and on S3 (moto's server, over real HTTP)."""

from __future__ import annotations

import asyncio
import os
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from moto.server import ThreadedMotoServer

from core.errors import NotFound
from core.media import (
    InvalidMediaKey,
    LocalMediaStore,
    MediaNotFound,
    MediaStore,
    MediaStoreError,
    media_store_from_settings,
    normalise_proof,
)
from core.media.s3 import S3MediaStore
from tests.support.images import noisy_jpeg
from tests.support.network import free_port

ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "eu-central-1"
UNSAFE_KEYS = [
    "../escape.jpg",
    "a/../../escape.jpg",
    "/etc/passwd",
    "",
    ".hidden.jpg",
    "a//b.jpg",
    "a/./b.jpg",
    "dir/",
    "back\\slash.jpg",
    "nul\x00.jpg",
    "x" * 513,
]


# --- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's S3 on a free loopback port; boto3 sees only dummy credentials, never real ones."""
    home = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        env.setenv("AWS_DEFAULT_REGION", REGION)
        env.setenv("AWS_CONFIG_FILE", str(home / "config"))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        env.delenv("AWS_PROFILE", raising=False)
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        env.setenv("NO_PROXY", "127.0.0.1,localhost")
        env.setenv("no_proxy", "127.0.0.1,localhost")
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture(scope="module")
def s3_admin(moto_endpoint: str) -> Any:
    """A plain boto3 client on the moto server, for setting up and inspecting buckets."""
    return boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def new_bucket(admin: Any) -> str:
    name = f"proofs-{uuid.uuid4().hex[:12]}"
    admin.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def s3_store(endpoint: str, bucket: str, **overrides: object) -> S3MediaStore:
    params: dict[str, object] = {
        "endpoint_url": endpoint,
        "region": REGION,
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "path_style": True,
    }
    params.update(overrides)
    return S3MediaStore(bucket, **params)  # type: ignore[arg-type]


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MediaStore]:
    if request.param == "local":
        yield LocalMediaStore(tmp_path / "media")
        return
    endpoint: str = request.getfixturevalue("moto_endpoint")
    yield s3_store(endpoint, new_bucket(request.getfixturevalue("s3_admin")))


@pytest.fixture(scope="module")
def jpeg() -> bytes:
    return noisy_jpeg(64, 48)


def fetch(link: str) -> tuple[bytes, str | None]:
    with urllib.request.urlopen(link, timeout=10) as response:
        return response.read(), response.headers.get("Content-Type")


def files_under(root: Path) -> list[str]:
    """Names of the files below `root` (sync, so the async tests call it without ASYNC240)."""
    return sorted(p.name for p in root.rglob("*") if p.is_file())


# --- the contract --------------------------------------------------------------------------
async def test_put_get_exists(store: MediaStore, jpeg: bytes) -> None:
    assert isinstance(store, MediaStore)
    assert not await store.exists("abc.jpg")
    await store.put("abc.jpg", jpeg)
    assert await store.exists("abc.jpg")
    assert await store.get("abc.jpg") == jpeg
    assert not await store.exists("abd.jpg")


async def test_delete_removes_and_tolerates_missing(store: MediaStore, jpeg: bytes) -> None:
    await store.put("gone.jpg", jpeg)
    await store.put("kept.jpg", jpeg)
    await store.delete("gone.jpg")
    assert not await store.exists("gone.jpg") and await store.exists("kept.jpg")
    await store.delete("gone.jpg")  # nothing there any more: not an error
    await store.delete("never.jpg")
    with pytest.raises(MediaNotFound):
        await store.get("gone.jpg")


async def test_put_replaces(store: MediaStore) -> None:
    await store.put("note.txt", b"first", "text/plain")
    await store.put("note.txt", b"second, longer", "text/plain")
    assert await store.get("note.txt") == b"second, longer"


async def test_empty_and_prefixed_keys(store: MediaStore) -> None:
    await store.put("groups/12/empty.bin", b"", "application/octet-stream")
    assert await store.get("groups/12/empty.bin") == b""
    assert await store.exists("groups/12/empty.bin")
    assert not await store.exists("groups/12")
    assert not await store.exists("groups/13/empty.bin")


async def test_missing_key_raises_media_not_found(store: MediaStore) -> None:
    with pytest.raises(MediaNotFound) as caught:
        await store.get("missing.jpg")
    error = caught.value
    assert error.key == "missing.jpg"
    assert isinstance(error, NotFound) and isinstance(error, KeyError)
    assert str(error) == error.message == "That photo is no longer available."


async def test_url_serves_the_stored_bytes(store: MediaStore, jpeg: bytes) -> None:
    await store.put("link.jpg", jpeg)
    link = await store.url("link.jpg", expires=600)
    body, _ = await asyncio.to_thread(fetch, link)
    assert body == jpeg


async def test_normalised_proof_round_trip(store: MediaStore) -> None:
    proof = normalise_proof(noisy_jpeg(900, 600, 40))
    await asyncio.gather(
        store.put(proof.key, proof.image, proof.content_type),
        store.put(proof.thumb_key, proof.thumbnail, proof.content_type),
    )
    assert await store.get(proof.key) == proof.image
    assert await store.get(proof.thumb_key) == proof.thumbnail
    assert all(await asyncio.gather(store.exists(proof.key), store.exists(proof.thumb_key)))


async def test_concurrent_puts_of_one_key_leave_one_whole_value(store: MediaStore) -> None:
    values = [bytes([n]) * (10_000 + n) for n in range(12)]
    await asyncio.gather(*(store.put("race.bin", v, "application/octet-stream") for v in values))
    assert await store.get("race.bin") in values


@pytest.mark.parametrize("key", UNSAFE_KEYS)
async def test_unsafe_keys_are_refused_everywhere(store: MediaStore, key: str) -> None:
    with pytest.raises(InvalidMediaKey):
        await store.put(key, b"x")
    with pytest.raises(InvalidMediaKey):
        await store.get(key)
    with pytest.raises(InvalidMediaKey):
        await store.exists(key)
    with pytest.raises(InvalidMediaKey):
        await store.url(key)
    with pytest.raises(InvalidMediaKey):
        await store.delete(key)


# --- local specifics -----------------------------------------------------------------------
async def test_local_store_never_writes_outside_its_root(tmp_path: Path) -> None:
    root = tmp_path / "media"
    store = LocalMediaStore(root)
    for key in ("../escape.jpg", "../../escape.jpg", "/tmp/escape.jpg", "a/../../escape.jpg"):
        with pytest.raises(InvalidMediaKey):
            await store.put(key, b"x")
    assert files_under(tmp_path) == []
    assert not await asyncio.to_thread(root.exists)  # not even the root was made


async def test_local_files_are_sharded_private_and_leave_no_temp_files(
    tmp_path: Path, jpeg: bytes
) -> None:
    store = LocalMediaStore(tmp_path)
    await store.put("abc.jpg", jpeg)
    path = store.path_for("abc.jpg")
    assert path.read_bytes() == jpeg
    relative = path.relative_to(tmp_path).parts
    assert len(relative) == 3 and len(relative[0]) == len(relative[1]) == 2
    assert relative[2] == "abc.jpg"
    assert path.stat().st_mode & 0o077 == 0
    assert files_under(tmp_path) == ["abc.jpg"]
    assert await store.url("abc.jpg") == path.as_uri()
    assert (await store.url("abc.jpg")).startswith("file:///")


async def test_local_failed_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalMediaStore(tmp_path)
    await store.put("keep.jpg", b"old")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(MediaStoreError) as caught:
        await store.put("keep.jpg", b"new")
    assert isinstance(caught.value.cause, OSError)
    monkeypatch.undo()
    assert await store.get("keep.jpg") == b"old"
    assert files_under(tmp_path) == ["keep.jpg"]


async def test_local_root_is_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = LocalMediaStore(Path("media"))
    real = await asyncio.to_thread(tmp_path.resolve)
    assert store.root == real / "media"
    await store.put("x.jpg", b"1")
    assert (await store.url("x.jpg")).startswith(f"file://{real}/media/")


# --- S3 specifics --------------------------------------------------------------------------
async def test_s3_stores_the_content_type(moto_endpoint: str, s3_admin: Any, jpeg: bytes) -> None:
    bucket = new_bucket(s3_admin)
    store = s3_store(moto_endpoint, bucket)
    await store.put("typed.jpg", jpeg)
    await store.put("notes/typed.txt", b"hello", "text/plain")
    head = s3_admin.head_object(Bucket=bucket, Key="typed.jpg")
    assert head["ContentType"] == "image/jpeg"
    assert head["ContentLength"] == len(jpeg)
    body, content_type = await asyncio.to_thread(fetch, await store.url("notes/typed.txt"))
    assert (body, content_type) == (b"hello", "text/plain")


async def test_s3_presigned_url_is_path_style_and_signed(moto_endpoint: str, s3_admin: Any) -> None:
    bucket = new_bucket(s3_admin)
    store = s3_store(moto_endpoint, bucket)
    link = await store.url("some/key.jpg", expires=120)
    assert link.startswith(f"{moto_endpoint}/{bucket}/some/key.jpg?")
    assert "X-Amz-Signature=" in link and "X-Amz-Expires=120" in link
    with pytest.raises(ValueError, match="expires"):
        await store.url("some/key.jpg", expires=0)
    with pytest.raises(ValueError, match="expires"):
        await store.url("some/key.jpg", expires=8 * 24 * 3600)


async def test_s3_missing_bucket_is_a_store_error(moto_endpoint: str) -> None:
    store = s3_store(moto_endpoint, f"nobucket-{uuid.uuid4().hex[:8]}")
    with pytest.raises(MediaStoreError) as caught:
        await store.put("a.jpg", b"x")
    assert caught.value.operation == "put"
    assert "try again" in caught.value.message


async def test_s3_unreachable_endpoint_is_a_store_error() -> None:
    store = s3_store(
        f"http://127.0.0.1:{free_port()}", "proofs", max_attempts=1, connect_timeout=1.0
    )
    with pytest.raises(MediaStoreError):
        await store.get("a.jpg")
    with pytest.raises(MediaStoreError):
        await store.exists("a.jpg")


def test_s3_credentials_come_in_pairs() -> None:
    with pytest.raises(ValueError, match="together"):
        S3MediaStore("proofs", access_key_id="only-the-id")
    with pytest.raises(ValueError, match="empty"):
        S3MediaStore("")


# --- the factory ---------------------------------------------------------------------------
async def test_factory_picks_local_without_a_bucket(tmp_path: Path) -> None:
    store = media_store_from_settings(
        media_dir=tmp_path / "media",
        s3_bucket=None,
        s3_endpoint_url="http://ignored",
        s3_region=None,
        s3_access_key_id=None,
        s3_secret_access_key=None,
        s3_path_style=False,
    )
    assert isinstance(store, LocalMediaStore)
    assert store.root == (tmp_path / "media").resolve()


async def test_factory_picks_s3_with_a_bucket(
    moto_endpoint: str, s3_admin: Any, tmp_path: Path
) -> None:
    bucket = new_bucket(s3_admin)
    store = media_store_from_settings(
        media_dir=tmp_path,
        s3_bucket=bucket,
        s3_endpoint_url=moto_endpoint,
        s3_region=REGION,
        s3_access_key_id=ACCESS_KEY,
        s3_secret_access_key=SECRET_KEY,
        s3_path_style=True,
    )
    assert isinstance(store, S3MediaStore)
    await store.put("factory.jpg", b"made by the factory")
    assert await store.get("factory.jpg") == b"made by the factory"
    assert files_under(tmp_path) == []
