"""Proof photos: turn whatever a member posted into a small, clean, content-addressed JPEG.

`normalise_proof` is synchronous and CPU-bound (Pillow releases the GIL while it decodes,
resizes and encodes); async callers use `normalise_proof_async`, which runs it in a thread.

What it does, in order:

1. refuses payloads over `MAX_UPLOAD_BYTES` before looking at them;
2. opens the data with a short list of photo formats and reads the header only, refusing
   anything over `MAX_PIXELS` (a decompression bomb) before a single pixel is decoded, and
   formats that must be decoded at full size (PNG, WebP, GIF, BMP) over `MAX_FULL_PIXELS`;
3. asks JPEG decoders for a reduced-scale decode (`Image.draft`): libjpeg decodes a 12 MP photo
   at 1/2, 1/4 or 1/8 scale straight away, so the full-size bitmap never exists in memory;
   other formats are reduced by a whole factor (`Image.reduce`) right after decoding, in their
   own mode, so every later step works on a small picture (one full-size bitmap at most);
4. flattens transparency onto white, converts to sRGB (through the embedded ICC profile when
   there is one) and to plain RGB;
5. fits the result in `MAX_SIDE` pixels (Hamming: after the half-scale decode only a 1.25 step
   is left, where it is within 0.3 dB of Lanczos once encoded, at half its cost), makes a
   `THUMB_SIDE` thumbnail from that, then applies the EXIF orientation to both (rotating the
   small pictures, not the decoded one: the same orientation, fewer pixels to move);
6. re-encodes both as baseline JPEG with no metadata at all (no EXIF, so no GPS position; no
   XMP, ICC profile or comments). The photo skips libjpeg's Huffman optimisation pass, the
   thumbnail keeps it (see `_encode`).

The key is the SHA-256 of the normalised JPEG, so the same photo always gets the same key.
Pillow's global settings (`MAX_IMAGE_PIXELS`, `LOAD_TRUNCATED_IMAGES`) are left alone: our
limits are lower. Async callers share one small pool of `IMAGE_WORKERS` threads, so several
large proofs at once wait their turn instead of taking every core and all the memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from typing import Final

from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError

from core.media.limits import (
    DAMAGED,
    EMPTY,
    MAX_FULL_PIXELS,
    MAX_PIXELS,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    NOT_AN_IMAGE,
    THUMB_SIDE,
    TOO_LARGE,
    TOO_MANY_PIXELS,
    ImageRejected,
    NormalisedImage,
)

log = logging.getLogger(__name__)

IMAGE_WORKERS: Final = 2
_STRIP_ROWS: Final = 256
JPEG_QUALITY: Final = 85
THUMB_QUALITY: Final = 80
RESAMPLE: Final = Image.Resampling.HAMMING
# Formats a phone or a desktop chat client sends as a photo. TIFF, PSD, EPS and friends are
# left out on purpose: a smaller attack surface, and nobody posts a TIFF as a proof photo.
ACCEPTED_FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
# What Pillow raises for data it cannot decode, besides the decompression-bomb errors. Nearly
# always OSError (UnidentifiedImageError is one); the rest come from individual plugins.
# KeyError/TypeError are left out on purpose: from this code they would be bugs, not bad input.
_DECODE_ERRORS: Final = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    struct.error,
    zlib.error,
    MemoryError,
)
_SRGB: Final = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_WHITE: Final = (255, 255, 255)


def normalise_proof(data: bytes) -> NormalisedImage:
    """Validate, orient, strip, shrink and re-encode a proof photo (blocking; see module doc).

    Raises `ImageRejected` (a `core.errors.InvalidInput`) with a chat-ready message when the
    data is empty, too big, not a photo, a decompression bomb, or damaged.
    """
    if not data:
        raise ImageRejected(EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected(TOO_LARGE)
    try:
        decoded, orientation = _decode(data)
        picture = _fit(decoded, MAX_SIDE)
        del decoded
        thumb = _fit(picture, THUMB_SIDE, reducing_gap=1.0)
        picture = _orient(picture, orientation)
        thumb = _orient(thumb, orientation)
        image = _encode(picture, JPEG_QUALITY, optimize=False)
        thumbnail = _encode(thumb, THUMB_QUALITY, optimize=True)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own limit (raised by Image.open) is above ours, so this is only reached
        # for gigantic headers, or when warnings are turned into errors.
        raise ImageRejected(TOO_MANY_PIXELS) from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(NOT_AN_IMAGE) from exc
    except _DECODE_ERRORS as exc:
        log.info("proof photo rejected as damaged: %s: %s", type(exc).__name__, exc)
        raise ImageRejected(DAMAGED) from exc
    digest = hashlib.sha256(image).hexdigest()
    return NormalisedImage(
        image=image,
        thumbnail=thumbnail,
        width=picture.width,
        height=picture.height,
        key=f"{digest}.jpg",
        thumb_key=f"{digest}-thumb.jpg",
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )


_POOL = ThreadPoolExecutor(max_workers=IMAGE_WORKERS, thread_name_prefix="proof-image")


async def normalise_proof_async(data: bytes) -> NormalisedImage:
    """`normalise_proof` in the proof-image pool, so the event loop keeps serving other chats
    and at most `IMAGE_WORKERS` proofs are decoded at once."""
    return await asyncio.get_running_loop().run_in_executor(_POOL, normalise_proof, data)


def fitted_size(size: tuple[int, int], limit: int) -> tuple[int, int]:
    """`size` scaled down (never up) so its long side is at most `limit`, keeping the aspect."""
    width, height = size
    long_side = max(width, height)
    if long_side <= limit:
        return width, height
    scale = limit / long_side
    return max(1, round(width * scale)), max(1, round(height * scale))


# --- steps ---------------------------------------------------------------------------------
def _decode(data: bytes) -> tuple[Image.Image, int]:
    """Open, check the header, decode (reduced scale for JPEG), convert to sRGB RGB; return the
    picture (not yet oriented) and its EXIF orientation (1 when absent or unreadable)."""
    with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as source:
        width, height = source.size
        if width < 1 or height < 1:
            raise ImageRejected(DAMAGED)
        limit = MAX_PIXELS if source.format == "JPEG" else MAX_FULL_PIXELS
        if width * height > limit:
            raise ImageRejected(TOO_MANY_PIXELS)
        # JPEG only (a no-op for other formats): decode at the largest 1/2, 1/4 or 1/8 scale
        # that still covers the final size, so resizing afterwards loses nothing.
        source.draft("RGB", fitted_size(source.size, MAX_SIDE))
        source.load()
        icc = source.info.get("icc_profile")
        orientation = _orientation(source)
        picture = _reduce(source, MAX_SIDE)
        return _to_srgb(picture, icc if isinstance(icc, bytes) else None), orientation


def _reduce(image: Image.Image, limit: int) -> Image.Image:
    """A much larger picture reduced by a whole factor (a box average) that keeps its long
    side at `limit` or more, in its own mode, so later steps work on a small copy.

    It goes in strips of rows: Pillow reduces RGBA through a premultiplied full-size copy,
    which a strip keeps small. Modes Pillow cannot reduce (palettes, 1-bit) are left as is."""
    factor = max(image.size) // limit
    if factor < 2:
        return image
    width, height = image.size
    out = Image.new(image.mode, (-(-width // factor), -(-height // factor)))
    rows = factor * max(1, _STRIP_ROWS // factor)
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(top + rows, height)))
        try:
            reduced = strip.reduce(factor)
        except ValueError:
            return image
        out.paste(reduced, (0, top // factor))
    return out


# EXIF orientation -> the transpose that shows the photo as a viewer would (as ImageOps does).
_TRANSPOSE: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation tag; unreadable EXIF leaves the photo as it was sent (1)."""
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except _DECODE_ERRORS as exc:
        log.info("ignoring unreadable EXIF in a proof photo: %s: %s", type(exc).__name__, exc)
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE else 1


def _orient(image: Image.Image, orientation: int) -> Image.Image:
    """`image` turned and flipped per the EXIF `orientation`. Resizing commutes with these
    transposes (`fitted_size` is symmetric), so orienting after the resize gives the same
    picture as before it, on far fewer pixels."""
    method = _TRANSPOSE.get(orientation)
    return image if method is None else image.transpose(method)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Plain 8-bit RGB in sRGB: transparency on white, ICC profile applied, palettes expanded."""
    mode = image.mode
    if mode in ("I", "F") or mode.startswith("I;16"):
        # 16-bit and float greyscale: keep the top 8 bits rather than clipping at 255.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
        mode = "L"
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
        mode = "RGB"
    if icc and mode in ("RGB", "CMYK", "L"):
        converted = _apply_icc(image, icc)
        if converted is not None:
            return converted
    return image if mode == "RGB" else image.convert("RGB")


def _apply_icc(image: Image.Image, icc: bytes) -> Image.Image | None:
    """Convert through the embedded profile to sRGB; None when the profile is unusable."""
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc))
        result = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
        log.info("ignoring unusable ICC profile in a proof photo: %s", exc)
        return None
    return result


def _fit(image: Image.Image, limit: int, *, reducing_gap: float = 2.0) -> Image.Image:
    size = fitted_size(image.size, limit)
    if size == image.size:
        return image
    # Hamming: after the half-scale JPEG decode the step left is 2000 -> 1600 px. Once encoded
    # at q85 the result is 0.2-0.3 dB PSNR from bicubic's against an ideal full-size Lanczos
    # resize (not visible), at about half the CPU: what keeps a proof within 1.4x of a full
    # decode (issue 15, bench/README.md bench_images).
    # reducing_gap: a cheap box reduction first when the source is much larger (a big PNG),
    # then the filter over the last factor of two or so. The thumbnail passes 1.0: 1600 px to
    # 320 is a whole factor, so it is a plain 5x5 box average (an area average, what a
    # thumbnail needs), and only a remainder of a pixel or so is left for the filter.
    return image.resize(size, RESAMPLE, reducing_gap=reducing_gap)


def _encode(image: Image.Image, quality: int, *, optimize: bool) -> bytes:
    """Baseline JPEG, 4:2:0. Progressive and Huffman-optimised output change no pixel (the same
    quantised coefficients, other entropy coding) but cost CPU: for the 1600 px photo a
    progressive encode took 0.6x a full 12 MP decode and an optimised baseline one 0.25x,
    against 0.12x plain, which is what keeps a proof within 1.4x of a full decode (issue 15;
    bench/README.md). The photo is about 5-8 % larger for it; the thumbnail is cheap enough
    to optimise."""
    # Pillow copies `info` along through convert/resize and writes some of it back (comments,
    # for one); an empty dict means the JPEG carries pixels and nothing else.
    image.info = {}
    out = BytesIO()
    image.save(
        out,
        format="JPEG",
        quality=quality,
        optimize=optimize,
        progressive=False,
        subsampling="4:2:0",
    )
    return out.getvalue()
