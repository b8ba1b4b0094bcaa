"""Proof photos: normalising uploads and storing them (locally or on S3).

`core.media.s3.S3MediaStore` is not imported here, so boto3 loads only when S3 is configured
(`media_store_from_settings` imports it on demand).
"""

from core.media.images import (
    MAX_UPLOAD_BYTES,
    ImageRejected,
    NormalisedImage,
    normalise_proof,
    normalise_proof_async,
)
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
