"""Text in chart pictures: a chain of fonts, each character drawn by the first that has it.

The font files come from bot/chart_fonts.py; one FreeType cannot open is logged and left out.
Fonts are opened once per (file, size) and kept; whether a file has a glyph for a character is
found once per (file, character) by comparing what it draws with its .notdef glyph (the box
drawn for a missing character). A character no font has is left out when it is a symbol (an
emoji: a title keeps its words); any other becomes U+FFFD, and a text of symbols only becomes
one U+FFFD, so a title never draws as nothing.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal, TypeAlias

from PIL import Image, ImageDraw, ImageFont

from bot.chart_fonts import font_files

log = logging.getLogger("habitlink")

RGB: TypeAlias = tuple[int, int, int]
Font: TypeAlias = ImageFont.FreeTypeFont | ImageFont.ImageFont
Align = Literal["left", "center", "right"]

__all__ = ["Align", "FontChain", "chain", "draw_text", "fit", "has_glyph"]

MAX_CHARS: Final = 300  # longer texts are cut before measuring
PLACEHOLDER: Final = "\ufffd"
_PROBE_SIZE: Final = 32
_NO_FONT_HAS: Final = "\U0010fffd"  # private use, plane 16: no font maps it, so it draws .notdef
# Variation selectors ask for text or emoji presentation; fonts draw them as labelled boxes.
_SELECTORS: Final = frozenset(chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])


def _open(source: Path | None, size: int) -> Font:
    if source is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(source), size)


@lru_cache(maxsize=16)
def _probe(source: Path | None) -> tuple[Font, tuple[object, ...]]:
    """The font at the probe size, and how its .notdef glyph draws."""
    font = _open(source, _PROBE_SIZE)
    return font, _drawn(font, _NO_FONT_HAS)


def _drawn(font: Font, ch: str) -> tuple[object, ...]:
    """Advance, box and pixels of one character: equal to .notdef's when the font lacks it."""
    left, top, right, bottom = (round(v) for v in font.getbbox(ch))
    image = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(image).text((-left, -top), ch, font=font, fill=255)
    return font.getlength(ch), (left, top, right, bottom), image.tobytes()


@lru_cache(maxsize=16_384)
def has_glyph(source: Path | None, ch: str) -> bool:
    """Whether the font file (None: Pillow's own) draws `ch` as something other than .notdef."""
    font, notdef = _probe(source)
    if not isinstance(font, ImageFont.FreeTypeFont):  # Pillow without FreeType: Latin-1 bitmaps
        return ord(ch) < 256
    return _drawn(font, ch) != notdef


class FontChain:
    """Fonts of one pixel size, tried in order for each character."""

    def __init__(self, sources: Sequence[Path | None], size: int) -> None:
        self.sources = tuple(sources)
        self.fonts = tuple(_open(source, size) for source in self.sources)
        self.primary = self.fonts[0]
        bitmap = not isinstance(self.primary, ImageFont.FreeTypeFont)
        self.ellipsis = "..." if bitmap or not self._has(0, "\u2026") else "\u2026"
        self.placeholder = PLACEHOLDER if self._index(PLACEHOLDER) is not None else "?"

    def _has(self, index: int, ch: str) -> bool:
        return has_glyph(self.sources[index], ch)

    def _index(self, ch: str) -> int | None:
        """The first font that has `ch`; spaces go with the first."""
        if ch.isspace():
            return 0
        return next((i for i in range(len(self.fonts)) if self._has(i, ch)), None)

    def drawable(self, text: str) -> str:
        """`text` with what no font can draw left out (symbols) or replaced (anything else)."""
        out: list[str] = []
        left_out = False
        for ch in text:
            if ch in _SELECTORS:
                continue
            category = unicodedata.category(ch)
            if category in ("Mn", "Me"):  # a combining mark goes with its base character's font
                if out and out[-1] != self.placeholder and self._has(self._run_of(out[-1]), ch):
                    out.append(ch)
                continue
            if self._index(ch) is not None:
                out.append(ch)
            elif category[0] == "S" or category == "Co":
                left_out = True
            else:
                out.append(self.placeholder)
        drawn = "".join(out)
        if left_out and not drawn.strip():
            return self.placeholder
        return drawn

    def _run_of(self, ch: str) -> int:
        index = self._index(ch)
        return 0 if index is None else index

    def runs(self, text: str) -> list[tuple[str, Font]]:
        """Consecutive characters drawn by the same font (`text` as given by drawable())."""
        pieces: list[tuple[str, int]] = []
        for ch in text:
            combining = unicodedata.category(ch) in ("Mn", "Me")
            index = pieces[-1][1] if pieces and (combining or ch.isspace()) else self._run_of(ch)
            if pieces and pieces[-1][1] == index:
                pieces[-1] = (pieces[-1][0] + ch, index)
            else:
                pieces.append((ch, index))
        return [(piece, self.fonts[index]) for piece, index in pieces]

    def getlength(self, text: str) -> float:
        return sum(font.getlength(piece) for piece, font in self.runs(text))

    def draw(self, draw: ImageDraw.ImageDraw, x: float, y_top: float, text: str, fill: RGB) -> None:
        """Draw `text` with its top (the first font's ascender line) at `y_top`."""
        runs = self.runs(text)
        if len(runs) <= 1 or not isinstance(self.primary, ImageFont.FreeTypeFont):
            # One font: one call, so its layout engine orders right-to-left text as a whole.
            font = runs[0][1] if runs else self.primary
            draw.text((round(x), round(y_top)), text, font=font, fill=fill)
            return
        baseline = round(y_top) + self.primary.getmetrics()[0]
        for piece, font in runs:  # every font on the first one's baseline
            draw.text((x, baseline), piece, font=font, fill=fill, anchor="ls")
            x += font.getlength(piece)


@lru_cache(maxsize=16)
def _usable(source: Path) -> bool:
    """Whether FreeType opens the file (CHART_FONTS may name anything); logged once if not."""
    try:
        _probe(source)
    except OSError as exc:
        log.warning("chart font %s cannot be used, left out: %s", source, exc)
        return False
    return True


@lru_cache(maxsize=32)
def _chain(sources: tuple[Path, ...], size: int) -> FontChain:
    usable = tuple(source for source in sources if _usable(source))
    return FontChain(usable or (None,), size)


def chain(size: int) -> FontChain:
    """The fonts for `size` pixels: the configured files (bot/chart_fonts.py), else Pillow's."""
    return _chain(font_files(), size)


def clean(text: str, font: FontChain) -> str:
    """One line of drawable text: controls become spaces, surrogates and formats go, and what
    no font of the chain has is left out or replaced."""
    out: list[str] = []
    for ch in text[: MAX_CHARS * 2]:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif cat not in ("Cs", "Cf"):
            out.append(ch)
    return " ".join(font.drawable("".join(out)).split())[:MAX_CHARS]


def fit(text: str, font: FontChain, max_width: float) -> str:
    """`text` cleaned and, if too wide, cut with an ellipsis to fit `max_width` pixels."""
    text = clean(text, font)
    if font.getlength(text) <= max_width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if font.getlength(text[:mid].rstrip() + font.ellipsis) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + font.ellipsis


def draw_text(
    draw: ImageDraw.ImageDraw,
    x: float,
    y_mid: float,
    text: str,
    font: FontChain,
    fill: RGB,
    align: Align = "left",
) -> None:
    """Draw one line vertically centred on `y_mid` (same baseline for any text in a font)."""
    _, top, _, bottom = font.primary.getbbox("Hg")
    width = font.getlength(text)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    font.draw(draw, x, y_mid - (top + bottom) / 2, text, fill)
