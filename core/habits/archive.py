"""Archived habits: the list of them and bringing one back (HabitService's share of it).

Archiving (HabitService.archive) only marks a habit: its check-ins, fields, techniques, what it
serves and its reminders stay, and everything that reads habits leaves it out. Restoring clears
the mark, so the habit has the very history, and statistics, it had: the days it spent
archived (from the day it was archived to the day before it came back, in the person's days)
are kept on the habit (`Habit.away`: archiving opens a range, restoring closes it) and count
as neither kept nor broken, like skipped days, unless they hold a check-in. Reads while it is
archived (/archived) count its open range too, so the checkpoint they keep stays true.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock, local_date
from core.db.models import Habit, Reminder, User
from core.errors import Code, InvalidField, InvalidInput, NotFound
from core.habits.aggregate import after_write
from core.habits.history import OPEN_END, merge_away
from core.reminders.timing import next_occurrence
from core.users.locks import lock_user
from core.users.service import user_zone

MAX_ACTIVE_HABITS = 50


def title_key(title: str) -> str:
    """Titles that are the same to a person: case and runs of whitespace do not count."""
    return " ".join(title.casefold().split())


def same_title(title: str, others: Iterable[str]) -> str | None:
    """The first of `others` that is `title` to a person (title_key), or None."""
    key = title_key(title)
    return next((t for t in others if title_key(t) == key), None)


class ArchiveMixin:
    session: AsyncSession
    clock: Clock

    async def archived(self, user: User) -> list[Habit]:
        """The person's archived habits, the most recently archived first (/archived's order,
        which its numbers follow)."""
        stmt = (
            select(Habit)
            .where(Habit.user_id == user.id, Habit.archived_at.is_not(None))
            .order_by(Habit.archived_at.desc(), Habit.id.desc())
        )
        return list((await self.session.scalars(stmt)).all())

    async def get_archived(self, user: User, habit_id: int) -> Habit | None:
        habit = await self.session.get(Habit, habit_id)
        if habit is None or habit.user_id != user.id or habit.archived_at is None:
            return None
        return habit

    async def restore(self, user: User, habit: Habit) -> int:
        """An archived habit back on the list with everything it had: its check-ins (so its
        statistics), its fields, techniques and what it serves, and its reminders, which are
        due again from now in the person's zone of today (never a late one for the days it was
        away). It goes last on the list, so the numbers of the others stay. Refused, changing
        nothing, when an active habit has its title or the person has the most active habits.
        Returns how many reminders it has."""
        await lock_user(self.session, user.id)  # as create: counted one after another
        rows = (
            await self.session.execute(
                select(Habit.id, Habit.title, Habit.archived_at.is_(None), Habit.position).where(
                    Habit.user_id == user.id
                )
            )
        ).all()
        active = {id_: title for id_, title, is_active, _ in rows if is_active}
        if habit.id not in {id_ for id_, *_ in rows}:  # deleted meanwhile
            raise NotFound(f"{habit.title} is gone: it was deleted.")
        if habit.id in active:  # brought back meanwhile (a second press of its button)
            raise InvalidInput(
                f"{habit.title} is back on your list already: see /habits.",
                code=Code.ALREADY_ACTIVE,
                facts={"title": habit.title},
            )
        if len(active) >= MAX_ACTIVE_HABITS:
            raise InvalidInput(
                f"You already have {MAX_ACTIVE_HABITS} habits, so {habit.title} can't come back "
                "yet. Archive or delete one with /deletehabit first.",
                code=Code.HABIT_LIMIT,
                facts={"limit": MAX_ACTIVE_HABITS, "title": habit.title},
            )
        same = same_title(habit.title, active.values())
        if same is not None:
            raise InvalidField(
                "title",
                f"You already have a habit called “{same}”, so {habit.title} can't come back "
                "beside it. Rename that one with /edithabit, or remove it with /deletehabit, "
                "then restore this one.",
                code=Code.RESTORE_TITLE_TAKEN,
                facts={"title": habit.title, "same": same},
            )
        now, tz = self.clock.now(), user_zone(user)
        self._close_away(habit, user)
        habit.archived_at = None
        habit.position = max((int(p or 0) for *_, p in rows), default=0) + 1
        reminders = list(
            await self.session.scalars(select(Reminder).where(Reminder.habit_id == habit.id))
        )
        for reminder in reminders:
            reminder.next_due_at = next_occurrence(
                reminder.local_time, tz, now, reminder.weekday_mask, user.settings.day_start_hour
            )
            reminder.snoozed_until = None
        await self.session.flush()
        return len(reminders)

    def _close_away(self, habit: Habit, user: User) -> None:
        """The days away end the day before the person's today; archived and restored the same
        day, nothing was away (that day counts as any)."""
        tz, hour = user_zone(user), user.settings.day_start_hour
        back_at = self.clock.now()
        back = local_date(back_at, tz, hour)
        closed = [(lo, hi) for lo, hi in habit.away if hi != OPEN_END]
        opened = [lo for lo, hi in habit.away if hi == OPEN_END]
        # else archived before the days away were kept: from archived_at, in today's zone
        first = opened[0] if opened else local_date(habit.archived_at or back_at, tz, hour)
        if first < back:
            closed.append((first, back - timedelta(days=1)))
            if not opened:  # a checkpoint kept meanwhile may count those days as missed
                habit.checkpoint = after_write(habit.checkpoint, first)
        habit.away = merge_away(closed)
