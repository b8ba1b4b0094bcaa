"""Every role runs on the declared dependencies alone.

The development venv holds the dev tools and all they pull in, so a library the product uses but
never declares (itsdangerous, which Starlette's SessionMiddleware imports for the admin's cookie)
works in every test and fails in a deployment (`pip install .`, the Docker image). Here real
processes run under `python -X importtime`, and every module they import must come from the
standard library, HabitLink itself, or a distribution that pyproject.toml's dependencies require,
directly or through their own requirements (extras included).
"""

from __future__ import annotations

import asyncio
import importlib.metadata as metadata
import importlib.util
import re
import sys
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram
from tests.support.network import free_port
from tests.support.processes import REPO, Processes, clean_environment

OWN = {"core", "bot", "adapters", "web_admin", "migrations"}
# Optional imports of libraries that use a package when it happens to be installed and do
# without it otherwise; the dev tools install these, a deployment does not.
OPTIONAL = {
    "cryptography": "python-telegram-bot's Telegram Passport support",
    "pygments": "httpx's command-line client (with rich)",
    "rich": "httpx's command-line client",
}
# Put there by the environment, not imported by HabitLink: setuptools' .pth hook and the
# finders of editable installs.
ENVIRONMENT = re.compile(r"_distutils_hack|__editable__.*|_virtualenv|_sysconfigdata_.*")


def declared_closure() -> set[str]:
    """The canonical names of the distributions the project's dependencies require."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(spec) for spec in project["dependencies"]]
    seen: set[tuple[str, str]] = set()  # (distribution, extra): sqlalchemy and sqlalchemy[asyncio]
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        extras = {e for e in requirement.extras | {""} if (name, e) not in seen}
        if not extras:
            continue
        seen.update((name, e) for e in extras)
        for spec in metadata.requires(requirement.name) or []:
            needed = Requirement(spec)
            marker = needed.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in extras):
                wanted.append(needed)
    return {name for name, _ in seen}


def imported_top_level(log: Path) -> set[str]:
    names = set()
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip().split(".")[0]
            if name and name != "package":  # the header line's column title
                names.add(name)
    return names


def undeclared(modules: set[str]) -> dict[str, list[str]]:
    """Imported top-level modules that no declared distribution provides: module -> its dists."""
    closure = declared_closure()
    providers = metadata.packages_distributions()
    out: dict[str, list[str]] = {}
    for module in sorted(modules):
        if module in sys.stdlib_module_names or module in OWN or module in OPTIONAL:
            continue
        if ENVIRONMENT.fullmatch(module):
            continue
        dists = [canonicalize_name(d) for d in providers.get(module, [])]
        if not dists and importlib.util.find_spec(module) is None:
            continue  # an optional import that failed (`-X importtime` lists it all the same)
        if not any(d in closure for d in dists):
            out[module] = dists
    return out


def test_the_closure_is_read_from_pyproject() -> None:
    closure = declared_closure()
    # a direct dependency, one of its own (starlette through fastapi), one through an extra
    assert {"fastapi", "starlette", "aiolimiter"} <= closure
    assert "pytest" not in closure and "moto" not in closure  # dev tools are not in it
    assert undeclared({"json", "core", "sqlalchemy", "starlette"}) == {}
    assert undeclared({"pytest"}) == {"pytest": ["pytest"]}


async def test_the_web_app_and_admin_need_nothing_undeclared(tmp_path: Path) -> None:
    port = free_port()
    env = clean_environment(DATA_DIR=str(tmp_path / "data"), LOG_LEVEL="WARNING")
    procs = Processes(tmp_path, env)
    await procs.start(
        "web",
        [sys.executable, "-X", "importtime", "-m", "bot.cli", "web", "--port", str(port)],
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await procs.wait_ready(f"{base}/readyz", "web")
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
            async with http.get(f"{base}/admin/login") as page:  # the admin's templates
                assert page.status == 200
            account = {"email": "ada@example.com", "password": "a quiet river at dawn"}
            async with http.post(
                f"{base}/api/v1/auth/register", json={**account, "display_name": "Ada"}
            ) as reply:  # password hashing
                assert reply.status == 201, await reply.text()
            async with http.post(f"{base}/api/v1/auth/login", json=account) as reply:  # JWT
                assert reply.status == 200, await reply.text()
    finally:
        await procs.stop()
    _, _, log = procs.stopped[0]
    assert undeclared(imported_top_level(log)) == {}


async def test_the_console_needs_nothing_undeclared(tmp_path: Path) -> None:
    env = clean_environment(DATA_DIR=str(tmp_path / "data"), LOG_LEVEL="WARNING")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-X",
        "importtime",
        "-m",
        "bot.cli",
        "console",
        env=env,
        cwd=tmp_path,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    said = "/newhabit Read 10 pages\n/done Read 10 pages\n/week\n/findtool I forget to strech\n"
    out, err = await asyncio.wait_for(process.communicate(said.encode()), timeout=120)
    assert process.returncode == 0, err.decode()[-3000:]
    assert "Streak 1 day" in out.decode()
    log = tmp_path / "console.log"
    log.write_bytes(err)
    modules = imported_top_level(log)
    assert {"PIL", "bm25s"} <= modules  # the week picture and the offline finder ran
    assert undeclared(modules) == {}


async def bot_imports(
    tmp_path: Path, module: str, work: Callable[[], Awaitable[object]], **settings: str
) -> set[str]:
    """Migrate a SQLite file as a deployment would, run `python -m module run` with `settings`
    under -X importtime until it is ready and `work` is done, stop it: the modules it imported."""
    env = clean_environment(DATA_DIR=str(tmp_path / "data"), LOG_LEVEL="WARNING", **settings)
    migrate = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "migrate", env=env, cwd=tmp_path
    )
    assert await migrate.wait() == 0
    procs = Processes(tmp_path, env)
    health = free_port()
    command = [sys.executable, "-X", "importtime", "-m", module, "run"]
    await procs.start("bot", command, HEALTH_PORT=str(health))
    try:
        await procs.wait_ready(f"http://127.0.0.1:{health}/readyz", "bot")
        await work()
    finally:
        await procs.stop()
    return imported_top_level(procs.stopped[0][2])


async def test_the_telegram_bot_needs_nothing_undeclared(tmp_path: Path) -> None:
    async with FakeTelegram() as fake:

        async def check_in() -> None:
            fake.send_text("/newhabit Read 10 pages")
            fake.send_text("/done Read 10 pages")
            await fake.wait_for(lambda: len(fake.sent_messages) >= 2, timeout=60, what="replies")

        modules = await bot_imports(
            tmp_path,
            "bot.cli",
            check_in,
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE_URL=fake.base_url,
            TELEGRAM_FILE_BASE_URL=fake.base_file_url,
        )
    assert "Streak 1 day" in (fake.sent_messages[-1].plain_text or "")
    assert "telegram" in modules and "discord" not in modules
    assert undeclared(modules) == {}


async def test_the_discord_bot_needs_nothing_undeclared(tmp_path: Path) -> None:
    async with FakeDiscord(patch_discord=False) as fake:

        async def connected() -> None:
            await fake.wait_for(lambda: len(fake.sessions) > 0, timeout=60, what="a session")

        # bench/idle_discord.py points discord.py at the fake, then runs bot.cli unchanged
        modules = await bot_imports(
            tmp_path,
            "bench.idle_discord",
            connected,
            DISCORD_BOT_TOKEN=fake.token,
            BENCH_DISCORD_API=fake.api_base,
            BENCH_DISCORD_GATEWAY=fake.gateway_url,
        )
    assert "discord" in modules and "telegram" not in modules
    assert undeclared(modules - {"bench"}) == {}  # bench: the launcher, not deployed
