"""The unit of work: one database transaction and the services that share it.

Every entry point (a chat request, a scheduled job, Discord's autocomplete and command sync, the web
API) does its work the same way:

    async with units() as uow:                 # units: a UnitOfWorkFactory, made once at start
        habit = await uow.habits.create(user, draft, today)
        await uow.commit()                     # nothing is saved without this

Leaving the block without `commit()` (a return, an exception) rolls everything back. Database
faults leave the block as `core.errors.StorageError` (`StorageConflict` when a write collided with
another one), so callers outside core/ never see the database library. A unit of work is used once
and by one task at a time; services it hands out are only valid inside its block.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from core.bot_state import BotStateStore
from core.clock import Clock
from core.counters import DailyCounters
from core.db.engine import Database
from core.db.models import User
from core.errors import StorageConflict, StorageError
from core.flows.base import FlowKey
from core.flows.durable import FlowRecords
from core.groups.service import GroupService
from core.habits.service import HabitService
from core.inbox import InboxStore
from core.lifebook.service import LifebookService
from core.media.discard import remember, settle, sweep
from core.media.storage import MediaStore
from core.notify.outbox import Outbox
from core.notify.producer import Producer
from core.proofs.service import ProofService
from core.reminders.service import ReminderService
from core.social.learnings import LearningService
from core.social.trust import TrustService
from core.summary.service import SummaryService
from core.toolbox.service import ToolboxService
from core.users.links import LinkService
from core.users.service import UserService

if TYPE_CHECKING:
    # Web accounts and the admin's tools are imported where they are first used: a chat
    # process that nobody asks for them never loads them (nor argon2 and pwdlib).
    from core.accounts.export import UrlFor
    from core.accounts.passwords import Passwords
    from core.accounts.service import AccountService
    from core.admin.service import Admin

log = logging.getLogger("habitlink.media")


class UnitOfWork:
    """Owns one session; builds each service on first use, all sharing that session."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        default_timezone: str = "UTC",
        media: MediaStore | None = None,
    ) -> None:
        self.clock = clock
        self.default_timezone = default_timezone
        self.media = media
        self._session = db.session()
        # Proof image keys whose rows this unit deletes; files go after the commit.
        self.discarded: set[str] = set()
        # Flows ended by erasing their person (`erase`): a cache of flows forgets them too.
        self.ended_flows: list[FlowKey] = []
        # Keys of files this unit stored for proofs not committed yet: should the unit end
        # without committing them, the files no proof uses are deleted (`_drop_stored`).
        self.stored: set[str] = set()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.stored:
                await self._drop_stored()
            await self._session.close()  # rolls back whatever was not committed
        except SQLAlchemyError as close_error:
            if exc is None:
                raise StorageError("the database connection failed") from close_error
        if isinstance(exc, IntegrityError):
            raise StorageConflict("a write collided with another one") from exc
        if isinstance(exc, SQLAlchemyError):
            raise StorageError("the database failed") from exc

    async def commit(self) -> None:
        """Save everything done in this unit so far; then delete the files of proof images
        that no proof uses any more (a store failure is logged, never undoes the commit)."""
        keys = set(self.discarded)
        self.discarded.clear()
        if keys and self.media is not None:  # kept until the files are gone (media_discards)
            await remember(self._session, keys, self.clock.now())
        await self._session.commit()
        self.stored.clear()  # their proofs are saved
        if keys and self.media is not None:
            try:
                await settle(self._session, self.media, keys, self.clock)
            except SQLAlchemyError:  # the rows are gone for good; the files wait for a sweep
                log.exception("finding unused proof images failed", extra={"count": len(keys)})
                with suppress(SQLAlchemyError):  # the unit goes on with a clean slate
                    await self._session.rollback()

    async def sweep_media(self) -> set[str]:
        """Delete the unused proof image files a failing store or a stopped process left (the
        scheduler's tidy job); returns the keys still left."""
        return await sweep(self._session, self.media, self.clock)

    async def rollback(self) -> None:
        """Drop everything not committed yet; the unit can go on with a clean slate."""
        await self._session.rollback()
        if self.stored:
            await self._drop_stored()

    async def _drop_stored(self) -> None:
        """The proofs whose files this unit stored are not saved: delete the files no proof
        uses, as deleted proofs' files are (noted first, so a store that fails is tried again
        by the tidy job). Should the database fail too, they are logged and left in the store."""
        keys = set(self.stored)
        self.stored.clear()
        if self.media is None:
            return
        try:
            await self._session.rollback()
            await remember(self._session, keys, self.clock.now())
            await self._session.commit()
            await settle(self._session, self.media, keys, self.clock)
        except Exception:  # never in the way of what ended the unit
            log.exception("proof image left in the store", extra={"keys": sorted(keys)})
            with suppress(Exception):
                await self._session.rollback()

    async def flush(self) -> None:
        """Send pending changes to the database (still uncommitted), so new queries see them."""
        await self._session.flush()

    # --- the services, all on this unit's session ----------------------------------------
    @cached_property
    def users(self) -> UserService:
        return UserService(self._session, self.clock, self.default_timezone)

    @cached_property
    def links(self) -> LinkService:
        return LinkService(self._session, self.clock, self.default_timezone)

    @cached_property
    def habits(self) -> HabitService:
        return HabitService(self._session, self.clock)

    @cached_property
    def reminders(self) -> ReminderService:
        return ReminderService(self._session, self.clock)

    @cached_property
    def groups(self) -> GroupService:
        return GroupService(self._session, self.clock, self.discarded)

    @cached_property
    def proofs(self) -> ProofService:
        if self.media is None:
            raise RuntimeError("this unit of work was built without a media store")
        return ProofService(self._session, self.clock, self.media, self.stored)

    @cached_property
    def summary(self) -> SummaryService:
        return SummaryService(self._session, self.clock, self.proofs)

    @cached_property
    def learnings(self) -> LearningService:
        return LearningService(self._session, self.clock)

    @cached_property
    def trust(self) -> TrustService:
        return TrustService(self._session, self.clock)

    @cached_property
    def lifebook(self) -> LifebookService:
        return LifebookService(self._session, self.clock)

    @cached_property
    def toolbox(self) -> ToolboxService:
        return ToolboxService(self._session, self.clock)

    @cached_property
    def admin(self) -> Admin:
        """What admins do (core.admin); every call names and checks the acting admin."""
        from core.admin.service import Admin

        return Admin(self._session, self.clock, self.media, self.discarded)

    @cached_property
    def counters(self) -> DailyCounters:
        return DailyCounters(self._session)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self._session, self.clock)

    @cached_property
    def flow_states(self) -> FlowRecords:
        return FlowRecords(self._session, self.clock)

    @cached_property
    def inbox(self) -> InboxStore:
        return InboxStore(self._session, self.clock)

    @cached_property
    def bot_state(self) -> BotStateStore:
        return BotStateStore(self._session, self.clock)

    def accounts(
        self, passwords: Passwords, refresh_lifetime: timedelta = timedelta(days=30)
    ) -> AccountService:
        """Email/password accounts; `passwords` hashes off the event loop."""
        from core.accounts.service import AccountService

        return AccountService(
            self._session,
            self.clock,
            passwords,
            default_timezone=self.default_timezone,
            refresh_lifetime=refresh_lifetime,
        )

    async def export(self, user: User, url_for: UrlFor) -> dict[str, Any]:
        """Everything held about the person, JSON-ready (core.accounts.export)."""
        from core.accounts.export import export_user

        return await export_user(self._session, user, url_for)

    async def erase(self, user_id: int) -> None:
        """Erase the person and everything only theirs (core.accounts.erase)."""
        from core.accounts.erase import end_flows, erase_user, refuse_last_admin

        await refuse_last_admin(self._session, user_id)
        self.ended_flows += await end_flows(self._session, user_id)
        self.discarded |= await erase_user(self._session, self.clock, user_id)

    def producer(self, platforms: Iterable[str]) -> Producer:
        """What turns due reminders and summaries into outbox rows for these platforms."""
        return Producer(self._session, self.clock, platforms)


@dataclass(frozen=True)
class UnitOfWorkFactory:
    """Made once by the composition root; each call opens a new unit of work."""

    db: Database
    clock: Clock
    default_timezone: str = "UTC"
    media: MediaStore | None = None

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(
            self.db, self.clock, default_timezone=self.default_timezone, media=self.media
        )
