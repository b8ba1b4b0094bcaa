"""Where proof photos live: the `MediaStore` port, a local-directory store and the factory.

The S3 store lives in `core.media.s3` and is imported only when configured, so a deployment
on local disk never loads boto3.

Keys are relative, slash-separated names such as `3f2a….jpg` or `groups/12/3f2a….jpg`: each
segment is letters, digits, `.`, `_` or `-`, and must not start with a dot, so a key can never
name a parent directory, a hidden file or an absolute path on any store.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Final, Protocol, runtime_checkable

from core.errors import HabitLinkError, NotFound

MAX_KEY_LENGTH: Final = 512
_SEGMENT: Final = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


class MediaNotFound(NotFound, KeyError):
    """No object under that key (also a KeyError, for code that treats stores as mappings)."""

    def __init__(self, key: str) -> None:
        super().__init__("That photo is no longer available.")
        self.key = key

    def __str__(self) -> str:
        # KeyError's own __str__ would show the repr of the message.
        return self.message


class MediaStoreError(HabitLinkError):
    """The store could not be reached or refused the operation; worth trying again later."""

    def __init__(self, operation: str, key: str, cause: BaseException | None = None) -> None:
        super().__init__("I couldn't reach the photo storage just now. Please try again shortly.")
        self.operation = operation
        self.key = key
        self.cause = cause


class InvalidMediaKey(ValueError):
    """A key that is empty, too long, absolute, or contains `..`/hidden or odd segments.

    A programming error, not a user one: keys come from `NormalisedImage.key` and friends.
    """


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative key (see the module docstring), else raise."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidMediaKey(f"media key must be 1..{MAX_KEY_LENGTH} characters: {key!r}")
    if any(not _SEGMENT.fullmatch(segment) for segment in key.split("/")):
        raise InvalidMediaKey(f"unsafe media key: {key!r}")
    return key


@runtime_checkable
class MediaStore(Protocol):
    """Stores bytes under keys and hands out links to them."""

    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        """Store `data` under `key`, replacing what was there; readers never see half a file."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under `key`; raises `MediaNotFound` when there are none."""
        ...

    async def exists(self, key: str) -> bool:
        """Whether something is stored under `key`."""
        ...

    async def delete(self, key: str) -> None:
        """Remove what is stored under `key`; nothing stored there is not an error."""
        ...

    async def url(self, key: str, expires: int = 3600) -> str:
        """A link to the object (file:// locally, a presigned HTTPS URL on S3).

        Does not check that the object exists; the link may stop working after `expires`
        seconds (local links never expire).
        """
        ...


class LocalMediaStore:
    """Objects as files under `root`, spread over 256 × 256 directories.

    The directory of a key is taken from the SHA-256 of the key (`root/ab/cd/<key>`), so the
    spread is even whatever the keys look like. Writes go to a temporary file in the target
    directory which is fsynced and renamed over the target, so a crash leaves either the old
    file or the new one. Files are created private to the service's user (mode 0600). The
    content type is not recorded; the key's extension carries it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()

    def __repr__(self) -> str:
        return f"LocalMediaStore({str(self.root)!r})"

    def path_for(self, key: str) -> Path:
        """The file a key is stored in (whether or not it exists)."""
        check_key(key)
        fan = hashlib.sha256(key.encode()).hexdigest()
        path = self.root.joinpath(fan[:2], fan[2:4], *key.split("/"))
        # check_key already rules out escapes; this guards against a future change to it.
        if not path.is_relative_to(self.root):
            raise InvalidMediaKey(f"unsafe media key: {key!r}")
        return path

    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        path = self.path_for(key)
        try:
            await asyncio.to_thread(_write_atomically, path, data)
        except OSError as exc:
            raise MediaStoreError("put", key, exc) from exc

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
            raise MediaNotFound(key) from exc
        except OSError as exc:
            raise MediaStoreError("get", key, exc) from exc

    async def exists(self, key: str) -> bool:
        path = self.path_for(key)
        return await asyncio.to_thread(path.is_file)

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        try:
            await asyncio.to_thread(path.unlink, missing_ok=True)
        except OSError as exc:
            raise MediaStoreError("delete", key, exc) from exc

    async def url(self, key: str, expires: int = 3600) -> str:
        return self.path_for(key).as_uri()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def media_store_from_settings(
    *,
    media_dir: Path,
    s3_bucket: str | None,
    s3_endpoint_url: str | None = None,
    s3_region: str | None = None,
    s3_access_key_id: str | None = None,
    s3_secret_access_key: str | None = None,
    s3_path_style: bool = False,
) -> MediaStore:
    """S3 when a bucket is configured, otherwise files under `media_dir`.

    Plain arguments so that core does not depend on the bot's settings; the caller passes
    e.g. `settings.s3_secret_access_key.get_secret_value()`.
    """
    if not s3_bucket:
        return LocalMediaStore(media_dir)
    from core.media.s3 import S3MediaStore

    return S3MediaStore(
        s3_bucket,
        endpoint_url=s3_endpoint_url or None,
        region=s3_region or None,
        access_key_id=s3_access_key_id or None,
        secret_access_key=s3_secret_access_key or None,
        path_style=s3_path_style,
    )
