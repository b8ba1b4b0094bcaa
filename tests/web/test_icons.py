"""The browser asks for /favicon.ico on every page, the API's docs and the admin's alike: it gets
HabitLink's icon (shipped in the package), not a 404."""

from __future__ import annotations

import io
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import httpx
from PIL import Image

from web_admin.app import asgi, create_app
from web_admin.context import Web

ROOT = Path(__file__).parents[2]


async def test_the_icon_is_served_for_the_api_and_the_admin(web: Web) -> None:
    transport = httpx.ASGITransport(app=asgi(create_app(web)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        ico = await client.get("/favicon.ico")
        svg = await client.get("/favicon.svg")
        login = await client.get("/admin/login")
    assert ico.status_code == 200 and ico.headers["content-type"] == "image/x-icon"
    assert "max-age" in ico.headers["cache-control"]
    with Image.open(io.BytesIO(ico.content)) as image:
        assert image.format == "ICO" and (32, 32) in image.info["sizes"]
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg")
    assert '<link rel="icon" href="/favicon.svg">' in login.text


async def test_a_signed_in_admin_page_points_at_the_icon(admin: httpx.AsyncClient) -> None:
    page = await admin.get("/admin/dashboard")
    assert page.status_code == 200 and 'href="/favicon.svg"' in page.text


def test_the_icons_are_package_data() -> None:
    """An installed HabitLink (a wheel, the Docker image) has the files the routes read."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["web_admin"]
    for name in ("favicon.ico", "favicon.svg"):
        assert (ROOT / "web_admin" / "static" / name).is_file()
        assert any(fnmatch(f"static/{name}", p) for p in patterns), (name, patterns)
