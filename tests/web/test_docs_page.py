"""The API's docs pages load everything from the app itself: they work without the internet."""

from __future__ import annotations

import re

import httpx
import pytest


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_docs_pages_need_no_cdn(api: httpx.AsyncClient, page: str) -> None:
    answer = await api.get(page)
    assert answer.status_code == 200
    html = answer.text
    assert "https://" not in html and "http://" not in html  # no CDN, no third-party icon
    assets = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css|svg))"', html)
    assert any(a.endswith(".js") for a in assets), html
    for asset in assets:
        loaded = await api.get(asset)
        assert loaded.status_code == 200 and len(loaded.content) > 100, asset
