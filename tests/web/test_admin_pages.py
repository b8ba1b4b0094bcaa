"""What the admin's pages read like, over httpx against the real app: words a person reads,
not Python's reprs or bare row ids."""

from __future__ import annotations

import httpx
import pytest
from markupsafe import escape

from core.clock import SettableClock
from core.db.engine import Database
from core.uow import UnitOfWork
from tests.support.admin_site import make_admin, sign_in
from tests.support.console import ConsoleSession
from web_admin.app import asgi, create_app
from web_admin.context import Web


@pytest.fixture
async def admin(web: Web, database: Database, clock: SettableClock) -> httpx.AsyncClient:
    """An httpx client signed in as the admin (user 1)."""
    await make_admin(database, clock)
    transport = httpx.ASGITransport(app=asgi(create_app(web)))
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    assert (await sign_in(client, "root@example.com")).status_code == 302
    return client


async def test_a_tools_steps_keywords_and_problems_read_one_a_line(
    admin: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    await console.say(":user Alice", ":chat dm", "/tools")  # the seed tools come in
    async with UnitOfWork(database, clock) as uow:
        tool = next(t for t in await uow.admin.tools.tools(1) if "'" in "".join(t.steps))
    page = (await admin.get(f"/admin/tool/details/{tool.id}")).text
    for key in ("steps", "keywords", "problems"):
        items = [str(escape(item)) for item in getattr(tool, key)]
        assert "<br>".join(items) in page, key
    assert "[&#39;" not in page and "&#39;]" not in page  # no ['...'] anywhere
