"""The dashboard's server-drawn SVG bar charts and the CSRF check's reading of form bodies."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from web_admin.admin.chart import ONE, Series, bars, nice_top
from web_admin.admin.csrf import _form_token


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (2, 2), (3, 5), (5, 5), (6, 10), (11, 20), (4100, 5000)]
)
def test_the_scale_tops_at_a_round_number(value: int, top: int) -> None:
    assert nice_top(value) == top


def test_bars_are_as_tall_as_their_values_and_say_them() -> None:
    svg = bars([("Mon", (4,)), ("Tue", (2,)), ("Wed", (0,))], ONE, label="Check-ins")
    root = ElementTree.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    heights = [float(r.get("height", "0")) for r in root.findall(".//s:g/s:rect", ns)]
    assert heights[0] == pytest.approx(2 * heights[1]) and heights[2] == 0
    titles = [t.text for t in root.findall(".//s:title", ns)]
    assert titles == ["Mon: 4 count", "Tue: 2 count", "Wed: 0 count"]
    assert root.get("aria-label") == "Check-ins"


def test_stacked_parts_and_escaped_labels() -> None:
    series = Series(("done", "skipped"), ("green", "orange"))
    svg = bars([("<script>", (3, 1))], series)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert len(re.findall(r"<rect ", svg)) == 2


def test_the_token_is_read_from_urlencoded_and_multipart_forms() -> None:
    assert _form_token(b"a=1&csrf_token=abc%2B&b=2", "application/x-www-form-urlencoded") == "abc+"
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="title"\r\n\r\nRun\r\n'
        b'--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\ntok-1\r\n--XX--\r\n'
    )
    assert _form_token(body, "multipart/form-data; boundary=XX") == "tok-1"
    assert _form_token(b"a=1", "application/x-www-form-urlencoded") is None
    assert _form_token(b'{"csrf_token": "x"}', "application/json") is None
