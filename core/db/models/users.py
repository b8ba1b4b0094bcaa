"""People: a user, the chat identities that lead to them, and their settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db.base import Base, UTCDateTime


class UserRole(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"  # runs the instance: the web admin at /admin, `habitlink admin ...`


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('member', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # People arrive from chat; email and password exist only for web admin accounts.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(128))
    photo_url: Mapped[str | None] = mapped_column(String(1024))
    lifebook: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    role: Mapped[str] = mapped_column(
        String(8), default=UserRole.MEMBER.value, server_default=UserRole.MEMBER.value
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Banned platform-wide by an admin (core.admin): the bot answers once, then stays silent;
    # their learnings and proofs leave every list and board; the web API refuses them.
    banned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    banned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ban_reason: Mapped[str | None] = mapped_column(Text)
    # When the bot told them they are banned (once per ban; unbanning clears it).
    ban_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    identities: Mapped[list[Identity]] = relationship(back_populates="user")
    settings: Mapped[UserSettings] = relationship(back_populates="user", lazy="joined")

    @hybrid_property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN.value

    @is_admin.inplace.expression
    @classmethod
    def _is_admin_expression(cls) -> ColumnElement[bool]:
        return cls.role == UserRole.ADMIN.value

    @hybrid_property
    def is_banned(self) -> bool:
        return self.banned_at is not None

    @is_banned.inplace.expression
    @classmethod
    def _is_banned_expression(cls) -> ColumnElement[bool]:
        return cls.banned_at.is_not(None)


class Identity(Base):
    """One account on one chat platform (a Telegram user, a Discord user, a console name)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(128))
    # The private chat the bot can write to (reminders, summaries); None until known.
    dm_chat_id: Mapped[str | None] = mapped_column(String(64))
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="identities")


class UserSettings(Base):
    __tablename__ = "user_settings"
    __table_args__ = (
        CheckConstraint("day_start_hour >= 0 AND day_start_hour <= 6", name="day_start_hour"),
        CheckConstraint("summary_weekday >= 0 AND summary_weekday <= 6", name="summary_weekday"),
        CheckConstraint("summary_hour >= 0 AND summary_hour <= 23", name="summary_hour"),
        CheckConstraint(
            "(quiet_start IS NULL AND quiet_end IS NULL) OR "
            "(quiet_start >= 0 AND quiet_start <= 23 AND quiet_end >= 0 AND quiet_end <= 23)",
            name="quiet_hours",
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The day starts at this local hour (night owls: 2 means 01:30 still counts as yesterday).
    day_start_hour: Mapped[int] = mapped_column(Integer, default=0)
    quiet_start: Mapped[int | None] = mapped_column(Integer)
    quiet_end: Mapped[int | None] = mapped_column(Integer)
    summary_enabled: Mapped[bool] = mapped_column(default=True)
    summary_weekday: Mapped[int] = mapped_column(Integer, default=6)  # Sunday
    summary_hour: Mapped[int] = mapped_column(Integer, default=18)
    # The next weekly summary, in UTC; None until the scheduler first plans it.
    next_summary_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    user: Mapped[User] = relationship(back_populates="settings")
