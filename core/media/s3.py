"""The S3 media store: any S3-compatible service (AWS, MinIO, Cloudflare R2, Backblaze B2…).

boto3 is synchronous, so every call runs in a worker thread (`asyncio.to_thread`); the boto3
client itself is thread-safe and shared. Each store builds its client from its own
`boto3.session.Session`, never from boto3's global default session, which is not thread-safe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Final, ParamSpec, TypeVar

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from core.media.storage import MediaNotFound, MediaStoreError, check_key

# Error codes S3 and its look-alikes use for "no such object" (HEAD has no body, hence 404).
_MISSING: Final = frozenset({"NoSuchKey", "404", "NotFound"})
MAX_PRESIGN_SECONDS: Final = 7 * 24 * 3600  # SigV4's upper bound
P = ParamSpec("P")
T = TypeVar("T")


class S3MediaStore:
    """Objects in one bucket; links are presigned GET URLs.

    `path_style=True` addresses the bucket as `endpoint/bucket/key` instead of
    `bucket.endpoint/key`, which MinIO, moto and most self-hosted services need. Credentials
    left as None are found the usual boto3 way (environment, config files, instance role).
    """

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        path_style: bool = False,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_attempts: int = 3,
    ) -> None:
        if not bucket:
            raise ValueError("S3 bucket name is empty")
        if (access_key_id is None) != (secret_access_key is None):
            raise ValueError("S3 access key id and secret access key go together")
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        config = Config(
            signature_version="s3v4",
            retries={"max_attempts": max_attempts, "mode": "standard"},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=16,
            s3={"addressing_style": "path" if path_style else "auto"},
        )
        session = boto3.session.Session(
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            region_name=region,
        )
        self._client: Any = session.client("s3", endpoint_url=endpoint_url, config=config)

    def __repr__(self) -> str:
        where = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        return f"S3MediaStore({self.bucket!r}{where})"

    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        check_key(key)
        await self._call("put", key, self._put, key, data, content_type)

    async def get(self, key: str) -> bytes:
        check_key(key)
        return await self._call("get", key, self._get, key)

    async def exists(self, key: str) -> bool:
        check_key(key)
        try:
            await self._call("exists", key, self._head, key)
        except MediaNotFound:
            return False
        return True

    async def delete(self, key: str) -> None:
        check_key(key)
        try:
            await self._call("delete", key, self._delete, key)
        except MediaNotFound:
            return

    async def url(self, key: str, expires: int = 3600) -> str:
        check_key(key)
        if not 1 <= expires <= MAX_PRESIGN_SECONDS:
            raise ValueError(f"expires must be 1..{MAX_PRESIGN_SECONDS} seconds, not {expires}")
        return await self._call("url", key, self._presign, key, expires)

    # --- blocking halves, run in threads ---------------------------------------------------
    def _put(self, key: str, data: bytes, content_type: str) -> None:
        self._client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def _get(self, key: str) -> bytes:
        response = self._client.get_object(Bucket=self.bucket, Key=key)
        body = response["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    def _delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=key)

    def _head(self, key: str) -> None:
        self._client.head_object(Bucket=self.bucket, Key=key)

    def _presign(self, key: str, expires: int) -> str:
        link: str = self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
        )
        return link

    async def _call(
        self, operation: str, key: str, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `fn(*args)` in a thread, turning boto errors into the port's errors."""
        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise MediaNotFound(key) from exc
            raise MediaStoreError(operation, key, exc) from exc
        except BotoCoreError as exc:
            raise MediaStoreError(operation, key, exc) from exc
