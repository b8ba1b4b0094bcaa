"""Proof photos: normalising uploads and storing them (locally or on S3).

`core.media.s3.S3MediaStore` is not imported here, so boto3 loads only when S3 is configured
(`media_store_from_settings` imports it on demand). Nor is `core.media.images` (Pillow):
`normalise_proof` and `normalise_proof_async` load it when first asked for.
"""

from typing import Any

from core.media.limits import MAX_UPLOAD_BYTES, ImageRejected, NormalisedImage
from core.media.storage import (
    InvalidMediaKey,
    LocalMediaStore,
    MediaNotFound,
    MediaStore,
    MediaStoreError,
    media_store_from_settings,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImageRejected",
    "InvalidMediaKey",
    "LocalMediaStore",
    "MediaNotFound",
    "MediaStore",
    "MediaStoreError",
    "NormalisedImage",
    "media_store_from_settings",
    "normalise_proof",
    "normalise_proof_async",
]


def __getattr__(name: str) -> Any:
    if name in ("normalise_proof", "normalise_proof_async"):
        from core.media import images

        return getattr(images, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
