"""A collage of this week's proof thumbnails (Pillow; call it off the event loop)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageOps

TILE = 160
GAP = 6
MAX_COLUMNS = 6
BACKGROUND = (246, 247, 249)


def render_collage(thumbnails: Sequence[bytes]) -> bytes:
    """Square tiles in a grid, in the order given; unreadable thumbnails are left out."""
    tiles: list[Image.Image] = []
    for data in thumbnails:
        try:
            with Image.open(io.BytesIO(data)) as img:
                tiles.append(ImageOps.fit(img.convert("RGB"), (TILE, TILE)))
        except (OSError, ValueError):
            continue
    if not tiles:
        raise ValueError("no readable thumbnails")
    columns = min(MAX_COLUMNS, max(1, math.ceil(math.sqrt(len(tiles)))))
    rows = math.ceil(len(tiles) / columns)
    width = columns * TILE + (columns + 1) * GAP
    height = rows * TILE + (rows + 1) * GAP
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    for i, tile in enumerate(tiles):
        row, col = divmod(i, columns)
        sheet.paste(tile, (GAP + col * (TILE + GAP), GAP + row * (TILE + GAP)))
    out = io.BytesIO()
    sheet.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
