"""`habitlink admin create|promote|demote` as run by the operator, on the embedded SQLite
database and on PostgreSQL: the real command in a subprocess for the help, the terminal and the
first admin on each database; the rest of the roles' life through the same `bot.cli.main` in
this process (each process start costs about a second of imports)."""

from __future__ import annotations

import asyncio
import fcntl
import io
import logging
import os
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import cli
from bot.config import Settings
from core.clock import SystemClock
from core.db.engine import Database
from core.uow import UnitOfWork
from tests.e2e.test_console_cli import REPO, habitlink, run
from tests.support.threads import run_main

GOOD = "a quiet river at dawn"


def admin(
    cwd: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = run(["admin", *args], cwd, stdin=stdin, env=env)
    return result.returncode, result.stdout, result.stderr


@dataclass
class InProcess:
    """`habitlink admin ARGS` through bot.cli.main here, in the environment, directory and
    standard streams that `run` gives the subprocess."""

    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    cwd: Path

    def __call__(
        self, *args: str, stdin: str = "", env: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        with self.monkeypatch.context() as patch:
            for name in list(os.environ):
                if name.lower() in Settings.model_fields:
                    patch.delenv(name)
            for name, value in {"DATA_DIR": "data", "LOG_LEVEL": "INFO", **(env or {})}.items():
                patch.setenv(name, value)
            patch.chdir(self.cwd)
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            self.capsys.readouterr()
            code = run_main(cli.main, "admin", *args)  # its asyncio.run in a thread of its own
            out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def here(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Iterator[InProcess]:
    """main() sets up logging for the process (cli.configure_logging): undone after the test."""
    root = logging.getLogger()
    handlers, levels = root.handlers[:], {name: logging.getLogger(name).level for name in NAMES}
    known = set(logging.root.manager.loggerDict)
    try:
        yield InProcess(monkeypatch, capsys, tmp_path)
    finally:
        root.handlers[:] = handlers
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        for name in set(logging.root.manager.loggerDict) - known:
            logging.getLogger(name).setLevel(logging.NOTSET)


# The loggers whose levels configure_logging sets, the root first.
NAMES = ("", "httpx", "httpcore", "aiosqlite", "alembic.runtime", "apscheduler", "bm25s")
NAMES += ("openai", "groq")


def roles_on(here: InProcess, env: dict[str, str] | None = None) -> None:
    """The whole life of the admin roles, as an operator types it; the first admin is made by
    the real command in a subprocess."""
    code, out, err = here("create", "--email", "Ops@Example.com", stdin="password\n", env=env)
    assert (code, out) == (1, "")
    assert err == "habitlink: That password is one of the most common ones; choose another.\n"
    code, out, err = here("create", "--email", "not-an-email", stdin=GOOD + "\n", env=env)
    assert (code, err) == (1, "habitlink: That doesn't look like an email address.\n")

    code, out, err = admin(
        here.cwd, "create", "--email", "Ops@Example.com", stdin=GOOD + "\n", env=env
    )
    assert (code, err) == (0, "")
    assert out == "Admin account ops@example.com created: sign in at /admin.\n"
    code, out, err = here("create", "--email", "ops@example.com", stdin=GOOD + "\n", env=env)
    assert code == 1
    assert "There is already an account with the email ops@example.com." in err
    assert "habitlink admin promote --email ops@example.com" in err

    code, out, err = here("demote", "--email", "ops@example.com", env=env)
    assert (code, out) == (1, "")
    assert err == (
        "habitlink: ops@example.com is the only admin able to use /admin; "
        "make someone else an admin first.\n"
    )
    code, out, err = here("promote", "--email", "nobody@example.com", env=env)
    assert (code, err) == (1, "habitlink: There is no account with the email nobody@example.com.\n")

    code, out, _ = here("create", "--email", "second@example.com", stdin=GOOD + "\n", env=env)
    assert code == 0
    code, out, err = here("demote", "--email", "OPS@example.com", env=env)
    assert (code, out, err) == (0, "ops@example.com is no longer an admin.\n", "")
    code, out, _ = here("demote", "--email", "ops@example.com", env=env)
    assert (code, out) == (0, "ops@example.com was not an admin; nothing changed.\n")
    code, out, _ = here("promote", "--email", "ops@example.com", env=env)
    assert (code, out) == (0, "ops@example.com is now an admin.\n")
    code, out, _ = here("promote", "--email", "ops@example.com", env=env)
    assert (code, out) == (0, "ops@example.com was an admin already; nothing changed.\n")


def test_admin_roles_on_the_embedded_database(here: InProcess) -> None:
    roles_on(here)


@pytest.mark.postgres
def test_admin_roles_on_postgres(pg_url: str, pg_database: Database, here: InProcess) -> None:
    """On the session's database, emptied before and after (no database of its own: dropping
    one waits for a checkpoint, many seconds on a busy server)."""
    roles_on(here, env={"DATABASE_URL": pg_url})


def test_help_names_the_actions(tmp_path: Path) -> None:
    code, out, _ = admin(tmp_path, "--help")
    assert code == 0 and out.startswith("usage: habitlink admin [-h] ACTION ...\n")
    for action in ("create", "promote", "demote"):
        assert f"    {action} " in out
    code, _, err = admin(tmp_path, "create")
    assert code == 2 and "--email" in err


def _make_controlling_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _read_until(fd: int, text: str, timeout: float = 60) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        assert time.monotonic() < deadline, f"waited for {text!r}, got {seen!r}"
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace")


@pytest.mark.parametrize("second", [GOOD, "something else entirely"])
def test_create_asks_for_the_password_twice_on_a_terminal(tmp_path: Path, second: str) -> None:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(REPO), DATA_DIR="data", PYTHONIOENCODING="utf-8")
    primary, terminal = os.openpty()
    proc = subprocess.Popen(
        [*habitlink(), "admin", "create", "--email", "ops@example.com"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=tmp_path,
        env=env,
        preexec_fn=_make_controlling_terminal,  # a test: no threads to worry about
    )
    os.close(terminal)
    try:
        _read_until(primary, "Password for the new admin: ")
        os.write(primary, (GOOD + "\n").encode())
        _read_until(primary, "The same password again: ")
        os.write(primary, (second + "\n").encode())
        rest = _read_until(primary, "\n\n")  # until the terminal closes
        assert proc.wait(timeout=60) == (0 if second == GOOD else 1)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(primary)
    assert GOOD not in rest  # never echoed
    if second == GOOD:
        assert "Admin account ops@example.com created" in rest
    else:
        assert "the two passwords differ; nothing was changed." in rest


def test_promoting_a_banned_account_says_it_is_banned(here: InProcess) -> None:
    """`promote` of a banned account said only "... is now an admin.", yet a banned admin is
    refused at /admin; the operator is told why, and the promotion stands."""
    assert here("create", "--email", "ops@example.com", stdin=GOOD + "\n")[0] == 0
    assert here("create", "--email", "mal@example.com", stdin=GOOD + "\n")[0] == 0
    assert here("demote", "--email", "mal@example.com")[0] == 0

    async def ban() -> None:
        db = Database(f"sqlite:///{here.cwd / 'data' / 'habitlink.db'}")
        try:
            async with UnitOfWork(db, SystemClock()) as uow:
                assert await uow.admin.people.ban(1, 2, "spam")
                await uow.commit()
        finally:
            await db.dispose()

    asyncio.run(ban())
    code, out, err = here("promote", "--email", "mal@example.com")
    assert (code, err) == (0, "")
    assert out == (
        "mal@example.com is now an admin, but is banned: they can use /admin once unbanned "
        "(an admin can unban them on their page under Users).\n"
    )
