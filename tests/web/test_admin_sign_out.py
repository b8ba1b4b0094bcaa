"""Signing out of /admin is a POST with the session's CSRF token: a link or an image on another
site (a GET, or a POST without the token) cannot sign an admin out."""

from __future__ import annotations

import httpx
import pytest

from core.clock import SettableClock
from core.db.engine import Database
from tests.support.admin_site import csrf_in, make_admin, sign_in, token_of
from web_admin.app import asgi, create_app
from web_admin.context import Web

LOGIN = "http://testserver/admin/login"


@pytest.fixture
async def site(web: Web) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=asgi(create_app(web)), client=("203.0.113.9", 4242))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def still_signed_in(site: httpx.AsyncClient) -> bool:
    answer = await site.get("/admin/dashboard")
    assert answer.status_code in (200, 302), answer.text[:300]
    return answer.status_code == 200


async def test_sign_out_is_a_form_with_the_token_not_a_link(
    site: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    await make_admin(database, clock)
    assert (await sign_in(site, "root@example.com")).status_code == 302
    page = (await site.get("/admin/dashboard")).text
    assert 'href="http://testserver/admin/logout"' not in page
    form = page[page.index('<form method="POST" action="http://testserver/admin/logout"') :]
    form = form[: form.index("</form>")]
    assert csrf_in(form) == await token_of(site)
    assert "Sign out" in form


async def test_a_get_only_asks_and_a_post_without_the_token_is_refused(
    site: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    await make_admin(database, clock)
    assert (await sign_in(site, "root@example.com")).status_code == 302
    asked = await site.get("/admin/logout")  # what a link or <img> elsewhere would do
    assert asked.status_code == 200
    assert "Sign out of HabitLink admin?" in asked.text
    assert await still_signed_in(site)
    assert (await site.post("/admin/logout")).status_code == 403
    forged = await site.post("/admin/logout", data={"csrf_token": "x" * 43})
    assert forged.status_code == 403
    assert await still_signed_in(site)

    token = csrf_in(asked.text)  # the confirm page's own form signs out
    out = await site.post("/admin/logout", data={"csrf_token": token})
    assert (out.status_code, out.headers["location"]) == (302, LOGIN)
    assert not await still_signed_in(site)
    again = await site.post("/admin/logout", data={"csrf_token": token})
    assert again.status_code == 403  # the session, and its token, are gone


async def test_signed_out_visitors_asking_to_sign_out_get_the_sign_in_page(
    site: httpx.AsyncClient,
) -> None:
    answer = await site.get("/admin/logout")
    assert (answer.status_code, answer.headers["location"]) == (302, LOGIN)
