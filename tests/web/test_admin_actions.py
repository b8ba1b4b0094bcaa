"""What an admin does in /admin, over httpx against the real app, with a console chat on the
same database showing what people see: bans, searching people, a group's page, the Toolbox,
the outbox and a proof's image. Each action leaves an audit entry."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import update

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Identity, Notification
from core.media.storage import LocalMediaStore
from core.notify.outbox import NewNotification
from core.uow import UnitOfWork
from tests.support.admin_site import token_of
from tests.support.console import ConsoleSession
from tests.support.images import jpeg


async def post(client: httpx.AsyncClient, url: str, **fields: str) -> httpx.Response:
    answer = await client.post(url, data={"csrf_token": await token_of(client), **fields})
    assert answer.status_code in (200, 303), answer.text[:500]
    return answer


async def audit(database: Database, clock: SettableClock) -> list[tuple[str, int | None]]:
    """The audit log, newest first, after the admin's own creation."""
    async with UnitOfWork(database, clock) as uow:
        entries = await uow.admin.audit_log(1)
    return [(e.action, e.target_id) for e in entries if e.action != "admin.create"]


async def test_ban_and_unban_a_person_found_by_their_chat_username(
    admin: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    await console.say(":user Mallory", ":chat dm", "/newhabit Run")
    found = await admin.get("/admin/user/list", params={"search": "mallory"})
    assert "Mallory" in found.text and "root@example.com" not in found.text
    details = await admin.get("/admin/user/details/2")
    assert "console" in details.text and "Active habits" in details.text

    await post(admin, "/admin/user/2/ban", reason="spam in every group")
    out = await console.say("/habits")
    assert "suspended" in out
    assert await console.say("/habits") == ""  # one notice, then silence
    details = await admin.get("/admin/user/details/2")
    assert "spam in every group" in details.text and "Unban" in details.text

    await post(admin, "/admin/user/2/unban")
    assert "Run" in await console.say("/habits")
    assert await audit(database, clock) == [("user.unban", 2), ("user.ban", 2)]


async def test_a_person_with_several_matching_chat_accounts_is_counted_once(
    admin: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    await console.say(":user Mallory", ":chat dm", "/habits")
    await console.say(":user Bob", ":chat dm", "/habits")
    async with UnitOfWork(database, clock) as uow:
        mallory = await uow.users.identity("console", "mallory")
        assert mallory is not None
    async with database.session() as session:  # two more accounts, as linking leaves them
        for platform, name in (("telegram", "mallory_tg"), ("discord", "mallory.dc")):
            session.add(
                Identity(
                    user_id=mallory.user_id,
                    platform=platform,
                    external_id=f"{platform}-1",
                    username=name,
                    display_name="Mallory",
                    created_at=clock.now(),
                )
            )
        await session.commit()
    found = await admin.get("/admin/user/list", params={"search": "MALLORY"})
    assert found.status_code == 200
    assert "of 1 items" in found.text and "Bob" not in found.text
    assert found.text.count(f"/admin/user/details/{mallory.user_id}") >= 1
    everyone = await admin.get("/admin/user/list", params={"search": ""})
    assert "of 3 items" in everyone.text  # the admin, Mallory and Bob


async def test_a_groups_page_shows_members_roles_and_learnings_but_not_the_invite(
    admin: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    await console.say(":user Bob", "/join", "/learn Shoes by the door")
    async with UnitOfWork(database, clock) as uow:
        group = await uow.groups.get(1)
        assert group is not None
        invite = group.invite_code
    page = await admin.get("/admin/group/details/1")
    assert page.status_code == 200
    assert "Alice" in page.text and "owner" in page.text
    assert 'href="http://testserver/admin/user/details/2">Alice</a>' in page.text
    assert 'href="http://testserver/admin/learning/details/1">1</a>' in page.text
    assert invite not in page.text


async def test_tools_are_approved_hidden_and_seed_tools_edited(
    admin: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    first = await console.say(":user Alice", ":chat dm", "/tools")
    async with UnitOfWork(database, clock) as uow:
        tool = min(await uow.admin.tools.tools(1), key=lambda t: t.title.lower())
    assert tool.title in first  # the first of /tools' first page
    await post(admin, f"/admin/tool/{tool.id}/hide")
    assert tool.title not in await console.say("/tools")
    await post(admin, f"/admin/tool/{tool.id}/approve")

    form = await admin.get(f"/admin/tool/{tool.id}/change")
    assert form.status_code == 200 and tool.title in form.text
    steps = "\n".join(tool.steps)
    refused = await admin.post(
        f"/admin/tool/{tool.id}/change",
        data={"title": "", "summary": tool.description, "steps": steps},
    )
    assert refused.status_code == 403  # no CSRF token
    token = await token_of(admin)
    bad = await admin.post(
        f"/admin/tool/{tool.id}/change",
        data={"csrf_token": token, "title": "", "summary": tool.description, "steps": steps},
    )
    assert bad.status_code == 400 and "alert-danger" in bad.text
    fields = {
        "title": "A first tiny step",
        "summary": tool.description,
        "steps": steps,
        "keywords": "\n".join(tool.keywords),
        "problems": "\n".join(tool.problems),
    }
    await post(admin, f"/admin/tool/{tool.id}/change", **fields)
    assert "A first tiny step" in await console.say("/tools")
    assert [a for a, _ in await audit(database, clock)] == [
        "tool.edit",
        "tool.approve",
        "tool.hide",
    ]


async def test_a_failed_notification_is_retried_from_the_outbox(
    admin: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    async with UnitOfWork(database, clock) as uow:
        await uow.outbox.enqueue(
            [NewNotification("reminder:x", "reminder", "console", "dm:ada", clock.now())]
        )
        (claimed,) = await uow.outbox.claim("worker", 1)
        await uow.outbox.give_up(claimed.id, "the chat is gone")
        await uow.commit()
    failed = await admin.get("/admin/outbox", params={"status": "failed"})
    assert "the chat is gone" in failed.text and "Retry" in failed.text
    await post(admin, f"/admin/outbox/{claimed.id}/retry")
    pending = await admin.get("/admin/outbox", params={"status": "pending"})
    assert "reminder" in pending.text
    assert (await admin.get("/admin/outbox", params={"status": "lost"})).status_code == 404
    assert await audit(database, clock) == [("notification.retry", claimed.id)]


async def test_a_proofs_image_is_deleted_from_storage(
    admin: httpx.AsyncClient,
    console: ConsoleSession,
    database: Database,
    clock: SettableClock,
    media: LocalMediaStore,
) -> None:
    photo = console.media_dir / "run.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(jpeg())
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    await console.say(f":photo {photo}")
    async with UnitOfWork(database, clock, media=media) as uow:
        (proof,) = await uow.admin.moderation.proofs(1)
    assert await media.exists(proof.image_key)
    page = await admin.get(f"/admin/proof/details/{proof.id}")
    (src,) = re.findall(r'<img src="([^"]+)" alt="The proof', page.text)
    photo_answer = await admin.get(src.replace("&amp;", "&"))
    assert photo_answer.status_code == 200 and photo_answer.headers["content-type"] == "image/jpeg"
    clock.advance(timedelta(minutes=1))
    await post(admin, f"/admin/proof/{proof.id}/delete-image")
    assert not await media.exists(proof.image_key)
    page = await admin.get(f"/admin/proof/details/{proof.id}")
    assert "Delete the image" not in page.text and "Unhide" not in page.text
    assert "<img" not in page.text
    assert await audit(database, clock) == [("proof.delete_image", proof.id)]


async def test_the_outbox_page_never_shows_a_token_even_from_a_row_stored_raw(
    admin: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    raw = f"ConnectError('https://api.telegram.org/bot{token}/sendMessage')"
    async with UnitOfWork(database, clock) as uow:
        await uow.outbox.enqueue(
            [NewNotification("reminder:y", "reminder", "console", "dm:ada", clock.now())]
        )
        (claimed,) = await uow.outbox.claim("worker", 1)
        await uow.outbox.give_up(claimed.id, "placeholder")
        await uow.commit()
    async with database.session() as session:  # as a row written before errors were redacted
        await session.execute(update(Notification).values(last_error=raw))
        await session.commit()
    failed = await admin.get("/admin/outbox", params={"status": "failed"})
    assert failed.status_code == 200
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in failed.text
    assert "api.telegram.org/bot123456789:[redacted]/sendMessage" in failed.text
