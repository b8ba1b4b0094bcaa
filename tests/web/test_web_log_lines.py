"""`habitlink web`'s readable log (LOG_FORMAT=console, the default outside production) keeps one
record a line whatever a client sends: a request path with an encoded line break or terminal
escape used to be written raw, so anyone could add a forged line ("error habitlink: ...") to the
operator's log or send escape codes to their terminal. JSON logs escape them already."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from bot.config import Settings
from tests.e2e.test_console_cli import REPO, habitlink
from tests.web.test_web_command import free_port


def test_a_request_path_cannot_forge_a_log_line(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(REPO), DATA_DIR="data", LOG_FORMAT="console")
    env.update(PYTHONIOENCODING="utf-8")
    process = subprocess.Popen(
        [*habitlink(), "web", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            forged = "/api/v1/x%0aerror%20habitlink:%20forged%0d%1b[2Jcleared"
            assert client.get(forged).status_code == 404
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    lines = stderr.splitlines()
    assert "\x1b" not in stderr and "\r" not in stderr
    (request,) = [line for line in lines if "forged" in line]  # one line, the request's
    assert request.startswith("info    habitlink.web: request  [request_id=")
    assert "path=/api/v1/x\\nerror habitlink: forged\\r\\x1b[2Jcleared" in request
