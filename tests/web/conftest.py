"""The API under test: the real app over httpx, on SQLite and PostgreSQL (the `database`
fixture), with the settable clock and a local media folder."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pwdlib.hashers.argon2 import Argon2Hasher

from bot.config import Settings
from core.accounts.passwords import Passwords
from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from tests.support.admin_site import make_admin, sign_in
from tests.support.console import ConsoleSession
from web_admin.app import asgi, create_app
from web_admin.context import Web
from web_admin.throttle import LoginThrottle

SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "a quiet river at dawn"


def web_for(
    database: Database, clock: SettableClock, media: LocalMediaStore, **settings: Any
) -> Web:
    return Web(
        settings=Settings(_env_file=None, secret_key=SECRET, **settings),  # type: ignore[call-arg]
        db=database,
        clock=clock,
        media=media,
        passwords=Passwords(),
        throttle=LoginThrottle.from_settings(None, "test"),
    )


@pytest.fixture
async def admin(web: Web, database: Database, clock: SettableClock) -> httpx.AsyncClient:
    """An httpx client signed in as the admin (user 1)."""
    await make_admin(database, clock)
    transport = httpx.ASGITransport(app=asgi(create_app(web)))
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    assert (await sign_in(client, "root@example.com")).status_code == 302
    return client


@pytest.fixture
def web(database: Database, clock: SettableClock, media: LocalMediaStore) -> Web:
    return web_for(database, clock, media)


@pytest.fixture
async def api(web: Web) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=asgi(create_app(web)), client=("203.0.113.7", 4242))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


class Person:
    """A signed-in account: `await person.get('/api/v1/me')` carries its bearer token."""

    def __init__(self, api: httpx.AsyncClient, tokens: dict[str, Any], email: str) -> None:
        self.api = api
        self.tokens = tokens
        self.email = email

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return await self.api.request(method, url, headers=self.headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)


async def sign_up(api: httpx.AsyncClient, name: str, password: str = PASSWORD) -> Person:
    email = f"{name.lower()}@example.com"
    created = await api.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "display_name": name},
    )
    assert created.status_code == 201, created.text
    login = await api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return Person(api, login.json(), email)


@pytest.fixture
async def ada(api: httpx.AsyncClient) -> Person:
    return await sign_up(api, "Ada")


def cheap_hasher() -> Argon2Hasher:
    """Weaker parameters, as an old deployment might have stored (for the upgrade test)."""
    return Argon2Hasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


LINK_CODE = re.compile(r"Your link code: ([A-Z0-9]{8})")


async def link_console_user(person: Person, console: ConsoleSession, name: str) -> None:
    """Console user NAME joins this web account: the console shows a code, the web account types
    it (and is the account kept, so its tokens stay good)."""
    shown = await console.say(f":user {name}", ":chat dm", "/link")
    code = LINK_CODE.search(shown)
    assert code, shown
    answer = await person.post("/api/v1/me/link", json={"code": code.group(1)})
    assert answer.status_code == 200, answer.text


async def olives_group(api: httpx.AsyncClient, console: ConsoleSession) -> tuple[Person, int]:
    """Olive, whose web account is her console user's, made the public group Runners in the
    console's group chat: her, and the group's id."""
    olive = await sign_up(api, "Olive")
    await link_console_user(olive, console, "Olive")
    await console.say(":chat group Runners", "/newgroup Runners public")
    gid: int = (await olive.get("/api/v1/groups/mine")).json()[0]["id"]
    return olive, gid
