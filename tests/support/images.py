"""Photos for tests: a plain JPEG of any size and colour, or a noisy one that compresses like a
real photo."""

from __future__ import annotations

import io

from PIL import Image

BLUE = (30, 120, 200)


def jpeg(width: int = 640, height: int = 480, colour: tuple[int, int, int] = BLUE) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def noisy_jpeg(width: int, height: int, sigma: float = 50) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((width, height), sigma).convert("RGB").save(out, "JPEG")
    return out.getvalue()
