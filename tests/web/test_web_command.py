"""`habitlink web` in a subprocess on the embedded defaults: it serves, answers health checks and
the docs, logs a request id per request and never the password, and stops on SIGINT."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import httpx

from bot.config import Settings
from core.toolbox.spec import load_seed
from tests.e2e.test_console_cli import REPO, habitlink
from tests.web.conftest import PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_web(tmp_path: Path, **settings: str) -> tuple[subprocess.Popen[str], str]:
    """`habitlink web` on a free port, run in `tmp_path` (its data in data/), with `settings`
    as its environment's and nothing of this one's; the process and its address."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(REPO), DATA_DIR="data", PYTHONIOENCODING="utf-8", **settings)
    process = subprocess.Popen(
        [*habitlink(), "web", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_up(client: httpx.Client, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60  # start-up on a loaded machine can take a while
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)


def stop(process: subprocess.Popen[str]) -> str:
    """Ctrl+C, as an operator stops it; what it logged."""
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    return stderr


def test_habitlink_web_serves_the_api(tmp_path: Path) -> None:
    process, base = start_web(tmp_path, LOG_FORMAT="json")
    try:
        with httpx.Client(base_url=base, timeout=5) as client:
            wait_until_up(client, process)
            assert client.get("/readyz").json() == {"status": "ready"}
            assert client.get("/openapi.json").json()["info"]["title"] == "HabitLink API"
            assert "swagger" in client.get("/docs").text.lower()
            body = {"email": "ada@example.com", "password": PASSWORD, "display_name": "Ada"}
            assert client.post("/api/v1/auth/register", json=body).status_code == 201
            rid = client.get("/healthz").headers["x-request-id"]
    finally:
        stderr = stop(process)
    database = tmp_path / "data" / "habitlink.db"
    assert database.exists()  # created and migrated on its own
    with closing(sqlite3.connect(database)) as db:  # nothing asked for a tool: start-up did it
        (tools,) = db.execute("SELECT count(*) FROM tools WHERE origin = 'seed'").fetchone()
    assert tools == len(load_seed().tools)
    assert '"event": "toolbox seed synced"' in stderr
    key_file = tmp_path / "data" / "secret_key"  # no SECRET_KEY set: a random one, kept private
    assert key_file.stat().st_mode & 0o077 == 0 and len(key_file.read_text().strip()) >= 32
    assert rid in stderr and '"path": "/api/v1/auth/register"' in stderr
    assert PASSWORD not in stderr
    assert '"event": "Uvicorn running on' in stderr and "color_message" not in stderr
    # Stopped with Ctrl+C after using the database: no error, no traceback (closing the pool's
    # connections was cancelled by the re-raised SIGINT and logged an ERROR with a traceback).
    assert '"level": "error"' not in stderr and "Traceback" not in stderr, stderr


def test_habitlink_web_on_a_public_address_refuses_a_weak_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(REPO), DATA_DIR="data", SECRET_KEY="hunter2")
    done = subprocess.run(
        [*habitlink(), "web", "--host", "0.0.0.0", "--port", str(free_port())],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "SECRET_KEY is too short" in done.stderr and "Traceback" not in done.stderr
    assert "hunter2" not in done.stderr + done.stdout


def test_habitlink_web_refuses_a_port_that_is_no_port(tmp_path: Path) -> None:
    """--port 99999 ended in an OverflowError traceback from bind(); --port 0 was read as "not
    given" and served on WEB_PORT (8000) while the operator asked for another."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(REPO), DATA_DIR="data")
    for port in ("99999", "0", "-1"):
        done = subprocess.run(
            [*habitlink(), "web", "--port", port],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, (port, done.stderr)
        assert done.stderr.endswith(
            f"habitlink web: error: argument --port: {port} is not a port: give a number "
            "from 1 to 65535\n"
        ), done.stderr
