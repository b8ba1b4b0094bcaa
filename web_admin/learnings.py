"""Learnings: the global feed of public groups (newest or top, paged by cursor), a group's
learnings (paged too; a private group's for members only), post, delete your own, like toggle."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from core.errors import Forbidden, NotFound
from core.social.learnings import CONTENT_MAX, FeedMode, Learning
from web_admin.context import CurrentUser, UnitDep
from web_admin.groups import NO_GROUP, Limit, member_group, visible_group
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import (
    DEFAULT_LIMIT,
    CleanText,
    Cursor,
    Id,
    Page,
    RequestBody,
    decode_cursor,
    encode_cursor,
)

router = APIRouter(prefix="/api/v1", tags=["learnings"], route_class=ApiRoute)
GONE = "That learning isn't available."


class LearningOut(BaseModel):
    id: int
    group_id: int
    group: str
    author_id: int
    author: str
    content: str
    likes: int
    liked: bool = Field(description="Whether you like it")
    created_at: datetime


class LearningBody(RequestBody):
    content: CleanText = Field(max_length=CONTENT_MAX * 2)


class LikeOut(BaseModel):
    learning: LearningOut
    liked: bool = Field(description="True: this call added your like; False: it took it back")


def learning_out(item: Learning) -> LearningOut:
    return LearningOut(
        id=item.id,
        group_id=item.group_id,
        group=item.group_name,
        author_id=item.author_id,
        author=item.author_name,
        content=item.content,
        likes=item.likes,
        liked=item.liked,
        created_at=item.created_at,
    )


@router.get("/learnings", response_model=Page[LearningOut], summary="The feed of public groups")
async def feed(
    user: CurrentUser,
    unit: UnitDep,
    order: Annotated[Literal["new", "top"], Query()] = "new",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[LearningOut]:
    page = decode_cursor(cursor, first=1)
    found = await unit.learnings.feed(user.id, FeedMode(order), page=page, per_page=limit)
    return Page(
        items=[learning_out(i) for i in found.items],
        next_cursor=encode_cursor(page + 1) if found.has_next else None,
    )


@router.get(
    "/groups/{group_id}/learnings",
    response_model=Page[LearningOut],
    summary="A group's learnings, newest first, paged",
)
async def group_learnings(
    group_id: Id,
    user: CurrentUser,
    unit: UnitDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[LearningOut]:
    """Every learning of the group, older ones by `next_cursor` (the chat's Older)."""
    offset = decode_cursor(cursor, first=0)
    await visible_group(unit, user, group_id)
    try:
        found = await unit.learnings.recent(group_id, user.id, limit=limit + 1, offset=offset)
    except (Forbidden, NotFound):
        raise ApiError(404, NO_GROUP) from None
    return Page(
        items=[learning_out(i) for i in found[:limit]],
        next_cursor=encode_cursor(offset + limit) if len(found) > limit else None,
    )


@router.post(
    "/groups/{group_id}/learnings",
    status_code=201,
    response_model=LearningOut,
    summary="Share a learning in your group",
)
async def post(group_id: Id, body: LearningBody, user: CurrentUser, unit: UnitDep) -> LearningOut:
    await member_group(unit, user, group_id)
    return learning_out(await unit.learnings.post(group_id, user.id, body.content))


@router.delete("/learnings/{learning_id}", status_code=204, summary="Delete your learning")
async def delete(learning_id: Id, user: CurrentUser, unit: UnitDep) -> Response:
    try:
        await unit.learnings.delete(learning_id, user.id)
    except NotFound:
        raise ApiError(404, GONE) from None
    except Forbidden:
        # Someone else's: a 403 when this person can read it, else the 404 of a like, so that a
        # learning of a private group they are not in is not even said to exist.
        try:
            await unit.learnings.get(learning_id, user.id)
        except NotFound:
            raise ApiError(404, GONE) from None
        raise
    return Response(status_code=204)


@router.post(
    "/learnings/{learning_id}/like", response_model=LikeOut, summary="Like, or take it back"
)
async def like(learning_id: Id, user: CurrentUser, unit: UnitDep) -> LikeOut:
    try:
        result = await unit.learnings.toggle_like(learning_id, user.id)
    except NotFound:
        raise ApiError(404, GONE) from None
    return LikeOut(learning=learning_out(result.learning), liked=result.liked)
