"""What moderation takes out of sight, as SQL conditions every reading query applies.

A learning is shown when it is not hidden and its author is not banned; a proof likewise (an
image-deleted proof is always hidden too, see core.admin.moderation). Admins' own lists
(core.admin) read around these on purpose.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, not_, select
from sqlalchemy.orm import aliased

from core.db.models import Message, Proof, User


def not_banned(user_id: Any) -> ColumnElement[bool]:
    """SQL: the person with this id (a column or a value) is not banned platform-wide."""
    banned = aliased(User)
    return not_(
        select(banned.id).where(banned.id == user_id, banned.banned_at.is_not(None)).exists()
    )


def learning_shown() -> ColumnElement[bool]:
    return and_(Message.hidden_at.is_(None), not_banned(Message.user_id))


def proof_shown() -> ColumnElement[bool]:
    return and_(Proof.hidden_at.is_(None), not_banned(Proof.user_id))
