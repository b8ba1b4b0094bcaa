"""Who gets into /admin, route by route, over httpx against the real app (no browser): signed-out
visitors are sent to the sign-in page, non-admins are refused, admins get every page; every
POST needs the session's CSRF token. A check below fails when a route is added without a case."""

from __future__ import annotations

import httpx
import pytest
from starlette.routing import Mount, Route

from bot.config import Environment
from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from core.uow import UnitOfWork
from tests.support.admin_site import ADMIN_PASSWORD, csrf_in, make_admin, sign_in, token_of
from tests.support.console import ConsoleSession
from tests.web.conftest import PASSWORD, Person, sign_up, web_for
from web_admin.app import asgi, create_app
from web_admin.context import Web

# Every route of the admin app: pattern -> (method, concrete path, what an admin gets).
# {user} and the like are filled in from the seeded data.
ADMIN_GETS = {
    "/": ("GET", "/admin/", 302),
    "/dashboard": ("GET", "/admin/dashboard", 200),
    "/outbox": ("GET", "/admin/outbox?status=failed", 200),
    "/{identity}/list": ("GET", "/admin/user/list?search=root", 200),
    "/{identity}/details/{pk:path}": ("GET", "/admin/user/details/{user}", 200),
    "/{identity}/create": ("GET", "/admin/user/create", 403),
    "/{identity}/edit/{pk:path}": ("GET", "/admin/tool/edit/{tool}", 403),
    "/{identity}/export/{export_type}": ("GET", "/admin/user/export/csv", 403),
    "/{identity}/ajax/lookup": ("GET", "/admin/group/ajax/lookup?name=x&term=y", 403),
    "/{identity}/{pk:path}/{column_name}/download/": ("GET", "/admin/proof/1/x/download/", 404),
    "/{identity}/{pk:path}/{column_name}/preview/": ("GET", "/admin/proof/1/x/preview/", 404),
    "/tool/{pk}/change": ("GET", "/admin/tool/{tool}/change", 200),
}
ADMIN_POSTS = {
    "/user/{pk:int}/ban": ("POST", "/admin/user/{member}/ban", 303),
    "/user/{pk:int}/unban": ("POST", "/admin/user/{member}/unban", 303),
    "/learning/{pk:int}/hide": ("POST", "/admin/learning/{learning}/hide", 303),
    "/learning/{pk:int}/unhide": ("POST", "/admin/learning/{learning}/unhide", 303),
    "/proof/{pk:int}/hide": ("POST", "/admin/proof/{proof}/hide", 303),
    "/proof/{pk:int}/unhide": ("POST", "/admin/proof/{proof}/unhide", 303),
    "/proof/{pk:int}/delete-image": ("POST", "/admin/proof/{proof}/delete-image", 303),
    "/tool/{pk:int}/approve": ("POST", "/admin/tool/{tool}/approve", 303),
    "/tool/{pk:int}/hide": ("POST", "/admin/tool/{tool}/hide", 303),
    "/outbox/{pk:int}/retry": ("POST", "/admin/outbox/999/retry", 404),
    "/{identity}/create": ("POST", "/admin/user/create", 403),
    "/{identity}/edit/{pk:path}": ("POST", "/admin/tool/edit/{tool}", 403),
    "/{identity}/delete": ("DELETE", "/admin/user/delete?pks={member}", 403),
    "/{identity}/import": ("POST", "/admin/user/import", 403),
}
OPEN = {"/login", "/logout", "/statics"}  # the sign-in page itself, and the CSS


def admin_routes(app: object) -> set[str]:
    (mount,) = [r for r in app.routes if isinstance(r, Mount) and r.path == "/admin"]  # type: ignore[attr-defined]
    return {r.path for r in mount.routes if isinstance(r, Route | Mount)}


async def seeded(
    database: Database, clock: SettableClock, console: ConsoleSession
) -> dict[str, int]:
    """An admin, and through the chat: a member with a group, a learning and a proof."""
    from tests.support.images import jpeg

    admin = await make_admin(database, clock)
    photo = console.media_dir / "run.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(jpeg())
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    await console.say("/learn Lay out the shoes the night before", f":photo {photo}")
    await console.say(":chat dm", "/tools")  # the toolbox fills itself from the seed file
    async with UnitOfWork(database, clock) as uow:
        learning = (await uow.admin.moderation.learnings(admin))[0]
        proof = (await uow.admin.moderation.proofs(admin))[0]
        tool = (await uow.admin.tools.tools(admin))[0]
    return {
        "user": admin,
        "member": learning.author_id,
        "learning": learning.id,
        "proof": proof.id,
        "tool": tool.id,
    }


@pytest.fixture
async def site(web: Web) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=asgi(create_app(web)), client=("203.0.113.9", 4242))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def test_every_admin_route_has_a_case(web: Web) -> None:
    routes = admin_routes(create_app(web))
    covered = set(ADMIN_GETS) | set(ADMIN_POSTS) | OPEN
    assert routes - covered == set(), "add the new admin route to ADMIN_GETS or ADMIN_POSTS"


async def test_signed_out_visitors_get_the_sign_in_page(
    site: httpx.AsyncClient, database: Database, clock: SettableClock, console: ConsoleSession
) -> None:
    ids = await seeded(database, clock, console)
    login = "http://testserver/admin/login"
    for method, path, _ in ADMIN_GETS.values():
        answer = await site.request(method, path.format(**ids))
        assert (answer.status_code, answer.headers.get("location")) == (302, login), path
    token = csrf_in((await site.get("/admin/login")).text)  # a visitor's session has one too
    for method, path, _ in ADMIN_POSTS.values():
        url = path.format(**ids)
        refused = await site.request(method, url)
        assert refused.status_code == 403, url  # no token: refused before anything runs
        answer = await site.request(method, url, data={"csrf_token": token})
        if method == "DELETE":
            answer = await site.request(method, url, headers={"X-CSRF-Token": token})
        assert (answer.status_code, answer.headers.get("location")) == (302, login), url


async def test_an_admin_gets_every_page_and_every_action_needs_the_token(
    site: httpx.AsyncClient, database: Database, clock: SettableClock, console: ConsoleSession
) -> None:
    ids = await seeded(database, clock, console)
    assert (await sign_in(site, "root@example.com")).status_code == 302
    for method, path, status in ADMIN_GETS.values():
        answer = await site.request(method, path.format(**ids))
        assert answer.status_code == status, (path, answer.text[:500])
    token = await token_of(site)
    for method, path, status in ADMIN_POSTS.values():
        url = path.format(**ids)
        assert (await site.request(method, url)).status_code == 403, url
        forged = await site.request(method, url, data={"csrf_token": "x" * 43})
        assert forged.status_code == 403, url
        answer = await site.request(
            method, url, data={"csrf_token": token}, headers={"X-CSRF-Token": token}
        )
        assert answer.status_code == status, (url, answer.text[:500])
    async with UnitOfWork(database, clock) as uow:
        actions = [e.action for e in await uow.admin.audit_log(ids["user"])]
    # Each action that changed something left one entry (the last unhide undid a hide ...).
    assert {"user.ban", "user.unban", "learning.hide", "learning.unhide"} <= set(actions)


async def test_a_member_cannot_sign_in_and_a_demoted_admin_loses_access_at_once(
    site: httpx.AsyncClient, api: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    bob: Person = await sign_up(api, "Bob")
    refused = await sign_in(site, bob.email, PASSWORD)
    assert refused.status_code == 403
    assert "not an admin" in refused.text
    assert (await site.get("/admin/dashboard")).status_code == 302  # still signed out

    await make_admin(database, clock)
    await make_admin(database, clock, "second@example.com")
    assert (await sign_in(site, "root@example.com")).status_code == 302
    assert (await site.get("/admin/user/list")).status_code == 200
    async with UnitOfWork(database, clock) as uow:
        assert await uow.admin.roles.demote_by_email("root@example.com")
        await uow.commit()
    answer = await site.get("/admin/user/list")
    assert answer.status_code == 403
    assert "no longer an admin" in answer.text
    assert (await site.get("/admin/user/list")).status_code == 302  # and signed out


async def test_wrong_passwords_are_throttled_like_the_api(
    site: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    await make_admin(database, clock)
    for _ in range(5):
        wrong = await sign_in(site, "root@example.com", "not the password at all")
        assert wrong.status_code == 400
    answer = await sign_in(site, "root@example.com", ADMIN_PASSWORD)
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) > 0
    assert (await site.get("/admin/dashboard")).status_code == 302


async def test_the_cookie_is_secure_in_production_and_holds_no_secret(
    database: Database, clock: SettableClock, media: LocalMediaStore
) -> None:
    web = web_for(database, clock, media, environment=Environment.PRODUCTION)
    transport = httpx.ASGITransport(app=asgi(create_app(web)))
    await make_admin(database, clock)
    async with httpx.AsyncClient(transport=transport, base_url="https://admin.test") as site:
        answer = await sign_in(site, "root@example.com")
        cookie = answer.headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        assert "path=/admin" in cookie
        details = await site.get("/admin/user/details/1")
    assert details.status_code == 200
    assert details.headers["x-frame-options"] == "DENY"
    assert details.headers["cache-control"] == "no-store"
    assert "argon2" not in details.text and ADMIN_PASSWORD not in details.text


async def test_with_a_weak_secret_the_admin_stays_off(
    database: Database, clock: SettableClock, media: LocalMediaStore
) -> None:
    web = web_for(database, clock, media)
    web.settings = web.settings.model_copy(update={"secret_key": "dev-secret-change-me"})
    transport = httpx.ASGITransport(app=asgi(create_app(web)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as site:
        for path in ("/admin", "/admin/login", "/admin/user/list"):
            answer = await site.get(path)
            assert answer.status_code == 503 and "SECRET_KEY" in answer.text
        assert (await site.post("/admin/login", data={"email": "x"})).status_code == 405


async def test_no_view_offers_generic_create_edit_delete_or_export(
    site: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    """Changes go only through the actions (core services, audited): the audit log above all
    can never be written from the admin."""
    await make_admin(database, clock)
    assert (await sign_in(site, "root@example.com")).status_code == 302
    token = await token_of(site)
    for identity in ("user", "group", "learning", "proof", "tool", "audit-entry"):
        assert (await site.get(f"/admin/{identity}/list")).status_code == 200, identity
        for method, path in [
            ("GET", f"/admin/{identity}/create"),
            ("POST", f"/admin/{identity}/create"),
            ("GET", f"/admin/{identity}/edit/1"),
            ("POST", f"/admin/{identity}/edit/1"),
            ("DELETE", f"/admin/{identity}/delete?pks=1"),
            ("GET", f"/admin/{identity}/export/csv"),
        ]:
            answer = await site.request(method, path, headers={"X-CSRF-Token": token})
            if "/edit/" in path:  # refused, or 404 when there is no row 1 (see the test below)
                assert answer.status_code in (403, 404), (method, path)
            else:
                assert answer.status_code == 403, (method, path)


async def test_an_id_that_names_no_row_is_a_404_not_a_server_error(
    site: httpx.AsyncClient, database: Database, clock: SettableClock, console: ConsoleSession
) -> None:
    """Letters, fractions, superscripts and numbers past 32 bits in an admin URL reached the
    database as they were (a ValueError or an OverflowError: 500). They are a plain 404, and
    an action on one changes nothing."""
    ids = await seeded(database, clock, console)
    assert (await sign_in(site, "root@example.com")).status_code == 302
    token = await token_of(site)
    wrong = ["abc", "1.5", "²", "0", "99999999999999999999999", str(2**63)]
    for identity in ("user", "group", "learning", "proof", "tool", "audit-entry"):
        for pk in wrong:
            answer = await site.get(f"/admin/{identity}/details/{pk}")
            assert answer.status_code == 404, (identity, pk, answer.text[:300])
    for pk in wrong:
        assert (await site.get(f"/admin/tool/{pk}/change")).status_code == 404, pk
    huge = "99999999999999999999999"
    for route, (_, path, _) in ADMIN_POSTS.items():
        if "{pk:int}" not in route:
            continue  # SQLAdmin's own generic routes, refused with 403 above
        url = path.format(**dict.fromkeys(ids, huge)).replace("/999/", f"/{huge}/")
        answer = await site.post(url, data={"csrf_token": token, "reason": "x"})
        assert answer.status_code == 404, (url, answer.text[:300])
    async with UnitOfWork(database, clock) as uow:
        actions = [e.action for e in await uow.admin.audit_log(ids["user"])]
    assert actions == ["admin.create"]


async def test_an_edit_url_is_a_404_for_no_row_and_says_where_changes_are_made_for_one(
    site: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    """SQLAdmin's generic edit form is switched off. Its URL answered a bare "403 Forbidden",
    whether or not the row was there. A row that isn't there is now the 404 page, as its
    details page is; one that is gets the refusal page naming where an admin changes it. A
    non-admin is still refused, and a POST still needs the CSRF token."""
    await make_admin(database, clock)
    assert (await sign_in(site, "root@example.com")).status_code == 302
    token = await token_of(site)
    for path in ("/admin/user/edit/2", "/admin/group/edit/7", "/admin/user/edit/abc"):
        answer = await site.get(path)
        assert answer.status_code == 404, (path, answer.text[:300])
        assert "There is no such thing" in answer.text
        posted = await site.post(path, data={"csrf_token": token})
        assert posted.status_code == 404, path
    refused = await site.get("/admin/user/edit/1")
    assert refused.status_code == 403
    assert "edited here" in refused.text and "/admin/user/details/1" in refused.text
    assert (await site.post("/admin/user/edit/1")).status_code == 403  # no CSRF token

    await make_admin(database, clock, "second@example.com")
    async with UnitOfWork(database, clock) as uow:
        assert await uow.admin.roles.demote_by_email("root@example.com")
        await uow.commit()
    gone = await site.get("/admin/user/edit/99")  # no longer an admin: refused, not a 404
    assert gone.status_code == 403 and "no longer an admin" in gone.text
    assert (await site.get("/admin/user/edit/99")).status_code == 302  # signed out
