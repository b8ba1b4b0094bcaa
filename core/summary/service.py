"""Who did what this week: per person (their summary) and per group (the board)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Group, GroupMember, Habit, User
from core.habits.history import week_start
from core.habits.service import HabitService
from core.proofs.service import ProofService
from core.summary.week import week_done_and_due
from core.users.service import user_today


@dataclass(frozen=True)
class HabitWeek:
    habit_id: int
    title: str
    done: int
    due: int
    streak: int
    streak_unit: str
    done_total: int


@dataclass(frozen=True)
class MemberWeek:
    user_id: int
    name: str
    proofs: int
    done: int
    due: int
    best_streak: int  # the longest current streak among their habits, a week as 7 days
    streak_unit: str = "days"  # of best_streak: "days", or "weeks" (an N-times-a-week habit's)


class SummaryService:
    def __init__(self, session: AsyncSession, clock: Clock, proofs: ProofService) -> None:
        self.session = session
        self.clock = clock
        self.proofs = proofs

    async def habit_weeks(
        self, users: list[User], today_of: dict[int, date], week: date | None = None
    ) -> dict[int, list[HabitWeek]]:
        """Each user's active habits with the done/due of the week starting `week` (by default
        the week of their today) up to their today, and streaks as of their today: two queries
        (a few weeks of logs each, see HabitService.recent)."""
        ids = [u.id for u in users]
        if not ids:
            return {}
        habits = list(
            (
                await self.session.scalars(
                    select(Habit)
                    .where(Habit.user_id.in_(ids), Habit.archived_at.is_(None))
                    .order_by(Habit.user_id, Habit.position, Habit.id)
                )
            ).all()
        )
        recent = await HabitService(self.session, self.clock).recent(habits, today_of)
        result: dict[int, list[HabitWeek]] = {uid: [] for uid in ids}
        for habit in habits:
            today = today_of[habit.user_id]
            history, stats = recent[habit.id].history, recent[habit.id].stats
            monday = week if week is not None else week_start(today)
            done, due = week_done_and_due(history, monday, today)
            result[habit.user_id].append(
                HabitWeek(
                    habit.id,
                    habit.title,
                    done,
                    due,
                    stats.current_streak,
                    stats.streak_unit,
                    stats.done_total,
                )
            )
        return result

    async def group_week(self, group: Group, week: date) -> list[MemberWeek]:
        """The board: every member's proofs, check-ins and best streak in the week starting
        `week`, up to their today (or to its Sunday, for a week gone by); people banned
        platform-wide leave it."""
        members = list(
            (
                await self.session.scalars(
                    select(User)
                    .join(GroupMember, GroupMember.user_id == User.id)
                    .where(GroupMember.group_id == group.id, User.banned_at.is_(None))
                    .order_by(GroupMember.created_at, User.id)
                )
            ).all()
        )
        now = self.clock.now()
        sunday = week + timedelta(days=6)
        today_of = {u.id: min(user_today(u, now), sunday) for u in members}
        weeks = await self.habit_weeks(members, today_of, week)
        proofs = await self.proofs.week_counts(group.id, week)
        board = [
            MemberWeek(
                user_id=u.id,
                name=u.display_name,
                proofs=proofs.get(u.id, 0),
                done=sum(h.done for h in weeks[u.id]),
                due=sum(h.due for h in weeks[u.id]),
                best_streak=_longest(weeks[u.id])[0],
                streak_unit=_longest(weeks[u.id])[1],
            )
            for u in members
        ]
        board.sort(key=lambda m: (-m.proofs, -m.done, m.name.lower()))
        return board


def _longest(habits: list[HabitWeek]) -> tuple[int, str]:
    """The longest current streak of these habits and its unit ("days" or "weeks"), a week
    of an N-times-a-week habit's counted as 7 days to compare them."""
    best = max(
        habits,
        key=lambda h: h.streak * 7 if h.streak_unit == "weeks" else h.streak,
        default=None,
    )
    return (best.streak, best.streak_unit) if best is not None else (0, "days")
