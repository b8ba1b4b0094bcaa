"""Memory per proof photo stays bounded, whatever size of PNG people post.

PNG (and WebP, GIF, BMP) cannot be decoded at a reduced scale as JPEG can, so they have a
lower pixel cap, and a large one is reduced in strips right after decoding. Pillow allocates
pixels in C, out of `tracemalloc`'s sight, so the peak is measured as the growth of the
resident set (`ru_maxrss`) of a fresh process.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from core.media import images
from core.media.images import MAX_FULL_PIXELS, ImageRejected, normalise_proof

REPO_ROOT = Path(__file__).resolve().parents[2]
RGB, RGBA = 2, 6  # PNG colour types


def big_png(width: int, height: int, colour_type: int) -> bytes:
    """A PNG of a repeating gradient, compressed row by row: huge in pixels, small in bytes,
    and cheap to make (no full-size bitmap is ever built here)."""
    bands = {RGB: 3, RGBA: 4}[colour_type]

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row_bytes = width * bands
    row = b"\x00" + (bytes(range(256)) * (row_bytes // 256 + 1))[:row_bytes]
    compressor = zlib.compressobj(6)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


PEAK_SCRIPT = """
import json, resource, sys
from core.media.images import normalise_proof
from tests.unit.test_image_memory import big_png
width, height, colour_type = (int(a) for a in sys.argv[1:4])
data = big_png(width, height, colour_type)
normalise_proof(big_png(32, 32, colour_type))  # warm up: imports, codecs, allocator
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = normalise_proof(data)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_mb": (after - before) / 1024, "size": [result.width, result.height]}))
"""


def peak_of_normalising(width: int, height: int, colour_type: int) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(width), str(height), str(colour_type)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(run.stdout)
    return result


def test_a_50_megapixel_png_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    data = big_png(8660, 5773, RGBA)
    loaded: list[str] = []
    monkeypatch.setattr(Image.Image, "load", lambda self: loaded.append(self.mode))
    with pytest.raises(ImageRejected) as refused:
        normalise_proof(data)
    assert refused.value.message == images.TOO_MANY_PIXELS
    assert "24 megapixels" in refused.value.message
    assert loaded == []


def test_a_png_just_under_the_cap_peaks_near_one_bitmap() -> None:
    """4,800 x 5,000 RGBA: 96 MB of pixels once decoded. Converting it at full size (RGBA to
    premultiplied, to RGB, resizing) used to hold two or three such bitmaps at once."""
    width, height = 4800, 5000
    assert width * height <= MAX_FULL_PIXELS
    result = peak_of_normalising(width, height, RGBA)
    assert result["size"] == [1536, 1600]
    bitmap_mb = width * height * 4 / 2**20
    assert isinstance(result["peak_mb"], float)
    # One full-size bitmap, plus a working set of the reduced picture (2,400 x 2,500 here).
    assert result["peak_mb"] < bitmap_mb + 60, result


def test_reduced_pictures_match_a_direct_resize() -> None:
    """The strip-wise reduction gives the picture a one-piece reduction would."""
    source = Image.linear_gradient("L").resize((3400, 1000)).convert("RGBA")
    source.putalpha(Image.linear_gradient("L").resize((3400, 1000)))
    strips = images._reduce(source, 1600)
    whole = source.reduce(2)
    assert strips.size == whole.size == (1700, 500)
    assert strips.tobytes() == whole.tobytes()
