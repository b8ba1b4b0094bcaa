"""Bar charts as inline SVG, drawn on the server: the dashboard needs no script and no network.

`bars(points)` takes (label, value) pairs, oldest first, and returns an <svg> element whose
bars carry a <title> (the browser's tooltip) with the label and the value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 900
HEIGHT = 220
LEFT = 40  # room for the scale
BOTTOM = 24  # room for the first and last labels
TOP = 10


@dataclass(frozen=True)
class Series:
    """Stacked parts of each bar: a name and colour per part."""

    names: tuple[str, ...]
    colours: tuple[str, ...]


ONE = Series(("count",), ("#206bc4",))


def nice_top(value: int) -> int:
    """The scale's top: 1, 2 or 5 times a power of ten, at least `value` (and at least 1)."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if multiple * magnitude >= value:
                return multiple * magnitude
        magnitude *= 10


def bars(
    points: Sequence[tuple[str, Sequence[int]]],
    series: Series = ONE,
    *,
    label: str = "chart",
    width: int = WIDTH,
) -> str:
    """An SVG bar chart of `points`: (label, one value per part of `series`)."""
    n = max(len(points), 1)
    top = nice_top(max((sum(values) for _, values in points), default=0))
    plot_w = width - LEFT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / n
    gap = min(2.0, slot * 0.2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" class="habitlink-chart" '
        f'style="width:100%;height:auto">',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{width}" y2="{TOP + plot_h}" stroke="#ccc"/>',
    ]
    for fraction in (0.5, 1.0):
        y = TOP + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#667">{top * fraction:g}</text>'
        )
    for i, (name, values) in enumerate(points):
        x = LEFT + i * slot + gap / 2
        base: float = TOP + plot_h
        tip = ", ".join(f"{v} {s}" for s, v in zip(series.names, values, strict=True))
        parts.append(f"<g><title>{escape(name)}: {escape(tip)}</title>")
        for value, colour in zip(values, series.colours, strict=True):
            h = plot_h * value / top
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{max(slot - gap, 0.5):.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        parts.append("</g>")
    if points:
        parts.append(
            f'<text x="{LEFT}" y="{HEIGHT - 6}" font-size="11" fill="#667">'
            f"{escape(points[0][0])}</text>"
            f'<text x="{width}" y="{HEIGHT - 6}" font-size="11" text-anchor="end" '
            f'fill="#667">{escape(points[-1][0])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
