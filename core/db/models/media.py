"""Proof image files to delete from the media store (core.media.discard)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UTCDateTime


class MediaDiscard(Base):
    """A file whose proof rows are deleted: written in the transaction that deletes them, gone
    once the file is (or once a proof uses the file again). What is left after the commit (the
    store failed, the process stopped) the scheduler's tidy job retries."""

    __tablename__ = "media_discards"
    __table_args__ = (Index("ix_media_discards_next_attempt_at", "next_attempt_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
