"""Hiding and unhiding learnings and proofs, and deleting a proof's image from storage.

Hidden things vanish at once from everything that reads them (the feed, a group's /learnings,
insights, likes, boards, collages, summaries and the web API): every such query filters on
`hidden_at IS NULL` (see core.social.learnings and core.proofs.service). Nothing is deleted, so
unhiding brings a thing back as it was.

Deleting a proof's image: proof images are content-addressed, so the same photo posted twice is
one file. The files (image and thumbnail) are removed from the store only when no other proof
whose image is still kept refers to them; the proof row stays, marked `image_deleted_at` and
hidden for good (it can no longer be unhidden). The files go after the unit of work commits
(core.media.discard, like an erased account's), so a failed commit leaves them in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.admin.audit import AuditLog
from core.admin.guard import require_admin
from core.clock import Clock
from core.db.models import Group, Message, MessageKind, Proof, User
from core.errors import InvalidInput, NotFound
from core.media.discard import still_used
from core.media.storage import MediaStore

NO_LEARNING = "There is no such learning."
NO_PROOF = "There is no such proof."
PAGE_SIZE = 50
_Row = TypeVarTuple("_Row")


@dataclass(frozen=True)
class LearningRow:
    id: int
    group_id: int
    group_name: str
    author_id: int
    author_name: str
    content: str
    likes: int
    created_at: datetime
    hidden_at: datetime | None


@dataclass(frozen=True)
class ProofRow:
    id: int
    group_id: int
    group_name: str
    author_id: int
    author_name: str
    day: date
    note: str | None
    image_key: str
    thumb_key: str
    created_at: datetime
    hidden_at: datetime | None
    image_deleted_at: datetime | None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class Moderation:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        audit: AuditLog,
        media: MediaStore | None,
        discarded: set[str],
    ) -> None:
        self.session = session
        self.clock = clock
        self.audit = audit
        self.media = media
        self.discarded = discarded  # the unit of work's: files removed after its commit

    # --- lists for the admin (hidden ones included, marked) ----------------------------------
    async def learnings(
        self,
        actor_id: int,
        *,
        group_id: int | None = None,
        author_id: int | None = None,
        hidden: bool | None = None,
        before_id: int | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[LearningRow]:
        """Learnings newest first, hidden ones too (unless `hidden` says which)."""
        await require_admin(self.session, actor_id)
        stmt = (
            select(
                Message.id,
                Message.group_id,
                Group.name,
                Message.user_id,
                User.display_name,
                Message.content,
                Message.likes_count,
                Message.created_at,
                Message.hidden_at,
            )
            .join(Group, Group.id == Message.group_id)
            .join(User, User.id == Message.user_id)
            .where(Message.type == MessageKind.LEARNING.value)
        )
        stmt = _page(stmt, Message, group_id, author_id, hidden, before_id, limit)
        return [LearningRow(*row) for row in (await self.session.execute(stmt)).all()]

    async def proofs(
        self,
        actor_id: int,
        *,
        group_id: int | None = None,
        author_id: int | None = None,
        hidden: bool | None = None,
        before_id: int | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[ProofRow]:
        """Proofs newest first, hidden and image-deleted ones too (unless `hidden` says)."""
        await require_admin(self.session, actor_id)
        stmt = (
            select(
                Proof.id,
                Proof.group_id,
                Group.name,
                Proof.user_id,
                User.display_name,
                Proof.day,
                Proof.note,
                Proof.image_key,
                Proof.thumb_key,
                Proof.created_at,
                Proof.hidden_at,
                Proof.image_deleted_at,
            )
            .join(Group, Group.id == Proof.group_id)
            .join(User, User.id == Proof.user_id)
        )
        stmt = _page(stmt, Proof, group_id, author_id, hidden, before_id, limit)
        return [ProofRow(*list(row)) for row in (await self.session.execute(stmt)).all()]

    # --- learnings ---------------------------------------------------------------------------
    async def hide_learning(self, actor_id: int, learning_id: int) -> bool:
        """False when it was hidden already."""
        return await self._set_learning(actor_id, learning_id, hide=True)

    async def unhide_learning(self, actor_id: int, learning_id: int) -> bool:
        """False when it was not hidden."""
        return await self._set_learning(actor_id, learning_id, hide=False)

    async def _set_learning(self, actor_id: int, learning_id: int, *, hide: bool) -> bool:
        actor = await require_admin(self.session, actor_id)
        message = await self.session.scalar(
            select(Message)
            .where(Message.id == learning_id, Message.type == MessageKind.LEARNING.value)
            .with_for_update()
        )
        if message is None:
            raise NotFound(NO_LEARNING)
        if (message.hidden_at is not None) == hide:
            return False
        before = _hidden_state(message.hidden_at, message.hidden_by)
        message.hidden_at = self.clock.now() if hide else None
        message.hidden_by = actor.id if hide else None
        await self.session.flush()
        await self.audit.record(
            actor,
            "learning.hide" if hide else "learning.unhide",
            "learning",
            message.id,
            before={**before, "content": message.content},
            after=_hidden_state(message.hidden_at, message.hidden_by),
        )
        return True

    # --- proofs ------------------------------------------------------------------------------
    async def hide_proof(self, actor_id: int, proof_id: int) -> bool:
        """False when it was hidden already."""
        return await self._set_proof(actor_id, proof_id, hide=True)

    async def unhide_proof(self, actor_id: int, proof_id: int) -> bool:
        """False when it was not hidden. A proof whose image was deleted cannot come back."""
        return await self._set_proof(actor_id, proof_id, hide=False)

    async def _set_proof(self, actor_id: int, proof_id: int, *, hide: bool) -> bool:
        actor = await require_admin(self.session, actor_id)
        proof = await self._proof(proof_id)
        if (proof.hidden_at is not None) == hide:
            return False
        if not hide and proof.image_deleted_at is not None:
            raise InvalidInput("That proof's image was deleted, so it stays hidden.")
        before = _hidden_state(proof.hidden_at, proof.hidden_by)
        proof.hidden_at = self.clock.now() if hide else None
        proof.hidden_by = actor.id if hide else None
        await self.session.flush()
        await self.audit.record(
            actor,
            "proof.hide" if hide else "proof.unhide",
            "proof",
            proof.id,
            before=before,
            after=_hidden_state(proof.hidden_at, proof.hidden_by),
        )
        return True

    async def delete_proof_image(self, actor_id: int, proof_id: int) -> list[str]:
        """Delete the proof's image and thumbnail from storage (those no other kept proof uses)
        and hide the proof for good. Returns the keys no other proof uses (their files go when
        the unit commits)."""
        actor = await require_admin(self.session, actor_id)
        if self.media is None:
            raise RuntimeError("the admin services were built without a media store")
        proof = await self._proof(proof_id)
        if proof.image_deleted_at is not None:
            return []
        before: dict[str, Any] = {
            **_hidden_state(proof.hidden_at, proof.hidden_by),
            "image_key": proof.image_key,
            "thumb_key": proof.thumb_key,
        }
        now = self.clock.now()
        proof.image_deleted_at = now
        if proof.hidden_at is None:
            proof.hidden_at, proof.hidden_by = now, actor.id
        await self.session.flush()
        keys = [proof.image_key, proof.thumb_key]
        shared = await still_used(self.session, keys)
        removed = [key for key in keys if key not in shared]
        # Both keys, shared or not: after the commit the files are checked again, under their
        # lock (core.media.discard.settle). A proof still using one now may lose its image in
        # another transaction that, until this one commits, sees this proof still using it.
        self.discarded.update(keys)
        await self.audit.record(
            actor,
            "proof.delete_image",
            "proof",
            proof.id,
            before=before,
            after={
                **_hidden_state(proof.hidden_at, proof.hidden_by),
                "image_deleted_at": _moment(now),
                "files_removed": removed,
            },
        )
        return removed

    async def _proof(self, proof_id: int) -> Proof:
        proof = await self.session.scalar(
            select(Proof).where(Proof.id == proof_id).with_for_update()
        )
        if proof is None:
            raise NotFound(NO_PROOF)
        return proof

    async def hidden_counts(self, actor_id: int) -> tuple[int, int]:
        """How many learnings and proofs are hidden now."""
        await require_admin(self.session, actor_id)
        learnings = (
            select(func.count())
            .select_from(Message)
            .where(Message.hidden_at.is_not(None))
            .scalar_subquery()
        )
        proofs = (
            select(func.count()).select_from(Proof).where(Proof.hidden_at.is_not(None))
        ).scalar_subquery()
        row = (await self.session.execute(select(learnings, proofs))).one()
        return int(row[0]), int(row[1])


def _page(
    stmt: Select[*_Row],
    model: type[Message] | type[Proof],
    group_id: int | None,
    author_id: int | None,
    hidden: bool | None,
    before_id: int | None,
    limit: int,
) -> Select[*_Row]:
    """One admin list page of learnings or proofs: newest first, narrowed as asked."""
    if group_id is not None:
        stmt = stmt.where(model.group_id == group_id)
    if author_id is not None:
        stmt = stmt.where(model.user_id == author_id)
    if hidden is not None:
        stmt = stmt.where(model.hidden_at.is_not(None) if hidden else model.hidden_at.is_(None))
    if before_id is not None:
        stmt = stmt.where(model.id < before_id)
    return stmt.order_by(model.id.desc()).limit(min(max(limit, 1), 500))


def _hidden_state(hidden_at: datetime | None, hidden_by: int | None) -> dict[str, Any]:
    return {
        "hidden": hidden_at is not None,
        "hidden_at": _moment(hidden_at),
        "hidden_by": hidden_by,
    }
