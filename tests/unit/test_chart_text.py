"""The font chain of the charts: which scripts it draws, CHART_FONTS, and life without fonts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from bot import chart_fonts
from bot.chart_fonts import CJK_FONTS, PRIMARY_FONTS, configure, font_files
from bot.chart_text import chain, clean, fit
from bot.charts import render_heatmap, render_week_grid
from bot.config import Settings
from core.habits.history import DayMark, HabitHistory
from core.habits.schedule import Schedule
from tests.conftest import unavailable

TODAY = date(2025, 3, 6)
SCRIPTS = "Бег Ωμέγα שלום مرحبا 読書 日本語 かな カナ 한국어 Ünïcødé €"


@pytest.fixture
def installed_fonts() -> None:
    names = {path.name for path in font_files()}
    if not {"DejaVuSans.ttf", "wqy-microhei.ttc"} <= names:
        unavailable("fonts-dejavu-core and fonts-wqy-microhei", f"fonts found: {sorted(names)}")


@pytest.fixture
def no_fonts() -> Iterator[None]:
    assert configure([]) == []
    try:
        yield
    finally:
        configure(None)


def test_the_default_chain_draws_the_common_scripts(installed_fonts: None) -> None:
    font = chain(18)
    assert font.drawable(SCRIPTS) == SCRIPTS
    assert [f.getname()[0] for f in font.fonts] == ["DejaVu Sans", "WenQuanYi Micro Hei"]
    # Latin, Cyrillic and Greek in the first font; Han and kana in the second.
    assert [f.getname()[0] for _, f in font.runs("Бег 読書")] == [
        "DejaVu Sans",
        "WenQuanYi Micro Hei",
    ]
    assert chain(18) is font  # opened once per size, not per chart


def test_what_no_font_has_is_left_out_or_replaced(installed_fonts: None) -> None:
    font = chain(18)
    assert clean("🔥 Run\ufe0f 🏃🏽", font) == "Run"  # emoji, skin tone, variation selector
    assert clean("🔥🔥", font) == "\ufffd"  # nothing else: one mark, never an empty label
    assert clean("नमस्ते ok", font) == "\ufffd" * 4 + " ok"  # letters of a script no font has
    assert clean("Cafe\u0301", font) == "Cafe\u0301"  # a combining accent stays with its letter
    assert fit("読書" * 100, font, 120).endswith("\u2026")
    assert font.getlength(fit("読書" * 100, font, 120)) <= 120


def test_without_font_files_pillows_font_draws_latin_and_marks_the_rest(no_fonts: None) -> None:
    assert font_files() == ()
    font = chain(18)
    assert font.fonts[0].getname() == ("Aileron", "Regular")  # Pillow's bundled font
    assert clean("Бег 🔥 Run", font) == "??? Run"
    rows = [("Бег", [DayMark.DONE] * 7), ("🔥", [DayMark.MISSED] * 7)]
    for png in (
        render_week_grid("読書", date(2025, 3, 3), rows, TODAY),
        render_heatmap("読書 🔥", HabitHistory(Schedule.daily(), TODAY), TODAY),
    ):
        assert Image.open(BytesIO(png)).format == "PNG"


def test_chart_fonts_setting_names_the_files_in_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    here = [f for f in (*PRIMARY_FONTS, *CJK_FONTS) if f.is_file()]
    gone = tmp_path / "gone.ttf"
    monkeypatch.setenv("CHART_FONTS", ", ".join(str(f) for f in [*reversed(here), gone]))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.chart_fonts == [*reversed(here), gone]
    try:
        assert configure(settings.chart_fonts) == [gone]  # reported, then left out
        assert font_files() == tuple(reversed(here))
    finally:
        configure(None)
    assert font_files() == chart_fonts._default_files()
    monkeypatch.setenv("CHART_FONTS", "")
    assert Settings(_env_file=None).chart_fonts is None  # type: ignore[call-arg]


def test_a_file_that_is_no_font_is_left_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "notes.ttf"
    bad.write_bytes(b"not a font at all")
    try:
        assert configure([bad]) == []  # it is there, so only opening it tells
        with caplog.at_level("WARNING", logger="habitlink"):
            font = chain(18)
            png = render_week_grid("Run", date(2025, 3, 3), [("Бег", [DayMark.DONE] * 7)], TODAY)
        assert font.fonts[0].getname() == ("Aileron", "Regular")
        assert Image.open(BytesIO(png)).format == "PNG"
        assert f"chart font {bad} cannot be used" in caplog.text
    finally:
        configure(None)
