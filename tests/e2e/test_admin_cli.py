"""`habitlink admin create|promote|demote` as run by the operator: the real command in a
subprocess, on the embedded SQLite database and on PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import subprocess
import termios
import time
from pathlib import Path

import pytest

from bot.config import Settings
from tests.conftest import create_pg_database, drop_pg_database
from tests.e2e.test_console_cli import REPO, habitlink, run

GOOD = "a quiet river at dawn"


def admin(
    cwd: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = run(["admin", *args], cwd, stdin=stdin, env=env)
    return result.returncode, result.stdout, result.stderr


def roles_on(cwd: Path, env: dict[str, str] | None = None) -> None:
    """The whole life of the admin roles, as an operator types it."""
    code, out, err = admin(cwd, "create", "--email", "Ops@Example.com", stdin="password\n", env=env)
    assert (code, out) == (1, "")
    assert err == "habitlink: That password is one of the most common ones; choose another.\n"
    code, out, err = admin(cwd, "create", "--email", "not-an-email", stdin=GOOD + "\n", env=env)
    assert (code, err) == (1, "habitlink: That doesn't look like an email address.\n")

    code, out, err = admin(cwd, "create", "--email", "Ops@Example.com", stdin=GOOD + "\n", env=env)
    assert (code, err) == (0, "")
    assert out == "Admin account ops@example.com created: sign in at /admin.\n"
    code, out, err = admin(cwd, "create", "--email", "ops@example.com", stdin=GOOD + "\n", env=env)
    assert code == 1
    assert "There is already an account with the email ops@example.com." in err
    assert "habitlink admin promote --email ops@example.com" in err

    code, out, err = admin(cwd, "demote", "--email", "ops@example.com", env=env)
    assert (code, out) == (1, "")
    assert (
        err == "habitlink: ops@example.com is the only admin; make someone else an admin first.\n"
    )
    code, out, err = admin(cwd, "promote", "--email", "nobody@example.com", env=env)
    assert (code, err) == (1, "habitlink: There is no account with the email nobody@example.com.\n")

    code, out, _ = admin(cwd, "create", "--email", "second@example.com", stdin=GOOD + "\n", env=env)
    assert code == 0
    code, out, err = admin(cwd, "demote", "--email", "OPS@example.com", env=env)
    assert (code, out, err) == (0, "ops@example.com is no longer an admin.\n", "")
    code, out, _ = admin(cwd, "demote", "--email", "ops@example.com", env=env)
    assert (code, out) == (0, "ops@example.com was not an admin; nothing changed.\n")
    code, out, _ = admin(cwd, "promote", "--email", "ops@example.com", env=env)
    assert (code, out) == (0, "ops@example.com is now an admin.\n")
    code, out, _ = admin(cwd, "promote", "--email", "ops@example.com", env=env)
    assert (code, out) == (0, "ops@example.com was an admin already; nothing changed.\n")


def test_admin_roles_on_the_embedded_database(tmp_path: Path) -> None:
    roles_on(tmp_path)


@pytest.mark.postgres
def test_admin_roles_on_postgres(pg_admin_dsn: str, tmp_path: Path) -> None:
    url = create_pg_database(pg_admin_dsn, migrate=True)
    try:
        roles_on(tmp_path, env={"DATABASE_URL": url})
    finally:
        drop_pg_database(pg_admin_dsn, url)


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
