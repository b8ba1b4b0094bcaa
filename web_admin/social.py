"""Trust (list, add, remove) and the summary: my week, with insights from people I trust."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel

from core.db.models import User
from core.habits.history import week_start
from core.social.trust import PersonRef
from core.summary.week import local_week_window
from web_admin.context import CurrentUser, Unit, UnitDep
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import Id

router = APIRouter(prefix="/api/v1", tags=["social"], route_class=ApiRoute)
NO_PERSON = "There is no such person you could know."


class PersonOut(BaseModel):
    user_id: int
    name: str


class TrustOut(BaseModel):
    trusted: list[PersonOut]
    trusted_by: list[PersonOut]


class Added(BaseModel):
    added: bool


class HabitWeekOut(BaseModel):
    habit_id: int
    title: str
    done: int
    due: int
    streak: int
    streak_unit: str
    done_total: int


class GroupProofs(BaseModel):
    group: str
    proofs: int


class InsightOut(BaseModel):
    learning_id: int
    author: str
    group: str
    content: str
    likes: int
    created_at: datetime


class Summary(BaseModel):
    week_start: date
    habits: list[HabitWeekOut]
    proofs: list[GroupProofs]
    insights: list[InsightOut]


async def _known(unit: Unit, user: User, other_id: int) -> PersonRef:
    other = await unit.trust.knowable(user.id, other_id)
    if other is None:
        raise ApiError(404, NO_PERSON)
    return other


async def _overview(unit: Unit, user: User) -> TrustOut:
    found = await unit.trust.overview(user.id)
    return TrustOut(
        trusted=[PersonOut(user_id=p.user_id, name=p.name) for p in found.trusted],
        trusted_by=[PersonOut(user_id=p.user_id, name=p.name) for p in found.trusted_by],
    )


@router.get("/trust", response_model=TrustOut, summary="Whom you trust, and who trusts you")
async def trust_list(user: CurrentUser, unit: UnitDep) -> TrustOut:
    return await _overview(unit, user)


@router.put("/trust/{user_id}", response_model=Added, summary="Trust someone")
async def trust(user_id: Id, user: CurrentUser, unit: UnitDep) -> Added:
    other = await _known(unit, user, user_id)
    return Added(added=await unit.trust.trust(user.id, other.user_id))


@router.delete("/trust/{user_id}", status_code=204, summary="Stop trusting someone")
async def untrust(user_id: Id, user: CurrentUser, unit: UnitDep) -> Response:
    if user_id != user.id:
        await unit.trust.untrust(user.id, user_id)
    return Response(status_code=204)


@router.get("/summary", response_model=Summary, summary="Your week, with trusted insights")
async def summary(user: CurrentUser, unit: UnitDep) -> Summary:
    today = unit.today(user)
    monday = week_start(today)
    weeks = (await unit.summary.habit_weeks([user], {user.id: today}))[user.id]
    since, until = local_week_window(user.settings.timezone, user.settings.day_start_hour, monday)
    insights = await unit.trust.insights(user.id, since, until)
    return Summary(
        week_start=monday,
        habits=[
            HabitWeekOut(
                habit_id=h.habit_id,
                title=h.title,
                done=h.done,
                due=h.due,
                streak=h.streak,
                streak_unit=h.streak_unit,
                done_total=h.done_total,
            )
            for h in weeks
        ],
        proofs=[
            GroupProofs(group=c.group_name, proofs=c.proofs)
            for c in await unit.proofs.user_week_counts(user, monday)
        ],
        insights=[
            InsightOut(
                learning_id=i.message_id,
                author=i.author_name,
                group=i.group_name,
                content=i.content,
                likes=i.likes,
                created_at=i.created_at,
            )
            for i in insights
        ],
    )
