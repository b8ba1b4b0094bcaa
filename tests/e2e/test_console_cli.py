"""The real `habitlink` command in a subprocess: console transcripts, help, run and migrate.

Each run gets a clean environment (no settings inherited from the shell), its own working
directory (so no .env file is read) and its own DATA_DIR. Commands that don't depend on each
other run concurrently to keep this file fast.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from bot.config import Settings
from tests.conftest import create_pg_database, drop_pg_database

REPO = Path(__file__).resolve().parents[2]
REVISION = r"[0-9a-z_]+"


def habitlink() -> list[str]:
    """The installed console script next to this interpreter, else the module."""
    script = shutil.which("habitlink", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "bot.cli"]


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    clean.update(PYTHONPATH=str(REPO), DATA_DIR="data", LOG_LEVEL="INFO", PYTHONIOENCODING="utf-8")
    clean.update(env or {})
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [*habitlink(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=clean,
        timeout=60,
        check=False,
    )


def run_all(*calls: tuple[Sequence[str], Path, str]) -> list[subprocess.CompletedProcess[str]]:
    """Several independent runs at once: (args, cwd, stdin) each."""
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: run(call[0], call[1], stdin=call[2]), calls))


SCRIPT = """\
:time 2026-03-23T09:00
/start
/newhabit Read 10 pages
/habits
:press 1
/week
:user Bob
:chat group Runners
/habits
:quit
/never reached
"""


def test_console_transcript_is_deterministic(tmp_path: Path) -> None:
    first, second = run_all(
        (["console"], tmp_path / "one", SCRIPT), (["console"], tmp_path / "two", SCRIPT)
    )
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert first.stdout == second.stdout
    out = first.stdout
    assert out.startswith(
        "you@dm> :time 2026-03-23T09:00\n"
        "(clock: Mon 2026-03-23 09:00 UTC)\n"
        "you@dm> /start\n"
        "bot: Welcome to HabitLink, you!\n"
    )
    assert (
        "you@dm> :press 1\n"
        "(notice: ✓ Read 10 pages)\n"
        "bot (edited): Today · Mon 23 Mar\n"
        "     1. ✓ Read 10 pages — streak 1 day\n"
    ) in out
    image = "data/media/console/001-week-2026-03-23.png"
    assert f"bot: [image {image}] Week of Mon 23 Mar\n" in out
    with Image.open(tmp_path / "one" / image) as png:
        assert png.format == "PNG"
    assert out.endswith(
        "Bob@#Runners> /habits\n"
        "bot: You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages.\n"
        "Bob@#Runners> :quit\n"
    )
    assert (tmp_path / "one" / "data" / "habitlink.db").is_file()


def test_help_texts(tmp_path: Path) -> None:
    top, console, run_, migrate = run_all(
        (["--help"], tmp_path, ""),
        (["console", "--help"], tmp_path, ""),
        (["run", "--help"], tmp_path, ""),
        (["migrate", "--help"], tmp_path, ""),
    )
    assert all(r.returncode == 0 and r.stderr == "" for r in (top, console, run_, migrate))
    assert top.stdout.startswith("usage: habitlink [-h] COMMAND ...\n")
    for command in ("console", "run", "migrate"):
        assert re.search(rf"^    {command} ", top.stdout, re.M), top.stdout
    assert console.stdout.startswith("usage: habitlink console [-h] [--user USER]\n")
    assert ":press" in console.stdout and "--user USER" in console.stdout
    assert run_.stdout.startswith("usage: habitlink run [-h]\n")
    assert "TELEGRAM_BOT_TOKEN" in run_.stdout
    assert migrate.stdout.startswith("usage: habitlink migrate [-h] [--check]\n")
    assert "--check" in migrate.stdout


def test_run_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    result = run(["run"], tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("habitlink run: no chat platform is configured.\n")
    assert "Set TELEGRAM_BOT_TOKEN (from @BotFather) and/or DISCORD_BOT_TOKEN" in result.stderr
    assert "To try HabitLink without a token: habitlink console" in result.stderr


def test_migrate_and_check_the_embedded_database(tmp_path: Path) -> None:
    before = run(["migrate", "--check"], tmp_path)
    assert before.returncode == 1
    assert re.fullmatch(
        rf"Database schema at revision none: behind \(head is {REVISION}\)\.\n", before.stdout
    )
    first = run(["migrate"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert re.fullmatch(rf"Database schema upgraded from empty to {REVISION}\.\n", first.stdout)
    again, check = run(["migrate"], tmp_path), run(["migrate", "--check"], tmp_path)
    assert again.returncode == 0 and check.returncode == 0
    assert re.fullmatch(
        rf"Database schema already at the newest revision \({REVISION}\)\.\n", again.stdout
    )
    assert re.fullmatch(rf"Database schema at revision {REVISION}: up to date\.\n", check.stdout)


@pytest.mark.postgres
def test_postgres_must_be_migrated_before_the_console(pg_admin_dsn: str, tmp_path: Path) -> None:
    url = create_pg_database(pg_admin_dsn, migrate=False)
    env = {"DATABASE_URL": url}
    try:
        refused = run(["console"], tmp_path, stdin="/start\n", env=env)
        assert refused.returncode != 0
        assert refused.stdout == ""
        assert refused.stderr.startswith("habitlink: The database schema is at revision none")
        assert "Run `habitlink migrate` to upgrade it." in refused.stderr
        migrated = run(["migrate"], tmp_path, env=env)
        assert migrated.returncode == 0, migrated.stderr
        assert migrated.stdout.startswith("Database schema upgraded from empty to ")
        chat = run(["console"], tmp_path, stdin=":time 2026-03-23T09:00\n/start\n", env=env)
        assert chat.returncode == 0, chat.stderr
        assert "bot: Welcome to HabitLink, you!\n" in chat.stdout
        # Nothing was written to the embedded SQLite file instead.
        assert not (tmp_path / "data" / "habitlink.db").exists()
    finally:
        drop_pg_database(pg_admin_dsn, url)


@pytest.mark.postgres
def test_migrate_check_on_a_current_postgres(pg_url: str, tmp_path: Path) -> None:
    result = run(["migrate", "--check"], tmp_path, env={"DATABASE_URL": pg_url})
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Database schema at revision {REVISION}: up to date\.\n", result.stdout)
