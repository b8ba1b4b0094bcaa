"""Record a member's proof photo, and read a group's week of proofs.

Every read skips hidden proofs and those of banned people (core.visibility). A proof is one photo,
or the photos of one album (sent together): each photo has its row, and counts (`posts`) take an
album once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from core.clock import Clock
from core.db.models import Group, GroupMember, Habit, Proof, User
from core.groups.places import Place, place_columns
from core.habits.history import week_start
from core.media.discard import deleted_since
from core.media.keylock import hold_keys
from core.media.limits import NormalisedImage
from core.media.storage import MediaStore
from core.summary.week import group_date
from core.visibility import proof_shown

NOTE_MAX = 500


@dataclass(frozen=True)
class ProofThumb:
    user_id: int
    thumb_key: str


@dataclass(frozen=True)
class Posted:
    proof: Proof
    joined: bool  # a later photo of an album whose proof was saved already


@dataclass(frozen=True)
class GroupProofs:
    """Someone's proofs of a week in one group."""

    group_name: str
    proofs: int
    place: Place


def posts() -> ColumnElement[int]:
    """Proofs counted: the photos of one album once, every other photo once."""
    return func.count(func.distinct(func.coalesce(Proof.album, cast(Proof.id, String))))


class ProofService:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        media: MediaStore,
        stored: set[str] | None = None,
    ) -> None:
        self.session = session
        self.clock = clock
        self.media = media
        # Keys of files stored for proofs not committed yet: the unit of work deletes those no
        # proof uses should it end without committing (core.uow).
        self.stored: set[str] = stored if stored is not None else set()

    async def post(
        self,
        *,
        group: Group,
        user: User,
        image: NormalisedImage,
        day: date,
        habit: Habit | None = None,
        note: str | None = None,
        album: str | None = None,
    ) -> Posted:
        """A photo posted as proof, on its own or as one of an album (several photos sent at
        once, sharing the key `album`). An album is one proof: its first photo saved makes it,
        and the others join it (their rows share the key and its day, and its habit unless they
        name their own), so it counts once, while every photo is kept and shown.

        `day` is the poster's own (their check-in's); the proof counts in the group's week of
        the moment it is posted (core.summary.week.group_date), the week its board and weekly
        summary show, the same for every member wherever they are."""
        lead = await self.album_proof(group, user, album) if album is not None else None
        week = week_start(group_date(group.timezone, self.clock.now()))
        if lead is not None:
            day, week = lead.day, lead.week_start
        habit_id = habit.id if habit is not None else lead.habit_id if lead is not None else None
        proof = await self._save(group, user, image, (day, week), habit_id, note, album)
        return Posted(proof, joined=lead is not None)

    async def album_proof(self, group: Group, user: User, album: str) -> Proof | None:
        """The first saved photo of this person's album in this group (None: none saved yet)."""
        return await self.session.scalar(
            select(Proof)
            .where(Proof.group_id == group.id, Proof.user_id == user.id, Proof.album == album)
            .order_by(Proof.id)
            .limit(1)
        )

    async def _save(
        self,
        group: Group,
        user: User,
        image: NormalisedImage,
        when: tuple[date, date],
        habit_id: int | None,
        note: str | None,
        album: str | None,
    ) -> Proof:
        """Store the image (content-addressed, so a retry stores nothing twice), then the row.

        The files are stored before the transaction takes their keys' lock (on SQLite, its one
        write lock), so nobody else waits for the store. A deleter (core.media.discard.settle)
        may have removed them in between, when no proof used the same photo: under the lock,
        which it holds from its check through its deletion, its note of the deletion shows, and
        the files are stored again, then held until the commit (core.media.keylock)."""
        day, week = when  # the poster's day, and the group's week it counts in
        keys = [image.key, image.thumb_key]
        started = self.clock.now()
        self.stored.update(keys)
        await self._store(image)
        await hold_keys(self.session, keys, exclusive=False)
        if await deleted_since(self.session, keys, started, self.clock.now()):
            await self._store(image)
        proof = Proof(
            group_id=group.id,
            user_id=user.id,
            habit_id=habit_id,
            day=day,
            week_start=week,
            image_key=image.key,
            thumb_key=image.thumb_key,
            note=(note or "").strip()[:NOTE_MAX] or None,
            album=album,
            created_at=self.clock.now(),
        )
        self.session.add(proof)
        await self.session.flush()
        return proof

    async def _store(self, image: NormalisedImage) -> None:
        """Both files at once; a failure is raised once both calls are over, so none is still
        storing a file when the unit of work deletes what it stored."""
        outcomes = await asyncio.gather(
            self.media.put(image.key, image.image, image.content_type),
            self.media.put(image.thumb_key, image.thumbnail, image.content_type),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def count_week(self, group: Group, user: User, week: date) -> int:
        stmt = (
            select(posts())
            .select_from(Proof)
            .where(
                Proof.group_id == group.id,
                Proof.user_id == user.id,
                Proof.week_start == week,
                proof_shown(),
            )
        )
        return int(await self.session.scalar(stmt) or 0)

    async def week_counts(self, group_id: int, week: date) -> Counter[int]:
        """Proofs per member of a group in one week: user id -> count (one query)."""
        stmt = (
            select(Proof.user_id, posts())
            .where(Proof.group_id == group_id, Proof.week_start == week, proof_shown())
            .group_by(Proof.user_id)
        )
        return Counter({uid: int(n) for uid, n in (await self.session.execute(stmt)).all()})

    async def week_thumbs(self, group_id: int, week: date, limit: int = 36) -> list[ProofThumb]:
        """The collage's proofs: those of the group's members, as the board counts them (a
        member who left, was kicked or banned takes their photos off it)."""
        stmt = (
            select(Proof.user_id, Proof.thumb_key)
            .join(
                GroupMember,
                (GroupMember.group_id == Proof.group_id) & (GroupMember.user_id == Proof.user_id),
            )
            .where(Proof.group_id == group_id, Proof.week_start == week, proof_shown())
            .order_by(Proof.created_at, Proof.id)
            .limit(limit)
        )
        return [ProofThumb(uid, key) for uid, key in (await self.session.execute(stmt)).all()]

    async def week(self, group_id: int, week: date) -> list[tuple[Proof, str]]:
        """A group's proofs of one week with their authors' names, oldest first (one query):
        its members' only, as the board and its collage show them."""
        stmt = (
            select(Proof, User.display_name)
            .join(User, User.id == Proof.user_id)
            .join(
                GroupMember,
                (GroupMember.group_id == Proof.group_id) & (GroupMember.user_id == Proof.user_id),
            )
            .where(Proof.group_id == group_id, Proof.week_start == week, proof_shown())
            .order_by(Proof.created_at, Proof.id)
        )
        return [(proof, name) for proof, name in (await self.session.execute(stmt)).all()]

    async def user_week_counts(self, user: User, week: date) -> list[GroupProofs]:
        """The user's proofs of their week starting `week` per group (for their summary), by
        their own days, as their check-ins, with where each group's chat is (two groups may
        share a name): one statement."""
        days = Proof.day.between(week, week + timedelta(days=6))
        stmt = (
            select(Group.name, posts(), *place_columns())
            .join(Proof, Proof.group_id == Group.id)
            .where(Proof.user_id == user.id, days, proof_shown())
            .group_by(Group.id, Group.name)
            .order_by(Group.name, Group.id)
        )
        rows = (await self.session.execute(stmt)).all()
        return [GroupProofs(name, int(n), Place(p, t)) for name, n, p, t in rows]
