"""Habits for one person: create, find by what they typed, edit, archive, delete, check in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Habit, HabitLog, Identity, User
from core.errors import Ambiguous, Choice, Code, InvalidField, InvalidInput, NotFound
from core.habits.aggregate import (
    after_write,
    checkpoint_day,
    checkpoint_of,
    evaluate,
    usable,
    window_start,
)
from core.habits.archive import MAX_ACTIVE_HABITS, ArchiveMixin, same_title
from core.habits.history import OPEN_END, CheckinStatus, HabitHistory, merge_away
from core.habits.matching import fold, match_title, rank_completions
from core.habits.schedule import Schedule
from core.habits.statements import ACTIVE_HABITS, RECENT_LOGS, checkin_upsert
from core.habits.stats import HabitStats
from core.text import shorten, shows_nothing
from core.users.locks import lock_user

TITLE_MAX = 100
TEXT_MAX = 500


class HabitDraft(BaseModel):
    """What a person tells us about a new habit; everything but the title is optional."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True, defer_build=True)

    title: str = Field(min_length=1, max_length=TITLE_MAX)
    schedule: Schedule = Field(default_factory=Schedule.daily)
    why: str | None = Field(default=None, max_length=TEXT_MAX)
    identity_goal: str | None = Field(default=None, max_length=TEXT_MAX)
    minimal_dose: str | None = Field(default=None, max_length=TEXT_MAX)
    implementation_intention: str | None = Field(default=None, max_length=TEXT_MAX)
    cue: str | None = Field(default=None, max_length=TEXT_MAX)
    reward: str | None = Field(default=None, max_length=TEXT_MAX)

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        title = " ".join(value.split())
        if shows_nothing(title):  # zero-width spaces only: a name no one could see or type
            raise PydanticCustomError(
                "string_too_short", "The name shows nothing", {"min_length": 1}
            )
        return title

    @classmethod
    def build(cls, **fields: object) -> HabitDraft:
        """Validate, turning pydantic's errors into one friendly sentence."""
        try:
            return cls.model_validate(fields)
        except ValidationError as exc:
            loc = exc.errors()[0]["loc"]
            raise InvalidField(str(loc[0]) if loc else "title", _friendly(exc)) from None


class EditableField(StrEnum):
    TITLE = "title"
    SCHEDULE = "schedule"
    WHY = "why"
    IDENTITY = "identity"
    DOSE = "dose"
    INTENTION = "intention"
    CUE = "cue"
    REWARD = "reward"


FIELD_LABELS: dict[EditableField, str] = {
    EditableField.TITLE: "title",
    EditableField.SCHEDULE: "schedule",
    EditableField.WHY: "why it matters",
    EditableField.IDENTITY: "identity goal",
    EditableField.DOSE: "minimal dose",
    EditableField.INTENTION: "implementation intention",
    EditableField.CUE: "cue",
    EditableField.REWARD: "reward",
}


def _friendly(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = str(err["loc"][0]) if err["loc"] else "value"
    name = {"title": "The habit's name"}.get(where, f"The {where.replace('_', ' ')}")
    if err["type"] == "string_too_long":
        return f"{name} is too long (at most {err['ctx']['max_length']} characters)."
    if err["type"] == "string_too_short":
        return f"{name} can't be empty."
    return f"{name} is not valid: {err['msg']}."


@dataclass(frozen=True)
class Recent:
    """A habit's statistics, and its history from a few weeks back (or further, see `recent`)."""

    history: HabitHistory
    stats: HabitStats


@dataclass(frozen=True)
class CheckinResult:
    habit: Habit
    day: date
    status: CheckinStatus | None  # the status now (None after undo)
    changed: bool


def refuse_duplicate(title: str, others: Sequence[str]) -> None:
    """Two active habits may not share a title: /done and its buttons could not tell them
    apart. Archived habits do not count."""
    same = same_title(title, others)
    if same is not None:
        raise InvalidField(
            "title", f"You already have a habit called “{same}”. Give this one another name."
        )


def match_habit(habits: Sequence[Habit], ref: str) -> Habit | None:
    """The habit `ref` names without doubt (core/habits/matching.py), or None."""
    match = match_title(ref, [h.title for h in habits])
    return habits[match.found] if match.found is not None else None


def most_words(habits: Sequence[Habit]) -> int:
    """How many words the longest title has, as matching counts them (at least one)."""
    return max((len(fold(h.title).split()) for h in habits), default=1)


class HabitService(ArchiveMixin):
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    # --- reading -------------------------------------------------------------------------
    async def active(self, user: User) -> list[Habit]:
        return list((await self.session.scalars(ACTIVE_HABITS, {"user_id": user.id})).all())

    async def completions(
        self, platform: str, external_id: str, typed: str, limit: int, *, archived: bool = False
    ) -> list[str]:
        """Autocomplete: the active (or archived) habits of the person with this chat account
        whose title starts with (then contains) what they typed; case and accents do not matter.
        Someone we never met, and someone banned platform-wide, gets none (one query,
        read-only)."""
        kept = Habit.archived_at.is_not(None) if archived else Habit.archived_at.is_(None)
        order = (Habit.archived_at.desc(), Habit.id.desc()) if archived else (Habit.position,)
        titles = list(
            await self.session.scalars(
                select(Habit.title)
                .join(Identity, Identity.user_id == Habit.user_id)
                .join(User, User.id == Habit.user_id)
                .where(
                    Identity.platform == platform,
                    Identity.external_id == external_id,
                    User.banned_at.is_(None),
                    kept,
                )
                .order_by(*order, Habit.id)
            )
        )
        return rank_completions(titles, fold(typed), fold, limit)

    async def other_titles(self, user_id: int, habit_id: int | None = None) -> list[str]:
        """The titles of the person's active habits, but for habit `habit_id`."""
        stmt = select(Habit.title).where(Habit.user_id == user_id, Habit.archived_at.is_(None))
        if habit_id is not None:
            stmt = stmt.where(Habit.id != habit_id)
        return list(await self.session.scalars(stmt))

    async def get_owned(self, user: User, habit_id: int) -> Habit | None:
        habit = await self.session.get(Habit, habit_id)
        if habit is None or habit.user_id != user.id or habit.archived_at is not None:
            return None
        return habit

    async def checkin_count(self, habit: Habit) -> int:
        """How many days this habit has an entry for (done or skipped)."""
        stmt = select(func.count()).select_from(HabitLog).where(HabitLog.habit_id == habit.id)
        return await self.session.scalar(stmt) or 0

    async def find(
        self,
        user: User,
        ref: str,
        habits: Sequence[Habit] | None = None,
        *,
        archived: bool = False,
    ) -> Habit:
        """A habit by its number in /habits, its title, or a unique word or part of one
        (core/habits/matching.py). Ambiguous and NotFound carry the habits to pick from.
        With `archived`, among the archived habits (numbered as /archived numbers them)."""
        if habits is None:
            habits = await (self.archived(user) if archived else self.active(user))
        habits = list(habits)
        if not habits and archived:
            raise NotFound("You have no archived habits. /deletehabit offers to archive one.")
        if not habits:
            raise NotFound("You have no habits yet. Create one with /newhabit.")
        typed = " ".join(ref.split())
        listed = "/archived" if archived else "/habits"
        if not typed:
            raise InvalidInput(f"Which habit? Give its name or its number from {listed}.")
        match = match_title(typed, [h.title for h in habits])
        if match.found is not None:
            return habits[match.found]
        noun = "archived habit" if archived else "habit"
        if match.number_out_of_range:
            raise NotFound(
                f"There is no {noun} number {shorten(typed)}; you have {len(habits)}"
                + (" (see /archived)." if archived else ".")
            )
        if match.ambiguous:
            found = [habits[i] for i in match.ambiguous]
            raise Ambiguous(
                f"{shorten(typed)!r} matches {len(found)} {noun}s.",
                [h.title for h in found],
                choices=[Choice(h.id, h.title) for h in found],
                typed=typed,
            )
        close = [habits[i] for i in match.suggestions]
        raise NotFound(
            f"I can't find {'an' if archived else 'a'} {noun} called {shorten(typed)!r}.",
            [h.title for h in close],
            choices=[Choice(h.id, h.title) for h in close],
            typed=typed,
        )

    async def logs(
        self, habits: Sequence[Habit], since: date | None = None, until: date | None = None
    ) -> dict[int, dict[date, CheckinStatus]]:
        """Check-ins of many habits in one query: habit id -> day -> status."""
        result: dict[int, dict[date, CheckinStatus]] = defaultdict(dict)
        if not habits:
            return result
        stmt = select(HabitLog.habit_id, HabitLog.day, HabitLog.status).where(
            HabitLog.habit_id.in_([h.id for h in habits])
        )
        if since is not None:
            stmt = stmt.where(HabitLog.day >= since)
        if until is not None:
            stmt = stmt.where(HabitLog.day <= until)
        for habit_id, day, status in (await self.session.execute(stmt)).all():
            result[habit_id][day] = CheckinStatus(status)
        return result

    async def recent(
        self,
        habits: Sequence[Habit],
        today: date | Mapping[int, date],
        since: date | None = None,
    ) -> dict[int, Recent]:
        """Statistics and recent history of many habits in one query, however long their past.

        `today` is the owners' local date, or one per user id. A habit with a usable stored
        checkpoint (core/habits/aggregate.py) reads only its logs from `window_start(today)`
        on, or from `since` when that is earlier; the others read all their logs once and
        get a checkpoint, kept in the unit of work. A checkpoint more than two weeks old
        moves forward. Histories hold the days read (always today and the 41 before it) and
        the habit's true start; the statistics are `compute_stats` of the full history.
        """
        if not habits:
            return {}
        day_of = {h.id: today if isinstance(today, date) else today[h.user_id] for h in habits}
        windowed = [h for h in habits if usable(h.checkpoint, h.schedule, day_of[h.id])]
        kept_ids = {h.id for h in windowed}
        full = [h.id for h in habits if h.id not in kept_ids]
        params: dict[str, Any] = {}
        if windowed:
            lo = min([window_start(day_of[h.id]) for h in windowed] + [since or date.max])
            params.update(windowed=[h.id for h in windowed], since=lo)
        if full:
            params["full"] = full
        stmt = RECENT_LOGS[bool(windowed), bool(full)]
        logs: dict[int, dict[date, CheckinStatus]] = defaultdict(dict)
        for habit_id, day, status in (await self.session.execute(stmt, params)).all():
            logs[habit_id][day] = CheckinStatus(status)
        out: dict[int, Recent] = {}
        for h in habits:
            checkpoint = h.checkpoint if h.id in kept_ids else None
            stats, history, kept = evaluate(
                checkpoint, h.schedule, h.start_date, logs.get(h.id, {}), day_of[h.id], h.away
            )
            h.checkpoint = kept  # an UPDATE only when it changed
            out[h.id] = Recent(history, stats)
        return out

    # --- writing -------------------------------------------------------------------------
    async def create(self, user: User, draft: HabitDraft, today: date) -> Habit:
        await lock_user(self.session, user.id)  # concurrent creations count one after another
        rows = (
            await self.session.execute(
                select(Habit.title, Habit.archived_at.is_(None), Habit.position).where(
                    Habit.user_id == user.id
                )
            )
        ).all()
        active = [title for title, is_active, _ in rows if is_active]
        last = max((position for *_, position in rows), default=0)
        if len(active) >= MAX_ACTIVE_HABITS:
            raise InvalidInput(
                f"You already have {MAX_ACTIVE_HABITS} habits. "
                "Archive one with /deletehabit first.",
                code=Code.HABIT_LIMIT,
                facts={"limit": MAX_ACTIVE_HABITS},
            )
        refuse_duplicate(draft.title, active)
        habit = Habit(
            user_id=user.id,
            title=draft.title,
            why=draft.why,
            identity_goal=draft.identity_goal,
            minimal_dose=draft.minimal_dose,
            implementation_intention=draft.implementation_intention,
            loop={"cue": draft.cue, "routine": draft.title, "reward": draft.reward},
            start_date=today,
            created_on=today,
            position=int(last or 0) + 1,  # after all of theirs: positions never repeat
            created_at=self.clock.now(),
        )
        habit.schedule = draft.schedule
        habit.checkpoint = checkpoint_of(
            HabitHistory(draft.schedule, today), today, checkpoint_day(today)
        )  # nothing before today: statistics never need to read the past
        self.session.add(habit)
        await self.session.flush()
        return habit

    async def edit(self, habit: Habit, field: EditableField, value: str) -> None:
        text = value.strip()
        if field is EditableField.SCHEDULE:
            try:
                habit.schedule = Schedule.parse(text)
            except ValueError as exc:
                raise InvalidInput(str(exc)) from None
            return
        if field is EditableField.TITLE:
            draft = HabitDraft.build(title=text)
            await lock_user(self.session, habit.user_id)  # as create: one title change at a time
            refuse_duplicate(draft.title, await self.other_titles(habit.user_id, habit.id))
            habit.title = draft.title
            habit.loop = {**habit.loop, "routine": draft.title}
            return
        if len(text) > TEXT_MAX:
            raise InvalidInput(f"That is too long (at most {TEXT_MAX} characters).")
        cleared = None if text in {"", "-"} else text
        if field is EditableField.WHY:
            habit.why = cleared
        elif field is EditableField.IDENTITY:
            habit.identity_goal = cleared
        elif field is EditableField.DOSE:
            habit.minimal_dose = cleared
        elif field is EditableField.INTENTION:
            habit.implementation_intention = cleared
        else:
            habit.loop = {**habit.loop, field.value: cleared}

    async def archive(self, habit: Habit, today: date) -> None:
        """Off the list from now; its days away start `today` (the person's day), an open
        range that the restore closes (core/habits/archive.py)."""
        habit.archived_at = self.clock.now()
        habit.away = merge_away([*habit.away, (today, OPEN_END)])

    async def delete(self, habit: Habit) -> None:
        await self.session.delete(habit)

    async def check_in(self, habit: Habit, day: date, status: CheckinStatus) -> CheckinResult:
        if day < habit.start_date and status is CheckinStatus.SKIPPED:
            # A skip there would start the history on a day off, and every day between it and
            # the start would count as missed.
            raise InvalidInput(
                f"{habit.title} starts on {_day(habit.start_date)}, so there is nothing to skip "
                f"on {_day(day)}. A /done for that day would start it there.",
                code=Code.SKIP_BEFORE_START,
                facts={"title": habit.title, "start": habit.start_date, "day": day},
            )
        if status is CheckinStatus.SKIPPED and not habit.schedule.is_scheduled(day):
            # A rest day owes nothing; a skip there would only shrink the week's count of due days.
            raise InvalidInput(
                f"{habit.title} is not due on {day.strftime('%A')}s (it is "
                f"{habit.schedule.phrase()}), so there is nothing to skip on {_day(day)}.",
                code=Code.SKIP_REST_DAY,
                facts={"title": habit.title, "day": day, "schedule": habit.schedule.phrase()},
            )
        if day < habit.start_date:
            habit.start_date = day  # checking in before creation extends the habit's history
        habit.checkpoint = after_write(habit.checkpoint, day)
        # One statement: insert the day, or change its status; no row back when it was already so.
        params = {
            "habit_id": habit.id,
            "day": day,
            "status": status.value,
            "created_at": self.clock.now(),
        }
        changed = (
            await self.session.execute(checkin_upsert(self.session), params)
        ).scalar_one_or_none() is not None
        # Unchanged: the day already had this status, or this is a skip of a done day (a skip
        # never replaces a done); `recent`'s history tells which.
        return CheckinResult(habit, day, status, changed=changed)

    async def undo(self, habit: Habit, day: date) -> CheckinResult:
        """Take the day's check-in back: the day is open again, or skipped again when it was a
        done that replaced a skip (status SKIPPED then)."""
        habit.checkpoint = after_write(habit.checkpoint, day)
        stmt = (
            delete(HabitLog)
            .where(HabitLog.habit_id == habit.id, HabitLog.day == day)
            .returning(HabitLog.was_skipped)
        )
        gone = (await self.session.execute(stmt)).scalars().all()
        if any(gone):  # only then a second statement: the skip the done replaced
            params = {
                "habit_id": habit.id,
                "day": day,
                "status": CheckinStatus.SKIPPED.value,
                "created_at": self.clock.now(),
            }
            await self.session.execute(checkin_upsert(self.session), params)
            return CheckinResult(habit, day, CheckinStatus.SKIPPED, changed=True)
        changed = bool(gone)
        if changed and day == habit.start_date and habit.created_on is not None:
            await self._restart(habit, habit.created_on)
        return CheckinResult(habit, day, None, changed=changed)

    async def _restart(self, habit: Habit, created_on: date) -> None:
        """After undoing the check-in a habit's history started with: it starts again at its
        earliest check-in left, or on the day it was created."""
        earliest = await self.session.scalar(
            select(func.min(HabitLog.day)).where(HabitLog.habit_id == habit.id)
        )
        start = min(created_on, earliest) if earliest is not None else created_on
        if start != habit.start_date:
            habit.start_date = start
            habit.checkpoint = None  # it may count the days before the new start


def _day(day: date) -> str:
    """'Wed 25 Mar', as the chat replies write a day."""
    return day.strftime("%a %d %b").replace(" 0", " ")


def history_of(habit: Habit, entries: dict[date, CheckinStatus]) -> HabitHistory:
    start = min([habit.start_date, *entries]) if entries else habit.start_date
    return HabitHistory(schedule=habit.schedule, start=start, entries=entries, away=habit.away)
