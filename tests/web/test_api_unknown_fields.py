"""A JSON body's field the API does not know (a typo such as `timezon`) is a 422 naming it, on
every route that takes a body, and nothing changes: it is never dropped in silence."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.console import ConsoleSession
from tests.web.conftest import Person
from tests.web.test_api_resources import linked, make_group, photo_bytes
from web_admin.app import create_app
from web_admin.context import Web

TYPO = "surely_not_a_field"


def json_body_routes(web: Web) -> list[tuple[str, str]]:
    """(method, path) of every operation taking a JSON body, as OpenAPI lists them (ids: 1)."""
    found = []
    for path, operations in create_app(web).openapi()["paths"].items():
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                found.append((method.upper(), re.sub(r"\{[a-z_]+\}", "1", path)))
    return sorted(found)


async def test_every_json_body_refuses_a_field_it_does_not_know(web: Web, ada: Person) -> None:
    routes = json_body_routes(web)
    assert len(routes) >= 15, routes  # register, login, me, habits, lifebook, tools, ...
    for method, path in routes:
        answer = await ada.request(method, path, json={TYPO: 1})
        assert answer.status_code == 422, (method, path, answer.text)
        named = {e["field"]: e["message"] for e in answer.json()["errors"]}
        assert TYPO in named, (method, path, named)
        assert named[TYPO].startswith(f"There is no field {TYPO} here"), named


async def test_a_typo_in_patch_me_changes_nothing_and_lists_the_fields(ada: Person) -> None:
    answer = await ada.request(
        "PATCH", "/api/v1/me", json={"display_name": "Ada L.", "timezon": "Europe/Paris"}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [
        {
            "field": "timezon",
            "message": "There is no field timezon here; check its spelling. "
            "The fields are: display_name, timezone, day_start_hour.",
            "code": "unknown_field",
        }
    ]
    me = (await ada.get("/api/v1/me")).json()
    assert (me["display_name"], me["timezone"]) == ("Ada", "UTC")


async def test_a_typo_inside_a_goal_names_the_goal_fields(ada: Person) -> None:
    answer = await ada.request(
        "PATCH", "/api/v1/lifebook", json={"vision": "Calm", "goals": [{"txt": "Run 5 km"}]}
    )
    assert answer.status_code == 422, answer.text
    named = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert named["goals.0.txt"].endswith("The fields are: text, due."), named
    assert (await ada.get("/api/v1/lifebook")).json()["vision"] is None


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/register", {"email": "eve@example.com", "password": "x" * 12, "name": "E"}),
        ("/api/v1/auth/login", {"email": "eve@example.com", "password": "x" * 12, "remember": 1}),
    ],
)
async def test_signing_up_and_in_refuse_unknown_fields_too(
    api: httpx.AsyncClient, path: str, body: dict[str, object]
) -> None:
    answer = await api.post(path, json=body)
    assert answer.status_code == 422, answer.text
    assert set(body) - {"email", "password"} <= {e["field"] for e in answer.json()["errors"]}
    signing_in = {"email": body["email"], "password": body["password"]}
    assert (await api.post("/api/v1/auth/login", json=signing_in)).status_code == 401  # no account


def test_the_openapi_document_says_bodies_take_no_other_fields(web: Web) -> None:
    schemas = create_app(web).openapi()["components"]["schemas"]
    for name in ("ProfilePatch", "HabitCreate", "HabitPatch", "CheckinBody", "GoalIn"):
        assert schemas[name]["additionalProperties"] is False, name


async def test_a_proof_upload_refuses_a_form_field_it_does_not_know(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    """Multipart as JSON: `habit` for `habit_id` is a 422 naming it, and no proof is posted
    (before, the photo was posted and the habit silently not checked in)."""
    olive = await linked(api, console, "Olive")
    await make_group(console, "public")
    gid = (await olive.get("/api/v1/groups/mine")).json()[0]["id"]
    answer = await olive.post(
        f"/api/v1/groups/{gid}/proofs",
        files={"photo": ("run.png", photo_bytes(), "image/png")},
        data={"habit": "1", "note": "5k"},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [
        {
            "field": "habit",
            "message": "There is no field habit here; check its spelling. "
            "The fields are: photo, habit_id, note.",
            "code": "unknown_field",
        }
    ]
    assert (await olive.get(f"/api/v1/groups/{gid}/proofs")).json()["proofs"] == []
    extra_file = await olive.post(
        f"/api/v1/groups/{gid}/proofs",
        files={
            "photo": ("run.png", photo_bytes(), "image/png"),
            "photo2": ("b.png", photo_bytes(), "image/png"),
        },
    )
    assert extra_file.status_code == 422, extra_file.text
    assert [e["field"] for e in extra_file.json()["errors"]] == ["photo2"]
