"""Proof image files to delete from the media store, and those deleted lately
(core.media.discard)."""

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


class MediaDeletion(Base):
    """When a proof image file was last deleted from the store, kept for a day: someone who
    stored the same photo (the same key) before taking the key's lock sees that the file may be
    gone and stores it again (core.media.keylock)."""

    __tablename__ = "media_deletions"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime)
