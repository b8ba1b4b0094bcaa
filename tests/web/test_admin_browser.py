"""The admin in a real browser: Debian's Chromium (/usr/bin/chromium, installed by `make tools`)
driven by Playwright, against the real `habitlink web` on a SQLite file that a console chat
shares. An admin made with `habitlink admin create` signs in, hides a learning, and the bot's
/feed stops showing it; a member and a signed-out visitor are refused; a form without the CSRF
token is refused. Screenshots go to $ARTIFACTS_DIR (default tests/artifacts/, git-ignored)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from tests.conftest import unavailable
from tests.e2e.test_console_cli import habitlink
from tests.support.bots import make_bot
from tests.support.console import ConsoleSession
from tests.support.network import free_port
from tests.support.processes import Processes, clean_environment

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", Path(__file__).parents[1] / "artifacts"))
SECRET = "browser-test-secret-with-enough-different-characters-0123456789"
EMAIL = "root@example.com"
PASSWORD = "a lantern over still water"
TIP = "Lay out the shoes the night before"

pytestmark = pytest.mark.timeout(240)


class Instance:
    """`habitlink web` on a SQLite file, and a console chat on the same file."""

    def __init__(self, base: str, console: ConsoleSession) -> None:
        self.base = base
        self.console = console


async def chat_history(console: ConsoleSession, clock: SettableClock) -> None:
    """Some weeks of a small community, for the dashboard: habits checked in day by day,
    a group with members, and a learning in its chat."""
    await console.say(":user Alice", ":chat dm", "/newhabit Run", "/newhabit Read")
    await console.say(":user Bob", ":chat dm", "/newhabit Stretch")
    start = clock.now()
    for day in range(40):
        clock.set(start + timedelta(days=day))
        await console.say(":user Alice", ":chat dm", "/done run")
        await console.say("/done read" if day % 3 else "/skip read")
        if day % 2:
            await console.say(":user Bob", ":chat dm", "/done stretch")
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    await console.say(":user Bob", "/join", f"/learn {TIP}")


@pytest.fixture
def first_admin(tmp_path: Path) -> dict[str, str]:
    """A data folder with its first admin, made as the README says: `habitlink admin create`
    with the password on standard input. Returns the environment of this instance."""
    if not CHROMIUM.exists():
        unavailable("Chromium", f"{CHROMIUM} is missing (as root: make tools)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = clean_environment(DATA_DIR=str(tmp_path / "data"), SECRET_KEY=SECRET, LOG_FORMAT="json")
    created = subprocess.run(
        [*habitlink(), "admin", "create", "--email", EMAIL],
        input=PASSWORD + "\n",
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    return env


@pytest.fixture
async def instance(tmp_path: Path, first_admin: dict[str, str]) -> AsyncIterator[Instance]:
    data = Path(first_admin["DATA_DIR"])
    env = first_admin
    clock = SettableClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=39))
    db = Database(f"sqlite:///{data / 'habitlink.db'}")
    media = LocalMediaStore(data / "media")
    console = ConsoleSession(make_bot(db, clock, media=media), clock, tmp_path / "console")
    await chat_history(console, clock)
    port = free_port()
    processes = Processes(tmp_path, env)
    await processes.start("web", [*habitlink(), "web", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        await processes.wait_ready(base + "/readyz", "web")
        yield Instance(base, console)
    finally:
        await processes.stop()
        await db.dispose()
    assert processes.errors() == []


async def test_an_admin_hides_a_learning_in_the_browser_and_the_feed_drops_it(
    instance: Instance,
) -> None:
    from playwright.async_api import async_playwright

    console = instance.console
    assert TIP in await console.say(":user Carol", ":chat dm", "/feed")
    async with httpx.AsyncClient(base_url=instance.base) as api:
        body = {"email": "bob@example.com", "password": PASSWORD, "display_name": "Bob"}
        assert (await api.post("/api/v1/auth/register", json=body)).status_code == 201

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        try:
            page = await browser.new_page(viewport={"width": 1400, "height": 1000})
            fetched: list[str] = []
            page.on("request", lambda request: fetched.append(request.url))
            # A signed-out visitor is sent to the sign-in page, from any admin page.
            await page.goto(instance.base + "/admin/learning/list")
            assert page.url == instance.base + "/admin/login"

            # A member with a web account is refused.
            answer = await sign_in(page, "bob@example.com")
            assert answer == 403
            assert "not an admin" in await page.inner_text("#sign-in-error")
            await page.goto(instance.base + "/admin/dashboard")
            assert page.url == instance.base + "/admin/login"

            # The admin signs in and lands on the dashboard.
            assert await sign_in(page, EMAIL) == 200
            assert page.url == instance.base + "/admin/dashboard"
            assert await page.inner_text("#active-this-week") == "2"
            assert await page.locator("#checkins-per-day svg g").count() == 90  # a bar a day
            await page.screenshot(path=ARTIFACTS / "admin-dashboard.png", full_page=True)

            # Learnings: the list, then the one learning, then Hide.
            await page.click("text=Learnings")
            await page.wait_for_url("**/admin/learning/list")
            assert TIP in await page.inner_text("table")
            await page.screenshot(path=ARTIFACTS / "admin-learnings.png", full_page=True)
            await page.goto(instance.base + "/admin/learning/details/1")
            await page.click("button:has-text('Hide')")
            await page.wait_for_url("**/admin/learning/details/1")
            assert await page.locator("button:has-text('Unhide')").count() == 1
            assert TIP not in await console.say("/feed")

            # A form without the session's token is refused, and changes nothing.
            async with page.expect_navigation():  # not the page before the form's answer
                await page.evaluate(
                    """() => {
                        const form = document.createElement('form');
                        form.method = 'post';
                        form.action = '/admin/learning/1/unhide';
                        document.body.appendChild(form);
                        form.submit();
                    }"""
                )
            assert "this form was refused" in await page.inner_text("body")
            assert TIP not in await console.say("/feed")

            # The audit log shows what happened, and by whom.
            await page.goto(instance.base + "/admin/audit-entry/list")
            log = await page.inner_text("table")
            assert "learning.hide" in log and EMAIL in log
            await page.screenshot(path=ARTIFACTS / "admin-audit-log.png", full_page=True)
            # Signing out is the sidebar's form (a POST with the token), not a link.
            assert await page.locator("a[href$='/admin/logout']").count() == 0
            await page.click("#sign-out button")
            await page.wait_for_url("**/admin/login")
            await page.goto(instance.base + "/admin/dashboard")
            assert page.url == instance.base + "/admin/login"
            # Styles, scripts and fonts all come from this server: no CDN, no network.
            elsewhere = [u for u in fetched if not u.startswith((instance.base, "data:"))]
            assert elsewhere == []
        finally:
            await browser.close()


async def sign_in(page: object, email: str) -> int:
    """Fill the sign-in form like a person; the status of the page it leads to."""
    from playwright.async_api import Page

    assert isinstance(page, Page)
    base = page.url.split("/admin")[0]
    await page.goto(base + "/admin/login")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    async with page.expect_navigation() as navigation:
        await page.click("button[type=submit]")
    response = await navigation.value
    await asyncio.sleep(0)
    return response.status if response is not None else 0
