"""The PNG charts: decodable, sized, coloured where the cells are, fast and deterministic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from io import BytesIO

import pytest
from PIL import Image

from bot.charts import (
    BACKGROUND,
    COLOURS,
    HEATMAP_COLOURS,
    HEATMAP_WEEKS,
    TODAY_BAND,
    heatmap_cell_box,
    heatmap_mark,
    render_heatmap,
    render_week_grid,
    week_grid_cell_box,
)
from core.habits.history import CheckinStatus, DayMark, HabitHistory, week_start
from core.habits.schedule import Schedule

M = DayMark
TODAY = date(2025, 3, 6)  # a Thursday
MONDAY = date(2025, 3, 3)
MAX_BYTES = 200_000

WEEK_ROWS: list[tuple[str, Sequence[DayMark]]] = [
    ("Read", [M.DONE, M.SKIPPED, M.MISSED, M.PENDING, M.FUTURE, M.FUTURE, M.FUTURE]),
    ("Gym", [M.NOT_SCHEDULED, M.OPEN, M.BEFORE_START, M.DONE, M.FUTURE, M.FUTURE, M.FUTURE]),
]


def _decode(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    assert image.format == "PNG"
    image.load()
    return image.convert("RGB")


def _centre(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, ...]:
    x0, y0, x1, y1 = box
    pixel = image.getpixel(((x0 + x1) // 2, (y0 + y1) // 2))
    assert isinstance(pixel, tuple)
    return pixel


# --- week grid -------------------------------------------------------------------------
def test_week_grid_is_a_png_whose_cells_show_their_marks() -> None:
    data = render_week_grid("My week", MONDAY, WEEK_ROWS, TODAY)
    image = _decode(data)
    assert len(data) < MAX_BYTES
    last = week_grid_cell_box(len(WEEK_ROWS) - 1, 6)
    assert image.width >= last[2] and image.height > last[3]
    for row, (_, marks) in enumerate(WEEK_ROWS):
        for col, mark in enumerate(marks):
            if mark is M.NOT_SCHEDULED:  # its dot sits on the centre
                continue
            assert _centre(image, week_grid_cell_box(row, col)) == COLOURS[mark], (row, col)


def test_week_grid_specific_colours() -> None:
    image = _decode(render_week_grid("My week", MONDAY, WEEK_ROWS, TODAY))
    assert _centre(image, week_grid_cell_box(0, 0)) == COLOURS[M.DONE]
    assert _centre(image, week_grid_cell_box(0, 1)) == COLOURS[M.SKIPPED]
    assert _centre(image, week_grid_cell_box(0, 2)) == COLOURS[M.MISSED]
    assert _centre(image, week_grid_cell_box(0, 6)) == COLOURS[M.FUTURE]
    # The done cell carries a white tick somewhere inside it.
    x0, y0, x1, y1 = week_grid_cell_box(0, 0)
    inside = image.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))
    assert (255, 255, 255) in {c for _, c in inside.getcolors(10_000) or []}


def test_colours_of_the_main_marks_are_distinct() -> None:
    main = [COLOURS[m] for m in (M.DONE, M.SKIPPED, M.MISSED, M.PENDING, M.OPEN, M.FUTURE)]
    assert len(set(main)) == len(main)
    assert set(COLOURS) == set(DayMark)
    assert set(HEATMAP_COLOURS) == set(DayMark)


def test_week_grid_highlights_todays_column_only() -> None:
    image = _decode(render_week_grid("My week", MONDAY, WEEK_ROWS, TODAY))
    today_col = (TODAY - MONDAY).days

    def gap_pixel(col: int) -> tuple[int, ...]:
        x0, _, x1, y1 = week_grid_cell_box(0, col)
        pixel = image.getpixel(((x0 + x1) // 2, y1 + 3))  # between rows 0 and 1
        assert isinstance(pixel, tuple)
        return pixel

    assert gap_pixel(today_col) == TODAY_BAND
    assert gap_pixel(0) == BACKGROUND
    assert gap_pixel(6) == BACKGROUND
    # A week without today has no band at all.
    past = _decode(render_week_grid("Last week", MONDAY - timedelta(weeks=1), WEEK_ROWS, TODAY))
    assert TODAY_BAND not in {c for _, c in past.getcolors(1_000_000) or []}


def test_week_grid_without_habits_is_a_friendly_image() -> None:
    data = render_week_grid("My week", MONDAY, [], TODAY)
    image = _decode(data)
    assert image.width > 300 and image.height > 100
    assert len(data) < MAX_BYTES
    # No cell is painted where the first cell would be.
    assert COLOURS[M.DONE] not in {c for _, c in image.getcolors(1_000_000) or []}


def test_week_grid_grows_with_forty_rows() -> None:
    rows = [(f"Habit {i}", [M.DONE] * 3 + [M.PENDING] + [M.FUTURE] * 3) for i in range(40)]
    data = render_week_grid("Lots", MONDAY, rows, TODAY)
    image = _decode(data)
    assert len(data) < MAX_BYTES
    small = _decode(render_week_grid("Lots", MONDAY, rows[:2], TODAY))
    assert image.width == small.width
    assert image.height > small.height + 38 * 40
    assert image.height > week_grid_cell_box(39, 0)[3]
    assert _centre(image, week_grid_cell_box(39, 0)) == COLOURS[M.DONE]
    assert _centre(image, week_grid_cell_box(39, 6)) == COLOURS[M.FUTURE]


def test_week_grid_is_deterministic() -> None:
    first = render_week_grid("My week", MONDAY, WEEK_ROWS, TODAY)
    assert render_week_grid("My week", MONDAY, WEEK_ROWS, TODAY) == first
    assert render_week_grid("Other", MONDAY, WEEK_ROWS, TODAY) != first


NASTY = "🔥🏃‍♀️ Run " * 80 + "日本語 العربية עברית \u200d\u202e\n\t\x00 \ud800 " + "x" * 5000


def test_week_grid_survives_long_unicode_titles_and_keeps_them_out_of_the_grid() -> None:
    rows: list[tuple[str, Sequence[DayMark]]] = [(NASTY, [M.DONE] * 7), ("", [M.MISSED] * 7)]
    image = _decode(render_week_grid(NASTY, MONDAY, rows, TODAY))
    x0, y0, _, y1 = week_grid_cell_box(0, 0)
    strip = image.crop((x0 - 8, y0, x0, y1))  # just left of the first cell
    assert strip.getcolors() == [(8 * (y1 - y0), BACKGROUND)]
    assert _centre(image, week_grid_cell_box(1, 3)) == COLOURS[M.MISSED]


def test_week_grid_rejects_a_row_without_seven_days() -> None:
    with pytest.raises(ValueError, match="7"):
        render_week_grid("x", MONDAY, [("Read", [M.DONE] * 6)], TODAY)


# --- heatmap ---------------------------------------------------------------------------
FIRST = week_start(TODAY) - timedelta(weeks=HEATMAP_WEEKS - 1)


def _box(day: date) -> tuple[int, int, int, int]:
    return heatmap_cell_box((week_start(day) - FIRST).days // 7, day.weekday())


def _history(schedule: Schedule | None = None) -> HabitHistory:
    return HabitHistory(
        schedule=schedule or Schedule.on_weekdays({0, 1, 2, 3, 4}),
        start=date(2024, 11, 4),  # a Monday
        entries={
            date(2025, 3, 3): CheckinStatus.DONE,
            date(2025, 3, 4): CheckinStatus.SKIPPED,
            date(2024, 6, 5): CheckinStatus.DONE,  # before the start: still a fact
        },
    )


def test_heatmap_is_a_png_of_53_weeks_coloured_by_status() -> None:
    data = render_heatmap("Read", _history(), TODAY)
    image = _decode(data)
    assert len(data) < MAX_BYTES
    last = heatmap_cell_box(HEATMAP_WEEKS - 1, 6)
    assert image.width > last[2] and image.height > last[3]
    assert _centre(image, _box(date(2025, 3, 3))) == HEATMAP_COLOURS[M.DONE]
    assert _centre(image, _box(date(2025, 3, 4))) == HEATMAP_COLOURS[M.SKIPPED]
    assert _centre(image, _box(date(2025, 3, 5))) == HEATMAP_COLOURS[M.MISSED]  # Wed, due
    assert _centre(image, _box(date(2024, 11, 4))) == HEATMAP_COLOURS[M.MISSED]  # start day
    assert _centre(image, _box(date(2024, 6, 5))) == HEATMAP_COLOURS[M.DONE]
    neutral = HEATMAP_COLOURS[M.FUTURE]
    assert neutral != HEATMAP_COLOURS[M.MISSED]
    assert _centre(image, _box(date(2025, 3, 1))) == neutral  # Saturday: not scheduled
    assert _centre(image, _box(date(2024, 11, 1))) == neutral  # before the start
    assert _centre(image, _box(TODAY)) == neutral  # due today but not missed yet
    assert _centre(image, _box(date(2025, 3, 7))) == neutral  # future
    # The oldest column starts on a Monday 52 weeks before this week's Monday.
    assert _centre(image, heatmap_cell_box(0, 0)) == neutral


def test_heatmap_marks() -> None:
    h = _history()
    assert heatmap_mark(h, date(2025, 3, 5), TODAY) is M.MISSED
    assert heatmap_mark(h, TODAY, TODAY) is M.PENDING
    assert heatmap_mark(h, date(2025, 3, 8), TODAY) is M.FUTURE
    assert heatmap_mark(h, date(2024, 11, 3), TODAY) is M.BEFORE_START
    assert heatmap_mark(h, date(2025, 3, 2), TODAY) is M.NOT_SCHEDULED
    weekly = _history(Schedule.times_a_week(3))
    assert heatmap_mark(weekly, date(2025, 3, 5), TODAY) is M.OPEN
    assert HEATMAP_COLOURS[M.OPEN] != HEATMAP_COLOURS[M.MISSED]


def test_heatmap_of_five_years_of_daily_history_is_deterministic() -> None:
    start = TODAY - timedelta(days=5 * 365)
    entries = {
        start + timedelta(days=i): (CheckinStatus.DONE if i % 5 else CheckinStatus.SKIPPED)
        for i in range(5 * 365 + 1)
    }
    history = HabitHistory(Schedule.daily(), start, entries)
    data = render_heatmap("Five years", history, TODAY)
    assert len(data) < MAX_BYTES
    assert render_heatmap("Five years", history, TODAY) == data
    image = _decode(data)
    assert _centre(image, _box(TODAY - timedelta(days=1))) == HEATMAP_COLOURS[M.DONE]


def test_heatmap_survives_long_unicode_titles_and_an_empty_history() -> None:
    history = HabitHistory(Schedule.daily(), TODAY)
    image = _decode(render_heatmap(NASTY, history, TODAY))
    assert _centre(image, _box(TODAY - timedelta(days=1))) == HEATMAP_COLOURS[M.FUTURE]
    assert _centre(image, _box(TODAY)) == HEATMAP_COLOURS[M.PENDING]
