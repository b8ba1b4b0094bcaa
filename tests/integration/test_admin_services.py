"""core.admin on both databases: who may call it, the audit log written with each change, the
outbox, the Toolbox's review, search and a person's page. What people see afterwards is tested
through the console (tests/e2e/test_console_moderation.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from bot.dispatcher import HabitLinkBot
from core.admin.guard import NotAdmin
from core.admin.service import Admin
from core.clock import SettableClock
from core.db.models import ToolStatus, UserRole
from core.errors import InvalidInput, NotFound
from core.notify.outbox import NewNotification
from core.uow import UnitOfWork
from tests.support.admin import console_user_id, make_admin
from tests.support.requests import group_chat, person, private_chat, send

ALICE, BOB = person("Alice"), person("Bob")
RUNNERS = group_chat("Runners")


async def runners(bot: HabitLinkBot) -> None:
    await send(bot, ALICE, RUNNERS, "/newgroup Runners")
    await send(bot, BOB, RUNNERS, "/join")
    await send(bot, BOB, RUNNERS, "/learn Shoes by the door")


async def audit_count(bot: HabitLinkBot, admin: int) -> int:
    async with bot.uow() as uow:
        return len(await uow.admin.audit_log(admin, limit=500))


Call = Callable[[Admin, int], Awaitable[object]]
CALLS: dict[str, Call] = {
    "search": lambda a, who: a.people.search(who, "bob"),
    "detail": lambda a, who: a.people.detail(who, 1),
    "ban": lambda a, who: a.people.ban(who, 1),
    "unban": lambda a, who: a.people.unban(who, 1),
    "set_role": lambda a, who: a.roles.set_role(who, who, UserRole.ADMIN),
    "learnings": lambda a, who: a.moderation.learnings(who),
    "proofs": lambda a, who: a.moderation.proofs(who),
    "hide_learning": lambda a, who: a.moderation.hide_learning(who, 1),
    "unhide_learning": lambda a, who: a.moderation.unhide_learning(who, 1),
    "hide_proof": lambda a, who: a.moderation.hide_proof(who, 1),
    "unhide_proof": lambda a, who: a.moderation.unhide_proof(who, 1),
    "delete_proof_image": lambda a, who: a.moderation.delete_proof_image(who, 1),
    "tools": lambda a, who: a.tools.tools(who),
    "approve_tool": lambda a, who: a.tools.approve(who, 1),
    "hide_tool": lambda a, who: a.tools.hide(who, 1),
    "edit_tool": lambda a, who: a.tools.edit(who, 1, title="Mine now"),
    "outbox_counts": lambda a, who: a.outbox.counts(who),
    "outbox_list": lambda a, who: a.outbox.list(who),
    "outbox_retry": lambda a, who: a.outbox.retry(who, 1),
    "dashboard": lambda a, who: a.dashboard.overview(who),
    "audit_log": lambda a, who: a.audit_log(who),
}


async def test_every_admin_call_refuses_anyone_but_an_admin(bot: HabitLinkBot) -> None:
    await runners(bot)
    admin = await make_admin(bot.uow)
    bob = await console_user_id(bot.uow, "Bob")
    banned_admin = await make_admin(bot.uow, "banned@example.com")
    async with bot.uow() as uow:  # an admin who is banned is no admin
        await uow.admin.roles.set_role(admin, banned_admin, UserRole.MEMBER)
        await uow.admin.people.ban(admin, banned_admin)
        await uow.commit()
    entries = await audit_count(bot, admin)
    for name, call in CALLS.items():
        for who in (bob, banned_admin, 999_999):
            async with bot.uow() as uow:
                with pytest.raises(NotAdmin):
                    await call(uow.admin, who)
                    pytest.fail(f"{name} let user {who} in")
                await uow.commit()
    assert await audit_count(bot, admin) == entries
    async with bot.uow() as uow:
        assert (await uow.admin.people.detail(admin, bob)).person.banned_at is None


async def test_an_action_and_its_audit_entry_are_saved_together_or_not_at_all(
    bot: HabitLinkBot,
) -> None:
    await runners(bot)
    admin = await make_admin(bot.uow)
    entries = await audit_count(bot, admin)
    async with bot.uow() as uow:
        learning = (await uow.admin.moderation.learnings(admin))[0]
        assert await uow.admin.moderation.hide_learning(admin, learning.id)
        # no commit: both go
    assert await audit_count(bot, admin) == entries
    async with bot.uow() as uow:
        assert await uow.admin.moderation.hide_learning(admin, learning.id)
        assert not await uow.admin.moderation.hide_learning(admin, learning.id)  # no-op, no entry
        await uow.commit()
    async with bot.uow() as uow:
        [entry] = await uow.admin.audit_log(admin, target_type="learning")
        hidden = (await uow.admin.moderation.learnings(admin, hidden=True))[0]
    assert hidden.id == learning.id and hidden.hidden_at is not None
    assert (entry.action, entry.actor_id, entry.actor_label) == (
        "learning.hide",
        admin,
        "ops@example.com",
    )
    assert entry.target_id == learning.id
    assert entry.before == {"hidden": False, "hidden_at": None, "hidden_by": None} | {
        "content": "Shoes by the door"
    }
    assert entry.after is not None and entry.after["hidden"] is True
    assert entry.after["hidden_by"] == admin


async def test_bans_and_roles_refuse_what_makes_no_sense(bot: HabitLinkBot) -> None:
    await runners(bot)
    admin = await make_admin(bot.uow)
    bob = await console_user_id(bot.uow, "Bob")
    async with bot.uow() as uow:
        with pytest.raises(InvalidInput, match="can't ban yourself"):
            await uow.admin.people.ban(admin, admin)
        with pytest.raises(NotFound):
            await uow.admin.people.ban(admin, 999_999)
        with pytest.raises(InvalidInput, match="only admin"):
            await uow.admin.roles.set_role(admin, admin, "member")
        with pytest.raises(InvalidInput, match="no role"):
            await uow.admin.roles.set_role(admin, bob, "owner")
        assert await uow.admin.roles.set_role(admin, bob, "admin")
        with pytest.raises(InvalidInput, match="remove their admin role first"):
            await uow.admin.people.ban(admin, bob)
        assert await uow.admin.roles.set_role(admin, bob, UserRole.MEMBER)
        assert await uow.admin.people.ban(admin, bob, "  spam,   again ")
        assert not await uow.admin.people.ban(admin, bob)
        await uow.commit()
    async with bot.uow() as uow:
        detail = await uow.admin.people.detail(admin, bob)
        actions = [e.action for e in await uow.admin.audit_log(admin, target_id=bob)]
    assert detail.ban_reason == "spam, again" and detail.banned_by == admin
    assert actions == ["user.ban", "user.demote", "user.promote"]


async def test_search_finds_people_by_email_name_or_platform_username(bot: HabitLinkBot) -> None:
    await runners(bot)
    await send(bot, person("Carol Jones", external_id="c1"), private_chat(BOB), "/start")
    admin = await make_admin(bot.uow)

    async def found(text: str) -> list[str]:
        async with bot.uow() as uow:
            return [p.display_name for p in await uow.admin.people.search(admin, text)]

    assert await found("OPS@example") == ["ops"]
    assert await found("carol j") == ["Carol Jones"]
    assert await found("@bob") == ["Bob"]  # the console username
    assert await found("100%") == []  # wildcards are plain text
    assert set(await found("")) == {"ops", "Carol Jones", "Bob", "Alice"}


async def test_a_persons_page_shows_identities_groups_and_activity(
    bot: HabitLinkBot, clock: SettableClock
) -> None:
    await runners(bot)
    dm = private_chat(BOB)
    await send(bot, BOB, dm, "/newhabit Read")
    for _ in range(3):
        await send(bot, BOB, dm, "/done 1")
        clock.advance(timedelta(days=4))
    admin = await make_admin(bot.uow)
    bob = await console_user_id(bot.uow, "Bob")
    async with bot.uow() as uow:
        page = await uow.admin.people.detail(admin, bob)
        with pytest.raises(NotFound):
            await uow.admin.people.detail(admin, 999_999)
    assert [(i.platform, i.username) for i in page.identities] == [("console", "bob")]
    assert [(g.group_name, g.role) for g in page.groups] == [("Runners", "member")]
    activity = page.activity
    assert (activity.habits, activity.checkins, activity.learnings, activity.proofs) == (1, 3, 1, 0)
    assert activity.checkins_7d == 1  # the last one; the others were 4 and 8 days before it
    assert activity.last_checkin == (clock.now() - timedelta(days=4)).date()


async def enqueue(uow: UnitOfWork, n: int) -> None:
    await uow.outbox.enqueue(
        [
            NewNotification(
                dedupe_key=f"test:{i}",
                kind="reminder",
                platform="console",
                chat_id=f"dm:{i}",
                due_at=uow.clock.now(),
            )
            for i in range(n)
        ]
    )


async def test_the_outbox_by_status_and_a_retry(bot: HabitLinkBot, clock: SettableClock) -> None:
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        await enqueue(uow, 4)
        ids = [n.id for n in await uow.admin.outbox.list(admin)][::-1]
        await uow.outbox.give_up(ids[0], "unreachable: blocked by the user")
        await uow.outbox.give_up(ids[1], "boom")
        await uow.outbox.mark_sent(ids[2])
        await uow.commit()
    clock.advance(timedelta(hours=2))
    async with bot.uow() as uow:
        counts = await uow.admin.outbox.counts(admin)
        failed = await uow.admin.outbox.list(admin, "failed")
        unreachable = await uow.admin.outbox.list(admin, "unreachable")
        with pytest.raises(InvalidInput, match="no outbox status"):
            await uow.admin.outbox.list(admin, "lost")
        with pytest.raises(InvalidInput, match="this one is sent"):
            await uow.admin.outbox.retry(admin, ids[2])
        retried = await uow.admin.outbox.retry(admin, ids[0])
        await uow.commit()
    assert counts == {"pending": 1, "sending": 0, "sent": 1, "failed": 1, "unreachable": 1}
    assert [n.id for n in failed] == [ids[1]] and [n.id for n in unreachable] == [ids[0]]
    assert (retried.status, retried.attempts, retried.next_attempt_at) == (
        "pending",
        0,
        clock.now(),
    )
    async with bot.uow() as uow:
        claimed = await uow.outbox.claim("test", 10)
        [entry] = await uow.admin.audit_log(admin, action="notification.retry")
    assert ids[0] in [c.id for c in claimed]
    assert entry.before is not None and entry.before["status"] == "unreachable"


async def test_tools_are_approved_hidden_and_edited(bot: HabitLinkBot) -> None:
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        seed = await uow.toolbox.find("habit stacking")
        assert seed.status == ToolStatus.APPROVED.value
        with pytest.raises(InvalidInput, match="title is too short"):
            await uow.admin.tools.edit(admin, seed.id, title="Hi")
        with pytest.raises(InvalidInput, match="can't be edited: slug"):
            await uow.admin.tools.edit(admin, seed.id, slug="mine")
        other = (await uow.toolbox.browse())[-1]
        with pytest.raises(InvalidInput, match="called"):
            await uow.admin.tools.edit(admin, seed.id, title=other.title.upper())
        await uow.admin.tools.edit(admin, seed.id, title="Stack it", keywords=["stack"])
        assert await uow.admin.tools.hide(admin, other.id)
        await uow.commit()
    async with bot.uow() as uow:
        titles = [t.title for t in await uow.toolbox.browse()]
        assert "Stack it" in titles and other.title not in titles
        with pytest.raises(NotFound):
            await uow.toolbox.get(other.id)
        assert [t.id for t in await uow.admin.tools.tools(admin, status=ToolStatus.HIDDEN)] == [
            other.id
        ]
        assert await uow.admin.tools.approve(admin, other.id)
        await uow.commit()
        [edit] = await uow.admin.audit_log(admin, action="tool.edit")
    assert edit.before is not None and edit.after is not None
    assert set(edit.after) == {"title", "keywords"} and edit.after["title"] == "Stack it"
    async with bot.uow() as uow:
        assert other.title in [t.title for t in await uow.toolbox.browse()]
