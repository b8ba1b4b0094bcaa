"""Habits, their daily check-ins and their reminders."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db.base import Base, UTCDateTime
from core.habits.aggregate import Checkpoint
from core.habits.history import AwayRanges, CheckinStatus, dump_away, load_away
from core.habits.schedule import Schedule


class Habit(Base):
    __tablename__ = "habits"
    __table_args__ = (
        CheckConstraint("schedule_kind IN ('daily', 'weekdays', 'weekly')", name="schedule_kind"),
        CheckConstraint("weekday_mask >= 0 AND weekday_mask <= 127", name="weekday_mask"),
        CheckConstraint("times_per_week >= 1 AND times_per_week <= 7", name="times_per_week"),
        CheckConstraint("schedule_kind <> 'weekdays' OR weekday_mask > 0", name="weekdays_chosen"),
        CheckConstraint("length(title) >= 1", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    why: Mapped[str | None] = mapped_column(Text)
    identity_goal: Mapped[str | None] = mapped_column(Text)
    minimal_dose: Mapped[str | None] = mapped_column(Text)
    implementation_intention: Mapped[str | None] = mapped_column(Text)
    # The habit loop: {"cue": ..., "routine": ..., "reward": ...}
    loop: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    schedule_kind: Mapped[str] = mapped_column(String(16), default="daily")
    weekday_mask: Mapped[int] = mapped_column(Integer, default=0)
    times_per_week: Mapped[int] = mapped_column(Integer, default=7)
    # The first day of the habit's history: the user's local date of creation, or an earlier
    # day checked in later (a backdated check-in); undoing that check-in moves it back.
    start_date: Mapped[date] = mapped_column(Date)
    created_on: Mapped[date | None] = mapped_column(Date)  # the user's local date of creation
    position: Mapped[int] = mapped_column(Integer, default=0)
    # What in the person's Lifebook this habit serves: "value:<name>" or "goal:<id>".
    serves: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The statistics' state over the days before a recent Monday (core/habits/aggregate.py,
    # Checkpoint.dump), so reading them costs a few weeks of logs whatever the history's
    # length. One column, so that a week's moves of many habits are one UPDATE; NULL until made.
    stats_checkpoint: Mapped[str | None] = mapped_column(String(120))
    # The days it spent archived before being restored, as local date ranges (history.py,
    # dump_away): the statistics count them as neither kept nor broken. NULL when none.
    away_days: Mapped[str | None] = mapped_column(Text)

    logs: Mapped[list[HabitLog]] = relationship(
        back_populates="habit", cascade="all, delete-orphan", passive_deletes=True
    )
    reminders: Mapped[list[Reminder]] = relationship(
        back_populates="habit", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def schedule(self) -> Schedule:
        return Schedule.from_storage(self.schedule_kind, self.weekday_mask, self.times_per_week)

    @schedule.setter
    def schedule(self, value: Schedule) -> None:
        self.schedule_kind = value.kind.value
        self.weekday_mask = value.weekday_mask
        self.times_per_week = value.times_per_week

    @property
    def checkpoint(self) -> Checkpoint | None:
        return Checkpoint.load(self.stats_checkpoint)

    @checkpoint.setter
    def checkpoint(self, value: Checkpoint | None) -> None:
        text = value.dump() if value is not None else None
        if text != self.stats_checkpoint:
            self.stats_checkpoint = text

    @property
    def away(self) -> AwayRanges:
        return load_away(self.away_days)

    @away.setter
    def away(self, value: AwayRanges) -> None:
        self.away_days = dump_away(value)


class HabitLog(Base):
    """A check-in: the habit was done, or deliberately skipped, on one local date."""

    __tablename__ = "habit_logs"
    __table_args__ = (
        UniqueConstraint("habit_id", "date"),
        CheckConstraint("status IN ('done', 'skipped')", name="status"),
        # The admin dashboard (core.admin.dashboard): check-ins per day over a date range, and
        # who checked in since a moment; both index-only range scans (migration 0023).
        Index("ix_habit_logs_date_status", "date", "status"),
        Index("ix_habit_logs_created_at_habit_id", "created_at", "habit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    habit_id: Mapped[int] = mapped_column(ForeignKey("habits.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column("date", Date)
    status: Mapped[str] = mapped_column(String(8))
    # A done that replaced the day's skip (migration 0035): undoing it brings the skip back.
    was_skipped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    habit: Mapped[Habit] = relationship(back_populates="logs")

    @property
    def checkin_status(self) -> CheckinStatus:
        return CheckinStatus(self.status)


class Reminder(Base):
    """A reminder at a local time of day, on some weekdays; next_due_at is its next UTC instant."""

    __tablename__ = "reminders"
    __table_args__ = (
        CheckConstraint("weekday_mask >= 1 AND weekday_mask <= 127", name="weekday_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    habit_id: Mapped[int] = mapped_column(ForeignKey("habits.id", ondelete="CASCADE"), index=True)
    local_time: Mapped[time] = mapped_column(Time)
    weekday_mask: Mapped[int] = mapped_column(Integer, default=127)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The user's day the snoozed reminder is for (read only while snoozed_until is set): a
    # reminder of Monday snoozed past midnight is still Monday's.
    snoozed_day: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    habit: Mapped[Habit] = relationship(back_populates="reminders")
