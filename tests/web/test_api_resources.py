"""Habits, groups, proofs, learnings, trust, summary, export and erasure through the API."""

from __future__ import annotations

import io
import logging
from datetime import date

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Group, User
from core.media.images import normalise_proof_async
from core.media.storage import LocalMediaStore
from core.uow import UnitOfWork
from tests.support.console import ConsoleSession
from tests.web.conftest import PASSWORD, Person, link_console_user, sign_up, web_for
from web_admin.app import MAX_BODY, asgi, create_app

TODAY = date(2026, 3, 23)  # DEFAULT_NOW's date in UTC, a Monday


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


async def test_habits_lifecycle(ada: Person) -> None:
    created = await ada.post(
        "/api/v1/habits",
        json={"title": "  Read   10 pages ", "schedule": "mon wed fri", "why": "calm"},
    )
    assert created.status_code == 201, created.text
    habit = created.json()
    assert habit["title"] == "Read 10 pages" and habit["schedule"] == "Mon, Wed, Fri"
    assert habit["weekdays"] == [0, 2, 4] and habit["times_per_week"] == 3
    assert habit["today"] == {"date": "2026-03-23", "status": None, "scheduled": True}
    hid = habit["id"]
    bad = await ada.post("/api/v1/habits", json={"title": "x", "schedule": "sometimes"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "schedule"
    done = await ada.post(f"/api/v1/habits/{hid}/checkins", json={})
    assert done.json()["changed"] and done.json()["habit"]["streak"] == 1
    old = await ada.post(f"/api/v1/habits/{hid}/checkins", json={"date": "2026-03-01"})
    assert old.status_code == 422 and old.json()["errors"][0]["field"] == "date"
    early = {"date": "2026-03-20", "status": "skipped"}
    before = await ada.post(f"/api/v1/habits/{hid}/checkins", json=early)
    assert before.status_code == 422 and "nothing to skip on 2026-03-20" in before.text
    # A done before the creation day starts the history there; a skip after it is a skip.
    await ada.post(f"/api/v1/habits/{hid}/checkins", json={"date": "2026-03-18"})
    skipped = await ada.post(f"/api/v1/habits/{hid}/checkins", json=early)
    assert skipped.json()["status"] == "skipped"
    week = (await ada.get("/api/v1/habits/week", params={"start": "2026-03-18"})).json()
    assert week["start"] == "2026-03-16"
    assert week["habits"][0]["days"][4] == "skipped"
    undone = await ada.request("DELETE", f"/api/v1/habits/{hid}/checkins/2026-03-23")
    assert undone.json()["changed"] and undone.json()["habit"]["today"]["status"] is None
    patched = await ada.request("PATCH", f"/api/v1/habits/{hid}", json={"why": None, "cue": "tea"})
    assert patched.json()["why"] is None and patched.json()["cue"] == "tea"
    stats = (await ada.get(f"/api/v1/habits/{hid}/stats")).json()
    assert stats["streak_unit"] == "days"
    assert (await ada.post(f"/api/v1/habits/{hid}/archive")).status_code == 204
    assert (await ada.get(f"/api/v1/habits/{hid}")).status_code == 404
    assert (await ada.get("/api/v1/habits")).json() == []


async def test_two_active_habits_cannot_share_a_title(ada: Person) -> None:
    first = await ada.post("/api/v1/habits", json={"title": "Read 10 pages"})
    assert first.status_code == 201, first.text
    again = await ada.post("/api/v1/habits", json={"title": " read  10 PAGES"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "title"
    assert "You already have a habit called “Read 10 pages”." in again.text
    run = (await ada.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    renamed = await ada.request("PATCH", f"/api/v1/habits/{run}", json={"title": "READ 10 pages"})
    assert renamed.status_code == 422 and renamed.json()["errors"][0]["field"] == "title"
    same = await ada.request("PATCH", f"/api/v1/habits/{run}", json={"title": "RUN"})
    assert same.status_code == 200 and same.json()["title"] == "RUN"  # its own title may change
    await ada.post(f"/api/v1/habits/{first.json()['id']}/archive")
    reused = await ada.post("/api/v1/habits", json={"title": "Read 10 pages"})
    assert reused.status_code == 201  # an archived habit doesn't count
    titles = [h["title"] for h in (await ada.get("/api/v1/habits")).json()]
    assert titles == ["RUN", "Read 10 pages"]


async def test_a_title_is_taken_whole(ada: Person) -> None:
    """The API's title is a field of its own: words at its end that read as a schedule are
    part of it (only the chat one-liner /newhabit reads a schedule there)."""
    made = await ada.post("/api/v1/habits", json={"title": "Call mom monday"})
    assert made.status_code == 201, made.text
    assert made.json()["title"] == "Call mom monday" and made.json()["schedule"] == "every day"
    hid = (await ada.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    renamed = await ada.request("PATCH", f"/api/v1/habits/{hid}", json={"title": "Run 3x"})
    assert renamed.json()["title"] == "Run 3x" and renamed.json()["schedule"] == "every day"


async def test_someone_elses_habit_is_a_404(api: httpx.AsyncClient, ada: Person) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    bob = await sign_up(api, "Bob")
    for method, url in [
        ("GET", f"/api/v1/habits/{hid}"),
        ("PATCH", f"/api/v1/habits/{hid}"),
        ("DELETE", f"/api/v1/habits/{hid}"),
        ("POST", f"/api/v1/habits/{hid}/checkins"),
        ("GET", f"/api/v1/habits/{hid}/stats"),
    ]:
        answer = await bob.request(method, url, json={})
        assert answer.status_code == 404, (method, url)
        assert answer.headers["content-type"] == "application/problem+json"


async def make_group(console: ConsoleSession, visibility: str) -> None:
    await console.say(":chat group Runners", f"/newgroup Runners {visibility}")


async def linked(api: httpx.AsyncClient, console: ConsoleSession, name: str) -> Person:
    """A web account joined to console user NAME (who then acts in the console)."""
    person = await sign_up(api, name)
    await link_console_user(person, console, name)
    return person


async def test_private_group_is_invisible_to_outsiders(
    api: httpx.AsyncClient, console: ConsoleSession, database: Database
) -> None:
    owner = await linked(api, console, "Olive")
    await make_group(console, "private")
    async with database.session() as session:
        group = (await session.scalars(select(Group))).one()
    gid, invite = group.id, group.invite_code
    nora = await sign_up(api, "Nora")
    for method, url in [
        ("GET", f"/api/v1/groups/{gid}"),
        ("POST", f"/api/v1/groups/{gid}/join"),
        ("POST", f"/api/v1/groups/{gid}/leave"),
        ("GET", f"/api/v1/groups/{gid}/learnings"),
        ("POST", f"/api/v1/groups/{gid}/learnings"),
        ("GET", f"/api/v1/groups/{gid}/proofs"),
        ("GET", f"/api/v1/groups/{gid}/nothing"),
        ("GET", f"/api/v1/groups/{gid + 1}"),
    ]:
        answer = await nora.request(method, url, json={"content": "hi"})
        assert answer.status_code == 404, (method, url, answer.text)
    assert (await nora.get("/api/v1/groups/public")).json()["items"] == []
    joined = await nora.post("/api/v1/groups/join", json={"invite_code": invite})
    assert joined.status_code == 200 and joined.json()["group"]["role"] == "member"
    detail = (await nora.get(f"/api/v1/groups/{gid}")).json()
    assert [m["name"] for m in detail["member_list"]] == ["Olive", "Nora"]
    mine = (await owner.get("/api/v1/groups/mine")).json()
    assert mine[0]["role"] == "owner" and mine[0]["members"] == 2


async def test_proofs_learnings_trust_and_summary(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    olive = await linked(api, console, "Olive")
    await make_group(console, "public")
    gid = (await olive.get("/api/v1/groups/mine")).json()[0]["id"]
    mia = await sign_up(api, "Mia")
    not_yet = await mia.post(f"/api/v1/groups/{gid}/learnings", json={"content": "Start tiny"})
    assert not_yet.status_code == 403
    assert (await mia.post(f"/api/v1/groups/{gid}/join")).json()["joined"] is True
    hid = (await mia.post("/api/v1/habits", json={"title": "Run"})).json()["id"]
    uploaded = await mia.post(
        f"/api/v1/groups/{gid}/proofs",
        files={"photo": ("run.png", photo_bytes(), "image/png")},
        data={"habit_id": str(hid), "note": "5k"},
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["checked_in"] and uploaded.json()["proofs_this_week"] == 1
    not_image = await mia.post(
        f"/api/v1/groups/{gid}/proofs", files={"photo": ("x.png", b"hello", "image/png")}
    )
    assert not_image.status_code == 422
    week = (await olive.get(f"/api/v1/groups/{gid}/proofs")).json()
    url = week["proofs"][0]["image_url"]
    assert week["proofs"][0]["author"] == "Mia" and "sig=" in url
    image = await api.get(url.removeprefix("http://127.0.0.1:8000"))
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    flipped = url[:-1] + ("0" if url[-1] != "0" else "1")
    tampered = await api.get(flipped.removeprefix("http://127.0.0.1:8000"))
    assert tampered.status_code == 404
    posted = await mia.post(f"/api/v1/groups/{gid}/learnings", json={"content": "Start tiny"})
    lid = posted.json()["id"]
    liked = await olive.post(f"/api/v1/learnings/{lid}/like")
    assert liked.json()["liked"] and liked.json()["learning"]["likes"] == 1
    feed = (await olive.get("/api/v1/learnings", params={"order": "top", "limit": 1})).json()
    assert feed["items"][0]["content"] == "Start tiny" and feed["next_cursor"] is None
    assert (await olive.request("DELETE", f"/api/v1/learnings/{lid}")).status_code == 403
    mia_id = (await mia.get("/api/v1/me")).json()["id"]
    assert (await olive.request("PUT", f"/api/v1/trust/{mia_id}")).json() == {"added": True}
    summary = (await olive.get("/api/v1/summary")).json()
    assert [i["content"] for i in summary["insights"]] == ["Start tiny"]
    trust = (await mia.get("/api/v1/trust")).json()
    assert [p["name"] for p in trust["trusted_by"]] == ["Olive"]
    assert (await mia.request("DELETE", f"/api/v1/learnings/{lid}")).status_code == 204
    # Someone who left takes their proofs off the group's week, as off its board and collage.
    assert (await mia.post(f"/api/v1/groups/{gid}/leave")).status_code == 204
    assert (await olive.get(f"/api/v1/groups/{gid}/proofs")).json()["proofs"] == []


async def test_feed_pages_by_cursor(api: httpx.AsyncClient, console: ConsoleSession) -> None:
    olive = await linked(api, console, "Olive")
    await make_group(console, "public")
    gid = (await olive.get("/api/v1/groups/mine")).json()[0]["id"]
    for n in range(5):
        await olive.post(f"/api/v1/groups/{gid}/learnings", json={"content": f"Lesson {n}"})
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await olive.get("/api/v1/learnings", params=params)).json()
        seen += [i["content"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and len(set(seen)) == 5
    too_many = await olive.get("/api/v1/learnings", params={"limit": 1000})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "limit"
    bad = await olive.get("/api/v1/learnings", params={"cursor": "%%%"})
    assert bad.status_code == 422


async def test_profile_uses_the_chat_rules(ada: Person) -> None:
    changed = await ada.request(
        "PATCH", "/api/v1/me", json={"timezone": "tokyo", "day_start_hour": 3}
    )
    assert changed.json()["timezone"] == "Asia/Tokyo" and changed.json()["day_start_hour"] == 3
    wrong = await ada.request("PATCH", "/api/v1/me", json={"timezone": "Berln"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "timezone"
    samoa = await ada.request("PATCH", "/api/v1/me", json={"timezone": "Samoa"})  # two, a day apart
    assert samoa.status_code == 422 and samoa.json()["errors"][0]["message"] == (
        "Samoa is the name of more than one place. Did you mean: Pacific/Pago_Pago, Pacific/Apia?"
    )
    late = await ada.request("PATCH", "/api/v1/me", json={"day_start_hour": 9})
    assert late.status_code == 422 and "06:00" in late.json()["detail"]
    # An offset reads back as said, as /timezone shows it: not IANA's Etc/GMT-2 (sign reversed).
    fixed = await ada.request("PATCH", "/api/v1/me", json={"timezone": "UTC+2"})
    assert fixed.json()["timezone"] == "UTC+2", fixed.text
    assert (await ada.get("/api/v1/me")).json()["timezone"] == "UTC+2"
    again = await ada.request("PATCH", "/api/v1/me", json={"timezone": "UTC+2"})
    assert again.status_code == 200 and again.json()["timezone"] == "UTC+2"


async def test_export_and_delete(api: httpx.AsyncClient, ada: Person, database: Database) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    await ada.post(f"/api/v1/habits/{hid}/checkins", json={"status": "skipped"})
    await ada.post(f"/api/v1/habits/{hid}/checkins", json={})  # a done that replaces the skip
    await ada.post(f"/api/v1/habits/{hid}/checkins", json={"date": "2026-03-22"})
    document = (await ada.get("/api/v1/me/export")).json()
    assert document["profile"]["email"] == ada.email
    assert document["habits"][0]["checkins"] == [
        {"date": "2026-03-22", "status": "done", "was_skipped": False},
        {"date": "2026-03-23", "status": "done", "was_skipped": True},
    ]
    refused = await ada.request("DELETE", "/api/v1/me", json={"password": "not my password"})
    assert refused.status_code == 422
    assert (
        await ada.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    ).status_code == 204
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
    assert (await ada.get("/api/v1/me")).status_code == 401


async def test_export_holds_the_tools_used_the_values_served_and_the_tools_shared(
    ada: Person,
) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    woop = (await ada.get("/api/v1/tools/by-name/woop")).json()["id"]
    assert (await ada.request("PUT", f"/api/v1/habits/{hid}/tools/{woop}")).status_code == 200
    book = await ada.request("PATCH", "/api/v1/lifebook", json={"values": ["Learning"]})
    assert book.status_code == 200
    served = await ada.request(
        "PUT", f"/api/v1/habits/{hid}/serves", json={"serves": "value:learning"}
    )
    assert served.status_code == 200
    tool = {
        "title": "Walk-and-talk calls",
        "summary": "Take phone calls while walking, so catching up also gets you moving.",
        "steps": ["Pick the weekly calls", "Put on shoes before you dial", "Walk until done"],
    }
    assert (await ada.post("/api/v1/tools", json=tool)).status_code == 201
    document = (await ada.get("/api/v1/me/export")).json()
    (habit,) = document["habits"]
    assert habit["tools"] == ["woop"] and habit["serves"] == "value:learning"
    (shared,) = document["shared_tools"]
    assert (shared["title"], shared["steps"]) == (tool["title"], tool["steps"])


async def test_errors_request_ids_health_and_body_cap(api: httpx.AsyncClient) -> None:
    health = await api.get("/healthz")
    assert health.json() == {"status": "ok"} and len(health.headers["x-request-id"]) == 32
    assert (await api.get("/readyz")).json() == {"status": "ready"}
    for path in ("/healthz", "/readyz"):  # uptime monitors often ask with HEAD
        head = await api.head(path)
        assert head.status_code == 200 and head.content == b""
    echoed = await api.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    unknown = await api.get("/api/v1/nothing")
    assert (
        unknown.status_code == 404
        and unknown.json()["request_id"] == unknown.headers["x-request-id"]
    )
    invalid = await api.post("/api/v1/auth/login", json={"email": 3})
    fields = {e["field"] for e in invalid.json()["errors"]}
    assert invalid.status_code == 422 and fields == {"email", "password"}
    huge = await api.post("/api/v1/auth/login", content=b"x" * (MAX_BODY + 1))
    assert huge.status_code == 413 and huge.headers["content-type"] == "application/problem+json"


async def test_no_password_or_token_in_any_log_line(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        person = await sign_up(api, "Secretive")
        await api.post(
            "/api/v1/auth/refresh", json={"refresh_token": person.tokens["refresh_token"]}
        )
        await api.post(
            "/api/v1/auth/refresh", json={"refresh_token": person.tokens["refresh_token"]}
        )
        await api.post("/api/v1/auth/login", json={"email": person.email, "password": "bad pw 1"})
        await person.get("/api/v1/me")
    text = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "request" in text and "request_id" in text
    for secret in (
        PASSWORD,
        "bad pw 1",
        person.tokens["refresh_token"],
        person.tokens["access_token"],
    ):
        assert secret not in text


async def test_cors_only_for_configured_origins(
    database: Database, clock: SettableClock, media: LocalMediaStore
) -> None:
    preflight = {
        "Origin": "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    for origins, allowed in (("", None), ("https://app.example.com", "https://app.example.com")):
        web = web_for(database, clock, media, cors_origins=origins)
        transport = httpx.ASGITransport(app=asgi(create_app(web)))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answer = await client.options("/api/v1/auth/login", headers=preflight)
            assert answer.headers.get("access-control-allow-origin") == allowed


async def test_the_photos_of_an_album_share_its_id_and_count_once(
    api: httpx.AsyncClient,
    console: ConsoleSession,
    database: Database,
    clock: SettableClock,
    media: LocalMediaStore,
) -> None:
    olive = await linked(api, console, "Olive")
    await make_group(console, "public")
    gid = (await olive.get("/api/v1/groups/mine")).json()[0]["id"]
    olive_id = (await olive.get("/api/v1/me")).json()["id"]
    # Two photos of one Telegram album, stored as the chat stores them (core's ProofService).
    async with UnitOfWork(database, clock, media=media) as uow:
        group = await uow.groups.get(gid)
        user = await uow.users.get(olive_id)
        assert group is not None and user is not None
        for shade in (10, 200):
            buffer = io.BytesIO()
            Image.new("RGB", (64, 48), (shade, 90, 40)).save(buffer, "PNG")
            image = await normalise_proof_async(buffer.getvalue())
            await uow.proofs.post(group=group, user=user, image=image, day=TODAY, album="a1")
        await uow.commit()
    uploaded = await olive.post(
        f"/api/v1/groups/{gid}/proofs", files={"photo": ("run.png", photo_bytes(), "image/png")}
    )
    assert uploaded.json()["proof"]["album"] is None
    assert uploaded.json()["proofs_this_week"] == 2  # the album, and this photo
    proofs = (await olive.get(f"/api/v1/groups/{gid}/proofs")).json()["proofs"]
    assert sorted(str(p["album"]) for p in proofs) == ["None", "a1", "a1"]
    exported = (await olive.get("/api/v1/me/export")).json()["proofs"]
    assert sorted(str(p["album"]) for p in exported) == ["None", "a1", "a1"]


async def test_every_operation_id_in_the_openapi_document_is_unique(api: httpx.AsyncClient) -> None:
    """OpenAPI requires it (clients generated from the document name methods after them); a
    route taking GET and HEAD once gave both the same one."""
    document = (await api.get("/openapi.json")).json()
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


async def test_a_check_in_for_today_needs_no_body(ada: Person) -> None:
    """`curl -X POST .../checkins` checks today in, as `{}` does; it was a 422 asking for a
    JSON body. A body that is there is still read (and a wrong one refused)."""
    hid = (await ada.post("/api/v1/habits", json={"title": "Read"})).json()["id"]
    done = await ada.post(f"/api/v1/habits/{hid}/checkins")
    assert done.status_code == 200, done.text
    assert done.json()["date"] == "2026-03-23" and done.json()["status"] == "done"
    wrong = await ada.post(f"/api/v1/habits/{hid}/checkins", json={"day": "2026-03-22"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "day"


async def test_public_groups_page_through_with_the_same_statements_a_page(
    api: httpx.AsyncClient, console: ConsoleSession, database: Database
) -> None:
    await console.say(":user Olive")
    for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon"):
        await console.say(f":chat group {name}", f"/newgroup {name} public")
    nora = await sign_up(api, "Nora")
    seen: list[str] = []
    pages, cursor = 0, None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        before = database.statements
        page = (await nora.get("/api/v1/groups/public", params=params)).json()
        per_page = database.statements - before
        assert per_page <= 4, per_page  # the person, the page, their groups: not per row
        seen += [g["name"] for g in page["items"]]
        pages, cursor = pages + 1, page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == ["Alpha", "Beta", "Delta", "Epsilon", "Gamma"] and pages == 3


async def test_undoing_a_done_that_replaced_a_skip_gives_the_skip_back(ada: Person) -> None:
    hid = (await ada.post("/api/v1/habits", json={"title": "Yoga"})).json()["id"]
    await ada.post(f"/api/v1/habits/{hid}/checkins", json={"status": "skipped"})
    await ada.post(f"/api/v1/habits/{hid}/checkins", json={})  # a done replaces the skip
    undone = await ada.request("DELETE", f"/api/v1/habits/{hid}/checkins/2026-03-23")
    assert undone.json()["status"] == "skipped" and undone.json()["changed"]
    assert undone.json()["habit"]["today"]["status"] == "skipped"
    again = await ada.request("DELETE", f"/api/v1/habits/{hid}/checkins/2026-03-23")
    assert again.json()["status"] is None and again.json()["habit"]["today"]["status"] is None
