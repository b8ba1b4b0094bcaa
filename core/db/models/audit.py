"""The audit log: one row per admin action, written in the same transaction as the action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UTCDateTime


class AuditEntry(Base):
    """Who did what to which thing, and how it looked before and after. Never updated or deleted
    by the application (core.admin.audit only adds and reads)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The admin; None for the command line (`habitlink admin ...`) or an admin since erased.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Who it was, as written at the time ("ada@example.com", "command line"): survives erasure.
    actor_label: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "user.ban"
    target_type: Mapped[str] = mapped_column(String(24))  # user, learning, proof, tool, ...
    target_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
