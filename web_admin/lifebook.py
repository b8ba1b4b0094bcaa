"""/api/v1/lifebook: your vision, values, identity, 90-day goals and life domains; private to you.

The rules are the chat's /lifebook (core/lifebook): the same limits, identity statements start
"I am", replacing the goals keeps the id of each goal whose text stays and gives the others new
ids (as `/lifebook goals G; G` does), one goal can be added or removed on its own, and the AI
tool finder reads it only when `ai_allowed` is true.
A habit says which goal or value it serves with PUT /habits/{id}/serves.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import MISSING, BaseModel, Field

from core.db.models import Habit, User
from core.errors import InvalidField, InvalidInput, NotFound
from core.lifebook.identity import identity_statement
from core.lifebook.model import (
    DOMAIN_MAX,
    GOAL_MAX,
    IDENTITY_MAX,
    MAX_DOMAINS,
    MAX_GOALS,
    MAX_IDENTITIES,
    MAX_VALUES,
    SUGGESTED_DOMAINS,
    SUGGESTED_VALUES,
    VALUE_MAX,
    VISION_MAX,
    Lifebook,
    edit,
)
from core.lifebook.service import serves_goal, serves_value, serving_label
from web_admin.context import CurrentUser, Unit, UnitDep
from web_admin.error_words import as_field
from web_admin.field_messages import GOAL_ID_PATTERN
from web_admin.habits import owned
from web_admin.routing import ApiRoute
from web_admin.schemas import CleanText, Flag, Id, IsoDay, RequestBody, not_null, sane_date

router = APIRouter(prefix="/api/v1", tags=["lifebook"], route_class=ApiRoute)
# Bodies may be a little over the limits so the answer can name the rule (as the chat does).
LIST_CAP = 50
GoalId = Annotated[str, Path(pattern=GOAL_ID_PATTERN, description="A goal's id, e.g. g3")]


class HabitRef(BaseModel):
    id: int
    title: str


class ValueOut(BaseModel):
    name: str
    serves_key: str = Field(description="Give this as `serves` to link a habit to this value")
    habits: list[HabitRef] = Field(description="Your habits that serve it")


class GoalOut(BaseModel):
    id: str
    text: str
    due: date | None
    serves_key: str = Field(description="Give this as `serves` to link a habit to this goal")
    habits: list[HabitRef]


class LifebookOut(BaseModel):
    vision: str | None = Field(description="Three to five years ahead")
    values: list[ValueOut] = Field(description=f"Up to {MAX_VALUES}")
    identity: list[str] = Field(
        description=f"'I am someone who …' statements, up to {MAX_IDENTITIES}"
    )
    goals: list[GoalOut] = Field(description=f"For the next 90 days, up to {MAX_GOALS}")
    domains: list[str] = Field(description=f"Life domains you work on, up to {MAX_DOMAINS}")
    ai_allowed: bool = Field(description="May the AI tool finder read it and your habit names?")
    schema_version: int
    suggested_values: list[str]
    suggested_domains: list[str]


class GoalIn(RequestBody):
    text: CleanText = Field(max_length=GOAL_MAX * 2)
    due: IsoDay | None = Field(default=None, description="Optional; YYYY-MM-DD")


class LifebookPatch(RequestBody):
    """Only the sections given change; null, "" or [] clears one. Lists replace the section.
    `ai_allowed` is no section: null there is a 422."""

    vision: CleanText | None = Field(default=None, max_length=VISION_MAX * 2)
    values: list[Annotated[CleanText, Field(max_length=VALUE_MAX * 2)]] | None = Field(
        default=None, max_length=LIST_CAP
    )
    identity: list[Annotated[CleanText, Field(max_length=IDENTITY_MAX * 2)]] | None = Field(
        default=None, max_length=LIST_CAP
    )
    goals: list[GoalIn] | None = Field(
        default=None,
        max_length=LIST_CAP,
        description="Replaces every goal (a goal whose text stays keeps its id)",
    )
    domains: list[Annotated[CleanText, Field(max_length=DOMAIN_MAX * 2)]] | None = Field(
        default=None, max_length=LIST_CAP
    )
    # Not a section: true or false, never cleared (null is a 422, as on PATCH me's fields).
    ai_allowed: Annotated[
        Flag | MISSING, not_null("Give true or false. Leave the field out to keep it.")
    ] = MISSING


class ServesBody(RequestBody):
    serves: CleanText | None = Field(
        max_length=300, description="A `serves_key` from GET /lifebook (goal:g1, value:health)"
    )


class ServesOut(BaseModel):
    habit_id: int
    serves: str | None
    label: str | None = Field(description="The goal's text or the value's name")


def lifebook_out(book: Lifebook, serving: dict[str, list[Habit]]) -> LifebookOut:
    def refs(key: str) -> list[HabitRef]:
        return [HabitRef(id=h.id, title=h.title) for h in serving.get(key, [])]

    return LifebookOut(
        vision=book.vision,
        values=[
            ValueOut(name=v, serves_key=serves_value(v), habits=refs(serves_value(v)))
            for v in book.values
        ],
        identity=list(book.identity),
        goals=[
            GoalOut(
                id=g.id,
                text=g.text,
                due=g.due,
                serves_key=serves_goal(g.id),
                habits=refs(serves_goal(g.id)),
            )
            for g in book.goals
        ],
        domains=list(book.domains),
        ai_allowed=book.ai_allowed,
        schema_version=book.schema_version,
        suggested_values=list(SUGGESTED_VALUES),
        suggested_domains=list(SUGGESTED_DOMAINS),
    )


async def current(unit: Unit, user: User, book: Lifebook | None = None) -> LifebookOut:
    book = unit.lifebook.read(user) if book is None else book
    habits = await unit.habits.active(user)
    return lifebook_out(book, unit.lifebook.habits_by_target(book, habits))


def _changed(book: Lifebook, body: LifebookPatch, name: str, today: date) -> Lifebook:
    """One section changed under the chat's rules; a broken rule names the field."""
    try:
        if name == "goals":
            goals = body.goals or []
            for n, goal in enumerate(goals):
                if goal.due is not None:
                    sane_date(goal.due, f"goals.{n}.due")
            kept = [(g.text, g.due) for g in goals if g.text.strip()]
            return book.with_goals(kept, today=today)
        if name == "vision":
            return edit(book, vision=" ".join((body.vision or "").split()) or None)
        items: list[str] = getattr(body, name) or []
        if name == "identity":
            items = [identity_statement(s) for s in items if s.strip()]
        return edit(book, **{name: items})
    except InvalidField:
        raise
    except InvalidInput as exc:
        raise as_field(name, exc) from None


@router.get("/lifebook", response_model=LifebookOut, summary="Your Lifebook (only you see it)")
async def get_lifebook(user: CurrentUser, unit: UnitDep) -> LifebookOut:
    return await current(unit, user)


@router.patch("/lifebook", response_model=LifebookOut, summary="Change sections of your Lifebook")
async def update_lifebook(body: LifebookPatch, user: CurrentUser, unit: UnitDep) -> LifebookOut:
    book = unit.lifebook.read(user)
    given = body.model_fields_set
    for name in ("vision", "values", "identity", "goals", "domains"):
        if name in given:
            book = _changed(book, body, name, unit.lifebook.today(user))
    if isinstance(body.ai_allowed, bool):  # given (MISSING: left out)
        book = edit(book, ai_allowed=body.ai_allowed)
    return await current(unit, user, unit.lifebook.save(user, book))


@router.post("/lifebook/goals", status_code=201, response_model=LifebookOut, summary="Add one goal")
async def add_goal(body: GoalIn, user: CurrentUser, unit: UnitDep) -> LifebookOut:
    text = " ".join(body.text.split())
    if not text:
        raise InvalidField("text", "Tell me the goal, e.g. Run 5 km.")
    if body.due is not None:
        sane_date(body.due, "due")
    try:
        book = unit.lifebook.read(user).with_goal(text, body.due, today=unit.lifebook.today(user))
    except InvalidInput as exc:
        field = "due" if "has passed" in exc.message else "text"
        field = "goals" if "goals already" in exc.message else field
        raise as_field(field, exc) from None
    return await current(unit, user, unit.lifebook.save(user, book))


@router.delete("/lifebook/goals/{goal_id}", response_model=LifebookOut, summary="Remove one goal")
async def remove_goal(goal_id: GoalId, user: CurrentUser, unit: UnitDep) -> LifebookOut:
    book = unit.lifebook.remove_goal(user, goal_id)  # NotFound: 404
    return await current(unit, user, book)


@router.delete("/lifebook", status_code=204, summary="Erase your Lifebook (habits stay, unlinked)")
async def delete_lifebook(user: CurrentUser, unit: UnitDep) -> Response:
    await unit.lifebook.delete(user)
    return Response(status_code=204)


NOT_A_KEY = (
    "Give the serves_key of a goal or value from GET /api/v1/lifebook, such as goal:g1 or "
    "value:health."
)


@router.put(
    "/habits/{habit_id}/serves",
    response_model=ServesOut,
    tags=["habits"],
    summary="Say which goal or value of your Lifebook a habit serves (null: none)",
)
async def set_serves(habit_id: Id, body: ServesBody, user: CurrentUser, unit: UnitDep) -> ServesOut:
    habit = await owned(unit, user, habit_id)
    key = body.serves.strip().lower() if body.serves and body.serves.strip() else None
    if key is not None and not key.startswith(("goal:", "value:")):
        raise InvalidField("serves", NOT_A_KEY)
    try:
        label = unit.lifebook.link(user, habit, key)
    except NotFound as exc:
        raise as_field("serves", exc) from None
    return ServesOut(habit_id=habit.id, serves=habit.serves, label=label)


@router.get(
    "/habits/{habit_id}/serves",
    response_model=ServesOut,
    tags=["habits"],
    summary="Which goal or value of your Lifebook a habit serves",
)
async def get_serves(habit_id: Id, user: CurrentUser, unit: UnitDep) -> ServesOut:
    habit = await owned(unit, user, habit_id)
    label = serving_label(unit.lifebook.read(user), habit.serves)
    return ServesOut(habit_id=habit.id, serves=habit.serves if label else None, label=label)
