"""Merging two users (core.users.merge) on SQLite and PostgreSQL: every table's rows move to the
survivor, duplicates are combined, the constraints hold, and a failure leaves both users intact.

Alice is on Discord (the survivor: she made the code); Ally is her Telegram account (absorbed).
Carol and Dave are other people.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import SettableClock
from core.db.base import Base
from core.db.engine import Database
from core.db.models import (
    Group,
    GroupMember,
    Habit,
    HabitLog,
    Identity,
    LinkAttempt,
    LinkCode,
    Message,
    MessageLike,
    Proof,
    Reminder,
    Tool,
    Trust,
    User,
    UserSettings,
)
from core.lifebook.model import upgrade
from core.users.merge import (
    HANDLED,
    MOVED_AS_IS,
    MergeService,
    free_title,
    other_user_columns,
)
from core.users.merge_report import MergeReport, RenamedHabit, SharedGroup
from core.users.service import Contact, UserService
from tests.integration.test_faults import database_fails_on

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
DAY = date(2026, 3, 20)


async def person(session: AsyncSession, platform: str, external_id: str, name: str) -> User:
    users = UserService(session, SettableClock(NOW))
    user, _ = await users.identify(Contact(platform, external_id, name))
    return user


def habit(user: User, title: str, position: int, **extra: Any) -> Habit:
    return Habit(
        user_id=user.id,
        title=title,
        start_date=DAY,
        position=position,
        created_at=NOW,
        **extra,
    )


def log(h: Habit, day: date, status: str = "done") -> HabitLog:
    return HabitLog(habit=h, day=day, status=status, created_at=NOW)


def group(name: str, owner: User) -> Group:
    return Group(name=name, owner_id=owner.id, invite_code=f"inv-{name}", created_at=NOW)


def member(g: Group, user: User, role: str, when: datetime = NOW) -> GroupMember:
    return GroupMember(group_id=g.id, user_id=user.id, role=role, created_at=when)


def learning(g: Group, author: User, content: str, kind: str = "learning") -> Message:
    return Message(group_id=g.id, user_id=author.id, content=content, type=kind, created_at=NOW)


def like(m: Message, user: User) -> MessageLike:
    return MessageLike(message_id=m.id, user_id=user.id, created_at=NOW)


def trust(a: User, b: User) -> Trust:
    return Trust(truster_id=a.id, trustee_id=b.id, created_at=NOW)


async def populate(db: Database) -> dict[str, int]:
    """Two accounts of one person, each with a bit of everything, overlapping on purpose."""
    async with db.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        carol = await person(s, "telegram", "7", "Carol")
        dave = await person(s, "discord", "8", "Dave")
        ally.settings.timezone = "Europe/Berlin"
        ally.email = "ally@example.com"
        ally.password_hash = "hash"
        ally.lifebook = {"values": ["health"], "vision": "Ally's"}
        alice.lifebook = {"vision": "Alice's"}

        a_read, a_run = habit(alice, "Read", 1), habit(alice, "Run", 2)
        t_read, t_med = habit(ally, "read", 1), habit(ally, "Meditate", 2)
        t_old = habit(ally, "Run", 3, archived_at=NOW)  # archived: keeps its name
        s.add_all([a_read, a_run, t_read, t_med, t_old])
        # Both "Read"s have a log on the same day: they stay two habits, so both logs stay.
        s.add_all([log(a_read, DAY), log(t_read, DAY, "skipped"), log(t_read, DAY + timedelta(1))])
        s.add_all([log(t_med, DAY), log(t_old, DAY)])
        s.add(Reminder(habit=t_med, local_time=time(7, 30), created_at=NOW))
        await s.flush()

        runners, readers, writers = (
            group("Runners", ally),
            group("Readers", carol),
            group("Writers", alice),
        )
        s.add_all([runners, readers, writers])
        await s.flush()
        s.add_all(
            [
                member(runners, ally, "owner", NOW - timedelta(days=9)),
                member(runners, alice, "member"),
                member(readers, ally, "admin"),
                member(readers, carol, "owner"),
                member(writers, alice, "owner"),
                member(writers, ally, "member"),
            ]
        )
        s.add(
            Proof(
                group_id=runners.id,
                user_id=ally.id,
                habit_id=t_med.id,
                day=DAY,
                week_start=date(2026, 3, 16),
                image_key="p/1.jpg",
                thumb_key="p/1t.jpg",
                created_at=NOW,
            )
        )
        by_ally = learning(runners, ally, "Shoes by the door")
        by_alice = learning(runners, alice, "Start tiny")
        by_carol = learning(readers, carol, "Read before bed")
        by_carol_2 = learning(readers, carol, "Ten pages")
        chat = learning(runners, ally, "hello", kind="chat")
        s.add_all([by_ally, by_alice, by_carol, by_carol_2, chat])
        await s.flush()
        likes = [
            like(by_ally, alice),  # becomes a like of her own learning: dropped
            like(by_alice, ally),  # the same
            like(by_carol, alice),  # both liked it: one like stays
            like(by_carol, ally),
            like(by_carol, dave),
            like(by_carol_2, ally),  # moves
        ]
        s.add_all(likes)
        for m, n in ((by_ally, 1), (by_alice, 1), (by_carol, 3), (by_carol_2, 1)):
            m.likes_count = n
        s.add_all(
            [
                trust(ally, alice),  # would be self-trust: dropped
                trust(alice, carol),  # both trust Carol: kept once
                trust(ally, carol),
                trust(carol, ally),  # moves to Carol -> Alice
                trust(ally, dave),  # moves to Alice -> Dave
                trust(dave, alice),  # both trusted by Dave: kept once
                trust(dave, ally),
            ]
        )
        s.add(Tool(title="Two-minute rule", description="Small", author_id=ally.id, created_at=NOW))
        s.add(Tool(title="Habit stacking", description="X, Y", author_id=carol.id, created_at=NOW))
        identity = await s.scalar(select(Identity.id).where(Identity.user_id == ally.id))
        s.add(
            LinkCode(
                code="AAAABBBB",
                user_id=ally.id,
                identity_id=identity,
                created_at=NOW,
                expires_at=NOW + timedelta(minutes=15),
            )
        )
        s.add(LinkAttempt(user_id=ally.id, created_at=NOW))
        named: dict[str, User | Group | Message] = dict(alice=alice, ally=ally, carol=carol)
        named.update(dave=dave, runners=runners)
        named.update(readers=readers, writers=writers, by_ally=by_ally, by_alice=by_alice)
        named.update(by_carol=by_carol, by_carol_2=by_carol_2)
        ids = {name: obj.id for name, obj in named.items()}
        await s.commit()
    return ids


async def merge(db: Database, survivor: int, absorbed: int, tz: str = "UTC") -> MergeReport:
    async with db.session() as s:
        report = await MergeService(s, SettableClock(NOW), tz).merge(survivor, absorbed)
        await s.commit()
    return report


async def rows(db: Database, sql: str, **params: object) -> list[tuple[Any, ...]]:
    async with db.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql), params)).all()]


async def test_everything_moves_and_duplicates_combine(database: Database) -> None:
    ids = await populate(database)
    alice, ally, carol, dave = ids["alice"], ids["ally"], ids["carol"], ids["dave"]
    report = await merge(database, alice, ally)

    assert report == MergeReport(
        survivor_id=alice,
        absorbed_id=ally,
        identities=1,
        habits=3,
        renamed=[RenamedHabit("read", "read (Telegram)")],
        checkins=4,
        reminders=1,
        groups=["Readers"],
        shared_groups=[SharedGroup("Runners", "owner"), SharedGroup("Writers", "owner")],
        groups_owned=1,
        proofs=1,
        learnings=1,
        chat_messages=1,
        likes=1,
        likes_combined=1,
        own_likes_dropped=2,
        recounted_messages=sorted([ids["by_ally"], ids["by_alice"], ids["by_carol"]]),
        trusts=2,
        trusts_combined=2,
        self_trusts_dropped=1,
        tools=1,
        timezone_taken="Europe/Berlin",
        profile_taken=["email", "lifebook"],
        reminders_replanned=1,  # Meditate's reminder, in the zone Alice took
    )
    runners, readers, writers = ids["runners"], ids["readers"], ids["writers"]
    by_ally, by_alice, by_carol, by_carol_2 = (
        ids[k] for k in ("by_ally", "by_alice", "by_carol", "by_carol_2")
    )
    # The absorbed user is gone, and nothing of theirs was left behind or cascaded away.
    expected: dict[str, list[tuple[Any, ...]]] = {
        "SELECT id FROM users": [(alice,), (carol,), (dave,)],
        "SELECT platform, external_id, user_id FROM identities": [
            ("discord", "99", alice),
            ("telegram", "42", alice),
            ("telegram", "7", carol),
            ("discord", "8", dave),
        ],
        "SELECT user_id, title, position, archived_at IS NULL FROM habits": [
            (alice, "Read", 1, True),
            (alice, "Run", 2, True),
            (alice, "read (Telegram)", 3, True),
            (alice, "Meditate", 4, True),
            (alice, "Run", 5, False),
        ],
        # Both "Read"s keep their check-in of the same day.
        "SELECT h.title, l.status FROM habit_logs l JOIN habits h ON h.id = l.habit_id "
        f"WHERE l.date = '{DAY}'": [
            ("Read", "done"),
            ("read (Telegram)", "skipped"),
            ("Meditate", "done"),
            ("Run", "done"),
        ],
        "SELECT count(*) FROM habit_logs": [(5,)],
        "SELECT count(*) FROM reminders": [(1,)],
        "SELECT group_id, user_id, role FROM group_members": [
            (runners, alice, "owner"),
            (readers, alice, "admin"),
            (readers, carol, "owner"),
            (writers, alice, "owner"),
        ],
        "SELECT name, owner_id FROM groups": [
            ("Readers", carol),
            ("Runners", alice),
            ("Writers", alice),
        ],
        "SELECT user_id FROM proofs": [(alice,)],
        "SELECT user_id, count(*) FROM messages GROUP BY user_id": [(alice, 3), (carol, 2)],
        "SELECT message_id, user_id FROM message_likes": [
            (by_carol, alice),
            (by_carol, dave),
            (by_carol_2, alice),
        ],
        # likes_count matches the rows again.
        "SELECT m.id, m.likes_count, (SELECT count(*) FROM message_likes l "
        "WHERE l.message_id = m.id) FROM messages m WHERE m.type = 'learning'": [
            (by_ally, 0, 0),
            (by_alice, 0, 0),
            (by_carol, 2, 2),
            (by_carol_2, 1, 1),
        ],
        "SELECT truster_id, trustee_id FROM trusts": [
            (alice, carol),
            (alice, dave),
            (carol, alice),
            (dave, alice),
        ],
        "SELECT title, author_id FROM tools": [
            ("Habit stacking", carol),
            ("Two-minute rule", alice),
        ],
        "SELECT user_id, timezone FROM user_settings": [
            (alice, "Europe/Berlin"),
            (carol, "UTC"),
            (dave, "UTC"),
        ],
        "SELECT count(*) FROM link_codes": [(0,)],  # Ally's code and wrong tries went with her
        "SELECT count(*) FROM link_attempts": [(0,)],
    }
    for sql, want in expected.items():
        assert sorted(await rows(database, sql)) == sorted(want), sql
    # Alice joined Runners today, Ally nine days ago: the earlier date stays.
    async with database.session() as s:
        since = await s.scalar(
            select(GroupMember.created_at).where(GroupMember.group_id == ids["runners"])
        )
    assert since == NOW - timedelta(days=9)
    async with database.session() as s:
        survivor = await s.get(User, alice)
        assert survivor is not None
        assert survivor.display_name == "Alice"
        assert survivor.email == "ally@example.com" and survivor.password_hash == "hash"
        book = upgrade(survivor.lifebook)  # the survivor's vision, the values it lacked
        assert (book.vision, book.values, book.goals) == ("Alice's", ("health",), ())


def test_free_title() -> None:
    assert free_title("Read", "Telegram", {"read"}) == "Read (Telegram)"
    assert free_title("Read", "Telegram", {"read", "read (telegram)"}) == "Read (Telegram 2)"
    assert free_title("a b" + " " * 90 + "c", "Discord", set()) == "a b (Discord)"


def test_the_merge_knows_every_column_that_points_at_a_user() -> None:
    """A new column pointing at users needs a decision: HANDLED (and code) or MOVED_AS_IS."""
    pointing = {
        f"{table.name}.{fk.parent.name}"
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "users"
    }
    assert set(HANDLED) <= pointing
    undecided = pointing - set(HANDLED) - MOVED_AS_IS
    assert not undecided, f"decide what merging users does with {sorted(undecided)}"
    assert {f"{t.name}.{c.name}" for t, c in other_user_columns(Base.metadata)} == (
        pointing - set(HANDLED)
    )


async def snapshot(db: Database) -> dict[str, list[str]]:
    """Every row of every table, to compare before and after."""
    out = {}
    async with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            found = (await conn.execute(table.select())).all()
            out[table.name] = sorted(repr(tuple(r)) for r in found)
    return out


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE habits",  # early
        "DELETE FROM message_likes",  # midway
        "UPDATE trusts",
        "DELETE FROM users",  # the very last statement
    ],
)
async def test_a_failure_mid_merge_leaves_both_users_intact(
    database: Database, statement: str
) -> None:
    ids = await populate(database)
    before = await snapshot(database)
    assert before["users"] and before["message_likes"]
    with database_fails_on(database, statement), pytest.raises(OperationalError):
        async with database.session() as s:
            await MergeService(s, SettableClock(NOW)).merge(ids["alice"], ids["ally"])
            await s.commit()
    assert await snapshot(database) == before
    # And the same merge goes through afterwards.
    assert (await merge(database, ids["alice"], ids["ally"])).habits == 3


async def test_the_merge_refuses_nonsense(database: Database) -> None:
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        service = MergeService(s, SettableClock(NOW))
        with pytest.raises(ValueError):
            await service.merge(alice.id, alice.id)
        with pytest.raises(Exception, match="no longer exists"):
            await service.merge(alice.id, alice.id + 100)


async def test_settings_of_the_survivor_are_reloaded(database: Database) -> None:
    """After a merge in a session, the survivor read from that session shows the new state."""
    async with database.session() as s:
        alice = await person(s, "discord", "99", "Alice")
        ally = await person(s, "telegram", "42", "Ally")
        ally.settings.timezone = "Asia/Tokyo"
        await s.flush()
        alice_id, ally_id = alice.id, ally.id
        await MergeService(s, SettableClock(NOW)).merge(alice_id, ally_id)
        fresh = await s.get(User, alice_id)
        assert fresh is alice  # the same object, reloaded
        assert fresh.settings.timezone == "Asia/Tokyo"
        assert await s.get(UserSettings, ally_id) is None
        assert [i.platform for i in await s.scalars(select(Identity).order_by(Identity.id))] == [
            "discord",
            "telegram",
        ]
        await s.commit()
