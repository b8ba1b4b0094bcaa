"""Habit charts as PNG bytes: the weekly tracker grid and the year heatmap.

Pure, synchronous and deterministic (same input -> same bytes); callers run them off the
event loop with ``asyncio.to_thread``. Text is drawn with a chain of fonts (bot/chart_text.py):
DejaVu Sans and a CJK font when installed, else Pillow's bundled Latin font; a character no
font has is left out (emoji) or drawn as U+FFFD, never as an empty box.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from io import BytesIO
from typing import Final, TypeAlias

from PIL import Image, ImageDraw

from bot.chart_text import FontChain, chain, draw_text, fit
from core.habits.history import CheckinStatus, DayMark, HabitHistory
from core.habits.history import week_start as monday_of
from core.habits.schedule import WEEKDAY_NAMES, ScheduleKind

RGB: TypeAlias = tuple[int, int, int]
Box: TypeAlias = tuple[int, int, int, int]  # (x0, y0, x1, y1), x1/y1 exclusive

__all__ = [
    "BACKGROUND",
    "COLOURS",
    "HEATMAP_COLOURS",
    "HEATMAP_WEEKS",
    "MARK_LABELS",
    "TODAY_BAND",
    "heatmap_cell_box",
    "heatmap_mark",
    "render_heatmap",
    "render_week_grid",
    "week_grid_cell_box",
]

# --- palette ---------------------------------------------------------------------------
BACKGROUND: Final[RGB] = (255, 255, 255)
INK: Final[RGB] = (31, 35, 40)
MUTED: Final[RGB] = (101, 109, 118)
ACCENT: Final[RGB] = (9, 105, 218)
TODAY_BAND: Final[RGB] = (231, 241, 255)
NEUTRAL: Final[RGB] = (235, 237, 240)

#: Fill colour of a week-grid cell (its centre pixel) for each mark.
COLOURS: Final[dict[DayMark, RGB]] = {
    DayMark.DONE: (45, 164, 78),
    DayMark.SKIPPED: (140, 162, 192),
    DayMark.MISSED: (240, 150, 150),
    DayMark.PENDING: (255, 248, 224),
    DayMark.OPEN: (222, 229, 238),
    DayMark.NOT_SCHEDULED: (244, 245, 247),
    DayMark.FUTURE: (255, 255, 255),
    DayMark.BEFORE_START: (249, 249, 250),
    DayMark.AWAY: (244, 245, 247),
}
_OUTLINES: Final[dict[DayMark, RGB]] = {
    DayMark.PENDING: (212, 160, 23),
    DayMark.FUTURE: (216, 220, 226),
    DayMark.BEFORE_START: (226, 229, 233),
    DayMark.NOT_SCHEDULED: (232, 234, 238),
    DayMark.AWAY: (232, 234, 238),
}
_GLYPH: Final[RGB] = (255, 255, 255)
_DOT: Final[RGB] = (190, 196, 205)
_HATCH: Final[RGB] = (226, 229, 233)

#: Fill colour of a heatmap day for each mark (neutral grey when nothing is owed).
HEATMAP_COLOURS: Final[dict[DayMark, RGB]] = {
    DayMark.DONE: (45, 164, 78),
    DayMark.SKIPPED: (140, 162, 192),
    DayMark.MISSED: (250, 196, 196),
    DayMark.PENDING: NEUTRAL,
    DayMark.OPEN: NEUTRAL,
    DayMark.NOT_SCHEDULED: NEUTRAL,
    DayMark.FUTURE: NEUTRAL,
    DayMark.BEFORE_START: NEUTRAL,
    DayMark.AWAY: NEUTRAL,
}

#: Human words for the legend.
MARK_LABELS: Final[dict[DayMark, str]] = {
    DayMark.DONE: "Done",
    DayMark.SKIPPED: "Skipped",
    DayMark.MISSED: "Missed",
    DayMark.PENDING: "Due today",
    DayMark.OPEN: "Optional",
    DayMark.NOT_SCHEDULED: "Rest day",
    DayMark.FUTURE: "Upcoming",
    DayMark.BEFORE_START: "Not started",
    DayMark.AWAY: "Archived",
}

# --- week grid geometry ----------------------------------------------------------------
PAD: Final = 24
_LABEL_W: Final = 280
_CELL: Final = 48
_GAP: Final = 8
_PITCH: Final = _CELL + _GAP
_GRID_X0: Final = PAD + _LABEL_W + 12
_HEADER_Y0: Final = PAD + 64
_HEADER_H: Final = 50
_ROWS_Y0: Final = _HEADER_Y0 + _HEADER_H + 10
_GRID_W: Final = 7 * _PITCH - _GAP
_WEEK_W: Final = _GRID_X0 + _GRID_W + PAD

# --- heatmap geometry ------------------------------------------------------------------
HEATMAP_WEEKS: Final = 53
_H_CELL: Final = 14
_H_GAP: Final = 3
_H_PITCH: Final = _H_CELL + _H_GAP
_H_GRID_X0: Final = PAD + 40
_H_GRID_Y0: Final = PAD + 64 + 22
_H_GRID_W: Final = HEATMAP_WEEKS * _H_PITCH - _H_GAP
_H_GRID_H: Final = 7 * _H_PITCH - _H_GAP
_H_W: Final = _H_GRID_X0 + _H_GRID_W + PAD
_H_H: Final = _H_GRID_Y0 + _H_GRID_H + 18 + 20 + PAD


def week_grid_cell_box(row: int, col: int) -> Box:
    """Pixel box of a week-grid cell: row = habit index, col = 0 (Mon) .. 6 (Sun)."""
    x0 = _GRID_X0 + col * _PITCH
    y0 = _ROWS_Y0 + row * _PITCH
    return (x0, y0, x0 + _CELL, y0 + _CELL)


def heatmap_cell_box(week_index: int, weekday: int) -> Box:
    """Pixel box of a heatmap day: week 0 is the oldest column, 52 today's; weekday 0 = Mon."""
    x0 = _H_GRID_X0 + week_index * _H_PITCH
    y0 = _H_GRID_Y0 + weekday * _H_PITCH
    return (x0, y0, x0 + _H_CELL, y0 + _H_CELL)


def _png(image: Image.Image) -> bytes:
    buf = BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _day_label(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


# --- cells -----------------------------------------------------------------------------
def _paint_cell(image: Image.Image, draw: ImageDraw.ImageDraw, box: Box, mark: DayMark) -> None:
    """Paint one tracker cell; the centre pixel always shows COLOURS[mark] (but the dot)."""
    x0, y0, x1, y1 = box
    size = x1 - x0
    radius = max(2, size // 6)
    inner = (x0, y0, x1 - 1, y1 - 1)
    fill = COLOURS[mark]
    outline = _OUTLINES.get(mark)
    width = max(2, size // 16) if mark is DayMark.PENDING else 1
    if mark is DayMark.BEFORE_START:
        tile = Image.new("RGB", (size, size), fill)
        tile_draw = ImageDraw.Draw(tile)
        step = max(4, size // 6)
        for k in range(-(size // step) - 1, size // step + 1):  # centre falls between lines
            offset = k * step + step // 2
            tile_draw.line((offset, size, offset + size, 0), fill=_HATCH, width=1)
        mask = Image.new("L", (size, size), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, size - 1, size - 1), radius, fill=255)
        image.paste(tile, (x0, y0), mask)
        draw.rounded_rectangle(inner, radius, outline=outline, width=1)
        return
    draw.rounded_rectangle(inner, radius, fill=fill, outline=outline, width=width)
    if mark is DayMark.DONE:
        # A tick that passes below-left of the centre, leaving the centre pixel green.
        pts = [(0.25, 0.55), (0.42, 0.72), (0.75, 0.34)]
        draw.line(
            [(x0 + px * size, y0 + py * size) for px, py in pts],
            fill=_GLYPH,
            width=max(2, size // 12),
            joint="curve",
        )
    elif mark is DayMark.NOT_SCHEDULED:
        r = max(1.5, size / 12)
        cx, cy = x0 + size / 2, y0 + size / 2
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_DOT)


def _legend_layout(
    items: Sequence[tuple[str, int]], max_width: int, swatch: int, font: FontChain
) -> list[tuple[int, int]]:
    """(dx, line) per legend item, flowing left to right and wrapping at `max_width`."""
    positions: list[tuple[int, int]] = []
    x, line = 0, 0
    for label, extra in items:
        width = swatch + 6 + round(font.getlength(label)) + extra
        if x and x + width > max_width:
            x, line = 0, line + 1
        positions.append((x, line))
        x += width + 18
    return positions


# --- week grid -------------------------------------------------------------------------
def render_week_grid(
    title: str,
    week_start: date,
    rows: Sequence[tuple[str, Sequence[DayMark]]],
    today: date,
) -> bytes:
    """PNG of one week: a row per habit, a cell per day coloured by its DayMark."""
    for name, marks in rows:
        if len(marks) != 7:
            raise ValueError(f"row {name!r} has {len(marks)} marks; a week needs 7")
    title_font, sub_font, label_font = chain(26), chain(15), chain(18)
    dow_font, num_font, legend_font = chain(14), chain(18), chain(14)
    week_end = week_start + timedelta(days=6)
    subtitle = f"{week_start:%b} {week_start.day} - {_day_label(week_end)}"

    swatch = 18
    present = {mark for _, marks in rows for mark in marks}
    legend = [m for m in DayMark if m in present]
    legend_pos = _legend_layout(
        [(MARK_LABELS[m], 0) for m in legend], _WEEK_W - 2 * PAD, swatch, legend_font
    )
    legend_lines = legend_pos[-1][1] + 1 if legend_pos else 0
    if rows:
        grid_bottom = _ROWS_Y0 + len(rows) * _PITCH - _GAP
        legend_y0 = grid_bottom + 24
        height = legend_y0 + legend_lines * 28 - 10 + PAD
    else:
        height = _HEADER_Y0 + 150 + PAD

    image = Image.new("RGB", (_WEEK_W, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw_text(draw, PAD, PAD + 14, fit(title, title_font, _WEEK_W - 2 * PAD), title_font, INK)
    draw_text(draw, PAD, PAD + 44, subtitle, sub_font, MUTED)

    if not rows:
        box = (PAD, _HEADER_Y0 + 10, _WEEK_W - PAD - 1, _HEADER_Y0 + 140)
        draw.rounded_rectangle(box, 14, fill=(246, 248, 250), outline=(216, 222, 228))
        mid_x = _WEEK_W / 2
        draw_text(draw, mid_x, _HEADER_Y0 + 58, "No habits yet", chain(24), INK, "center")
        hint = "Add your first habit and it will show up here."
        draw_text(draw, mid_x, _HEADER_Y0 + 94, hint, chain(16), MUTED, "center")
        return _png(image)

    today_col = (today - week_start).days
    if 0 <= today_col < 7:
        x0 = _GRID_X0 + today_col * _PITCH
        band = (x0 - 4, _HEADER_Y0 - 4, x0 + _CELL + 3, grid_bottom + 3)
        draw.rounded_rectangle(band, 10, fill=TODAY_BAND)

    for col in range(7):
        day = week_start + timedelta(days=col)
        cx = _GRID_X0 + col * _PITCH + _CELL / 2
        is_today = col == today_col
        draw_text(
            draw,
            cx,
            _HEADER_Y0 + 11,
            WEEKDAY_NAMES[col],
            dow_font,
            ACCENT if is_today else MUTED,
            "center",
        )
        num_y = _HEADER_Y0 + 34
        if is_today:
            draw.ellipse((cx - 14, num_y - 14, cx + 14, num_y + 14), fill=ACCENT)
        draw_text(
            draw, cx, num_y, str(day.day), num_font, BACKGROUND if is_today else INK, "center"
        )

    for r, (name, marks) in enumerate(rows):
        y_mid = _ROWS_Y0 + r * _PITCH + _CELL / 2
        draw_text(draw, PAD, y_mid, fit(name, label_font, _LABEL_W), label_font, INK)
        for c, mark in enumerate(marks):
            _paint_cell(image, draw, week_grid_cell_box(r, c), mark)

    for mark, (dx, line) in zip(legend, legend_pos, strict=True):
        x, y = PAD + dx, legend_y0 + line * 28
        _paint_cell(image, draw, (x, y, x + swatch, y + swatch), mark)
        draw_text(draw, x + swatch + 6, y + swatch / 2, MARK_LABELS[mark], legend_font, MUTED)
    return _png(image)


# --- heatmap ---------------------------------------------------------------------------
def heatmap_mark(history: HabitHistory, day: date, today: date) -> DayMark:
    """What the heatmap shows for one day (recorded check-ins win over everything past)."""
    if day > today:
        return DayMark.FUTURE
    status = history.status(day)
    if status is CheckinStatus.DONE:
        return DayMark.DONE
    if status is CheckinStatus.SKIPPED:
        return DayMark.SKIPPED
    if day < history.start:
        return DayMark.BEFORE_START
    if history.away and history.is_away(day):
        return DayMark.AWAY  # archived that day: nothing was owed
    if not history.schedule.is_scheduled(day):
        return DayMark.NOT_SCHEDULED
    if history.schedule.kind is ScheduleKind.WEEKLY:
        return DayMark.OPEN  # N-times-a-week: no single day is owed
    return DayMark.PENDING if day == today else DayMark.MISSED


def heatmap_start(today: date) -> date:
    """The first day the heatmap shows: its history must hold the days from there on."""
    return monday_of(today) - timedelta(weeks=HEATMAP_WEEKS - 1)


def render_heatmap(title: str, history: HabitHistory, today: date) -> bytes:
    """PNG of the last 53 weeks, one square per day, Monday on top, today's week last."""
    title_font, sub_font, small_font = chain(24), chain(15), chain(12)
    first = heatmap_start(today)
    done = sum(
        1
        for day, status in history.entries.items()
        if status is CheckinStatus.DONE and first <= day <= today
    )
    times = "time" if done == 1 else "times"
    subtitle = f"{_day_label(first)} - {_day_label(today)} · done {done} {times}"

    image = Image.new("RGB", (_H_W, _H_H), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw_text(draw, PAD, PAD + 13, fit(title, title_font, _H_W - 2 * PAD), title_font, INK)
    draw_text(draw, PAD, PAD + 42, subtitle, sub_font, MUTED)

    # Month names over the first column whose Monday falls in a new month.
    labels: list[tuple[int, str]] = []
    prev_month = -1
    for week in range(HEATMAP_WEEKS):
        monday = first + timedelta(weeks=week)
        if monday.month != prev_month:
            labels.append((_H_GRID_X0 + week * _H_PITCH, f"{monday:%b}"))
            prev_month = monday.month
    last_end = -1
    for i, (x, name) in enumerate(labels):
        width = small_font.getlength(name)
        crowded = i + 1 < len(labels) and labels[i + 1][0] - x < width + 6
        if x < last_end + 6 or crowded:
            continue
        draw_text(draw, x, _H_GRID_Y0 - 12, name, small_font, MUTED)
        last_end = round(x + width)

    for weekday in (0, 2, 4):
        y_mid = _H_GRID_Y0 + weekday * _H_PITCH + _H_CELL / 2
        draw_text(draw, _H_GRID_X0 - 6, y_mid, WEEKDAY_NAMES[weekday], small_font, MUTED, "right")

    for week in range(HEATMAP_WEEKS):
        for weekday in range(7):
            day = first + timedelta(days=week * 7 + weekday)
            x0, y0, x1, y1 = heatmap_cell_box(week, weekday)
            colour = HEATMAP_COLOURS[heatmap_mark(history, day, today)]
            outline = INK if day == today else None
            draw.rounded_rectangle(
                (x0, y0, x1 - 1, y1 - 1), 3, fill=colour, outline=outline, width=2
            )

    legend: list[tuple[str, RGB | None]] = [
        ("Done", HEATMAP_COLOURS[DayMark.DONE]),
        ("Skipped", HEATMAP_COLOURS[DayMark.SKIPPED]),
        ("Missed", HEATMAP_COLOURS[DayMark.MISSED]),
        ("Nothing due", NEUTRAL),
        ("Today", None),
    ]
    x, y = _H_GRID_X0, _H_GRID_Y0 + _H_GRID_H + 18
    for label, swatch in legend:
        box = (x, y, x + _H_CELL - 1, y + _H_CELL - 1)
        if swatch is None:
            draw.rounded_rectangle(box, 3, fill=NEUTRAL, outline=INK, width=2)
        else:
            draw.rounded_rectangle(box, 3, fill=swatch)
        draw_text(draw, x + _H_CELL + 5, y + _H_CELL / 2, label, small_font, MUTED)
        x += _H_CELL + 5 + round(small_font.getlength(label)) + 16
    return _png(image)
