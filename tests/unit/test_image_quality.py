"""Proof photos keep their colours and detail: the 1600 px JPEG stays close to an ideal resize.

The ideal is the source bitmap itself resized with Lanczos, never JPEG-encoded. The pipeline
decodes at half scale, resizes with Hamming and encodes at quality 85, which on this picture
measures 33.5 dB PSNR against it (bicubic 33.6; bench/README.md, bench_images). The q85
encode dominates the difference: a box or nearest-neighbour resize still reaches 33.2 dB, so
the bound below catches those and anything cruder (a colour-space mix-up is tens of dB off),
not a finer filter choice.
"""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from core.media.images import fitted_size, normalise_proof

MIN_PSNR_DB = 33.4
MAX_MEAN_SHIFT = 0.5  # per channel, in 8-bit levels


def detailed_photo(size: tuple[int, int] = (4000, 3000), seed: int = 2) -> Image.Image:
    """Smooth colour gradients crossed by thin lines and rings, slightly soft like a lens."""
    rng = random.Random(seed)
    width, height = size
    image = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.linear_gradient("L").rotate(90).resize(size),
            Image.new("L", size, 100),
        ),
    )
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        if rng.random() < 0.5:
            end = (x + rng.randrange(-500, 500), y + rng.randrange(-500, 500))
            draw.line((x, y, *end), fill=colour, width=rng.randrange(1, 5))
        else:
            r = rng.randrange(10, 150)
            draw.ellipse((x, y, x + r, y + r), outline=colour, width=rng.randrange(1, 6))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def psnr(image: Image.Image, reference: Image.Image) -> float:
    stat = ImageStat.Stat(ImageChops.difference(image, reference))
    mse = sum(stat.sum2) / (3 * image.width * image.height)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def test_12_megapixel_proof_keeps_colours_and_detail_of_an_ideal_resize() -> None:
    source = detailed_photo()
    out = io.BytesIO()
    source.save(out, "JPEG", quality=92)
    result = normalise_proof(out.getvalue())

    image = Image.open(io.BytesIO(result.image))
    image.load()
    ideal = source.resize(fitted_size(source.size, 1600), Image.Resampling.LANCZOS)
    assert image.mode == "RGB" and image.size == ideal.size == (1600, 1200)
    assert psnr(image, ideal) >= MIN_PSNR_DB
    shifts = [
        abs(a - b)
        for a, b in zip(ImageStat.Stat(image).mean, ImageStat.Stat(ideal).mean, strict=True)
    ]
    assert max(shifts) <= MAX_MEAN_SHIFT
