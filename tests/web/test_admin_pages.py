"""What the admin's pages read like, over httpx against the real app: words a person reads,
not Python's reprs or bare row ids."""

from __future__ import annotations

import re

import httpx
from markupsafe import escape

from core.clock import SettableClock
from core.db.engine import Database
from core.uow import UnitOfWork
from tests.support.admin_site import csrf_in
from tests.support.console import ConsoleSession
from tests.support.images import jpeg
from tests.web.conftest import sign_up


async def test_a_tools_steps_keywords_and_problems_read_one_a_line(
    admin: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    await console.say(":user Alice", ":chat dm", "/tools")  # the seed tools come in
    async with UnitOfWork(database, clock) as uow:
        tool = next(t for t in await uow.admin.tools.tools(1) if "'" in "".join(t.steps))
    page = (await admin.get(f"/admin/tool/details/{tool.id}")).text
    for key in ("steps", "keywords", "problems"):
        items = [str(escape(item)) for item in getattr(tool, key)]
        assert "<br>".join(items) in page, key
    assert "[&#39;" not in page and "&#39;]" not in page  # no ['...'] anywhere


def cells(page: str, header: str) -> list[str]:
    """The texts of one column of the page's list table (links unwrapped)."""
    table = page.split("<table", 1)[1].split("</table>", 1)[0]
    heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th.*?</th>", table, re.S)]
    column = heads.index(header)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    return [
        re.sub(r"<[^>]+>", "", re.findall(r"<td.*?</td>", row, re.S)[column]).strip()
        for row in rows
    ]


async def test_lists_and_details_name_people_groups_and_habits_instead_of_ids(
    admin: httpx.AsyncClient, api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    photo = console.media_dir / "run.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(jpeg())
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    await console.say(":user Bob", "/join", "/newhabit Stretch", "/learn Stretch after tea")
    await console.say(f":photo {photo} stretch")
    zed = await sign_up(api, "Zed")
    shared = await zed.post(
        "/api/v1/tools",
        json={"title": "Walk-and-talk calls", "summary": "Walk while you take phone calls.",
              "steps": ["Pick the calls", "Put on shoes", "Walk until you hang up"]},
    )  # fmt: skip
    assert shared.status_code == 201, shared.text

    learnings = (await admin.get("/admin/learning/list")).text
    assert cells(learnings, "Group") == ["Runners"]
    assert cells(learnings, "Author") == ["Bob"]
    assert 'href="http://testserver/admin/user/details/' in learnings  # the author's page
    proofs = (await admin.get("/admin/proof/list")).text
    assert (cells(proofs, "Group"), cells(proofs, "Member")) == (["Runners"], ["Bob"])
    assert cells((await admin.get("/admin/group/list")).text, "Owner") == ["Alice"]
    tools = (await admin.get("/admin/tool/list", params={"search": "walk-and-talk"})).text
    assert cells(tools, "Author") == ["Zed"]

    token = csrf_in((await admin.get("/admin/learning/details/1")).text)
    hidden = await admin.post("/admin/learning/1/hide", data={"csrf_token": token})
    assert hidden.status_code == 303
    details = (await admin.get("/admin/learning/details/1")).text
    assert re.search(r"Hidden by</td>\s*<td><a [^>]*>root</a>", details), details
    proof = (await admin.get("/admin/proof/details/1")).text
    assert re.search(r"Habit</td>\s*<td>Stretch</td>", proof)  # no page of its own: no link
