"""The Toolbox at the service level, on SQLite and PostgreSQL: seed sync, finding, community tools
with their daily limit (also under concurrent adds), attaching tools to habits."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select, update

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import BotState, DailyCounter, Tool, ToolOrigin, User
from core.errors import Ambiguous, InvalidInput, NotFound
from core.habits.service import HabitDraft, HabitService
from core.toolbox.service import SEED_STATE_KEY, ToolboxService, match_tool
from core.toolbox.spec import load_seed
from core.users.service import Contact, UserService

TODAY = date(2026, 3, 23)


async def make_user(db: Database, clock: SettableClock, name: str) -> int:
    async with db.session() as session:
        user, _ = await UserService(session, clock).identify(
            Contact("console", name.lower(), name, name.lower())
        )
        await session.commit()
        return user.id


def spec(title: str) -> object:
    return ToolboxService.draft(
        title, "A way to keep going when it rains.", ["Step one", "Step two", "Step three"]
    )


async def test_seed_is_loaded_once_and_upgrades_edit_only_seed_tools(
    database: Database, clock: SettableClock
) -> None:
    seed = load_seed()
    assert len(seed.tools) >= 25
    alice = await make_user(database, clock, "Alice")
    async with database.session() as session:
        toolbox = ToolboxService(session, clock)
        assert await toolbox.sync_seed() == len(seed.tools)
        assert await toolbox.sync_seed() == 0  # the digest is stored: nothing to do
        user = await session.get(User, alice)
        assert user is not None
        mine = await toolbox.add(
            user,
            toolbox.draft(
                "Rainy day plan", "What I do when it rains and I can't run.", ["a", "b", "c"]
            ),
            TODAY,
            3,
        )
        await session.commit()
    # An "older release" changed a seed tool and the digest: the next sync puts it right.
    async with database.session() as session:
        await session.execute(
            update(Tool).where(Tool.slug == "habit-stacking").values(description="old text")
        )
        await session.execute(
            update(BotState).where(BotState.key == SEED_STATE_KEY).values(value="old")
        )
        await session.commit()
    async with database.session() as session:
        assert await ToolboxService(session, clock).sync_seed() == 1
        await session.commit()
        stacked = await session.scalar(select(Tool).where(Tool.slug == "habit-stacking"))
        assert stacked is not None and stacked.description.startswith("Attach the new habit")
        community = await session.get(Tool, mine.id)
        assert community is not None and community.origin == ToolOrigin.COMMUNITY.value
        assert community.author_id == alice and community.title == "Rainy day plan"
        total = await session.scalar(select(func.count()).select_from(Tool))
        assert total == len(seed.tools) + 1


async def test_find_by_slug_title_beginning_and_suggestions(
    database: Database, clock: SettableClock
) -> None:
    async with database.session() as session:
        toolbox = ToolboxService(session, clock)
        assert (await toolbox.find("woop")).slug == "woop"
        assert (await toolbox.find("Temptation BUNDLING")).slug == "temptation-bundling"
        assert (await toolbox.find("habit st")).slug == "habit-stacking"
        with pytest.raises(Ambiguous):
            await toolbox.find("picture")
        with pytest.raises(NotFound) as missing:
            await toolbox.find("temptaton bundlng")
        assert "Temptation bundling" in missing.value.suggestions
        with pytest.raises(InvalidInput):
            await toolbox.find("   ")
        assert [t.slug for t in await toolbox.browse("phone")][:1] == ["add-friction"]


async def add_community_tool(db: Database, clock: SettableClock, title: str) -> int:
    """A community tool as one made before its title was refused (no checks on the way)."""
    async with db.session() as session:
        await ToolboxService(session, clock).sync_seed()
        tool = Tool(
            title=title,
            description="Something a member wrote down.",
            steps=["one", "two", "three"],
            created_at=clock.now(),
        )
        session.add(tool)
        await session.commit()
        return tool.id


async def test_a_shipped_tool_named_exactly_wins_over_community_tools(
    database: Database, clock: SettableClock
) -> None:
    alice = await make_user(database, clock, "Alice")
    copycat = await add_community_tool(database, clock, "woop")
    titled = await add_community_tool(database, clock, "Picture")
    async with database.session() as session:
        toolbox = ToolboxService(session, clock)
        for ref in ("woop", " WOOP ", "woop (mental contrasting)"):
            assert (await toolbox.find(ref)).slug == "woop", ref
        tools = await toolbox.all()
        assert {t.id for t in tools} >= {copycat, titled}
        found = match_tool(tools, "woop")
        assert found is not None and found.slug == "woop"
        # One tool's whole title wins over the tools it is only a part of.
        assert (await toolbox.find("picture")).id == titled
        # A new community tool may not take a shipped tool's slug as its title.
        assert await toolbox.title_taken("Habit-Stacking")
        user = await session.get(User, alice)
        assert user is not None
        with pytest.raises(InvalidInput, match="already a tool"):
            await toolbox.add(
                user,
                ToolboxService.draft(
                    "pomodoro", "A way to keep going when it rains.", ["a", "b", "c"]
                ),
                TODAY,
                3,
            )


async def test_daily_limit_on_community_tools(database: Database, clock: SettableClock) -> None:
    alice = await make_user(database, clock, "Alice")
    async with database.session() as session:
        toolbox = ToolboxService(session, clock)
        user = await session.get(User, alice)
        assert user is not None
        for n in range(2):
            await toolbox.add(
                user,
                toolbox.draft(f"My tool {n}", "Something that works for me.", ["a", "b", "c"]),
                TODAY,
                2,
            )
        with pytest.raises(InvalidInput, match="2 tools a day"):
            await toolbox.add(
                user,
                toolbox.draft("My tool 3", "Something that works for me.", ["a", "b", "c"]),
                TODAY,
                2,
            )
        with pytest.raises(InvalidInput, match="already a tool"):
            await toolbox.add(
                user,
                toolbox.draft(
                    "woop (mental contrasting)", "Something that works for me.", ["a", "b", "c"]
                ),
                date(2026, 3, 24),
                2,
            )
        # A new local day brings new allowance.
        await toolbox.add(
            user,
            toolbox.draft("My tool 4", "Something that works for me.", ["a", "b", "c"]),
            date(2026, 3, 24),
            2,
        )
        await session.commit()


@pytest.mark.postgres
async def test_daily_limit_holds_under_concurrent_adds(
    pg_database: Database, clock: SettableClock
) -> None:
    alice = await make_user(pg_database, clock, "Alice")
    async with pg_database.session() as session:
        await ToolboxService(session, clock).sync_seed()
        await session.commit()

    async def add(n: int) -> bool:
        async with pg_database.session() as session:
            toolbox = ToolboxService(session, clock)
            user = await session.get(User, alice)
            assert user is not None
            try:
                await toolbox.add(
                    user,
                    toolbox.draft(
                        f"Parallel tool {n}", "Something that works for me.", ["a", "b", "c"]
                    ),
                    TODAY,
                    3,
                )
            except InvalidInput:
                return False
            await session.commit()
            return True

    results = await asyncio.gather(*(add(n) for n in range(8)))
    assert sum(results) == 3
    async with pg_database.session() as session:
        count = await session.scalar(select(DailyCounter.count))
        tools = await session.scalar(
            select(func.count()).select_from(Tool).where(Tool.author_id == alice)
        )
    assert count == 3 and tools == 3


async def test_attach_and_detach_tools(database: Database, clock: SettableClock) -> None:
    alice = await make_user(database, clock, "Alice")
    async with database.session() as session:
        user = await session.get(User, alice)
        assert user is not None
        habit = await HabitService(session, clock).create(
            user, HabitDraft.build(title="Run"), TODAY
        )
        toolbox = ToolboxService(session, clock)
        woop, stack = await toolbox.find("woop"), await toolbox.find("habit stacking")
        assert await toolbox.attach(habit, woop) is True
        assert await toolbox.attach(habit, woop) is False
        assert await toolbox.attach(habit, stack) is True
        used = await toolbox.for_habits([habit.id])
        assert {t.slug for t in used[habit.id]} == {"woop", "habit-stacking"}
        assert await toolbox.detach(habit, woop) is True
        assert [t.slug for t in (await toolbox.for_habits([habit.id]))[habit.id]] == [
            "habit-stacking"
        ]
        others = [t for t in await toolbox.all() if t.slug != "habit-stacking"][:4]
        for tool in others:
            await toolbox.attach(habit, tool)
        with pytest.raises(InvalidInput, match="5 tools already"):
            await toolbox.attach(habit, woop if woop not in others else stack)
        await session.commit()


async def test_migration_keeps_tools_made_before_it(tmp_path: object) -> None:
    from pathlib import Path

    from sqlalchemy import text

    from core.db.schema import upgrade

    assert isinstance(tmp_path, Path)
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(db, "0005")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO tools (title, description, keywords, steps, created_at) "
                    "VALUES ('Old tool', 'From before', '[]', '[]', '2026-01-01 00:00:00')"
                )
            )
        await upgrade(db)
        async with db.session() as session:
            old = await session.scalar(select(Tool).where(Tool.title == "Old tool"))
            assert old is not None
            assert old.slug == f"u-{old.id}" and old.origin == ToolOrigin.COMMUNITY.value
            assert old.updated_at == old.created_at and old.problems == []
            clock = SettableClock(old.created_at)
            assert await ToolboxService(session, clock).sync_seed() == len(load_seed().tools)
            await session.commit()
    finally:
        await db.dispose()


async def test_a_hidden_tool_does_not_count_toward_the_limit(
    database: Database, clock: SettableClock
) -> None:
    """An admin hid one of the five tools a habit uses: it is no longer in the Toolbox, so the
    person may attach another in its place (and it still counts once shown again)."""
    alice = await make_user(database, clock, "Alice")
    async with database.session() as session:
        user = await session.get(User, alice)
        assert user is not None
        habit = await HabitService(session, clock).create(
            user, HabitDraft.build(title="Run"), TODAY
        )
        toolbox = ToolboxService(session, clock)
        first, *rest = await toolbox.all()
        five, sixth = [first, *rest[:4]], rest[4]
        for tool in five:
            assert await toolbox.attach(habit, tool) is True
        with pytest.raises(InvalidInput, match="5 tools already"):
            await toolbox.attach(habit, sixth)
        await session.execute(update(Tool).where(Tool.id == first.id).values(status="hidden"))
        assert await toolbox.attach(habit, sixth) is True
        # The habit keeps the hidden one, listed last, until its person detaches it.
        listed = (await toolbox.for_habits([habit.id]))[habit.id]
        assert len(listed) == 6 and listed[-1].id == first.id
        await session.execute(update(Tool).where(Tool.id == first.id).values(status="approved"))
        with pytest.raises(InvalidInput, match="5 tools already"):
            await toolbox.attach(habit, rest[5])
        await session.commit()
