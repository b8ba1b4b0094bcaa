"""Accountability groups, the chats they live in, their members and their weekly proofs."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db.base import Base, UTCDateTime

if TYPE_CHECKING:
    from core.db.models.habits import Habit
    from core.db.models.users import User


class GroupRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("length(name) >= 1", name="name_not_empty"),
        CheckConstraint("summary_weekday >= 0 AND summary_weekday <= 6", name="summary_weekday"),
        CheckConstraint("summary_hour >= 0 AND summary_hour <= 23", name="summary_hour"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    is_public: Mapped[bool] = mapped_column(default=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    invite_code: Mapped[str] = mapped_column(String(32), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    summary_weekday: Mapped[int] = mapped_column(Integer, default=6)
    summary_hour: Mapped[int] = mapped_column(Integer, default=18)
    # The next group summary in the group's chats, in UTC; None until first planned.
    next_summary_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # Deleting a group deletes its chats and members (the database cascades the rest); the
    # ORM must not try to blank out their keys, which are part of their primary keys.
    chats: Mapped[list[GroupChat]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )
    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )
    # For reading (the admin names the owner); never loaded unless a query asks for it.
    owner: Mapped[User] = relationship(viewonly=True, lazy="raise")


class GroupChat(Base):
    """A platform chat (Telegram group, Discord channel) linked to a group; one group per chat."""

    __tablename__ = "group_chats"
    __table_args__ = (UniqueConstraint("platform", "external_chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The bot was removed from the chat (or the platform refused it for good, 403): no weekly
    # summaries go there until the bot is back (added again, or a message from the chat).
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[Group] = relationship(back_populates="chats")


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (CheckConstraint("role IN ('owner', 'admin', 'member')", name="role"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(8), default=GroupRole.MEMBER.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    group: Mapped[Group] = relationship(back_populates="members")


class GroupBan(Base):
    """Someone an owner or admin banned: they cannot join again, with any code, until unbanned."""

    __tablename__ = "group_bans"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    banned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Proof(Base):
    """A photo a member posted in the group's chat as evidence of their week."""

    __tablename__ = "proofs"
    # "active this week" on the admin dashboard: who posted since a moment, index-only
    __table_args__ = (Index("ix_proofs_created_at_user_id", "created_at", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    habit_id: Mapped[int | None] = mapped_column(ForeignKey("habits.id", ondelete="SET NULL"))
    day: Mapped[date] = mapped_column("date", Date)  # the member's local date
    # Monday of the group's week it was posted in (its zone's), which the board counts
    week_start: Mapped[date] = mapped_column(Date)
    image_key: Mapped[str] = mapped_column(String(255))
    thumb_key: Mapped[str] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    # The photos of one album (several sent at once: core.proofs.service) share this key and
    # count as one proof; None for a photo posted on its own.
    album: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Hidden by an admin: gone from boards, collages, counts and the API until unhidden.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # An admin deleted the image from storage (the proof is hidden for good; the row stays).
    image_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # For reading (the admin names them); never loaded unless a query asks for them.
    group: Mapped[Group] = relationship(viewonly=True, lazy="raise")
    member: Mapped[User] = relationship(foreign_keys=[user_id], viewonly=True, lazy="raise")
    habit: Mapped[Habit | None] = relationship(viewonly=True, lazy="raise")
    hider: Mapped[User | None] = relationship(foreign_keys=[hidden_by], viewonly=True, lazy="raise")
