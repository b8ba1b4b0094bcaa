"""Learnings, likes and trust at the service level, on SQLite and PostgreSQL.

Covers the privacy rule (nothing of a private group reaches non-members), likes under concurrent
presses, who may delete, and the weekly summary's trusted insights.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Request
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Message, MessageLike
from core.errors import Forbidden, InvalidInput, NotFound
from core.groups.places import Place
from core.groups.service import ChatRef, GroupService
from core.social.learnings import FeedMode, LearningService
from core.social.trust import Insight, TrustService, trusted_insights
from core.users.service import Contact, UserService

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
PLATFORM = "console"


async def make_user(db: Database, clock: SettableClock, name: str) -> int:
    async with db.session() as session:
        contact = Contact(PLATFORM, name.lower(), name, name.lower())
        user, _ = await UserService(session, clock).identify(contact)
        await session.commit()
        return user.id


async def make_group(
    db: Database, clock: SettableClock, owner: str, name: str, *, public: bool, members: list[str]
) -> int:
    async with db.session() as session:
        users = UserService(session, clock)
        groups = GroupService(session, clock)
        owner_user = await users.find(PLATFORM, external_id=owner.lower())
        assert owner_user is not None
        group = await groups.create(
            owner_user, ChatRef(PLATFORM, f"group:{name.lower()}", name), name, public=public
        )
        for member in members:
            user = await users.find(PLATFORM, external_id=member.lower())
            assert user is not None
            await groups.join(group, user, code=group.invite_code)
        await session.commit()
        return group.id


async def post(db: Database, clock: SettableClock, group_id: int, user_id: int, text: str) -> int:
    async with db.session() as session:
        learning = await LearningService(session, clock).post(group_id, user_id, text)
        await session.commit()
        return learning.id


async def like(db: Database, clock: SettableClock, message_id: int, user_id: int) -> bool:
    async with db.session() as session:
        result = await LearningService(session, clock).toggle_like(message_id, user_id)
        await session.commit()
        return result.liked


async def likes_in_db(db: Database, message_id: int) -> tuple[int, int]:
    """(messages.likes_count, rows in message_likes) for one learning."""
    async with db.session() as session:
        count = await session.scalar(select(Message.likes_count).where(Message.id == message_id))
        rows = await session.scalar(
            select(func.count())
            .select_from(MessageLike)
            .where(MessageLike.message_id == message_id)
        )
        return int(count or 0), int(rows or 0)


@pytest.fixture
async def people(database: Database, clock: SettableClock) -> dict[str, int]:
    """Alice and Bob run the public Runners and the private Secret Society; Carol is in none."""
    ids = {name: await make_user(database, clock, name) for name in ("Alice", "Bob", "Carol")}
    ids["runners"] = await make_group(
        database, clock, "Alice", "Runners", public=True, members=["Bob"]
    )
    ids["secret"] = await make_group(
        database, clock, "Alice", "Secret Society", public=False, members=["Bob"]
    )
    return ids


# --- posting and reading ---------------------------------------------------------------------
async def test_only_members_post_and_text_is_required(
    database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    with pytest.raises(Forbidden, match="Only members of Runners can share learnings"):
        await post(database, clock, people["runners"], people["Carol"], "Sneaky")
    with pytest.raises(InvalidInput, match="What did you learn"):
        await post(database, clock, people["runners"], people["Bob"], "   ")
    with pytest.raises(InvalidInput, match="under 1000 characters"):
        await post(database, clock, people["runners"], people["Bob"], "x" * 1001)
    message_id = await post(database, clock, people["runners"], people["Bob"], "  Stretch first ")
    async with database.session() as session:
        learning = await LearningService(session, clock).get(message_id, people["Carol"])
    assert (learning.author_name, learning.group_name, learning.content, learning.likes) == (
        "Bob",
        "Runners",
        "Stretch first",
        0,
    )


async def test_private_learnings_never_reach_non_members(
    database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    public_id = await post(database, clock, people["runners"], people["Bob"], "Public tip")
    secret_id = await post(database, clock, people["secret"], people["Bob"], "Secret tip")
    async with database.session() as session:
        service = LearningService(session, clock)
        # The feed shows public groups only, even to members of the private one.
        for viewer in ("Alice", "Carol"):
            page = await service.feed(people[viewer], FeedMode.NEWEST)
            assert [item.content for item in page.items] == ["Public tip"]
        with pytest.raises(Forbidden, match="Secret Society is private: only its members can see"):
            await service.recent(people["secret"], people["Carol"])
        assert [x.content for x in await service.recent(people["secret"], people["Alice"])] == [
            "Secret tip"
        ]
        with pytest.raises(NotFound, match="isn't available to you"):
            await service.get(secret_id, people["Carol"])
        assert (await service.get(public_id, people["Carol"])).content == "Public tip"
    # A crafted Like or Delete payload for the private learning is refused, and changes nothing.
    with pytest.raises(NotFound, match="isn't available to you"):
        await like(database, clock, secret_id, people["Carol"])
    async with database.session() as session:
        with pytest.raises(Forbidden, match=r"^Only its author can delete that learning\.$"):
            await LearningService(session, clock).delete(secret_id, people["Carol"])
    assert await likes_in_db(database, secret_id) == (0, 0)
    assert await like(database, clock, secret_id, people["Alice"]) is True  # members may
    assert await likes_in_db(database, secret_id) == (1, 1)


# --- likes -----------------------------------------------------------------------------------
async def test_a_like_toggles_and_your_own_cannot_be_liked(
    database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    message_id = await post(database, clock, people["runners"], people["Bob"], "Tip")
    with pytest.raises(InvalidInput, match="your own learning"):
        await like(database, clock, message_id, people["Bob"])
    assert await like(database, clock, message_id, people["Carol"]) is True
    assert await like(database, clock, message_id, people["Alice"]) is True
    assert await likes_in_db(database, message_id) == (2, 2)
    assert await like(database, clock, message_id, people["Carol"]) is False  # taken back
    assert await likes_in_db(database, message_id) == (1, 1)
    async with database.session() as session:
        mine = await LearningService(session, clock).get(message_id, people["Alice"])
        theirs = await LearningService(session, clock).get(message_id, people["Carol"])
    assert (mine.likes, mine.liked, theirs.liked) == (1, True, False)


def press(name: str, chat: Chat, payload: str) -> Request:
    return Request(
        sender=Person(PLATFORM, name.lower(), name, name.lower()), chat=chat, button=payload
    )


RUNNERS_CHAT = Chat(PLATFORM, "group:runners", ChatKind.GROUP, "Runners")


async def test_twenty_concurrent_likes_all_count(
    bot: HabitLinkBot, database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    message_id = await post(database, clock, people["runners"], people["Alice"], "Sleep early")
    fans = [f"Fan{i:02d}" for i in range(20)]
    for fan in fans:
        await make_user(database, clock, fan)
    responses = await asyncio.gather(
        *(bot.handle(press(fan, RUNNERS_CHAT, f"lk:{message_id}")) for fan in fans)
    )
    assert all(r.notice == "👍 You like Alice's learning." for r in responses), responses
    assert await likes_in_db(database, message_id) == (20, 20)
    # Every edited card showed a count between 1 and 20, and some press saw all 20.
    counts = {r.replies[0].text.plain().rsplit("\n", 1)[1] for r in responses}
    assert "👍 20 likes" in counts


async def test_concurrent_double_presses_by_one_person_stay_consistent(
    bot: HabitLinkBot, database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    message_id = await post(database, clock, people["runners"], people["Alice"], "Hydrate")
    fans = [f"Twin{i}" for i in range(6)]
    for fan in fans:
        await make_user(database, clock, fan)
    presses = [press(fan, RUNNERS_CHAT, f"lk:{message_id}") for fan in fans for _ in range(2)]
    presses += [press("Carol", RUNNERS_CHAT, f"lk:{message_id}")] * 3
    responses = await asyncio.gather(*(bot.handle(p) for p in presses))
    assert all(r.notice is not None and "like" in r.notice for r in responses), responses
    count, rows = await likes_in_db(database, message_id)
    assert count == rows
    async with database.session() as session:
        per_user = (
            await session.execute(
                select(MessageLike.user_id, func.count())
                .where(MessageLike.message_id == message_id)
                .group_by(MessageLike.user_id)
            )
        ).all()
    assert all(n == 1 for _, n in per_user)
    # Two presses by the same person cancel out; three leave one like (Carol).
    assert [uid for uid, _ in per_user] == [people["Carol"]]


# --- deleting --------------------------------------------------------------------------------
async def test_only_authors_delete_and_their_likes_go_too(
    database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    first = await post(database, clock, people["runners"], people["Alice"], "First")
    clock.advance(timedelta(minutes=1))
    second = await post(database, clock, people["runners"], people["Bob"], "Second")
    await like(database, clock, first, people["Bob"])
    async with database.session() as session:
        service = LearningService(session, clock)
        with pytest.raises(Forbidden, match="Only Alice can delete this learning"):
            await service.delete(first, people["Bob"])
        with pytest.raises(Forbidden, match="Learning 2 is Alice's; only its author"):
            await service.delete_nth(people["runners"], people["Bob"], 2)
        with pytest.raises(NotFound, match="There is no learning 3: see the numbers in /learnings"):
            await service.delete_nth(people["runners"], people["Bob"], 3)
        gone = await service.delete_nth(people["runners"], people["Bob"], 1)
        assert (gone.id, gone.content) == (second, "Second")
        assert (await service.delete(first, people["Alice"])).content == "First"
        await session.commit()
    assert await likes_in_db(database, first) == (0, 0)
    async with database.session() as session:
        assert await LearningService(session, clock).recent(people["runners"], people["Bob"]) == []
        with pytest.raises(NotFound, match="already gone"):
            await LearningService(session, clock).delete(first, people["Alice"])


# --- the feed --------------------------------------------------------------------------------
async def test_feed_pages_newest_and_top(
    database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    ids = []
    for i in range(12):
        ids.append(await post(database, clock, people["runners"], people["Bob"], f"Tip {i:02d}"))
        clock.advance(timedelta(minutes=1))
    await like(database, clock, ids[3], people["Alice"])
    await like(database, clock, ids[3], people["Carol"])
    await like(database, clock, ids[7], people["Carol"])
    async with database.session() as session:
        service = LearningService(session, clock)
        pages = [await service.feed(people["Carol"], FeedMode.NEWEST, n) for n in (1, 2, 3)]
        assert [[x.content[-2:] for x in p.items] for p in pages] == [
            ["11", "10", "09", "08", "07"],
            ["06", "05", "04", "03", "02"],
            ["01", "00"],
        ]
        assert [(p.has_previous, p.has_next) for p in pages] == [
            (False, True),
            (True, True),
            (True, False),
        ]
        top = await service.feed(people["Carol"], FeedMode.TOP)
        assert [(x.content, x.likes, x.liked) for x in top.items[:3]] == [
            ("Tip 03", 2, True),
            ("Tip 07", 1, True),
            ("Tip 11", 0, False),
        ]


# --- trust and insights ----------------------------------------------------------------------
async def test_trust_rules_and_overview(
    database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    async with database.session() as session:
        trust = TrustService(session, clock)
        with pytest.raises(InvalidInput, match="can't trust yourself"):
            await trust.trust(people["Alice"], people["Alice"])
        assert await trust.trust(people["Alice"], people["Bob"]) is True
        assert await trust.trust(people["Alice"], people["Bob"]) is False  # already
        assert await trust.trust(people["Alice"], people["Carol"]) is True
        assert await trust.trust(people["Carol"], people["Alice"]) is True
        view = await trust.overview(people["Alice"])
        assert [p.name for p in view.trusted] == ["Bob", "Carol"]
        assert [p.name for p in view.trusted_by] == ["Carol"]
        assert await trust.untrust(people["Alice"], people["Bob"]) is True
        assert await trust.untrust(people["Alice"], people["Bob"]) is False
        assert [p.name for p in (await trust.overview(people["Alice"])).trusted] == ["Carol"]
        await session.commit()


async def test_trusted_insights_most_liked_first_and_private_only_for_members(
    database: Database, clock: SettableClock, people: dict[str, int]
) -> None:
    dave = await make_user(database, clock, "Dave")
    week_start = NOW
    clock.set(week_start - timedelta(hours=1))
    await post(database, clock, people["runners"], people["Bob"], "Last week")
    clock.set(week_start + timedelta(hours=1))
    quiet = await post(database, clock, people["runners"], people["Bob"], "Quiet one")
    clock.advance(timedelta(hours=1))
    loved = await post(database, clock, people["runners"], people["Bob"], "Loved one")
    secret = await post(database, clock, people["secret"], people["Bob"], "Secret one")
    await post(database, clock, people["runners"], people["Alice"], "Alice's own")
    for fan in (people["Carol"], dave):
        await like(database, clock, loved, fan)
    await like(database, clock, secret, people["Alice"])
    async with database.session() as session:
        trust = TrustService(session, clock)
        for truster in ("Alice", "Carol"):
            await trust.trust(people[truster], people["Bob"])
        await session.commit()
    until = week_start + timedelta(days=7)
    async with database.session() as session:
        before = database.statements
        alice = await trusted_insights(session, people["Alice"], week_start, until)
        assert database.statements - before == 1  # one query
        carol = await trusted_insights(session, people["Carol"], week_start, until)
        nobody = await trusted_insights(session, dave, week_start, until)
        top_one = await trusted_insights(session, people["Alice"], week_start, until, limit=1)
    assert [(i.content, i.likes) for i in alice] == [
        ("Loved one", 2),
        ("Secret one", 1),  # Alice is in the private group
        ("Quiet one", 0),
    ]
    assert [i.content for i in carol] == ["Loved one", "Quiet one"]  # never the private one
    assert nobody == []
    assert top_one == [
        Insight(
            loved,
            "Bob",
            "Runners",
            "Loved one",
            2,
            week_start + timedelta(hours=2),
            Place(PLATFORM, "Runners"),  # where its chat is (core.groups.places)
        )
    ]
    assert quiet in {i.message_id for i in alice}
