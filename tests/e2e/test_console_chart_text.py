"""Habit titles in other scripts are drawn in the chart pictures, not as empty boxes (tofu).

A font that lacks a character draws its .notdef glyph, the same box for every such character:
"Бег" in a Latin-only font is three equal boxes (touching, so one blot of ink). Drawn with real
glyphs, each letter is its own shape. The fonts come from Debian's fonts-dejavu-core and
fonts-wqy-microhei, which `make tools` installs.
"""

from __future__ import annotations

import pytest
from PIL import Image

from bot.chart_fonts import font_files
from bot.charts import BACKGROUND, week_grid_cell_box
from tests.conftest import unavailable
from tests.e2e.test_console_habits import image_path
from tests.support.console import ConsoleSession

TITLES = ["Бег", "読書", "Ωμέγα", "🔥 Run", "Run", "🔥"]


@pytest.fixture(autouse=True)
def _fonts_installed() -> None:
    names = {path.name for path in font_files()}
    if not {"DejaVuSans.ttf", "wqy-microhei.ttc"} <= names:
        unavailable("fonts-dejavu-core and fonts-wqy-microhei", f"fonts found: {sorted(names)}")


def label(image: Image.Image, row: int) -> Image.Image:
    """The part of the picture left of a row's first cell: the habit's title."""
    x0, y0, _, y1 = week_grid_cell_box(row, 0)
    return image.crop((0, y0, x0 - 8, y1))


def shapes(region: Image.Image) -> list[bytes]:
    """The dark shapes of a region from left to right, split where a column has no ink."""
    ink = region.convert("L").point(lambda v: 255 if v < 128 else 0)
    width, height = ink.size
    found: list[bytes] = []
    start: int | None = None
    for x in range(width + 1):
        inked = x < width and ink.crop((x, 0, x + 1, height)).getbbox() is not None
        if inked and start is None:
            start = x
        elif not inked and start is not None:
            piece = ink.crop((start, 0, x, height))
            found.append(piece.crop(piece.getbbox()).tobytes())
            start = None
    return found


async def test_week_picture_draws_cyrillic_cjk_and_greek_titles(console: ConsoleSession) -> None:
    await console.say(*(f"/newhabit {title}" for title in TITLES))
    listed = await console.say("/habits")
    assert [line.split(". ○ ")[1].split(" — ")[0] for line in listed.splitlines()[1:7]] == TITLES
    out = await console.say("/week")
    with Image.open(image_path(out)) as png:
        image = png.convert("RGB")
    for row, title in enumerate(TITLES[:3]):
        drawn = shapes(label(image, row))
        distinct = len(set(drawn))
        # One shape per letter at least, and no two alike (.notdef boxes all are).
        assert distinct >= len(title), (title, len(drawn), distinct)
    # An emoji no font has is left out rather than drawn as a box: "🔥 Run" looks like "Run".
    assert label(image, 3).tobytes() == label(image, 4).tobytes()
    # A title of emoji only still shows something: one replacement mark, not an empty label.
    alone = label(image, 5)
    assert len(shapes(alone)) >= 1
    assert alone.getcolors(10_000) != [(alone.width * alone.height, BACKGROUND)]


async def test_heatmap_picture_draws_a_cjk_title(console: ConsoleSession) -> None:
    await console.say("/newhabit 読書")
    out = await console.say("/stats 読書")
    with Image.open(image_path(out)) as png:
        image = png.convert("RGB")
    title = image.crop((0, 0, image.width, 24 + 26))  # the title line above the subtitle
    drawn = shapes(title)
    distinct = len(set(drawn))
    assert distinct >= 2 and distinct == len(drawn), (len(drawn), distinct)
