"""Which font files draw the text in chart pictures; no Pillow here (it loads at the first chart).

Pillow's bundled font covers Latin only. The charts draw with a chain of font files instead: each
character with the first file that has a glyph for it (bot/chart_text.py). By default the chain
is DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew, many symbols) and then a CJK font
(Chinese, Japanese, Korean), found where Debian's fonts-dejavu-core and fonts-wqy-microhei
(or fonts-noto-cjk, fonts-wqy-zenhei) put them; `make tools` and the Docker image install them.
CHART_FONTS (Settings.chart_fonts) names other files. Without any file, Pillow's font draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Final

__all__ = ["CJK_FONTS", "PRIMARY_FONTS", "configure", "font_files"]

#: Candidates for the first font of the chain, in order; the first that exists is used.
PRIMARY_FONTS: Final[tuple[Path, ...]] = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"),  # Fedora
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),  # Alpine
)
#: Candidates for the CJK font that fills in what the first lacks; the first that exists is used.
CJK_FONTS: Final[tuple[Path, ...]] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # Debian: fonts-wqy-microhei
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian: fonts-noto-cjk
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian: fonts-wqy-zenhei
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),  # Fedora
    Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),  # Arch
)

_configured: tuple[Path, ...] | None = None


def configure(files: Sequence[Path] | None) -> list[Path]:
    """Draw chart text with these font files, in order (None: the default places). Returns the
    ones that are not there (they are left out; with none left, Pillow's own font draws)."""
    global _configured
    if files is None:
        _configured = None
        return []
    _configured = tuple(f for f in files if f.is_file())
    return [f for f in files if not f.is_file()]


@lru_cache(maxsize=1)
def _default_files() -> tuple[Path, ...]:
    found = (next((f for f in group if f.is_file()), None) for group in (PRIMARY_FONTS, CJK_FONTS))
    return tuple(f for f in found if f is not None)


def font_files() -> tuple[Path, ...]:
    """The chain in use: configured files, or the first default primary and CJK fonts found."""
    return _configured if _configured is not None else _default_files()
