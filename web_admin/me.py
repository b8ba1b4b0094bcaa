"""/api/v1/me: the profile (same rules as /timezone and /daystart), password, linking with chat,
export and erasure."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import MISSING, BaseModel, Field

from bot.handlers.link import dropped_parts, moved_parts
from core.accounts.service import clean_display_name
from core.db.models import User
from core.errors import InvalidField, InvalidInput, NotFound
from core.users.links import Refusal, Refused
from web_admin.auth import TOO_MANY, identities_of, sign_in_attempt, token_pair
from web_admin.context import CurrentUser, UnitDep, WebDep
from web_admin.link_words import link_code_of, link_refusal
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import (
    CleanText,
    ExactText,
    Password,
    RequestBody,
    TokenPair,
    UserOut,
    WholeNumber,
    not_null,
    user_out,
)

log = logging.getLogger("habitlink.web.me")
router = APIRouter(prefix="/api/v1/me", tags=["me"], route_class=ApiRoute)
KEEP = "Leave the field out to keep yours."
NOT_NULL = {  # what a profile field given as null is told: it can't be cleared
    "display_name": f"Tell us what to call you. {KEEP}",
    "timezone": f"Give a time zone: an IANA name (Europe/Berlin), a city or UTC+2. {KEEP}",
    "day_start_hour": f"Give an hour from 0 to 6 (the day starts then). {KEEP}",
}


class ProfilePatch(RequestBody):
    """Only the fields given change. None of them can be cleared: each is optional but not
    nullable, and null is a 422 on the field, as "" is (leave a field out to keep it), as for a
    habit's title or schedule."""

    display_name: Annotated[CleanText | MISSING, not_null(NOT_NULL["display_name"])] = Field(
        default=MISSING, max_length=200
    )
    timezone: Annotated[CleanText | MISSING, not_null(NOT_NULL["timezone"])] = Field(
        default=MISSING, max_length=64, description="An IANA name or a city, as /timezone takes"
    )
    day_start_hour: Annotated[WholeNumber | MISSING, not_null(NOT_NULL["day_start_hour"])] = Field(
        default=MISSING, description="0 to 6, as /daystart takes"
    )


class PasswordChange(RequestBody):
    current_password: Password = Field(max_length=1024)
    new_password: Password = Field(max_length=1024)


class LinkBody(RequestBody):
    code: ExactText = Field(max_length=64, description="The code the bot's /link gave you")


class LinkCode(BaseModel):
    code: str
    expires_at: str = Field(description="ISO 8601, UTC")
    instructions: str


class Linked(BaseModel):
    user: UserOut
    moved: list[str]
    dropped: list[str] = Field(
        description="What could not come along, as /link says it: likes of your own learnings, "
        "trusts between the two accounts, the other account's email when both had one (it no "
        "longer signs in)"
    )
    tokens: TokenPair = Field(description="Sign-in for the joined profile; use these from now on")


class DeleteBody(RequestBody):
    password: Password = Field(max_length=1024)


@router.get("", response_model=UserOut, summary="Your profile")
async def me(user: CurrentUser, unit: UnitDep) -> UserOut:
    return user_out(user, await identities_of(unit, user))


@router.patch("", response_model=UserOut, summary="Change your name, time zone or day start")
async def update_me(body: ProfilePatch, user: CurrentUser, unit: UnitDep) -> UserOut:
    if body.display_name is not MISSING:
        user.display_name = clean_display_name(body.display_name)
    if body.timezone is not MISSING:
        try:
            await unit.users.set_timezone(user, body.timezone)
        except NotFound as exc:
            hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
            raise InvalidField("timezone", exc.message + hint) from None
    if body.day_start_hour is not MISSING:
        try:
            await unit.users.set_day_start(user, body.day_start_hour)
        except InvalidInput as exc:
            raise InvalidField("day_start_hour", exc.message) from None
    return user_out(user, await identities_of(unit, user))


def throttle_key(user: User) -> str:
    return user.email or f"user:{user.id}"


@router.post(
    "/password",
    status_code=204,
    summary="Change your password: every sign-in ends, this one included",
    responses={429: {"description": TOO_MANY}},
)
async def change_password(
    body: PasswordChange, user: CurrentUser, unit: UnitDep, web: WebDep, request: Request
) -> Response:
    attempt = await sign_in_attempt(web, request, throttle_key(user))
    try:
        await unit.accounts.change_password(user, body.current_password, body.new_password)
    except InvalidField as exc:
        if exc.field == "current_password":  # counts as a failed sign-in does (throttle.py)
            await attempt.failed()
        raise
    return Response(status_code=204)


@router.post(
    "/link-code",
    response_model=LinkCode,
    summary="A code for the bot's /link: this web account joins your chat profile",
)
async def link_code(user: CurrentUser, unit: UnitDep) -> LinkCode:
    issued = await unit.links.issue(user.id, None)
    return LinkCode(
        code=issued.code,
        expires_at=issued.expires_at.isoformat(),
        instructions=f"Send /link {issued.code} to the bot in a private chat within 15 minutes.",
    )


@router.post(
    "/link",
    response_model=Linked,
    summary="Bring the chat account whose /link code you have into this account",
)
async def link(body: LinkBody, user: CurrentUser, unit: UnitDep) -> Linked:
    outcome = await unit.links.redeem(user.id, None, body.code)
    if isinstance(outcome, Refused):
        await unit.commit()  # a wrong code counts toward the pause
        text, code = link_refusal(outcome), link_code_of(outcome)
        if outcome.reason is Refusal.PAUSED or outcome.tries_left == 0:
            wait = max(int(outcome.wait.total_seconds()), 1)
            raise ApiError(429, text, code=code, headers={"Retry-After": str(wait)})
        raise ApiError(422, text, code=code, field="code")
    survivor = await unit.users.get(outcome.report.survivor_id)
    assert survivor is not None
    log.info("web account linked", extra={"user_id": survivor.id})
    return Linked(
        user=user_out(survivor, await identities_of(unit, survivor)),
        moved=moved_parts(outcome.report),
        dropped=dropped_parts(outcome.report),
        tokens=await token_pair(unit, survivor),
    )


@router.get("/export", summary="Everything HabitLink holds about you, as one JSON document")
async def export(user: CurrentUser, unit: UnitDep) -> dict[str, object]:
    return await unit.uow.export(user, unit.web.media_links.url)


@router.delete(
    "",
    status_code=204,
    summary="Erase your account and everything only yours",
    responses={
        403: {"description": "You are the only admin: make someone else an admin first"},
        429: {"description": TOO_MANY},
    },
)
async def delete_me(
    body: DeleteBody, user: CurrentUser, unit: UnitDep, web: WebDep, request: Request
) -> Response:
    attempt = await sign_in_attempt(web, request, throttle_key(user))
    if not await unit.accounts.check_password_of(user, body.password):
        await attempt.failed()
        raise InvalidField("password", "That is not your password.")
    await unit.uow.erase(user.id)
    log.info("account erased")
    return Response(status_code=204)
