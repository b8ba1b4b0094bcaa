"""Messages and learnings, likes, the trust network and the toolbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db.base import Base, UTCDateTime

if TYPE_CHECKING:
    from core.db.models.groups import Group
    from core.db.models.users import User


class MessageKind(StrEnum):
    CHAT = "chat"
    LEARNING = "learning"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("type IN ('chat', 'learning')", name="type"),
        CheckConstraint("likes_count >= 0", name="likes_count"),
        CheckConstraint("length(content) >= 1", name="content_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16), default=MessageKind.CHAT.value)
    likes_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Shared while its group was private: for the group's members only, even once the group is
    # public (never in the feed, nor anyone else's lists, likes or insights: core.social).
    members_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Hidden by an admin: gone from every list, the feed, insights and the API until unhidden.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    # For reading (the admin names them); never loaded unless a query asks for them.
    group: Mapped[Group] = relationship(viewonly=True, lazy="raise")
    author: Mapped[User] = relationship(foreign_keys=[user_id], viewonly=True, lazy="raise")
    hider: Mapped[User | None] = relationship(foreign_keys=[hidden_by], viewonly=True, lazy="raise")


class MessageLike(Base):
    __tablename__ = "message_likes"
    __table_args__ = (UniqueConstraint("message_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Trust(Base):
    """The truster reads the trustee's learnings as insights in their weekly summary."""

    __tablename__ = "trusts"
    __table_args__ = (CheckConstraint("truster_id <> trustee_id", name="no_self_trust"),)

    truster_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    trustee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _community_slug() -> str:
    return f"u-{uuid.uuid4().hex[:12]}"


def _same_as_created(context: Any) -> Any:
    return context.get_current_parameters()["created_at"]


class ToolStatus(StrEnum):
    """An admin's review of a tool. New community tools show at once; hidden ones nowhere."""

    NEW = "new"  # not reviewed yet (community tools start here)
    APPROVED = "approved"  # reviewed and kept (seed tools are approved)
    HIDDEN = "hidden"  # taken out of /tools, /findtool and the habit links' lists


class ToolOrigin(StrEnum):
    SEED = "seed"  # shipped with HabitLink (core/toolbox/seed.json), kept in step by slug
    COMMUNITY = "community"  # added by a person with /addtool


class Tool(Base):
    """A habit technique in the toolbox."""

    __tablename__ = "tools"
    __table_args__ = (
        CheckConstraint("length(title) >= 1", name="title_not_empty"),
        CheckConstraint("origin IN ('seed', 'community')", name="origin"),
        CheckConstraint("evidence IN ('research', 'practitioner', 'community')", name="evidence"),
        CheckConstraint("status IN ('new', 'approved', 'hidden')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable name: seed tools keep theirs across upgrades; community ones start with "u-".
    slug: Mapped[str] = mapped_column(String(80), unique=True, default=_community_slug)
    origin: Mapped[str] = mapped_column(String(16), default=ToolOrigin.COMMUNITY.value)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text)  # the summary
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Phrases people say when this tool helps ("I keep skipping the gym after work").
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {"authors": ..., "year": ..., "title": ..., "where": ...}; empty for community tools.
    source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[str] = mapped_column(String(16), default="community")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(
        String(12), default=ToolStatus.NEW.value, server_default=ToolStatus.NEW.value
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_same_as_created)

    # For reading (the admin names the author); never loaded unless a query asks for it.
    author: Mapped[User | None] = relationship(viewonly=True, lazy="raise")


class HabitTool(Base):
    """A technique a person uses for one of their habits."""

    __tablename__ = "habit_tools"

    habit_id: Mapped[int] = mapped_column(
        ForeignKey("habits.id", ondelete="CASCADE"), primary_key=True
    )
    tool_id: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
