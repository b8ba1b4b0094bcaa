"""The admin under test: make admin accounts through core (as `habitlink admin create` does),
and sign in to /admin over HTTP the way a browser's form does (the CSRF token from the page)."""

from __future__ import annotations

import re

import httpx

from core.accounts.passwords import Passwords
from core.clock import Clock
from core.db.engine import Database
from core.uow import UnitOfWork

ADMIN_PASSWORD = "a lantern over still water"
_TOKEN = re.compile(r'(?:name="csrf_token" value|name="csrf-token" content)="([^"]+)"')


async def make_admin(db: Database, clock: Clock, email: str = "root@example.com") -> int:
    async with UnitOfWork(db, clock) as uow:
        user = await uow.admin.roles.create_admin(uow.accounts(Passwords()), email, ADMIN_PASSWORD)
        await uow.commit()
        return user.id


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
