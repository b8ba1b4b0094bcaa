"""What moderation does to the API: hidden learnings and proofs are gone from it at once, and a
banned account's tokens are refused (403) until it is unbanned."""

from __future__ import annotations

import httpx

from core.clock import SettableClock
from core.db.engine import Database
from core.media.storage import LocalMediaStore
from core.uow import UnitOfWorkFactory
from tests.support.admin import make_admin
from tests.support.console import ConsoleSession
from tests.web.conftest import PASSWORD, sign_up
from tests.web.test_api_resources import linked, make_group, photo_bytes


async def test_hidden_things_leave_the_api_and_a_banned_account_is_refused(
    api: httpx.AsyncClient,
    console: ConsoleSession,
    database: Database,
    clock: SettableClock,
    media: LocalMediaStore,
) -> None:
    units = UnitOfWorkFactory(database, clock, media=media)
    olive = await linked(api, console, "Olive")
    await make_group(console, "public")
    gid = (await olive.get("/api/v1/groups/mine")).json()[0]["id"]
    mia = await sign_up(api, "Mia")
    assert (await mia.post(f"/api/v1/groups/{gid}/join")).json()["joined"] is True
    lid = (await mia.post(f"/api/v1/groups/{gid}/learnings", json={"content": "Tiny"})).json()["id"]
    await olive.post(f"/api/v1/groups/{gid}/learnings", json={"content": "Early"})
    uploaded = await mia.post(
        f"/api/v1/groups/{gid}/proofs", files={"photo": ("run.png", photo_bytes(), "image/png")}
    )
    assert uploaded.status_code == 201, uploaded.text
    admin = await make_admin(units)

    async def contents() -> tuple[list[str], list[str]]:
        feed = (await olive.get("/api/v1/learnings")).json()["items"]
        group = (await olive.get(f"/api/v1/groups/{gid}/learnings")).json()["items"]
        return [i["content"] for i in feed], [i["content"] for i in group]

    async with units() as uow:
        [proof] = await uow.admin.moderation.proofs(admin)
        await uow.admin.moderation.hide_learning(admin, lid)
        await uow.admin.moderation.hide_proof(admin, proof.id)
        await uow.commit()
    assert await contents() == (["Early"], ["Early"])
    assert (await olive.get(f"/api/v1/groups/{gid}/proofs")).json()["proofs"] == []
    assert (await olive.post(f"/api/v1/learnings/{lid}/like")).status_code == 404

    async with units() as uow:
        await uow.admin.moderation.unhide_learning(admin, lid)
        await uow.admin.moderation.unhide_proof(admin, proof.id)
        mia_id = (await uow.admin.people.search(admin, "mia@"))[0].id
        await uow.admin.people.ban(admin, mia_id)
        await uow.commit()
    assert await contents() == (["Early"], ["Early"])  # a banned person's learnings stay out
    assert (await olive.get(f"/api/v1/groups/{gid}/proofs")).json()["proofs"] == []
    refused = await mia.get("/api/v1/me")
    assert refused.status_code == 403 and "suspended" in refused.text
    login = {"email": mia.email, "password": PASSWORD}
    assert (await api.post("/api/v1/auth/login", json=login)).status_code == 403
    again = {"refresh_token": mia.tokens["refresh_token"]}
    assert (await api.post("/api/v1/auth/refresh", json=again)).status_code == 401

    async with units() as uow:
        await uow.admin.people.unban(admin, mia_id)
        await uow.commit()
    assert (await mia.get("/api/v1/me")).status_code == 200  # the same access token again
    assert (await api.post("/api/v1/auth/login", json=login)).status_code == 200
    feed, listed = await contents()
    assert sorted(feed) == ["Early", "Tiny"] and sorted(listed) == ["Early", "Tiny"]
    assert len((await olive.get(f"/api/v1/groups/{gid}/proofs")).json()["proofs"]) == 1
