"""The only admin of a HabitLink cannot erase their account, by the API or in a linked chat:
nobody would be left to run it. Once someone else is an admin, they can. Everything is left as
it was by the refusal."""

from __future__ import annotations

import httpx
import pytest

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import UserRole
from core.errors import InvalidInput
from core.uow import UnitOfWork
from tests.support.admin_site import ADMIN_PASSWORD, make_admin
from tests.support.console import ConsoleSession, bot
from tests.web.conftest import PASSWORD, Person, link_console_user, sign_up

ONLY_ADMIN = (
    "You are the only admin of this HabitLink, so your account can't be erased: "
    "make someone else an admin first."
)


async def sign_in_api(api: httpx.AsyncClient, email: str, password: str) -> Person:
    login = await api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return Person(api, login.json(), email)


async def test_the_only_admin_cannot_erase_their_account(
    api: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    await make_admin(database, clock)
    root = await sign_in_api(api, "root@example.com", ADMIN_PASSWORD)
    refused = await root.request("DELETE", "/api/v1/me", json={"password": ADMIN_PASSWORD})
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"] == ONLY_ADMIN
    assert (await root.get("/api/v1/me")).status_code == 200  # still there

    # Another admin: now the first may go, and the second is the only one left.
    ada = await sign_up(api, "Ada")
    async with UnitOfWork(database, clock) as uow:
        assert await uow.admin.roles.promote_by_email("ada@example.com")
        await uow.commit()
    gone = await root.request("DELETE", "/api/v1/me", json={"password": ADMIN_PASSWORD})
    assert gone.status_code == 204, gone.text
    refused = await ada.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert refused.status_code == 403 and refused.json()["detail"] == ONLY_ADMIN


async def test_a_member_erases_their_account_as_before(api: httpx.AsyncClient) -> None:
    ada = await sign_up(api, "Ada")
    gone = await ada.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert gone.status_code == 204, gone.text


async def test_the_only_admin_cannot_erase_their_linked_chat_profile(
    api: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    await make_admin(database, clock)
    root = await sign_in_api(api, "root@example.com", ADMIN_PASSWORD)
    await link_console_user(root, console, "Root")
    await console.say("/newhabit Run", "/deleteme", ":press 1")
    assert await console.say(":press 1") == bot(ONLY_ADMIN)
    assert "Run" in await console.say("/habits")
    assert (await root.get("/api/v1/me")).status_code == 200


async def test_the_last_admin_who_can_act_is_not_demoted_while_another_is_banned(
    admin: httpx.AsyncClient, api: httpx.AsyncClient, database: Database, clock: SettableClock
) -> None:
    """A banned admin cannot use /admin, so they don't count: `habitlink admin demote` (and an
    admin demoting themselves) of the only usable admin is refused, and nothing changes."""
    await sign_up(api, "Ada")
    async with UnitOfWork(database, clock) as uow:
        assert await uow.admin.people.ban(1, 2, "away")
        assert await uow.admin.roles.promote_by_email("ada@example.com")  # banned, but an admin
        await uow.commit()
    async with UnitOfWork(database, clock) as uow:
        with pytest.raises(InvalidInput, match="only admin"):
            await uow.admin.roles.demote_by_email("root@example.com")
        with pytest.raises(InvalidInput, match="only admin"):
            await uow.admin.roles.set_role(1, 1, UserRole.MEMBER)
    assert (await admin.get("/admin/dashboard")).status_code == 200  # root still runs it
    # Once Ada is unbanned she can act, and root may step down.
    async with UnitOfWork(database, clock) as uow:
        assert await uow.admin.people.unban(1, 2)
        assert await uow.admin.roles.demote_by_email("root@example.com")
        await uow.commit()
