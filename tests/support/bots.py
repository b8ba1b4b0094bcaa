"""The bot as the tests build it: a unit-of-work factory over the test database, in-memory flows
and the real router, unless a test asks for others."""

from __future__ import annotations

from bot.dispatcher import PLACE_WAIT, HabitLinkBot
from bot.handlers import build_router
from bot.router import Router
from core.clock import Clock
from core.db.engine import Database
from core.flows import FlowStore, MemoryFlowStore
from core.media.storage import MediaStore
from core.uow import UnitOfWorkFactory


def make_bot(
    db: Database,
    clock: Clock,
    *,
    media: MediaStore | None = None,
    flows: FlowStore | None = None,
    router: Router | None = None,
    place_wait: float = PLACE_WAIT,
) -> HabitLinkBot:
    return HabitLinkBot(
        uow=UnitOfWorkFactory(db, clock, media=media),
        flows=flows if flows is not None else MemoryFlowStore(clock),
        router=router if router is not None else build_router(),
        place_wait=place_wait,
    )
