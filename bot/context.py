"""What a handler gets: the request, the user, the unit of work with its services, the clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.arguments import Args
from bot.choices import CHOICE, choice_state
from bot.messages import Button, Request, Response
from core.clock import Clock
from core.db.models import User
from core.finder.service import ToolFinder
from core.flows import FlowState
from core.groups.service import GroupService
from core.habits.service import HabitService
from core.lifebook.service import LifebookService
from core.media.storage import MediaStore
from core.proofs.service import ProofService
from core.reminders.service import ReminderService
from core.social.learnings import LearningService
from core.social.trust import TrustService
from core.toolbox.service import ToolboxService
from core.uow import UnitOfWork
from core.users.links import LinkService
from core.users.service import UserService, user_today, user_zone

if TYPE_CHECKING:
    from bot.router import Router


@dataclass
class Context:
    request: Request
    user: User
    is_new_user: bool
    uow: UnitOfWork  # this request's transaction; the dispatcher commits it after the handler
    router: Router
    flow: FlowState | None = None
    # A flow of this chat that expired unanswered (known only when its durable copy was read).
    lapsed: FlowState | None = None
    # Flow changes are applied only after the database transaction commits.
    next_flow: FlowState | None = None
    flow_changed: bool = field(default=False)
    # The request went to the flow's step as its answer (bot/dispatcher.py sets it).
    answered_step: bool = field(default=False)
    # Another command came while the flow waited: the flow ends, even should the command fail.
    dropped_flow: bool = field(default=False)
    # The command's typed arguments, read by its declaration (bot/arguments.py).
    args: Args = field(default_factory=Args)
    finder: ToolFinder | None = None  # the bot's one tool finder (AI client, cache, ranker)
    tools_per_day: int = 3

    @property
    def clock(self) -> Clock:
        return self.uow.clock

    @property
    def media(self) -> MediaStore:
        if self.uow.media is None:
            raise RuntimeError("this bot was built without a media store")
        return self.uow.media

    @property
    def habits(self) -> HabitService:
        return self.uow.habits

    @property
    def reminders(self) -> ReminderService:
        return self.uow.reminders

    @property
    def proofs(self) -> ProofService:
        return self.uow.proofs

    @property
    def groups(self) -> GroupService:
        return self.uow.groups

    @property
    def users(self) -> UserService:
        return self.uow.users

    @property
    def links(self) -> LinkService:
        return self.uow.links

    @property
    def learnings(self) -> LearningService:
        return self.uow.learnings

    @property
    def trust(self) -> TrustService:
        return self.uow.trust

    @property
    def toolbox(self) -> ToolboxService:
        return self.uow.toolbox

    @property
    def lifebook(self) -> LifebookService:
        return self.uow.lifebook

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

    def offer_choice(
        self,
        buttons: Sequence[Sequence[Button]],
        *,
        numbers: bool = True,
        otherwise: str | None = None,
    ) -> None:
        """The reply's buttons answer its question: in a private chat, a typed answer that names
        one (by number only where `numbers`) is taken as pressing it, and one that names none
        goes to the command `otherwise` when given (bot/choices.py). A flow under way keeps its
        own answers."""
        if not buttons or not self.request.chat.is_private:
            return
        open_flow = self.next_flow if self.flow_changed else self.flow
        if open_flow is not None and open_flow.name != CHOICE:
            return
        self.set_flow(choice_state(buttons, numbers=numbers, otherwise=otherwise))

    def ask(
        self, response: Response, *, numbers: bool = True, otherwise: str | None = None
    ) -> Response:
        """The response, whose last reply asks a question its buttons answer: offered as a
        choice a typed answer can take too (`offer_choice`)."""
        if response.replies:
            self.offer_choice(response.replies[-1].buttons, numbers=numbers, otherwise=otherwise)
        return response

    def drop_flow(self) -> None:
        """End the flow under way because another command came (bot/dispatcher.py)."""
        self.end_flow()
        self.dropped_flow = True
