"""What a request gets: the web part's shared objects (`Web`), one unit of work per request
(`Unit`: one database session, the core services on it, committed when the handler succeeds)
and the signed-in person."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from core.accounts.passwords import Passwords
from core.accounts.service import AccountService
from core.accounts.tokens import AccessTokens, InvalidToken
from core.clock import Clock
from core.db.engine import Database
from core.db.models import User
from core.groups.service import GroupService
from core.habits.service import HabitService
from core.media.storage import MediaStore
from core.proofs.service import ProofService
from core.reminders.service import ReminderService
from core.social.learnings import LearningService
from core.social.trust import TrustService
from core.summary.service import SummaryService
from core.users.links import LinkService
from core.users.service import UserService, user_today
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

    @cached_property
    def access(self) -> AccessTokens:
        lifetime = timedelta(minutes=self.settings.access_token_minutes)
        return AccessTokens(self.settings.secret_key.get_secret_value(), lifetime, self.clock)

    @cached_property
    def media_links(self) -> MediaLinks:
        return MediaLinks(
            self.media,
            self.settings.secret_key.get_secret_value(),
            self.settings.public_base_url,
            self.clock,
        )


class Unit:
    """One request's unit of work: a session and the core services that share it."""

    def __init__(self, web: Web, session: AsyncSession) -> None:
        self.web = web
        self.session = session
        self.clock = web.clock

    async def commit(self) -> None:
        await self.session.commit()

    @cached_property
    def accounts(self) -> AccountService:
        return AccountService(
            self.session,
            self.clock,
            self.web.passwords,
            default_timezone=self.web.settings.default_timezone,
            refresh_lifetime=timedelta(days=self.web.settings.refresh_token_days),
        )

    @cached_property
    def users(self) -> UserService:
        return UserService(self.session, self.clock, self.web.settings.default_timezone)

    @cached_property
    def habits(self) -> HabitService:
        return HabitService(self.session, self.clock)

    @cached_property
    def reminders(self) -> ReminderService:
        return ReminderService(self.session, self.clock)

    @cached_property
    def groups(self) -> GroupService:
        return GroupService(self.session, self.clock)

    @cached_property
    def proofs(self) -> ProofService:
        return ProofService(self.session, self.clock, self.web.media)

    @cached_property
    def learnings(self) -> LearningService:
        return LearningService(self.session, self.clock)

    @cached_property
    def trust(self) -> TrustService:
        return TrustService(self.session, self.clock)

    @cached_property
    def summary(self) -> SummaryService:
        return SummaryService(self.session, self.clock, self.proofs)

    @cached_property
    def links(self) -> LinkService:
        return LinkService(self.session, self.clock, self.web.settings.default_timezone)

    def today(self, user: User) -> date:
        return user_today(user, self.clock.now())


def get_web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


async def unit_of_work(request: Request) -> AsyncIterator[Unit]:
    """One session per request, committed after the handler returns (before the response is
    sent); an exception rolls everything back."""
    web = get_web(request)
    async with web.db.session() as session:
        yield Unit(web, session)
        await session.commit()


UnitDep = Annotated[Unit, Depends(unit_of_work, scope="function")]
WebDep = Annotated[Web, Depends(get_web)]
_bearer = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/login")

NOT_SIGNED_IN = "Sign in first: send an access token as `Authorization: Bearer …`."


async def current_user(
    unit: UnitDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    challenge = {"WWW-Authenticate": 'Bearer realm="habitlink"'}
    if credentials is None:
        raise ApiError(401, NOT_SIGNED_IN, headers=challenge)
    try:
        user_id = unit.web.access.user_id(credentials.credentials)
    except InvalidToken:
        raise ApiError(
            401, "The access token is not valid or has expired.", headers=challenge
        ) from None
    user = await unit.session.get(User, user_id)
    if user is None:
        raise ApiError(401, "This account no longer exists.", headers=challenge)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
