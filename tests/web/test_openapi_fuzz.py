"""Schemathesis against /openapi.json: every operation, as a signed-in person, against the app
served by uvicorn. No response may be a server error or break the documented schema."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from tests.conftest import DEFAULT_NOW
from tests.web.conftest import PASSWORD, web_for
from tests.web.test_api_error_words import CHAT_COMMAND
from web_admin.app import asgi, create_app


@schemathesis.check
def problem_for_a_program(ctx: Any, response: Any, case: Any) -> bool | None:
    """An error's body has a code to branch on (the schema lists them) and names no chat command:
    an API client has no /done."""
    if response.status_code < 400:
        return None
    body = response.json()
    assert isinstance(body.get("code"), str), body
    texts = [body.get("detail") or "", *(e["message"] for e in body.get("errors") or [])]
    said = [t for t in texts if CHAT_COMMAND.search(t)]
    assert not said, said
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    problem_for_a_program,
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The app on a free port (its own thread and loop); (base URL, OpenAPI document, token)."""
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copyfile(sqlite_template, folder / "habitlink.db")
    db = Database(f"sqlite:///{folder / 'habitlink.db'}")
    web = web_for(db, SettableClock(DEFAULT_NOW), LocalMediaStore(folder / "media"))
    app = create_app(web)
    port = free_port()
    config = uvicorn.Config(asgi(app), port=port, log_config=None, lifespan="off")
    server = uvicorn.Server(config)

    def run() -> None:
        asyncio.run(server.serve())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    with httpx.Client(base_url=base, timeout=10) as client:
        client.post(
            "/api/v1/auth/register",
            json={"email": "fuzz@example.com", "password": PASSWORD, "display_name": "Fuzz"},
        ).raise_for_status()
        tokens = client.post(
            "/api/v1/auth/login", json={"email": "fuzz@example.com", "password": PASSWORD}
        ).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        client.post("/api/v1/habits", json={"title": "Read"}, headers=headers).raise_for_status()
        document = client.get("/openapi.json").json()
    try:
        yield base, document, tokens["access_token"]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_every_operation(served: tuple[str, dict[str, Any], str]) -> None:
    base, document, token = served
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    operations = 0
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            if case.path == "/api/v1/me" and case.method == "DELETE":
                case.body = {"password": "not the password"}  # keep the fuzzing account
            response = case.call_and_validate(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
            )
            statuses[response.status_code] += 1

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 30
    assert statuses[200] + statuses[201] + statuses[204] > operations  # it got past the checks
    assert statuses[422] > 0  # and tried invalid data too
    assert not failures, "\n\n".join(failures)
