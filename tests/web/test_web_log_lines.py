"""`habitlink web`'s readable log (LOG_FORMAT=console, the default outside production) keeps one
record a line whatever a client sends: a request path with an encoded line break or terminal
escape used to be written raw, so anyone could add a forged line ("error habitlink: ...") to the
operator's log or send escape codes to their terminal. JSON logs escape them already."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.web.test_web_command import start_web, stop, wait_until_up


def test_a_request_path_cannot_forge_a_log_line(tmp_path: Path) -> None:
    process, base = start_web(tmp_path, LOG_FORMAT="console")
    try:
        with httpx.Client(base_url=base, timeout=5) as client:
            wait_until_up(client, process)
            forged = "/api/v1/x%0aerror%20habitlink:%20forged%0d%1b[2Jcleared"
            assert client.get(forged).status_code == 404
    finally:
        stderr = stop(process)
    lines = stderr.splitlines()
    assert "\x1b" not in stderr and "\r" not in stderr
    (request,) = [line for line in lines if "forged" in line]  # one line, the request's
    assert request.startswith("info    habitlink.web: request  [request_id=")
    assert "path=/api/v1/x\\nerror habitlink: forged\\r\\x1b[2Jcleared" in request
