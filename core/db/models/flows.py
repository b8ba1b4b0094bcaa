"""Where each person is in a multi-step conversation: the durable copy (Redis caches it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UTCDateTime


class FlowRecord(Base):
    """One person's place in a flow in one chat, written in the transaction of the step's
    effect, so neither a Redis that restarts empty nor a process restart loses it."""

    __tablename__ = "flow_states"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(Text)  # FlowState as JSON
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
