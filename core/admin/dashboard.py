"""The dashboard: the platform at a glance, in a fixed number of grouped queries.

- people active this week: distinct people who checked in, posted a proof or shared a learning
  in the last 7 days (by when it was recorded);
- check-ins per day over the last 90 days (UTC dates of the check-ins' local days: a check-in
  is a habit done or deliberately skipped), one grouped query, days without any as zeros;
- new groups and proofs per week (weeks start on Monday), one grouped query each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Date, cast, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.admin.guard import require_admin
from core.clock import Clock
from core.db.models import Group, Habit, HabitLog, Message, MessageKind, Proof, User
from core.habits.history import CheckinStatus, week_start
from core.proofs.service import posts

CHECKIN_DAYS = 90
WEEKS = 12


@dataclass(frozen=True)
class DayCheckins:
    day: date
    done: int
    skipped: int


@dataclass(frozen=True)
class WeekCount:
    week: date  # its Monday
    count: int


@dataclass(frozen=True)
class Overview:
    people: int
    groups: int
    active_this_week: int
    checkins: tuple[DayCheckins, ...]  # oldest first, CHECKIN_DAYS of them, ending today
    new_groups: tuple[WeekCount, ...]  # oldest first, WEEKS of them, ending this week
    proofs: tuple[WeekCount, ...]  # oldest first, WEEKS of them, ending this week


class Dashboard:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def overview(
        self, actor_id: int, *, days: int = CHECKIN_DAYS, weeks: int = WEEKS
    ) -> Overview:
        await require_admin(self.session, actor_id)
        now = self.clock.now()
        totals = (
            await self.session.execute(
                select(
                    select(func.count()).select_from(User).scalar_subquery(),
                    select(func.count()).select_from(Group).scalar_subquery(),
                )
            )
        ).one()
        return Overview(
            int(totals[0]),
            int(totals[1]),
            await self.active_since(now - timedelta(days=7)),
            tuple(await self.checkins_per_day(now.date(), days)),
            tuple(await self.new_groups_per_week(now.date(), weeks)),
            tuple(await self.proofs_per_week(now.date(), weeks)),
        )

    async def active_since(self, since: datetime) -> int:
        who = union(
            select(Habit.user_id)
            .join(HabitLog, HabitLog.habit_id == Habit.id)
            .where(HabitLog.created_at >= since),
            select(Proof.user_id).where(Proof.created_at >= since),
            select(Message.user_id).where(
                Message.type == MessageKind.LEARNING.value, Message.created_at >= since
            ),
        ).subquery()
        return int(await self.session.scalar(select(func.count()).select_from(who)) or 0)

    async def checkins_per_day(self, today: date, days: int) -> list[DayCheckins]:
        first = today - timedelta(days=days - 1)
        done = HabitLog.status == CheckinStatus.DONE.value
        rows = await self.session.execute(
            select(
                HabitLog.day,
                func.count().filter(done),
                func.count().filter(HabitLog.status == CheckinStatus.SKIPPED.value),
            )
            .where(HabitLog.day >= first, HabitLog.day <= today)
            .group_by(HabitLog.day)
        )
        by_day = {day: (int(d), int(s)) for day, d, s in rows.all()}
        return [
            DayCheckins(day, *by_day.get(day, (0, 0)))
            for day in (first + timedelta(days=i) for i in range(days))
        ]

    async def new_groups_per_week(self, today: date, weeks: int) -> list[WeekCount]:
        """Grouped by UTC day in SQL (portable), then summed into weeks (at most 7 × weeks)."""
        first = week_start(today) - timedelta(weeks=weeks - 1)
        since = datetime(first.year, first.month, first.day, tzinfo=self.clock.now().tzinfo)
        day = self._utc_date(Group.created_at)
        rows = await self.session.execute(
            select(day, func.count()).where(Group.created_at >= since).group_by(day)
        )
        counts: dict[date, int] = {}
        for created, n in rows.all():
            monday = week_start(_as_date(created))
            counts[monday] = counts.get(monday, 0) + int(n)
        return _weeks(first, weeks, counts)

    async def proofs_per_week(self, today: date, weeks: int) -> list[WeekCount]:
        first = week_start(today) - timedelta(weeks=weeks - 1)
        rows = await self.session.execute(
            select(Proof.week_start, posts())  # an album once
            .where(Proof.week_start >= first)
            .group_by(Proof.week_start)
        )
        return _weeks(first, weeks, {monday: int(n) for monday, n in rows.all()})

    def _utc_date(self, column: InstrumentedAttribute[datetime]) -> ColumnElement[date]:
        if self.session.get_bind().dialect.name == "postgresql":
            return cast(func.timezone("UTC", column), Date)
        return func.date(column, type_=Date)  # SQLite keeps UTC datetimes naive


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _weeks(first: date, weeks: int, counts: dict[date, int]) -> list[WeekCount]:
    mondays = (first + timedelta(weeks=i) for i in range(weeks))
    return [WeekCount(monday, counts.get(monday, 0)) for monday in mondays]
