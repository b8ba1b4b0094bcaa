"""/api/v1/auth: register, login, refresh, logout, and the password reset with a chat code."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from pydantic import Field

from core.accounts.tokens import Refusal, Rotated
from core.db.models import Identity, User
from web_admin.context import BANNED, UnitDep, WebDep, client_address
from web_admin.error_codes import Err
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import (
    CleanText,
    ExactText,
    Password,
    RequestBody,
    TokenPair,
    UserOut,
    user_out,
)
from web_admin.throttle import LoginThrottle, try_again_in

log = logging.getLogger("habitlink.web.auth")
router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=ApiRoute)

WRONG_LOGIN = "The email or password is not right."
WRONG_REFRESH = "The refresh token is not valid; sign in again."
WRONG_RESET = "That email and code don't go together, or the code has expired or was used."
TOO_MANY = "Too many failed attempts: wait the Retry-After seconds, then try again."


class RegisterBody(RequestBody):
    email: ExactText = Field(max_length=320, examples=["ada@example.com"])
    password: Password = Field(max_length=1024, examples=["correct horse battery staple"])
    display_name: CleanText = Field(max_length=200, examples=["Ada"])


class LoginBody(RequestBody):
    email: ExactText = Field(max_length=320)
    password: Password = Field(max_length=1024)


class RefreshBody(RequestBody):
    refresh_token: ExactText = Field(max_length=256)


class ResetBody(RequestBody):
    email: ExactText = Field(max_length=320)
    code: ExactText = Field(max_length=64, description="The code /resetpassword gave you in chat")
    new_password: Password = Field(max_length=1024)


async def token_pair(unit: UnitDep, user: User, refresh: str | None = None) -> TokenPair:
    """A new access token, with the given refresh token or one starting a new family."""
    if refresh is None:
        refresh = await unit.accounts.refresh.issue(user.id)
    access = unit.web.access
    return TokenPair(
        access_token=access.issue(user.id, user.password_hash),
        refresh_token=refresh,
        expires_in=int(access.lifetime.total_seconds()),
    )


async def identities_of(unit: UnitDep, user: User) -> list[Identity]:
    return await unit.users.identities_of(user.id)


@dataclass(frozen=True)
class SignInAttempt:
    """One try of a password or a reset code that the sign-in throttle let through: tell it
    how the try went (web_admin/throttle.py)."""

    throttle: LoginThrottle
    key: str  # the account's email, or "user:<id>" for an account without one
    address: str

    async def failed(self) -> None:
        await self.throttle.failed(self.key, self.address)

    async def succeeded(self) -> None:
        """A correct password clears the account's failures (not the address's)."""
        await self.throttle.succeeded(self.key)


async def sign_in_attempt(web: WebDep, request: Request, key: str) -> SignInAttempt:
    """The sign-in throttle's check, before a password or a reset code is tried: 429 with
    Retry-After while `key` or the client's address has failed too often, else the attempt."""
    attempt = SignInAttempt(web.throttle, key, client_address(request))
    wait = await web.throttle.retry_after(attempt.key, attempt.address)
    if wait:
        text = f"Too many failed attempts. To keep the account safe, {try_again_in(wait)}."
        raise ApiError(429, text, code=Err.LOGIN_THROTTLED, headers={"Retry-After": str(wait)})
    return attempt


@router.post("/register", status_code=201, response_model=UserOut, summary="Create an account")
async def register(body: RegisterBody, unit: UnitDep) -> UserOut:
    user = await unit.accounts.register(body.email, body.password, body.display_name)
    log.info("account registered", extra={"user_id": user.id})
    return user_out(user, [])


@router.post(
    "/login",
    response_model=TokenPair,
    summary="Sign in with email and password",
    responses={
        401: {"description": WRONG_LOGIN},
        403: {"description": BANNED},
        429: {"description": TOO_MANY},
    },
)
async def login(body: LoginBody, unit: UnitDep, web: WebDep, request: Request) -> TokenPair:
    attempt = await sign_in_attempt(web, request, body.email)
    user = await unit.accounts.authenticate(body.email, body.password)
    if user is None:
        await attempt.failed()
        raise ApiError(401, WRONG_LOGIN, code=Err.WRONG_LOGIN)
    await attempt.succeeded()
    if user.banned_at is not None:
        raise ApiError(403, BANNED, code=Err.ACCOUNT_SUSPENDED)
    return await token_pair(unit, user)


@router.post(
    "/refresh",
    response_model=TokenPair,
    summary="Trade a refresh token for a new pair (the old one stops working)",
    responses={401: {"description": WRONG_REFRESH}},
)
async def refresh(body: RefreshBody, unit: UnitDep) -> TokenPair:
    outcome = await unit.accounts.refresh.rotate(body.refresh_token)
    if not isinstance(outcome, Rotated):
        if outcome is Refusal.REUSED:
            await unit.commit()  # the family stays revoked although we answer with an error
        raise ApiError(401, WRONG_REFRESH, code=Err.WRONG_REFRESH_TOKEN)
    user = await unit.users.get(outcome.user_id)
    if user is None:
        raise ApiError(401, WRONG_REFRESH, code=Err.WRONG_REFRESH_TOKEN)
    return await token_pair(unit, user, outcome.token)


@router.post("/logout", status_code=204, summary="Sign out: the refresh token's family ends")
async def logout(body: RefreshBody, unit: UnitDep) -> Response:
    await unit.accounts.refresh.revoke_family_of(body.refresh_token)
    return Response(status_code=204)


@router.post(
    "/reset",
    status_code=204,
    summary="Set a new password with a code from /resetpassword in a private chat",
    responses={400: {"description": WRONG_RESET}, 429: {"description": TOO_MANY}},
)
async def reset(body: ResetBody, unit: UnitDep, web: WebDep, request: Request) -> Response:
    attempt = await sign_in_attempt(web, request, body.email)
    if not await unit.accounts.reset_password(body.email, body.code, body.new_password):
        await attempt.failed()
        raise ApiError(400, WRONG_RESET, code=Err.WRONG_RESET_CODE)
    log.info("password reset; every sign-in revoked")
    return Response(status_code=204)
