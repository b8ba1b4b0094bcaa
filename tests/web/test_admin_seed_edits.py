"""An admin's edit of a seed tool outlives a new release: when the shipped seed file changes,
`habitlink web` (and the bot) bring it in at start-up (bot.app.sync_toolbox), and that sync
rewrote every seed tool whose text differed from the file, the admin's edits included, without
a word. Now a seed tool an admin edited keeps the admin's words; the others follow the file."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from bot.app import sync_toolbox
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import BotState, Tool
from core.toolbox.service import SEED_STATE_KEY
from core.uow import UnitOfWork, UnitOfWorkFactory
from tests.support.console import ConsoleSession
from tests.web.test_admin_actions import post


async def a_new_release_starts(database: Database, clock: SettableClock) -> None:
    """The database as a release with another seed file left it, then start-up's sync."""
    async with database.session() as session:
        await session.execute(
            update(BotState).where(BotState.key == SEED_STATE_KEY).values(value="an older seed")
        )
        await session.commit()
    await sync_toolbox(UnitOfWorkFactory(database, clock))


async def test_an_edited_seed_tool_keeps_the_admins_words_after_a_release(
    admin: httpx.AsyncClient, console: ConsoleSession, database: Database, clock: SettableClock
) -> None:
    await console.say(":user Alice", ":chat dm", "/tools")  # the seed is in
    async with UnitOfWork(database, clock) as uow:
        tools = sorted(await uow.admin.tools.tools(1), key=lambda t: t.id)
    edited, other = tools[0], tools[1]
    async with database.session() as session:  # a tool the new file words otherwise
        await session.execute(
            update(Tool).where(Tool.id == other.id).values(description="Stale words.")
        )
        await session.commit()
    fields = {
        "title": "Plan the when and where",
        "summary": "Our own words for this tool, for our members.",
        "steps": "\n".join(edited.steps),
        "keywords": "\n".join(edited.keywords),
        "problems": "\n".join(edited.problems),
    }
    await post(admin, f"/admin/tool/{edited.id}/change", **fields)

    await a_new_release_starts(database, clock)

    details = await admin.get(f"/admin/tool/details/{edited.id}")
    assert "Plan the when and where" in details.text
    assert "Our own words for this tool" in details.text
    async with database.session() as session:
        after = await session.get(Tool, other.id)
        assert after is not None and after.description == other.description  # the file's
