"""Learnings members share in their groups: post, list, the public feed, likes, deletion.

Moderation: hidden learnings and those of banned people are read nowhere (core.visibility).

Privacy: a learning of a private group is visible only to that group's members, everywhere
(lists, the feed, likes, insights); `visible_to` applies core.groups.privacy's rule to them.
Likes: one per person (a unique constraint). A like or unlike locks the learning's row, then
recounts its likes, so concurrent presses neither lose nor double a like.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Insert, Row, Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.dialects import dialect_insert
from core.db.models import Group, GroupMember, Message, MessageKind, MessageLike, User
from core.errors import Code, Forbidden, InvalidInput, NotFound
from core.groups.privacy import learning_readable_by, members_only, readable_by
from core.users.locks import lock_user
from core.visibility import learning_shown

CONTENT_MAX = 1000
MAX_PER_DAY = 20  # learnings one person may share in 24 hours
RECENT_LIMIT = 10
FEED_PAGE_SIZE = 5
UNAVAILABLE = "That learning isn't available to you (it may have been deleted)."
NOT_YOURS = "Only its author can delete that learning."


class FeedMode(StrEnum):
    NEWEST = "new"
    TOP = "top"  # most liked first


@dataclass(frozen=True)
class Learning:
    id: int
    group_id: int
    group_name: str
    author_id: int
    author_name: str
    content: str
    likes: int
    created_at: datetime
    liked: bool = False  # by the person looking at it


@dataclass(frozen=True)
class FeedPage:
    mode: FeedMode
    page: int
    items: tuple[Learning, ...]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class LikeResult:
    learning: Learning  # with the new count
    liked: bool  # True: the press added a like; False: it took one back


def clean_content(text: str) -> str:
    content = text.strip()
    if not content:
        raise InvalidInput(
            "What did you learn? Send it along, for example "
            "/learn Laying out my shoes the night before gets me running.",
            code=Code.LEARNING_EMPTY,
        )
    if len(content) > CONTENT_MAX:
        raise InvalidInput(f"That's a long one: keep a learning under {CONTENT_MAX} characters.")
    return content


def visible_to(viewer_id: int) -> ColumnElement[bool]:
    """SQL, in a query joining the message's group: the viewer may read that learning (its
    group's rule, and one shared while the group was private stays its members')."""
    return learning_readable_by(viewer_id)


def insert_or_ignore(session: AsyncSession, model: type[Any], **values: object) -> Insert:
    """An INSERT that does nothing when it would break a unique constraint (no IntegrityError,
    no savepoint: a concurrent duplicate simply inserts no row)."""
    stmt: Insert = dialect_insert(session)(model).values(**values).on_conflict_do_nothing()
    return stmt


LearningSelect = Select[int, int, str, int, str, str, int, datetime, bool]
LearningRow = Row[int, int, str, int, str, str, int, datetime, bool]


def _learnings(viewer_id: int) -> LearningSelect:
    liked = (
        select(MessageLike.id)
        .where(MessageLike.message_id == Message.id, MessageLike.user_id == viewer_id)
        .exists()
    )
    return (
        select(
            Message.id,
            Message.group_id,
            Group.name,
            Message.user_id,
            User.display_name,
            Message.content,
            Message.likes_count,
            Message.created_at,
            liked,
        )
        .join(Group, Group.id == Message.group_id)
        .join(User, User.id == Message.user_id)
        .where(Message.type == MessageKind.LEARNING.value, learning_shown())
    )


def _learning(row: LearningRow) -> Learning:
    return Learning(*row)


NEWEST_FIRST = (Message.created_at.desc(), Message.id.desc())
MOST_LIKED_FIRST = (Message.likes_count.desc(), *NEWEST_FIRST)


class LearningService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    # --- sharing and reading -------------------------------------------------------------
    async def post(self, group_id: int, author_id: int, text: str) -> Learning:
        """A member shares a learning in their group."""
        content = clean_content(text)
        author_name = select(User.display_name).where(User.id == author_id).scalar_subquery()
        role = (
            select(GroupMember.role)
            .where(GroupMember.group_id == Group.id, GroupMember.user_id == author_id)
            .scalar_subquery()
        )
        found = (
            await self.session.execute(
                select(Group.name, role, author_name, Group.is_public).where(Group.id == group_id)
            )
        ).first()
        if found is None:
            raise NotFound("That group no longer exists.")
        group_name, member_role, name, public = found
        if member_role is None:
            raise Forbidden(
                f"Only members of {group_name} can share learnings. Send /join first.",
                code=Code.MEMBERS_ONLY,
                facts={"group": group_name, "group_id": group_id},
            )
        await lock_user(self.session, author_id)  # counted under the person's row lock
        now = self.clock.now()
        shared = await self.session.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.user_id == author_id,
                Message.type == MessageKind.LEARNING.value,
                Message.created_at > now - timedelta(days=1),
            )
        )
        if (shared or 0) >= MAX_PER_DAY:
            raise InvalidInput(
                f"That makes more than {MAX_PER_DAY} learnings in a day. Keep this one for "
                "tomorrow: the best ones are worth the wait."
            )
        again = await self.session.scalar(
            select(Message.id)
            .where(
                Message.group_id == group_id,
                Message.user_id == author_id,
                Message.type == MessageKind.LEARNING.value,
                Message.content == content,
            )
            .limit(1)
        )
        if again is not None:  # a double send; under the author's lock, so never two at once
            raise InvalidInput(
                f"You already shared that in {group_name} (/learnings).",
                code=Code.LEARNING_TWICE,
                facts={"group": group_name, "group_id": group_id},
            )
        message = Message(
            group_id=group_id,
            user_id=author_id,
            content=content,
            type=MessageKind.LEARNING.value,
            likes_count=0,
            created_at=now,
            members_only=not public,  # shared in private: stays so (core.groups.privacy)
        )
        self.session.add(message)
        await self.session.flush()
        return Learning(
            message.id, group_id, group_name, author_id, name, content, 0, message.created_at
        )

    async def recent(
        self, group_id: int, viewer_id: int, limit: int = RECENT_LIMIT, offset: int = 0
    ) -> list[Learning]:
        """The group's newest learnings, from the `offset`-th newest on; a private group shows
        them to its members only."""
        found = (
            await self.session.execute(
                select(Group.name, readable_by(viewer_id)).where(Group.id == group_id)
            )
        ).first()
        if found is None:
            raise NotFound("That group no longer exists.")
        name, readable = found
        if not readable:
            raise members_only(name, group_id)
        stmt = (
            _learnings(viewer_id)
            .where(Message.group_id == group_id, visible_to(viewer_id))
            .order_by(*NEWEST_FIRST)
            .limit(limit)
            .offset(offset)
        )
        return [_learning(row) for row in (await self.session.execute(stmt)).all()]

    async def shared_between(self, group_id: int, since: datetime, until: datetime) -> bool:
        """Whether a learning (one still shown) was shared in the group in [since, until)."""
        found = await self.session.scalar(
            select(Message.id)
            .where(
                Message.group_id == group_id,
                Message.type == MessageKind.LEARNING.value,
                Message.created_at >= since,
                Message.created_at < until,
                learning_shown(),
            )
            .limit(1)
        )
        return found is not None

    async def feed(
        self, viewer_id: int, mode: FeedMode, page: int = 1, per_page: int = FEED_PAGE_SIZE
    ) -> FeedPage:
        """Learnings of public groups only (never private ones, even for their members)."""
        page = max(page, 1)
        order = NEWEST_FIRST if mode is FeedMode.NEWEST else MOST_LIKED_FIRST
        stmt = (
            _learnings(viewer_id)
            .where(Group.is_public.is_(True), Message.members_only.is_(False))
            .order_by(*order)
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        )
        rows = (await self.session.execute(stmt)).all()
        items = tuple(_learning(row) for row in rows[:per_page])
        return FeedPage(mode, page, items, has_next=len(rows) > per_page)

    async def get(self, message_id: int, viewer_id: int) -> Learning:
        stmt = _learnings(viewer_id).where(Message.id == message_id, visible_to(viewer_id))
        row = (await self.session.execute(stmt)).first()
        if row is None:
            raise NotFound(UNAVAILABLE)
        return _learning(row)

    # --- likes ---------------------------------------------------------------------------
    async def toggle_like(self, message_id: int, user_id: int) -> LikeResult:
        """Like a learning, or take the like back when there is one. Not your own."""
        stmt = (
            _learnings(user_id)
            .where(Message.id == message_id, visible_to(user_id))
            .with_for_update(of=Message)  # presses on one learning take turns (PostgreSQL)
        )
        row = (await self.session.execute(stmt)).first()
        if row is None:
            raise NotFound(UNAVAILABLE)
        learning = _learning(row)
        if learning.author_id == user_id:
            raise InvalidInput("That's your own learning, so you can't like it. Others can!")
        added = await self.session.scalar(
            insert_or_ignore(
                self.session,
                MessageLike,
                message_id=message_id,
                user_id=user_id,
                created_at=self.clock.now(),
            ).returning(MessageLike.id)
        )
        if added is None:  # it was liked already: the press takes the like back
            await self.session.execute(
                delete(MessageLike)
                .where(MessageLike.message_id == message_id, MessageLike.user_id == user_id)
                .execution_options(synchronize_session=False)
            )
        likes = await self._recount(message_id)
        liked = added is not None
        return LikeResult(replace(learning, likes=likes, liked=liked), liked)

    async def _recount(self, message_id: int) -> int:
        count = (
            select(func.count())
            .select_from(MessageLike)
            .where(MessageLike.message_id == message_id)
            .scalar_subquery()
        )
        stmt = (
            update(Message)
            .where(Message.id == message_id)
            .values(likes_count=count)
            .returning(Message.likes_count)
            .execution_options(synchronize_session=False)
        )
        return int((await self.session.execute(stmt)).scalar_one())

    # --- deleting ------------------------------------------------------------------------
    async def delete(self, message_id: int, user_id: int) -> Learning:
        """Authors delete their own learnings; nobody else can."""
        stmt = _learnings(user_id).where(
            Message.id == message_id, or_(visible_to(user_id), Message.user_id == user_id)
        )
        row = (await self.session.execute(stmt)).first()
        if row is None:
            if await self._exists(message_id):  # there, but in a group this person can't read
                raise Forbidden(NOT_YOURS)  # truthful, and names neither author nor content
            raise NotFound("That learning is already gone.")
        learning = _learning(row)
        if learning.author_id != user_id:
            raise Forbidden(f"Only {learning.author_name} can delete this learning.")
        await self._delete(learning)
        return learning

    async def _exists(self, message_id: int) -> bool:
        stmt = select(Message.id).where(
            Message.id == message_id,
            Message.type == MessageKind.LEARNING.value,
            learning_shown(),
        )
        return (await self.session.execute(stmt)).first() is not None

    async def delete_nth(self, group_id: int, user_id: int, number: int) -> Learning:
        """Delete learning `number` of the group's list, newest first (the numbers /learnings
        shows on every page), when it is the user's own."""
        found = await self.recent(group_id, user_id, limit=1, offset=number - 1)
        if not found:
            raise NotFound(
                f"There is no learning {number}: see the numbers in /learnings."
                if number > 1 and await self.recent(group_id, user_id, limit=1)
                else "There are no learnings here yet."
            )
        learning = found[0]
        if learning.author_id != user_id:
            raise Forbidden(
                f"Learning {number} is {learning.author_name}'s; only its author can delete it."
            )
        await self._delete(learning)
        return learning

    async def _delete(self, learning: Learning) -> None:
        await self.session.execute(
            delete(Message)
            .where(Message.id == learning.id, Message.user_id == learning.author_id)
            .execution_options(synchronize_session=False)
        )
