"""The admin's sign-in page as a new operator reads it: a wrong password and an unknown email get
the same plain words (nothing says whether the account exists), the email typed stays in the
form, a pause says how long, and the page says how the first admin account is made."""

from __future__ import annotations

import re

import httpx
import pytest

from core.clock import SettableClock
from core.db.engine import Database
from tests.support.admin_site import ADMIN_PASSWORD, make_admin, sign_in
from web_admin.app import asgi, create_app
from web_admin.context import Web

WRONG = "The email or password is not right. Check both and try again."
ERROR = re.compile(r'id="sign-in-error">([^<]*)<')


@pytest.fixture
async def site(web: Web) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=asgi(create_app(web)), client=("203.0.113.9", 4242))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def shown_error(page: httpx.Response) -> str:
    found = ERROR.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


async def test_a_wrong_password_and_an_unknown_email_read_the_same(
    site: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    await make_admin(database, clock)
    wrong = await sign_in(site, "root@example.com", "not the password at all")
    unknown = await sign_in(site, "nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    assert shown_error(wrong) == shown_error(unknown) == WRONG
    assert 'value="root@example.com"' in wrong.text  # typed once, kept
    assert "not the password at all" not in wrong.text


async def test_the_email_typed_is_kept_escaped(site: httpx.AsyncClient) -> None:
    page = await sign_in(site, '"><script>alert(1)</script>@example.com', "whatever it is")
    assert page.status_code == 400
    assert "<script>alert(1)" not in page.text and "&#34;&gt;&lt;script&gt;" in page.text


async def test_the_pause_says_how_long_whether_the_account_exists_or_not(
    site: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    await make_admin(database, clock)
    for email in ("root@example.com", "nobody@example.com"):
        for _ in range(5):
            assert (await sign_in(site, email, "not the password at all")).status_code == 400
    for email in ("root@example.com", "nobody@example.com"):
        paused = await sign_in(site, email, ADMIN_PASSWORD)
        assert paused.status_code == 429
        assert int(paused.headers["retry-after"]) > 14 * 60
        assert shown_error(paused) == (
            "Too many failed sign-ins. To keep accounts safe, signing in is paused: "
            "try again in 15 minutes."
        )


async def test_the_page_says_how_the_first_admin_is_made(site: httpx.AsyncClient) -> None:
    page = await site.get("/admin/login")
    assert page.status_code == 200
    assert "habitlink admin create --email" in page.text
    assert 'id="sign-in-error"' not in page.text
