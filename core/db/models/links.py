"""Linking accounts: one-time codes that join two chat identities into one user, and the wrong
tries made with them (to slow down guessing)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UTCDateTime


class LinkCode(Base):
    """A code made with /link by `identity_id` (of user `user_id`), or on the web by a signed-in
    account (no identity); used at most once."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    identity_id: Mapped[int | None] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Typing the code only asks: the typer confirms with a button carrying this token, which
    # was shown in the typer's own chat alone (a forged or coaxed /link CODE cannot press it).
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("identities.id", ondelete="SET NULL"))
    confirm_token: Mapped[str | None] = mapped_column(String(32))


class LinkAttempt(Base):
    """A wrong code typed by a user; too many in a short time pause their linking."""

    __tablename__ = "link_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
