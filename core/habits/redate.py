"""After /timezone or /daystart moves a person's today back (a zone to the west, a later day
start), nothing of theirs may lie after it: a habit made on what is now tomorrow starts today,
and a check-in made for what is now tomorrow counts today, as it was their today when they
did it. Otherwise the habit showed open, "○", over "Nothing is due today.", /week and /stats
showed nothing, and the next day was done before they did it.

Costs two reads when nothing lies ahead (the usual case); the writes only when something does.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Habit, HabitLog
from core.habits.history import CheckinStatus

_DONE = CheckinStatus.DONE.value


async def bring_back_ahead(session: AsyncSession, user_id: int, today: date) -> int:
    """Move the person's habit starts and check-ins after `today` to `today` (a done wins over
    a skip on the day, as a done replaces a skip); returns how many check-ins moved."""
    ahead = (
        await session.scalars(
            select(HabitLog)
            .join(Habit, Habit.id == HabitLog.habit_id)
            .where(Habit.user_id == user_id, HabitLog.day >= today)
            .order_by(HabitLog.habit_id, HabitLog.day)
        )
    ).all()
    by_habit: dict[int, list[HabitLog]] = defaultdict(list)
    for log in ahead:
        by_habit[log.habit_id].append(log)
    moved: dict[int, int] = {}
    for habit_id, logs in by_habit.items():
        later = [log for log in logs if log.day > today]
        if not later:
            continue
        moved[habit_id] = len(later)
        kept = logs[0]  # today's, or else the first of those ahead, which moves to today
        done = any(log.status == _DONE for log in logs)
        kept.was_skipped = done and any(log.status != _DONE or log.was_skipped for log in logs)
        kept.status = _DONE if done else kept.status
        kept.day = today
        for log in logs[1:]:
            await session.delete(log)
    habits = (
        await session.scalars(
            select(Habit).where(
                Habit.user_id == user_id,
                or_(Habit.start_date > today, Habit.created_on > today, Habit.id.in_(list(moved))),
            )
        )
    ).all()
    for habit in habits:
        habit.start_date = min(habit.start_date, today)
        if habit.created_on is not None and habit.created_on > today:
            habit.created_on = today
        habit.checkpoint = None  # its statistics are read afresh from its history
    await session.flush()
    return sum(moved.values())
