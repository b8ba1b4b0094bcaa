"""The admin site under test: admin accounts (tests.support.admin, as `habitlink admin create`
makes them), and signing in to /admin over HTTP the way a browser's form does (with the CSRF
token from the page)."""

from __future__ import annotations

import re

import httpx

from core.clock import Clock
from core.db.engine import Database
from core.uow import UnitOfWorkFactory
from tests.support.admin import ADMIN_PASSWORD
from tests.support.admin import make_admin as make_admin_in

__all__ = ["ADMIN_PASSWORD", "csrf_in", "make_admin", "sign_in", "token_of"]
_TOKEN = re.compile(r'(?:name="csrf_token" value|name="csrf-token" content)="([^"]+)"')


async def make_admin(db: Database, clock: Clock, email: str = "root@example.com") -> int:
    return await make_admin_in(UnitOfWorkFactory(db, clock), email)


def csrf_in(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = ADMIN_PASSWORD
) -> httpx.Response:
    page = await client.get("/admin/login")
    assert page.status_code == 200, page.text
    return await client.post(
        "/admin/login",
        data={"email": email, "password": password, "csrf_token": csrf_in(page.text)},
    )


async def token_of(client: httpx.AsyncClient, page: str = "/admin/dashboard") -> str:
    """The session's CSRF token, read from a page as the browser would."""
    answer = await client.get(page)
    assert answer.status_code == 200, answer.text
    return csrf_in(answer.text)
