"""What callers of proof-photo normalising need without loading Pillow: limits, messages,
the result type. `core.media.images` does the work (and imports Pillow, about 4 MB, on first
use of a proof photo rather than at start-up)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from core.errors import InvalidInput

MAX_UPLOAD_BYTES: Final = 20 * 1024 * 1024
MAX_PIXELS: Final = 50_000_000  # a JPEG, decoded at a reduced scale
# Formats decoded at full size: 24 MP of RGBA is 96 MB, the most one proof may hold at once.
MAX_FULL_PIXELS: Final = 24_000_000
MAX_SIDE: Final = 1600
THUMB_SIDE: Final = 320

NOT_AN_IMAGE = "That doesn't look like a photo. Please send a JPEG, PNG, WebP or GIF picture."
TOO_LARGE = f"That file is too big; photos can be up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
TOO_MANY_PIXELS = (
    f"That picture is too large to process (over {MAX_FULL_PIXELS // 1_000_000} megapixels, "
    f"or {MAX_PIXELS // 1_000_000} for a JPEG photo). Please send a smaller photo."
)
DAMAGED = "I couldn't read that photo; the file seems damaged or incomplete. Please send it again."
EMPTY = "That file is empty. Please send the photo again."


class ImageRejected(InvalidInput):
    """The upload cannot be used as a proof photo; the message tells the member why."""


@dataclass(frozen=True)
class NormalisedImage:
    """A proof photo ready to store: JPEG bytes without metadata, plus a thumbnail."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int
    key: str
    thumb_key: str
    thumb_width: int
    thumb_height: int

    content_type = "image/jpeg"
