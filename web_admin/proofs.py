"""Proofs: upload a photo to a group (the chat's normalisation, limits and optional check-in),
and a group's week of proofs for its members, each with links that expire."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, UploadFile
from pydantic import BaseModel, Field

from core.habits.history import CheckinStatus, week_start
from core.media.images import normalise_proof_async
from core.media.limits import MAX_UPLOAD_BYTES, TOO_LARGE, ImageRejected
from core.proofs.service import NOTE_MAX
from core.summary.week import group_date
from web_admin.context import CurrentUser, UnitDep
from web_admin.groups import member_group
from web_admin.problems import MULTIPART, ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import CleanText, Id, IsoDay, RequestBody, sane_date

router = APIRouter(prefix="/api/v1/groups", tags=["proofs"], route_class=ApiRoute)


class ProofOut(BaseModel):
    id: int
    user_id: int
    author: str
    habit_id: int | None
    date: Day
    note: str | None
    image_url: str
    thumb_url: str
    album: str | None = Field(
        description="Photos posted together (a Telegram album) share it: they are one proof"
    )
    created_at: datetime


class Uploaded(BaseModel):
    proof: ProofOut
    checked_in: bool = Field(description="Whether the named habit was checked in for today")
    proofs_this_week: int


class ProofForm(RequestBody):
    """A proof's multipart form: a field it does not know is a 422 naming it, as in JSON."""

    photo: UploadFile = Field(description="JPEG, PNG, WebP or GIF")
    habit_id: int | None = Field(None, ge=1, le=2_147_483_647)
    note: CleanText | None = Field(None, max_length=NOTE_MAX)


class ProofWeek(BaseModel):
    week_start: Day
    proofs: list[ProofOut]


@router.post(
    "/{group_id}/proofs",
    status_code=201,
    response_model=Uploaded,
    summary="Post a proof photo (multipart); naming a habit checks it in for today",
)
async def upload(
    group_id: Id,
    user: CurrentUser,
    unit: UnitDep,
    form: Annotated[ProofForm, Form(media_type=MULTIPART)],
) -> Uploaded:
    photo, habit_id, note = form.photo, form.habit_id, form.note
    group = await member_group(unit, user, group_id)
    habit = None
    if habit_id is not None:
        habit = await unit.habits.get_owned(user, habit_id)
        if habit is None:
            raise ApiError(404, "There is no such habit.")
    data = await photo.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected(TOO_LARGE)
    image = await normalise_proof_async(data)
    today = unit.today(user)
    posted = await unit.proofs.post(
        group=group, user=user, image=image, day=today, habit=habit, note=note
    )
    proof = posted.proof
    if habit is not None:
        await unit.habits.check_in(habit, today, CheckinStatus.DONE)
    links = unit.web.media_links
    return Uploaded(
        proof=ProofOut(
            id=proof.id,
            user_id=user.id,
            author=user.display_name,
            habit_id=proof.habit_id,
            date=proof.day,
            note=proof.note,
            image_url=await links.url(proof.image_key),
            thumb_url=await links.url(proof.thumb_key),
            album=proof.album,
            created_at=proof.created_at,
        ),
        checked_in=habit is not None,
        proofs_this_week=await unit.proofs.count_week(group, user, proof.week_start),
    )


@router.get("/{group_id}/proofs", response_model=ProofWeek, summary="A group's proofs of one week")
async def week(
    group_id: Id,
    user: CurrentUser,
    unit: UnitDep,
    week: Annotated[
        IsoDay | None, Query(description="Any day of the week; default: this week")
    ] = None,
) -> ProofWeek:
    group = await member_group(unit, user, group_id)
    # the group's week, in its zone, as the board's (a proof counts in the week it was posted)
    day = week or group_date(group.timezone, unit.clock.now())
    monday = week_start(sane_date(day, "week"))
    links = unit.web.media_links
    return ProofWeek(
        week_start=monday,
        proofs=[
            ProofOut(
                id=p.id,
                user_id=p.user_id,
                author=name,
                habit_id=p.habit_id,
                date=p.day,
                note=p.note,
                image_url=await links.url(p.image_key),
                thumb_url=await links.url(p.thumb_key),
                album=p.album,
                created_at=p.created_at,
            )
            for p, name in await unit.proofs.week(group.id, monday)
        ],
    )
