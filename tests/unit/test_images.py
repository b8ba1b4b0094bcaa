"""Proof photo normalisation: every input is generated here with Pillow (or crafted by hand)."""

from __future__ import annotations

import hashlib
import io
import os
import random
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms
from PIL.JpegImagePlugin import JpegImageFile

from core.errors import InvalidInput
from core.media import images
from core.media.images import (
    MAX_PIXELS,
    MAX_UPLOAD_BYTES,
    ImageRejected,
    NormalisedImage,
    fitted_size,
    normalise_proof,
    normalise_proof_async,
)

RED = (255, 0, 0)
WHITE = (255, 255, 255)


# --- helpers -------------------------------------------------------------------------------
def encode(image: Image.Image, fmt: str = "JPEG", **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close_to(pixel: Any, expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def jpeg_markers(data: bytes) -> list[int]:
    """The marker bytes of a JPEG's segments up to the start of the scan (0xDA)."""
    assert data[:2] == b"\xff\xd8"
    markers: list[int] = []
    pos = 2
    while pos < len(data):
        assert data[pos] == 0xFF, f"bad marker at {pos}"
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    raise AssertionError("no start-of-scan")


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    """A valid-looking PNG whose header claims `width` × `height` 1-bit pixels; tiny on disk."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG with its frame header rewritten to claim `width` × `height`."""
    data = bytearray(encode(Image.new("RGB", (16, 16), RED)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def photo(size: tuple[int, int] = (640, 480), seed: int = 1) -> Image.Image:
    """Gradients with grain and blotches: compresses like a photo, unlike a flat colour."""
    small = (max(1, size[0] // 4), max(1, size[1] // 4))
    gradient = Image.linear_gradient("L").resize(size)
    blotches = Image.effect_noise(small, 40 + seed).resize(size, Image.Resampling.BILINEAR)
    red = Image.blend(gradient, blotches, 0.4)
    green = gradient.transpose(Image.Transpose.ROTATE_90).resize(size)
    blue = Image.effect_noise(size, 20 + seed)
    return Image.merge("RGB", (red, green, blue))


def exif_with_gps_and_orientation(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (52.0, 22.0, 12.5)  # GPSLatitude
    gps[3] = "E"  # GPSLongitudeRef
    gps[4] = (4.0, 53.0, 42.0)  # GPSLongitude
    return exif.tobytes()


# --- metadata and orientation --------------------------------------------------------------
def test_orientation_is_applied_and_every_bit_of_metadata_dropped() -> None:
    source = Image.new("RGB", (400, 200), WHITE)
    source.paste(RED, (0, 0, 40, 40))  # marker in the stored top-left corner
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        source,
        exif=exif_with_gps_and_orientation(6),
        xmp=b"<x:xmpmeta><rdf:Description exif:GPSLatitude='52,22N'/></x:xmpmeta>",
        comment=b"taken at home",
        icc_profile=srgb,
        quality=95,
    )
    assert decode(data).getexif().get_ifd(0x8825)  # the input really carries GPS

    result = normalise_proof(data)

    out = decode(result.image)
    # Orientation 6 means "rotate 90° clockwise to display": landscape becomes portrait and
    # the stored top-left corner ends up top-right.
    assert out.size == (200, 400) == (result.width, result.height)
    assert close_to(out.getpixel((200 - 15, 15)), RED)
    assert close_to(out.getpixel((15, 15)), WHITE)
    assert close_to(out.getpixel((15, 400 - 15)), WHITE)
    for blob in (result.image, result.thumbnail):
        image = decode(blob)
        assert not image.getexif()
        assert not {"exif", "xmp", "comment", "icc_profile", "dpi"} & set(image.info)
        # Only the JFIF header (APP0) before the pixels: no APP1 (EXIF/XMP), APP2 (ICC),
        # APP13 (IPTC) or COM segments.
        markers = jpeg_markers(blob)
        assert 0xE0 in markers
        assert not [m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE]
        for secret in (b"Exif", b"GPS", b"PhoneMaker", b"xmpmeta", b"taken at home"):
            assert secret not in blob


@pytest.mark.parametrize(
    ("orientation", "corner"),
    [(1, (0, 0)), (3, (1, 1)), (6, (1, 0)), (8, (0, 1)), (2, (1, 0)), (4, (0, 1))],
)
def test_each_orientation_moves_the_marker_where_a_viewer_would_see_it(
    orientation: int, corner: tuple[int, int]
) -> None:
    source = Image.new("RGB", (300, 200), WHITE)
    source.paste(RED, (0, 0, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = decode(normalise_proof(encode(source, exif=exif.tobytes())).image)
    x = out.width - 10 if corner[0] else 10
    y = out.height - 10 if corner[1] else 10
    assert close_to(out.getpixel((x, y)), RED)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")  # Pillow complains, and carries on
def test_unreadable_exif_does_not_reject_the_photo() -> None:
    data = encode(Image.new("RGB", (50, 40), RED), exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00")
    result = normalise_proof(data)
    assert (result.width, result.height) == (50, 40)


# --- refusals ------------------------------------------------------------------------------
def test_decompression_bomb_png_claiming_900_megapixels_is_refused() -> None:
    data = png_claiming(30000, 30000)
    assert len(data) < 200
    with pytest.raises(ImageRejected, match="too large to process"):
        normalise_proof(data)
    assert Image.MAX_IMAGE_PIXELS == 89_478_485  # Pillow's global limit left untouched


def test_real_bomb_built_with_pillow_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 1-bit PNG just over our limit (below Pillow's): a few KB that would decode huge."""
    side = int(MAX_PIXELS**0.5) + 10
    data = encode(Image.new("1", (side, side)), "PNG", optimize=True)
    assert len(data) < 64 * 1024
    loaded: list[str] = []
    monkeypatch.setattr(Image.Image, "load", lambda self: loaded.append(self.mode))
    with pytest.raises(ImageRejected, match="too large to process"):
        normalise_proof(data)
    assert loaded == []


@pytest.mark.parametrize(
    "data",
    [jpeg_claiming(8000, 8000), jpeg_claiming(65000, 65000), png_claiming(8000, 7000)],
    ids=["jpeg-64MP", "jpeg-4GP", "png-56MP"],
)
def test_headers_claiming_too_many_pixels_are_refused(data: bytes) -> None:
    with pytest.raises(ImageRejected, match="too large to process"):
        normalise_proof(data)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bomb_in_pillows_warning_range_is_refused() -> None:
    with pytest.raises(ImageRejected, match="too large to process"):
        normalise_proof(png_claiming(10000, 10000))


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_bomb_warning_turned_into_an_error_is_a_refusal_too() -> None:
    with pytest.raises(ImageRejected, match="too large to process"):
        normalise_proof(png_claiming(10000, 10000))


def test_text_file_named_jpg_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "proof.jpg"
    fake.write_text("I promise I went for a run today!\n", encoding="utf-8")
    with pytest.raises(ImageRejected) as caught:
        normalise_proof(fake.read_bytes())
    assert "doesn't look like a photo" in caught.value.message
    assert isinstance(caught.value, InvalidInput)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj<<>>endobj\n",
        b"<html><body>hi</body></html>",
        bytes(range(256)) * 4,
        encode(Image.new("RGB", (20, 20), RED), "TIFF"),  # an image, but not a photo format
    ],
    ids=["pdf", "html", "binary", "tiff"],
)
def test_other_non_photos_are_refused(data: bytes) -> None:
    with pytest.raises(ImageRejected, match="doesn't look like a photo"):
        normalise_proof(data)


def test_empty_upload_is_refused() -> None:
    with pytest.raises(ImageRejected, match="empty"):
        normalise_proof(b"")


def test_25_mb_upload_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    data = os.urandom(25 * 1024 * 1024)

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("the image was opened")

    monkeypatch.setattr(Image, "open", no_decoding)
    with pytest.raises(ImageRejected, match="too big; photos can be up to 20 MB"):
        normalise_proof(data)


def test_limit_is_inclusive_at_20_mb() -> None:
    with pytest.raises(ImageRejected) as caught:
        normalise_proof(b"\x00" * MAX_UPLOAD_BYTES)
    assert "too big" not in caught.value.message  # refused, but for not being a photo


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_truncated_photo_is_refused_as_damaged(fmt: str) -> None:
    data = encode(photo((200, 150)), fmt)
    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        normalise_proof(data[: len(data) // 2])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF", "BMP"])
def test_corrupted_inputs_only_ever_raise_image_rejected(fmt: str) -> None:
    """A small fuzz: flipped bytes and cut files either normalise or are refused politely."""
    mode = "P" if fmt == "GIF" else "RGB"
    original = encode(photo((96, 64)).convert(mode), fmt)
    rng = random.Random(f"{fmt}-corrupt")
    outcomes = {"ok": 0, "rejected": 0}
    for _ in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(1, len(data))]
        try:
            normalise_proof(bytes(data))
        except ImageRejected as exc:
            assert exc.message in {images.NOT_AN_IMAGE, images.DAMAGED, images.TOO_MANY_PIXELS}
            outcomes["rejected"] += 1
        else:
            outcomes["ok"] += 1
    assert outcomes["rejected"] > 0


def test_refusal_messages_are_written_for_chat_users() -> None:
    for message in (images.NOT_AN_IMAGE, images.TOO_LARGE, images.TOO_MANY_PIXELS, images.DAMAGED):
        assert message.endswith(".")
        for jargon in ("PIL", "Pillow", "Error", "decompression", "EXIF", "bytes"):
            assert jargon not in message


# --- sizes ---------------------------------------------------------------------------------
def test_12_megapixel_jpeg_becomes_1600_with_a_320_thumbnail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = encode(photo((4000, 3000)), quality=90)
    drafted: list[tuple[int, int]] = []
    real_draft = JpegImageFile.draft

    def spy(self: JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> Any:
        result = real_draft(self, mode, size)
        drafted.append(self.size)
        return result

    monkeypatch.setattr(JpegImageFile, "draft", spy)
    result = normalise_proof(data)

    assert drafted == [(2000, 1500)]  # decoded at half scale: the 12 MP bitmap never existed
    out, thumb = decode(result.image), decode(result.thumbnail)
    assert out.format == "JPEG" and out.mode == "RGB"
    assert out.size == (1600, 1200) == (result.width, result.height)
    # Baseline, not progressive: the same pixels, 5-8 % more bytes, a third of the encoding
    # CPU (issue 15: a proof costs at most 1.4x a full decode; bench/README.md, bench_images).
    assert not out.info.get("progressive") and not out.info.get("progression")
    assert thumb.size == (320, 240) == (result.thumb_width, result.thumb_height)
    assert len(result.image) < len(data) / 4
    assert len(result.thumbnail) < 40_000


@pytest.mark.parametrize(
    ("size", "expected", "thumb"),
    [
        ((3000, 4000), (1200, 1600), (240, 320)),
        ((1600, 900), (1600, 900), (320, 180)),
        ((300, 200), (300, 200), (300, 200)),  # never enlarged
        ((5000, 100), (1600, 32), (320, 6)),
        ((1, 1), (1, 1), (1, 1)),
    ],
)
def test_long_side_is_capped_and_small_photos_are_not_enlarged(
    size: tuple[int, int], expected: tuple[int, int], thumb: tuple[int, int]
) -> None:
    result = normalise_proof(encode(photo(size) if min(size) > 1 else Image.new("RGB", size)))
    assert decode(result.image).size == expected
    assert decode(result.thumbnail).size == thumb


def test_fitted_size_keeps_at_least_one_pixel() -> None:
    assert fitted_size((100_000, 10), 1600) == (1600, 1)
    assert fitted_size((4000, 3000), 1600) == (1600, 1200)
    assert fitted_size((10, 10), 1600) == (10, 10)


def test_large_png_is_resized_too() -> None:
    result = normalise_proof(encode(photo((2400, 1800)), "PNG", compress_level=1))
    assert (result.width, result.height) == (1600, 1200)


# --- colour modes --------------------------------------------------------------------------
def test_png_with_transparency_is_flattened_on_white() -> None:
    source = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    source.paste((255, 0, 0, 255), (0, 0, 100, 100))
    source.paste((0, 0, 255, 128), (150, 0, 200, 100))
    out = decode(normalise_proof(encode(source, "PNG")).image)
    assert out.mode == "RGB"
    assert close_to(out.getpixel((50, 50)), RED)
    assert close_to(out.getpixel((125, 50)), WHITE)  # transparent: white, not black
    assert close_to(out.getpixel((175, 50)), (127, 127, 255), tolerance=16)  # half blue


@pytest.mark.parametrize(("mode", "fmt"), [("LA", "PNG"), ("RGBA", "WEBP")])
def test_other_transparent_inputs_are_flattened_on_white(mode: str, fmt: str) -> None:
    source = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    source.paste((0, 0, 0, 255), (0, 0, 32, 64))
    data = encode(source.convert(mode), fmt, lossless=True)
    assert decode(data).mode == mode
    out = decode(normalise_proof(data).image)
    assert close_to(out.getpixel((10, 32)), (0, 0, 0))
    assert close_to(out.getpixel((54, 32)), WHITE)


def test_palette_gif_with_transparency_and_animation_uses_the_first_frame() -> None:
    first = Image.new("P", (60, 40), 0)
    first.putpalette([255, 0, 0, 0, 255, 0])
    first.paste(1, (30, 0, 60, 40))
    second = Image.new("P", (60, 40), 1)
    second.putpalette([255, 0, 0, 0, 255, 0])
    data = encode(first, "GIF", save_all=True, append_images=[second], transparency=1)
    out = decode(normalise_proof(data).image)
    assert close_to(out.getpixel((10, 20)), RED)
    assert close_to(out.getpixel((50, 20)), WHITE)


def test_cmyk_jpeg_becomes_rgb() -> None:
    source = Image.new("CMYK", (120, 80), (0, 255, 255, 0))  # pure red in CMYK
    source.paste((255, 0, 255, 0), (60, 0, 120, 80))  # pure green
    data = encode(source)
    assert decode(data).mode == "CMYK"
    out = decode(normalise_proof(data).image)
    assert out.mode == "RGB"
    assert close_to(out.getpixel((20, 40)), RED, tolerance=20)
    assert close_to(out.getpixel((100, 40)), (0, 255, 0), tolerance=20)


def test_16_bit_greyscale_png_keeps_its_tones() -> None:
    source = Image.new("I;16", (40, 40), 32768)  # mid grey in 16 bits
    out = decode(normalise_proof(encode(source, "PNG")).image)
    assert close_to(out.getpixel((20, 20)), (128, 128, 128), tolerance=3)


@pytest.mark.parametrize("mode", ["L", "1"])
def test_greyscale_and_bilevel_become_rgb(mode: str) -> None:
    data = encode(Image.new(mode, (40, 30), 255), "PNG")
    out = decode(normalise_proof(data).image)
    assert out.mode == "RGB" and close_to(out.getpixel((5, 5)), WHITE)


def test_unusable_icc_profile_is_ignored() -> None:
    data = encode(Image.new("RGB", (40, 30), RED), icc_profile=b"not a profile" * 20)
    out = decode(normalise_proof(data).image)
    assert close_to(out.getpixel((5, 5)), RED)
    assert "icc_profile" not in out.info


@pytest.mark.parametrize("fmt", ["WEBP", "BMP"])
def test_other_photo_formats_are_accepted(fmt: str) -> None:
    result = normalise_proof(encode(photo((320, 200)), fmt))
    assert decode(result.image).format == "JPEG"
    assert (result.width, result.height) == (320, 200)


# --- keys ----------------------------------------------------------------------------------
def test_key_is_the_sha256_of_the_normalised_jpeg() -> None:
    data = encode(photo(seed=3))
    first, second = normalise_proof(data), normalise_proof(data)
    assert first == second
    digest = hashlib.sha256(first.image).hexdigest()
    assert first.key == f"{digest}.jpg"
    assert first.thumb_key == f"{digest}-thumb.jpg"
    other = normalise_proof(encode(photo(seed=4)))
    assert other.key != first.key and other.thumb_key != first.thumb_key


def test_same_pixels_with_different_metadata_share_a_key() -> None:
    source = photo(seed=5)
    plain = normalise_proof(encode(source, quality=92))
    tagged = normalise_proof(encode(source, quality=92, exif=exif_with_gps_and_orientation(1)))
    assert plain.key == tagged.key


def test_result_is_frozen() -> None:
    result = normalise_proof(encode(photo((40, 30))))
    with pytest.raises(AttributeError):
        result.key = "other.jpg"  # type: ignore[misc]
    assert NormalisedImage.content_type == "image/jpeg"


# --- async ---------------------------------------------------------------------------------
async def test_async_wrapper_runs_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    real: Callable[[bytes], NormalisedImage] = images.normalise_proof

    def recording(data: bytes) -> NormalisedImage:
        threads.append(threading.get_ident())
        return real(data)

    monkeypatch.setattr(images, "normalise_proof", recording)
    data = encode(photo((80, 60)))
    result = await normalise_proof_async(data)
    assert result == real(data)
    assert threads and threads[0] != threading.get_ident()


async def test_async_wrapper_raises_the_same_refusal() -> None:
    with pytest.raises(ImageRejected, match="doesn't look like a photo"):
        await normalise_proof_async(b"hello")
