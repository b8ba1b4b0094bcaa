"""/api/v1/habits: the person's habits with today's status, streak and strength; create, read,
update, archive, delete; the archived ones (paged) and restoring one; check in, skip and undo a
day; the week; stats. The rules are the chat's: HabitDraft and HabitService.edit for fields,
HabitService.restore for bringing one back, check_day for which days may change."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import MISSING, BaseModel, Field, ValidationError

from core.days import check_day
from core.db.models import Habit, User
from core.errors import Code, InvalidField, InvalidInput
from core.habits.history import CheckinStatus, DayMark, week_start
from core.habits.schedule import Schedule, ScheduleError
from core.habits.service import TEXT_MAX, TITLE_MAX, EditableField, HabitDraft, Recent
from core.habits.tracker import week_rows
from web_admin.context import CurrentUser, Unit, UnitDep
from web_admin.error_codes import Err
from web_admin.error_words import as_field
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    CleanText,
    Cursor,
    Id,
    IsoDay,
    Page,
    RequestBody,
    decode_cursor,
    encode_cursor,
    not_null,
    sane_date,
)

router = APIRouter(prefix="/api/v1/habits", tags=["habits"], route_class=ApiRoute)
NO_HABIT = "There is no such habit."
EMPTY = "The {name} can't be empty."
KEEP = "Leave the field out to keep it."
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Text = Annotated[CleanText | None, Field(default=None, max_length=TEXT_MAX)]


class Today(BaseModel):
    date: Day
    status: Literal["done", "skipped"] | None
    scheduled: bool


class HabitOut(BaseModel):
    id: int
    title: str
    schedule: str = Field(description="In words: 'every day', 'Mon, Wed, Fri', '3 times a week'")
    schedule_kind: Literal["daily", "weekdays", "weekly"]
    weekdays: list[int] = Field(description="0 = Monday … 6 = Sunday, for weekdays schedules")
    times_per_week: int = Field(description="How many times a week it is due (7 every day)")
    why: str | None
    identity_goal: str | None
    minimal_dose: str | None
    implementation_intention: str | None
    cue: str | None
    reward: str | None
    start_date: Day
    today: Today
    streak: int
    streak_unit: Literal["days", "weeks"]
    strength: float = Field(description="0 to 1, Loop Habit Tracker's habit strength")
    done_total: int = Field(description="Done days so far, toward 66")


class ArchivedHabitOut(BaseModel):
    id: int
    title: str
    schedule: str = Field(description="In words: 'every day', 'Mon, Wed, Fri', '3 times a week'")
    start_date: Day
    archived_at: datetime
    done_total: int = Field(description="Done days, all kept")
    best_streak: int
    streak_unit: Literal["days", "weeks"]


class HabitCreate(RequestBody):
    title: CleanText = Field(max_length=TITLE_MAX * 2)
    schedule: CleanText = Field(default="daily", max_length=100, description="As /newhabit takes")
    why: Text = None
    identity_goal: Text = None
    minimal_dose: Text = None
    implementation_intention: Text = None
    cue: Text = None
    reward: Text = None


class HabitPatch(RequestBody):
    """Only the fields given change; null or "" clears an optional field. The title and the
    schedule can't be cleared: optional but not nullable, null is a 422 on the field."""

    title: Annotated[CleanText | MISSING, not_null(f"Give the habit's title. {KEEP}")] = Field(
        default=MISSING, max_length=TITLE_MAX * 2
    )
    schedule: Annotated[
        CleanText | MISSING, not_null(f"Give a schedule, such as daily or mon wed fri. {KEEP}")
    ] = Field(default=MISSING, max_length=100)
    why: Text = None
    identity_goal: Text = None
    minimal_dose: Text = None
    implementation_intention: Text = None
    cue: Text = None
    reward: Text = None


PATCH_FIELDS = {
    "title": EditableField.TITLE,
    "schedule": EditableField.SCHEDULE,
    "why": EditableField.WHY,
    "identity_goal": EditableField.IDENTITY,
    "minimal_dose": EditableField.DOSE,
    "implementation_intention": EditableField.INTENTION,
    "cue": EditableField.CUE,
    "reward": EditableField.REWARD,
}


class CheckinBody(RequestBody):
    status: Literal["done", "skipped"] = Field(
        default="done",
        description="A skip keeps the streak; it never replaces a done (a 422, already_done: "
        "undo the done first)",
    )
    date: IsoDay | None = Field(default=None, description="Default: your today; up to 7 days back")


class CheckinOut(BaseModel):
    habit: HabitOut
    date: Day
    status: Literal["done", "skipped"] | None
    changed: bool


class HabitWeek(BaseModel):
    id: int
    title: str
    days: list[DayMark] = Field(
        min_length=7,
        max_length=7,
        description="Monday to Sunday, as the chat's /week shows them: done; skipped; missed "
        "(due, not done); pending (due today, not done yet); open (not done, and not required: "
        "an N-times-a-week habit); not_scheduled (a rest day); future; before_start (the habit "
        "had not begun: blank in the chat); away (the habit was archived: nothing was owed).",
    )


class Week(BaseModel):
    start: Day = Field(description="The Monday of the week")
    habits: list[HabitWeek] = Field(
        description="Your active habits in your order; one begun after the week is not in it "
        "(as in the chat's /week), so a week before all of them has none."
    )


class Stats(BaseModel):
    current_streak: int
    best_streak: int
    streak_unit: Literal["days", "weeks"]
    strength: float
    done_total: int
    rate_7: float | None
    rate_30: float | None


def habit_out(habit: Habit, recent: Recent, today: Day) -> HabitOut:
    history, stats = recent.history, recent.stats
    status = history.status(today)
    schedule = habit.schedule
    return HabitOut(
        id=habit.id,
        title=habit.title,
        schedule=schedule.describe(),
        schedule_kind=schedule.kind.value,
        weekdays=sorted(schedule.weekdays),
        times_per_week=schedule.per_week,
        why=habit.why,
        identity_goal=habit.identity_goal,
        minimal_dose=habit.minimal_dose,
        implementation_intention=habit.implementation_intention,
        cue=habit.loop.get("cue"),
        reward=habit.loop.get("reward"),
        start_date=habit.start_date,
        today=Today(
            date=today,
            status=status.value if status else None,
            scheduled=schedule.is_scheduled(today),
        ),
        streak=stats.current_streak,
        streak_unit=stats.streak_unit,
        strength=round(stats.strength, 4),
        done_total=stats.done_total,
    )


async def owned(unit: Unit, user: User, habit_id: int) -> Habit:
    habit = await unit.habits.get_owned(user, habit_id)
    if habit is None:
        raise ApiError(404, NO_HABIT)
    return habit


async def one(unit: Unit, user: User, habit: Habit) -> HabitOut:
    today = unit.today(user)
    return habit_out(habit, (await unit.habits.recent([habit], today))[habit.id], today)


def parse_schedule(text: str) -> Schedule:
    try:
        return Schedule.parse(text)
    except ScheduleError as exc:
        raise InvalidField("schedule", str(exc)) from None


@router.get("", response_model=list[HabitOut], summary="Your habits, with today's status")
async def list_habits(user: CurrentUser, unit: UnitDep) -> list[HabitOut]:
    habits = await unit.habits.active(user)
    today = unit.today(user)
    recent = await unit.habits.recent(habits, today)
    return [habit_out(h, recent[h.id], today) for h in habits]


@router.post("", status_code=201, response_model=HabitOut, summary="Create a habit")
async def create_habit(body: HabitCreate, user: CurrentUser, unit: UnitDep) -> HabitOut:
    fields = body.model_dump(exclude={"schedule"})
    try:
        draft = HabitDraft.model_validate({**fields, "schedule": parse_schedule(body.schedule)})
    except ValidationError:
        draft = HabitDraft.build(**fields)  # raises the friendly, field-named error
    habit = await unit.habits.create(user, draft, unit.today(user))
    return await one(unit, user, habit)


@router.get("/week", response_model=Week, summary="The weekly tracker (Monday to Sunday)")
async def week(
    user: CurrentUser,
    unit: UnitDep,
    start: Annotated[
        IsoDay | None, Query(description="Any day of the week; default: this week")
    ] = None,
) -> Week:
    today = unit.today(user)
    monday = week_start(sane_date(start or today, "start"))
    habits = await unit.habits.active(user)
    recent = await unit.habits.recent(habits, today, since=monday)
    rows = week_rows(((h, recent[h.id].history) for h in habits), monday, today)
    return Week(
        start=monday,
        habits=[HabitWeek(id=h.id, title=h.title, days=marks) for h, marks in rows],
    )


@router.get(
    "/archived",
    response_model=Page[ArchivedHabitOut],
    summary="Your archived habits, the most recently archived first",
)
async def archived_habits(
    user: CurrentUser, unit: UnitDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[ArchivedHabitOut]:
    offset = decode_cursor(cursor, first=0)
    habits = await unit.habits.archived(user)
    page = habits[offset : offset + limit]
    recent = await unit.habits.recent(page, unit.today(user))
    items = [
        ArchivedHabitOut(
            id=h.id,
            title=h.title,
            schedule=h.schedule.describe(),
            start_date=h.start_date,
            archived_at=h.archived_at or h.created_at,  # always set: they are the archived ones
            done_total=recent[h.id].stats.done_total,
            best_streak=recent[h.id].stats.best_streak,
            streak_unit=recent[h.id].stats.streak_unit,
        )
        for h in page
    ]
    more = len(habits) > offset + limit
    return Page(items=items, next_cursor=encode_cursor(offset + limit) if more else None)


@router.get("/{habit_id}", response_model=HabitOut, summary="One habit")
async def get_habit(habit_id: Id, user: CurrentUser, unit: UnitDep) -> HabitOut:
    return await one(unit, user, await owned(unit, user, habit_id))


@router.patch("/{habit_id}", response_model=HabitOut, summary="Change a habit's fields")
async def update_habit(
    habit_id: Id, body: HabitPatch, user: CurrentUser, unit: UnitDep
) -> HabitOut:
    habit = await owned(unit, user, habit_id)
    for name, value in body.model_dump(exclude_unset=True).items():
        if name in {"title", "schedule"} and not (value or "").strip():  # "" is no schedule,
            raise InvalidField(name, EMPTY.format(name=name))  # not "daily"
        try:
            await unit.habits.edit(habit, PATCH_FIELDS[name], value or "")
        except InvalidField:
            raise
        except InvalidInput as exc:
            raise as_field(name, exc) from None
    return await one(unit, user, habit)


@router.post(
    "/{habit_id}/archive",
    response_model=None,
    status_code=204,
    summary="Archive a habit (a habit archived already: 204 too, nothing changes)",
)
async def archive_habit(habit_id: Id, user: CurrentUser, unit: UnitDep) -> Response:
    """Off the list, with all its history and reminders kept (GET /habits/archived lists it,
    POST /habits/{habit_id}/restore brings it back). Idempotent, as a check-in of a day done
    already is: archiving an archived habit again answers 204 and changes nothing (it keeps
    its `archived_at`)."""
    habit = await unit.habits.get_owned(user, habit_id)
    if habit is None:
        if await unit.habits.get_archived(user, habit_id) is None:
            raise ApiError(404, NO_HABIT)
        return Response(status_code=204)
    await unit.habits.archive(habit, unit.today(user))
    return Response(status_code=204)


@router.post(
    "/{habit_id}/restore",
    response_model=HabitOut,
    summary="Bring an archived habit back (an active habit: 200 too, nothing changes)",
)
async def restore_habit(habit_id: Id, user: CurrentUser, unit: UnitDep) -> HabitOut:
    """With all its history and reminders, last on the list; a 422 when an active habit has
    its title (on `title`) or you have the most active habits, and nothing changes.
    Idempotent: restoring a habit that is on your list already (restored meanwhile, or never
    archived) answers it as it is, 200, and changes nothing."""
    habit = await unit.habits.get_archived(user, habit_id)
    if habit is None:
        return await one(unit, user, await owned(unit, user, habit_id))
    try:
        await unit.habits.restore(user, habit)
    except InvalidInput as exc:
        if exc.code is not Code.ALREADY_ACTIVE:  # restored by another request meanwhile
            raise
    return await one(unit, user, habit)


@router.delete("/{habit_id}", status_code=204, summary="Delete a habit and its history")
async def delete_habit(habit_id: Id, user: CurrentUser, unit: UnitDep) -> Response:
    """An active habit, or an archived one (GET /habits/archived lists them): gone for good,
    with its check-ins and reminders."""
    habit = await unit.habits.get_owned(user, habit_id) or await unit.habits.get_archived(
        user, habit_id
    )
    if habit is None:
        raise ApiError(404, NO_HABIT)
    await unit.habits.delete(habit)
    return Response(status_code=204)


@router.post("/{habit_id}/checkins", response_model=CheckinOut, summary="Check in or skip a day")
async def check_in(
    habit_id: Id, user: CurrentUser, unit: UnitDep, body: CheckinBody | None = None
) -> CheckinOut:
    """No body: a done for today."""
    body = body or CheckinBody()
    habit = await owned(unit, user, habit_id)
    today = unit.today(user)
    day = _day(body.date or today, today)
    status = CheckinStatus(body.status)
    if status is CheckinStatus.SKIPPED:  # a skip never replaces a done: refused, as in the chat
        stored = (await unit.habits.logs([habit], since=day, until=day))[habit.id].get(day)
        if stored is CheckinStatus.DONE:
            undo = f"DELETE /api/v1/habits/{habit.id}/checkins/{day.isoformat()}"
            raise ApiError(
                422,
                f"{habit.title} was already done on {day.isoformat()}. To skip it instead, take "
                f"the done back first: {undo}.",
                code=Err.ALREADY_DONE,
                field="status",
            )
    result = await unit.habits.check_in(habit, day, status)
    return CheckinOut(
        habit=await one(unit, user, habit), date=day, status=body.status, changed=result.changed
    )


@router.delete(
    "/{habit_id}/checkins/{day}", response_model=CheckinOut, summary="Undo a day's check-in"
)
async def undo(habit_id: Id, day: IsoDay, user: CurrentUser, unit: UnitDep) -> CheckinOut:
    habit = await owned(unit, user, habit_id)
    checked = _day(day, unit.today(user), "day")  # the path's name for it
    result = await unit.habits.undo(habit, checked)
    status = "skipped" if result.status is CheckinStatus.SKIPPED else None  # a done over a skip
    return CheckinOut(
        habit=await one(unit, user, habit), date=checked, status=status, changed=result.changed
    )


@router.get("/{habit_id}/stats", response_model=Stats, summary="Streaks, strength and rates")
async def stats(habit_id: Id, user: CurrentUser, unit: UnitDep) -> Stats:
    habit = await owned(unit, user, habit_id)
    today = unit.today(user)
    s = (await unit.habits.recent([habit], today))[habit.id].stats
    return Stats(
        current_streak=s.current_streak,
        best_streak=s.best_streak,
        streak_unit=s.streak_unit,
        strength=round(s.strength, 4),
        done_total=s.done_total,
        rate_7=s.rate_7,
        rate_30=s.rate_30,
    )


def _day(day: Day, today: Day, field: str = "date") -> Day:
    sane_date(day, field)
    try:
        return check_day(day, today)
    except InvalidInput as exc:
        raise as_field(field, exc) from None
