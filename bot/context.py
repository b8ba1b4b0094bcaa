"""What a handler gets: the request, the user, one database session, the clock and services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Request
from core.clock import Clock
from core.db.models import User
from core.finder.service import ToolFinder
from core.flows import FlowState
from core.groups.service import GroupService
from core.habits.service import HabitService
from core.lifebook.service import LifebookService
from core.media.storage import MediaStore
from core.proofs.service import ProofService
from core.toolbox.service import ToolboxService
from core.users.service import UserService, user_today, user_zone

if TYPE_CHECKING:
    from bot.router import Router


@dataclass
class Context:
    request: Request
    user: User
    is_new_user: bool
    session: AsyncSession
    clock: Clock
    router: Router
    default_timezone: str
    media_store: MediaStore | None = None
    flow: FlowState | None = None
    # Flow changes are applied only after the database transaction commits.
    next_flow: FlowState | None = None
    flow_changed: bool = field(default=False)
    finder: ToolFinder | None = None
    tools_per_day: int = 3

    @cached_property
    def habits(self) -> HabitService:
        return HabitService(self.session, self.clock)

    @property
    def media(self) -> MediaStore:
        if self.media_store is None:
            raise RuntimeError("this bot was built without a media store")
        return self.media_store

    @cached_property
    def proofs(self) -> ProofService:
        return ProofService(self.session, self.clock, self.media)

    @cached_property
    def groups(self) -> GroupService:
        return GroupService(self.session, self.clock)

    @cached_property
    def users(self) -> UserService:
        return UserService(self.session, self.clock, self.default_timezone)

    @cached_property
    def toolbox(self) -> ToolboxService:
        return ToolboxService(self.session, self.clock)

    @cached_property
    def lifebook(self) -> LifebookService:
        return LifebookService(self.session)

    @property
    def tool_finder(self) -> ToolFinder:
        if self.finder is None:
            self.finder = ToolFinder(None, self.clock)
        return self.finder

    @property
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def tz(self) -> ZoneInfo:
        return user_zone(self.user)

    @property
    def today(self) -> date:
        return user_today(self.user, self.clock.now())

    def start_flow(self, name: str, step: str, **data: object) -> None:
        self.next_flow = FlowState(name=name, step=step, data=dict(data))
        self.flow_changed = True

    def set_flow(self, state: FlowState) -> None:
        self.next_flow = state
        self.flow_changed = True

    def end_flow(self) -> None:
        self.next_flow = None
        self.flow_changed = True
