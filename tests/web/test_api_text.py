"""Text in requests: free text loses NUL and other control characters, as the chat's does
(core.text.clean_text), so nothing reaches the database with them (PostgreSQL refuses NUL
outright); emails, passwords, codes and tokens are taken as given, so NUL in them is a 422."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.support.console import ConsoleSession
from tests.web.conftest import PASSWORD, Person
from tests.web.test_api_resources import linked, make_group, photo_bytes

DIRT = "\x00\x07\x1b\x7f\x85\u202e\u2066"  # NUL, BEL, ESC, DEL, NEL, a bidi override, an isolate


def dirty(text: str) -> str:
    """`text` with the control characters inside it (the cleaned text is `text` again)."""
    return text[:1] + DIRT + text[1:]


def field_of(answer: httpx.Response) -> str:
    assert answer.status_code == 422, answer.text
    return str(answer.json()["errors"][0]["field"])


async def test_a_display_name_loses_control_characters(api: httpx.AsyncClient) -> None:
    body = {"email": "pg@example.com", "password": PASSWORD, "display_name": dirty("PG")}
    created = await api.post("/api/v1/auth/register", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["display_name"] == "PG"
    login = await api.post(
        "/api/v1/auth/login", json={"email": "pg@example.com", "password": PASSWORD}
    )
    person = Person(api, login.json(), "pg@example.com")
    renamed = await person.request("PATCH", "/api/v1/me", json={"display_name": dirty("Ada")})
    assert renamed.status_code == 200, renamed.text
    assert (await person.get("/api/v1/me")).json()["display_name"] == "Ada"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("register", {"email": "p\x00g@example.com", "display_name": "PG"}, "email"),
        ("register", {"email": "p\x07g@example.com", "display_name": "PG"}, "email"),
        ("register", {"email": "pg@example.com", "password": "a quiet\x00river"}, "password"),
        ("login", {"email": "pg\x00@example.com"}, "email"),
        ("login", {"email": "ada@example.com", "password": PASSWORD + "\x00"}, "password"),
        ("refresh", {"refresh_token": "a\x00b"}, "refresh_token"),
        ("logout", {"refresh_token": "a\x00b"}, "refresh_token"),
        ("reset", {"email": "ada\x00@example.com", "code": "ABCD"}, "email"),
        ("reset", {"email": "ada@example.com", "code": "AB\x00CD"}, "code"),
        ("reset", {"code": "ABCD", "new_password": "a quiet\x00river"}, "new_password"),
    ],
)
async def test_nul_in_an_email_password_code_or_token_is_a_422(
    api: httpx.AsyncClient, ada: Person, path: str, body: dict[str, Any], field: str
) -> None:
    full = {"email": "ada@example.com", "password": PASSWORD, "new_password": PASSWORD, **body}
    answer = await api.post(f"/api/v1/auth/{path}", json=full)
    assert field_of(answer) == field
    assert "control characters" in answer.text or "NUL" in answer.text


async def test_nul_in_my_codes_and_passwords_is_a_422(ada: Person) -> None:
    change = {"current_password": PASSWORD, "new_password": "a new\x00 quiet river"}
    assert field_of(await ada.post("/api/v1/me/password", json=change)) == "new_password"
    assert field_of(await ada.post("/api/v1/me/link", json={"code": "AB\x00CD"})) == "code"
    joined = await ada.post("/api/v1/groups/join", json={"invite_code": "AB\x00CD"})
    assert field_of(joined) == "invite_code"
    erased = await ada.request("DELETE", "/api/v1/me", json={"password": PASSWORD + "\x00"})
    assert field_of(erased) == "password"
    assert (await ada.get("/api/v1/me")).status_code == 200  # still there


async def test_habit_fields_lose_control_characters(ada: Person) -> None:
    body = {"title": dirty("Run"), "schedule": dirty("daily"), "why": dirty("calm")}
    created = await ada.post("/api/v1/habits", json=body)
    assert created.status_code == 201, created.text
    habit = created.json()
    assert (habit["title"], habit["why"]) == ("Run", "calm")
    path = f"/api/v1/habits/{habit['id']}"
    patched = await ada.request(
        "PATCH", path, json={"title": dirty("Walk"), "reward": dirty("tea")}
    )
    assert patched.status_code == 200, patched.text
    stored = (await ada.get(path)).json()
    assert (stored["title"], stored["reward"]) == ("Walk", "tea")


async def test_lifebook_fields_lose_control_characters(ada: Person) -> None:
    patch = {
        "vision": dirty("A calm life"),
        "values": [dirty("health")],
        "identity": [dirty("I am a runner")],
        "goals": [{"text": dirty("Run 5 km")}],
        "domains": [dirty("Body")],
    }
    answer = await ada.request("PATCH", "/api/v1/lifebook", json=patch)
    assert answer.status_code == 200, answer.text
    book = (await ada.get("/api/v1/lifebook")).json()
    assert book["vision"] == "A calm life" and book["values"][0]["name"] == "health"
    assert book["identity"] == ["I am a runner"] and book["goals"][0]["text"] == "Run 5 km"
    assert book["domains"] == ["Body"]
    hid = (await ada.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    serves = {"serves": dirty("value:health")}
    linked_up = await ada.request("PUT", f"/api/v1/habits/{hid}/serves", json=serves)
    assert linked_up.status_code == 200, linked_up.text
    assert linked_up.json()["serves"] == "value:health"


async def test_tool_fields_and_lookups_lose_control_characters(ada: Person) -> None:
    body = {
        "title": dirty("Walk-and-talk calls"),
        "summary": dirty("Take phone calls while walking, so catching up gets you moving."),
        "steps": [dirty("Pick the calls"), dirty("Put on shoes"), dirty("Walk")],
        "keywords": [dirty("walking")],
    }
    made = await ada.post("/api/v1/tools", json=body)
    assert made.status_code == 201, made.text
    tool = made.json()
    assert tool["title"] == "Walk-and-talk calls" and tool["summary"].startswith("Take phone")
    assert tool["steps"] == ["Pick the calls", "Put on shoes", "Walk"]
    assert tool["keywords"] == ["walking"]
    found = (await ada.get("/api/v1/tools", params={"q": dirty("walk-and-talk")})).json()["items"]
    assert [t["id"] for t in found] == [tool["id"]]
    by_name = await ada.get("/api/v1/tools/by-name/" + quote(dirty("walk-and-talk calls")))
    assert by_name.status_code == 200 and by_name.json()["id"] == tool["id"]
    finding = await ada.post("/api/v1/tools/find", json={"problem": dirty("I skip the gym")})
    assert finding.status_code == 200 and finding.json()["read_characters"] == 14


async def test_learnings_and_proof_notes_lose_control_characters(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    olive = await linked(api, console, "Olive")
    await make_group(console, "public")
    gid = (await olive.get("/api/v1/groups/mine")).json()[0]["id"]
    learned = await olive.post(f"/api/v1/groups/{gid}/learnings", json={"content": dirty("Tiny")})
    assert learned.status_code == 201, learned.text
    assert learned.json()["content"] == "Tiny"
    uploaded = await olive.post(
        f"/api/v1/groups/{gid}/proofs",
        files={"photo": ("run.png", photo_bytes(), "image/png")},
        data={"note": dirty("5k")},
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["proof"]["note"] == "5k"
    week = (await olive.get(f"/api/v1/groups/{gid}/proofs")).json()
    assert week["proofs"][0]["note"] == "5k"


INVISIBLE = ["\u200b", "\u200b\u200d\u200c", "\ufeff", "\u2060 \u3164", "\u202e\u200b", "\u2800"]


async def test_a_habit_name_of_invisible_characters_only_is_empty(
    ada: Person, console: ConsoleSession
) -> None:
    """A zero-width space, joiner, word joiner, byte order mark or a Hangul or Braille blank shows
    nothing: a name of them only is refused as an empty one, in the API and in the chat (it made
    a habit no one could see, read or type). Inside a name they stay: an emoji's joiner."""
    kept = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()
    for title in INVISIBLE:
        created = await ada.post("/api/v1/habits", json={"title": title})
        assert field_of(created) == "title", created.text
        assert created.json()["detail"] == "The habit's name can't be empty."
        renamed = await ada.request("PATCH", f"/api/v1/habits/{kept['id']}", json={"title": title})
        assert field_of(renamed) == "title", renamed.text
    assert [h["title"] for h in (await ada.get("/api/v1/habits")).json()] == ["Read"]
    family = await ada.post("/api/v1/habits", json={"title": "Call 👨\u200d👩\u200d👧"})
    assert family.status_code == 201 and family.json()["title"] == "Call 👨\u200d👩\u200d👧"
    said = await console.say(":user Zoe", f"/newhabit {INVISIBLE[0]}", "/habits")
    assert "Created" not in said and "can't be empty" in said, said
