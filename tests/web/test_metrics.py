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
