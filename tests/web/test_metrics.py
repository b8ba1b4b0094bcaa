"""The web app's /metrics: the process's Prometheus metrics, with its requests by route."""

from __future__ import annotations

import httpx

from tests.web.conftest import Person


async def test_metrics_count_requests_by_route_template(
    api: httpx.AsyncClient, ada: Person
) -> None:
    assert (await api.get("/healthz")).status_code == 200
    assert (await ada.get("/api/v1/habits/424242")).status_code == 404
    answer = await api.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert 'habitlink_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    # Routes are counted by their template, never by the ids people ask for.
    assert 'route="/api/v1/habits/{habit_id}",status="404"' in text
    # (the bare digits can turn up inside a timing such as 0.0424242..., so look for the path)
    assert "/habits/424242" not in text
    assert "habitlink_updates_total" in text  # the same registry as the chat processes
    assert "/metrics" not in (await api.get("/openapi.json")).text


async def test_the_admins_pages_are_counted_under_admin(
    api: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    """The admin is mounted at /admin: its sign-in page was counted as route="/login" and its
    lists as "/{identity}/list", which read as routes of the API (there is an auth/login)."""
    assert (await admin.get("/admin/user/list")).status_code == 200
    assert (await admin.get("/admin/user/details/424242")).status_code == 404
    text = (await api.get("/metrics")).text
    assert 'route="/admin/login",status="200"' in text
    assert 'route="/admin/{identity}/list",status="200"' in text
    assert 'route="/admin/{identity}/details/{pk:path}",status="404"' in text
    assert 'route="/login"' not in text and 'route="/{identity}/list"' not in text
