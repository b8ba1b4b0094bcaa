"""What a request gets: the web part's shared objects (`Web`), one unit of work per request
(`Unit`: one database session, the core services on it, committed when the handler succeeds)
and the signed-in person."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.config import Settings
from core.accounts.passwords import Passwords
from core.accounts.service import AccountService
from core.accounts.tokens import AccessTokens, InvalidToken
from core.clock import Clock
from core.db.engine import Database
from core.db.models import User
from core.finder.service import ToolFinder
from core.groups.service import GroupService
from core.habits.service import HabitService
from core.lifebook.service import LifebookService
from core.media.storage import MediaStore
from core.proofs.service import ProofService
from core.social.learnings import LearningService
from core.social.trust import TrustService
from core.summary.service import SummaryService
from core.toolbox.service import ToolboxService
from core.uow import UnitOfWork
from core.users.links import LinkService
from core.users.service import UserService, user_today
from web_admin.error_codes import Err
from web_admin.media import MediaLinks
from web_admin.problems import ApiError
from web_admin.throttle import LoginThrottle


@dataclass
class Web:
    """Everything the API shares between requests; built once per process (see app.py)."""

    settings: Settings
    db: Database
    clock: Clock
    media: MediaStore
    passwords: Passwords
    throttle: LoginThrottle
    # The tool finder (AI chooser, answer cache, ranker) shared by every request; None: offline.
    finder: ToolFinder | None = field(default=None)

    @cached_property
    def tool_finder(self) -> ToolFinder:
        return self.finder or ToolFinder(None, self.clock)

    @cached_property
    def access(self) -> AccessTokens:
        lifetime = timedelta(minutes=self.settings.access_token_minutes)
        return AccessTokens(self.settings.secret_key.get_secret_value(), lifetime, self.clock)

    @cached_property
    def media_links(self) -> MediaLinks:
        return MediaLinks(
            self.media,
            self.settings.secret_key.get_secret_value(),
            self.settings.effective_public_base_url,
            self.clock,
        )


class Unit:
    """One request's unit of work: core's UnitOfWork (one transaction, the services sharing it)
    and the account services, which need the web part's password hasher and token lifetimes."""

    def __init__(self, web: Web, uow: UnitOfWork) -> None:
        self.web = web
        self.uow = uow
        self.clock = web.clock

    async def commit(self) -> None:
        await self.uow.commit()

    @cached_property
    def accounts(self) -> AccountService:
        lifetime = timedelta(days=self.web.settings.refresh_token_days)
        return self.uow.accounts(self.web.passwords, lifetime)

    @property
    def users(self) -> UserService:
        return self.uow.users

    @property
    def habits(self) -> HabitService:
        return self.uow.habits

    @property
    def groups(self) -> GroupService:
        return self.uow.groups

    @property
    def proofs(self) -> ProofService:
        return self.uow.proofs

    @property
    def learnings(self) -> LearningService:
        return self.uow.learnings

    @property
    def trust(self) -> TrustService:
        return self.uow.trust

    @property
    def summary(self) -> SummaryService:
        return self.uow.summary

    @property
    def links(self) -> LinkService:
        return self.uow.links

    @property
    def lifebook(self) -> LifebookService:
        return self.uow.lifebook

    @property
    def toolbox(self) -> ToolboxService:
        return self.uow.toolbox

    def today(self, user: User) -> date:
        return user_today(user, self.clock.now())


def get_web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


async def unit_of_work(request: Request) -> AsyncIterator[Unit]:
    """One session per request, committed after the handler returns (before the response is
    sent); an exception rolls everything back."""
    web = get_web(request)
    async with UnitOfWork(
        web.db, web.clock, default_timezone=web.settings.default_timezone, media=web.media
    ) as uow:
        yield Unit(web, uow)
        await uow.commit()


UnitDep = Annotated[Unit, Depends(unit_of_work, scope="function")]
WebDep = Annotated[Web, Depends(get_web)]
_bearer = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/login")

BANNED = "This account has been suspended by the people who run this HabitLink."
NOT_SIGNED_IN = "Sign in first: send an access token as `Authorization: Bearer …`."
BAD_TOKEN = (
    "The access token is not valid or has expired. Get a new one from /api/v1/auth/refresh "
    "with your refresh token, or sign in again."
)
SIGNED_OUT = (
    "This sign-in has ended: the account was deleted, its password changed, or it was joined "
    "into another profile by linking accounts. Sign in again."
)


async def current_user(
    unit: UnitDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:  # RFC 6750: no error code when no token came
        raise ApiError(
            401,
            NOT_SIGNED_IN,
            code=Err.NOT_SIGNED_IN,
            headers={"WWW-Authenticate": 'Bearer realm="habitlink"'},
        )
    # A token came but is no good: error="invalid_token" tells a client to refresh it.
    challenge = {"WWW-Authenticate": 'Bearer realm="habitlink", error="invalid_token"'}
    try:
        claims = unit.web.access.read(credentials.credentials)
    except InvalidToken:
        raise ApiError(401, BAD_TOKEN, code=Err.TOKEN_INVALID, headers=challenge) from None
    user = await unit.users.get(claims.user_id)
    if user is None or not claims.matches(user.id, user.password_hash):
        # deleted, merged into another profile by /link, its id now another account's (SQLite
        # reuses ids), or a new password since
        raise ApiError(401, SIGNED_OUT, code=Err.SIGNED_OUT, headers=challenge)
    if user.banned_at is not None:
        raise ApiError(403, BANNED, code=Err.ACCOUNT_SUSPENDED)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
