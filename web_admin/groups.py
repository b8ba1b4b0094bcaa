"""/api/v1/groups: discover public groups, mine, details, join (public, or by invite code), leave.

A private group is invisible to non-members: every route answers 404 for it, as if it did not
exist (the chat's rule: nothing of a private group is shown to non-members)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from core.db.models import Group, GroupRole, User
from core.errors import Code, Forbidden, InvalidField
from core.groups.service import GroupView
from web_admin.context import CurrentUser, Unit, UnitDep
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Cursor,
    ExactText,
    Id,
    Page,
    RequestBody,
    decode_cursor,
    encode_cursor,
)

router = APIRouter(prefix="/api/v1/groups", tags=["groups"], route_class=ApiRoute)
NO_GROUP = "There is no such group."
NO_CODE = "Give the group's invite code; its members see it in GET /api/v1/groups/{group_id}."
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


class GroupOut(BaseModel):
    id: int
    name: str
    public: bool
    members: int
    role: GroupRole | None = Field(description="Your role; null when you are not a member")


class MemberOut(BaseModel):
    user_id: int
    name: str
    role: GroupRole


class GroupDetail(GroupOut):
    member_list: list[MemberOut]
    invite_code: str | None = Field(description="For members only")


class JoinBody(RequestBody):
    invite_code: ExactText = Field(max_length=64)


class Joined(BaseModel):
    group: GroupOut
    joined: bool = Field(description="False when you were a member already")


def group_out(view: GroupView) -> GroupOut:
    g = view.group
    return GroupOut(id=g.id, name=g.name, public=g.is_public, members=view.members, role=view.role)


async def visible_group(unit: Unit, user: User, group_id: int) -> tuple[Group, GroupRole | None]:
    """The group and the user's role in it; 404 when it is private and they are not in it."""
    group = await unit.groups.get(group_id)
    if group is None:
        raise ApiError(404, NO_GROUP)
    role = await unit.groups.role(group, user)
    if not group.is_public and role is None:
        raise ApiError(404, NO_GROUP)
    return group, role


async def member_group(unit: Unit, user: User, group_id: int) -> Group:
    """For members only: 404 for a private group, 403 for a public one they could join."""
    group, role = await visible_group(unit, user, group_id)
    if role is None:
        facts = {"group": group.name, "group_id": group.id}
        raise Forbidden("Only members can do that.", code=Code.MEMBERS_ONLY, facts=facts)
    return group


@router.get("/public", response_model=Page[GroupOut], summary="Public groups to join")
async def public_groups(
    user: CurrentUser, unit: UnitDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[GroupOut]:
    offset = decode_cursor(cursor, first=0)
    views = await unit.groups.public_groups(limit=limit + 1, offset=offset)  # the page's rows
    page = views[:limit]
    mine = {v.group.id: v.role for v in await unit.groups.groups_of(user)}
    items = [group_out(GroupView(v.group, v.members, mine.get(v.group.id))) for v in page]
    more = len(views) > limit
    return Page(items=items, next_cursor=encode_cursor(offset + limit) if more else None)


@router.get("/mine", response_model=list[GroupOut], summary="The groups you are in")
async def my_groups(user: CurrentUser, unit: UnitDep) -> list[GroupOut]:
    return [group_out(v) for v in await unit.groups.groups_of(user)]


@router.post("/join", response_model=Joined, summary="Join a group with its invite code")
async def join_by_code(body: JoinBody, user: CurrentUser, unit: UnitDep) -> Joined:
    if not body.invite_code.strip():
        raise InvalidField("invite_code", NO_CODE)
    group = await unit.groups.by_invite(body.invite_code)
    if group is None:
        raise ApiError(404, "No group has that invite code.")
    joined = await unit.groups.join(group, user, code=body.invite_code)
    return Joined(group=await _out(unit, user, group), joined=joined)


@router.get("/{group_id}", response_model=GroupDetail, summary="A group and its members")
async def group_detail(group_id: Id, user: CurrentUser, unit: UnitDep) -> GroupDetail:
    group, role = await visible_group(unit, user, group_id)
    members = await unit.groups.members(group, banned=False)
    return GroupDetail(
        id=group.id,
        name=group.name,
        public=group.is_public,
        members=len(members),
        role=role,
        member_list=[MemberOut(user_id=m.user_id, name=m.name, role=m.role) for m in members],
        invite_code=group.invite_code if role is not None else None,
    )


@router.post("/{group_id}/join", response_model=Joined, summary="Join a public group")
async def join(group_id: Id, user: CurrentUser, unit: UnitDep) -> Joined:
    group, _ = await visible_group(unit, user, group_id)
    joined = await unit.groups.join(group, user)
    return Joined(group=await _out(unit, user, group), joined=joined)


@router.post(
    "/{group_id}/leave",
    status_code=204,
    summary="Leave a group (a public group you are not in: 204 too, nothing changes)",
)
async def leave(group_id: Id, user: CurrentUser, unit: UnitDep) -> Response:
    """Idempotent, as joining is: leaving a group you are not in (left already, or never
    joined) changes nothing. A private group you are not in is a 404, as everywhere."""
    group, role = await visible_group(unit, user, group_id)
    if role is not None:
        await unit.groups.leave(group, user)
    return Response(status_code=204)


async def _out(unit: Unit, user: User, group: Group) -> GroupOut:
    members = await unit.groups.members(group, banned=False)
    role = await unit.groups.role(group, user)
    return GroupOut(
        id=group.id, name=group.name, public=group.is_public, members=len(members), role=role
    )
