"""Merging users, the finer rules (core.users.merge): time zones and reminders, renamed habits,
tables the merge has no rule for, and two accounts racing for one link code.

Alice is on Discord (the survivor), Ally her Telegram account (absorbed); see test_link_merge.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, insert, select

from core.clock import SettableClock
from core.db.base import Base
from core.db.engine import Database
from core.db.models import Identity, Reminder
from core.users.links import Linked, LinkService, Refusal, Refused
from core.users.merge import MergeService
from core.users.merge_report import MergeReport, RenamedHabit
from tests.integration.test_link_merge import NOW, habit, merge, person, rows


async def test_survivor_keeps_a_chosen_time_zone_and_nothing_moves_from_a_new_user(
    database: Database,
) -> None:
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        alice.settings.timezone = "Asia/Tokyo"
        alice.settings.day_start_hour = 3
        ally.settings.timezone = "Europe/Berlin"
        ally.settings.day_start_hour = 1
        ids = alice.id, ally.id
        await s.commit()
    report = await merge(database, *ids)
    assert report == MergeReport(survivor_id=ids[0], absorbed_id=ids[1], identities=1)
    assert not report.moved_anything
    assert await rows(database, "SELECT user_id, timezone, day_start_hour FROM user_settings") == [
        (ids[0], "Asia/Tokyo", 3)
    ]


async def test_a_ban_and_the_admin_role_follow_the_person_into_the_survivor(
    database: Database,
) -> None:
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        carol = await person(s, "discord", "7", "Carol")
        ally.banned_at, ally.banned_by, ally.ban_reason = NOW, carol.id, "spam"
        carol.role = "admin"
        ids = alice.id, ally.id, carol.id
        await s.commit()
    report = await merge(database, ids[0], ids[1])
    assert report.profile_taken == ["ban"]  # linking an account is no way out of a ban
    assert await rows(
        database, "SELECT role, ban_reason, banned_by FROM users WHERE id = :i", i=ids[0]
    ) == [("member", "spam", ids[2])]
    async with database.session() as s:
        dave = await person(s, "telegram", "8", "Dave")
        dave_id = dave.id
        await s.commit()
    report = await merge(database, dave_id, ids[2])
    assert report.profile_taken == ["admin"]
    assert await rows(database, "SELECT role FROM users WHERE id = :i", i=dave_id) == [("admin",)]


async def test_the_configured_default_zone_counts_as_not_chosen(database: Database) -> None:
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        alice.settings.timezone = "Europe/Berlin"  # this bot's default
        ally.settings.timezone = "UTC"  # chosen on purpose
        ids = alice.id, ally.id
        await s.commit()
    report = await merge(database, *ids, tz="Europe/Berlin")
    assert report.timezone_taken == "UTC"
    assert await rows(database, "SELECT timezone FROM user_settings") == [("UTC",)]


async def test_renamed_titles_never_clash(database: Database) -> None:
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        s.add(
            Identity(
                user=ally,
                platform="console",
                external_id="ally",
                display_name="Ally",
                created_at=NOW,
            )
        )
        long = "x" * 100
        s.add_all(
            [habit(alice, "Read", 1), habit(alice, "read (linked)", 2), habit(alice, long, 3)]
        )
        s.add_all([habit(ally, "READ", 1), habit(ally, "Read (linked 2)", 2), habit(ally, long, 3)])
        ids = alice.id, ally.id
        await s.commit()
    report = await merge(database, *ids)
    assert report.identities == 2
    assert report.renamed == [
        RenamedHabit("READ", "READ (linked 3)"),
        RenamedHabit(long, "x" * 91 + " (linked)"),
    ]
    titles = await rows(database, "SELECT title FROM habits ORDER BY position")
    assert len({t.lower() for (t,) in titles}) == 6
    assert all(len(t) <= 100 for (t,) in titles)


async def test_other_tables_pointing_at_users_keep_their_rows(database: Database) -> None:
    """A table the merge has no rule for: its rows move to the survivor instead of being
    deleted with the absorbed user."""
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    scores = Table(
        "merge_test_scores",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE")),
        Column("points", Integer),
    )
    async with database.engine.begin() as conn:
        await conn.run_sync(lambda sync: scores.create(sync))
    try:
        async with database.session() as s:
            alice = await person(s, "discord", "99", "Alice")
            ally = await person(s, "telegram", "42", "Ally")
            ids = alice.id, ally.id
            await s.execute(insert(scores), [{"user_id": ids[1], "points": p} for p in (3, 4)])
            await s.execute(insert(scores).values(user_id=ids[0], points=5))
            report = await MergeService(s, SettableClock(NOW), metadata=metadata).merge(*ids)
            await s.commit()
        assert report.other == {"merge_test_scores.user_id": 2}
        found = await rows(database, "SELECT user_id, points FROM merge_test_scores")
        assert sorted(found) == [(ids[0], 3), (ids[0], 4), (ids[0], 5)]
    finally:
        async with database.engine.begin() as conn:
            await conn.run_sync(lambda sync: scores.drop(sync))


async def test_reminders_follow_the_time_zone_of_the_profile(database: Database) -> None:
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        alice.settings.timezone = "Asia/Tokyo"
        ally.settings.timezone = "Europe/Berlin"
        walk = habit(ally, "Walk", 1)
        # 07:30 in Berlin on Tuesday, as Ally's zone planned it.
        berlin = datetime(2026, 3, 24, 6, 30, tzinfo=UTC)
        s.add(Reminder(habit=walk, local_time=time(7, 30), next_due_at=berlin, created_at=NOW))
        ids = alice.id, ally.id
        await s.commit()
    report = await merge(database, *ids)
    assert report.timezone_taken is None
    assert report.reminders == report.reminders_replanned == 1
    async with database.session() as s:
        due = await s.scalar(select(Reminder.next_due_at))
    assert due == datetime(2026, 3, 23, 22, 30, tzinfo=UTC)  # 07:30 Tuesday in Tokyo


async def test_reminders_stay_put_when_the_zone_is_the_same(database: Database) -> None:
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        walk = habit(ally, "Walk", 1)
        snoozed = NOW + timedelta(minutes=30)
        s.add(
            Reminder(
                habit=walk,
                local_time=time(9, 0),
                next_due_at=NOW,
                snoozed_until=snoozed,
                created_at=NOW,
            )
        )
        ids = alice.id, ally.id
        await s.commit()
    report = await merge(database, *ids)
    assert report.reminders == 1 and report.reminders_replanned == 0
    async with database.session() as s:
        found = (await s.execute(select(Reminder.next_due_at, Reminder.snoozed_until))).one()
    assert tuple(found) == (NOW, snoozed)


@pytest.mark.postgres
async def test_two_accounts_racing_for_one_code_cannot_both_link(pg_database: Database) -> None:
    """PostgreSQL: the code's row is taken by an UPDATE; the second request waits, then sees it
    used. (SQLite has one writer at a time, so the race cannot happen there.)"""
    database = pg_database
    clock = SettableClock(NOW)
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        bob = await person(s, "telegram", "43", "Bob")
        idents = dict((await s.execute(select(Identity.user_id, Identity.id))).all())
        issued = await LinkService(s, clock).issue(alice.id, idents[alice.id])
        ids = alice.id, ally.id, bob.id
        await s.commit()
    first, second = database.session(), database.session()

    async def redeem(service: LinkService, user_id: int) -> Linked | Refused:
        """Type the code, then press the confirmation button."""
        claimed = await service.claim(user_id, idents[user_id], issued.code)
        if isinstance(claimed, Refused):
            return claimed
        return await service.confirm(user_id, idents[user_id], claimed.code_id, claimed.token)

    try:
        won = await redeem(LinkService(first, clock), ids[1])
        assert isinstance(won, Linked)
        racing = asyncio.create_task(redeem(LinkService(second, clock), ids[2]))
        await asyncio.sleep(0.2)
        assert not racing.done()  # waiting for the first transaction
        await first.commit()
        lost = await asyncio.wait_for(racing, 10)
        assert lost == Refused(Refusal.USED)
        await second.commit()
    finally:
        await first.close()
        await second.close()
    assert await rows(database, "SELECT user_id FROM identities ORDER BY id") == [
        (ids[1],),  # Alice made the code: her account joined Ally's, who confirmed first
        (ids[1],),
        (ids[2],),
    ]
