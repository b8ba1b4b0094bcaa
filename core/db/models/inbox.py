"""Updates a chat platform delivered, kept until handled so a crash loses none of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UTCDateTime


class InboxUpdate(Base):
    """One delivered update (e.g. a Telegram update by its update_id), raw as it arrived.

    Stored before the platform is told it was received; `handled_at` is set in the same
    transaction as the update's effect, so after a crash each update is handled exactly once."""

    __tablename__ = "inbox_updates"
    __table_args__ = (Index("ix_inbox_updates_pending", "platform", "handled_at", "update_id"),)

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The reply to send, stored with `handled_at` (the effect's transaction) and cleared once
    # it is sent: a crash between the two sends it after the restart.
    reply: Mapped[str | None] = mapped_column(Text)
