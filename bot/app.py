"""The composition root: the one place that turns Settings into a running HabitLink."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot import chart_fonts
from bot.config import Settings
from bot.delivery import NotificationSender, Notifier
from bot.dispatcher import HabitLinkBot
from bot.handlers import build_router
from bot.metrics import CountedChooser
from core.clock import Clock, SystemClock
from core.db.engine import Database
from core.db.schema import ensure_schema
from core.errors import StorageConflict
from core.finder.llm import GroqChooser, OpenAIChooser
from core.finder.service import ToolFinder
from core.flows import FlowStore, MemoryFlowStore
from core.locks import MemoryPersonLocks, PersonLocks
from core.ratelimit import MemoryRateLimiter, RateLimiter
from core.redaction import Redactor
from core.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("habitlink")


@dataclass
class App:
    settings: Settings
    clock: Clock
    db: Database
    flows: FlowStore
    bot: HabitLinkBot
    rate_limiter: RateLimiter
    redis: Redis | None = None
    # Platforms that are running register here, so the scheduler can send through them.
    senders: dict[str, NotificationSender] = field(default_factory=dict)
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    @property
    def uow(self) -> UnitOfWorkFactory:
        """Opens units of work (`async with app.uow() as uow:`) for any other entry point."""
        return self.bot.uow

    def notifier(self) -> Notifier:
        return Notifier(
            self.bot,
            self.senders,
            self.rate_limiter,
            redact=Redactor(self.settings.secret_values()),
        )

    async def close(self) -> None:
        await self._stack.aclose()


async def build_app(settings: Settings, *, clock: Clock | None = None) -> App:
    """Wire the database, flow-state store and bot from settings; checks the schema first."""
    clock = clock or SystemClock()
    stack = AsyncExitStack()
    db = Database(settings.effective_database_url)
    stack.push_async_callback(db.dispose)
    try:
        await ensure_schema(db, auto_upgrade=settings.uses_embedded_database)
        redis: Redis | None = None
        flows: FlowStore
        limiter: RateLimiter
        locks: PersonLocks
        if settings.redis_url:
            # Redis is an optimisation: when it is down (now or later) flow state is read from
            # the database, rate limits and per-person locks carry on in this process; each
            # call gives up within a second.
            # Imported here: without REDIS_URL the process never loads redis-py (about 6 MB).
            from core.flows.redis import RedisFlowStore
            from core.flows.resilient import ResilientFlowStore
            from core.locks.redis import RedisPersonLocks
            from core.locks.resilient import ResilientPersonLocks
            from core.outage import STORE_ERRORS, redis_client
            from core.ratelimit.redis import RedisRateLimiter
            from core.ratelimit.resilient import ResilientRateLimiter

            redis = redis_client(settings.redis_url)
            stack.push_async_callback(redis.aclose)
            try:
                await redis.ping()
            except STORE_ERRORS as exc:
                log.warning("Redis is not answering; starting without it for now: %r", exc)
            flows = ResilientFlowStore(
                RedisFlowStore(redis, prefix=settings.redis_prefix, clock=clock)
            )
            limiter = ResilientRateLimiter(
                RedisRateLimiter(redis, prefix=settings.redis_prefix), MemoryRateLimiter()
            )
            locks = ResilientPersonLocks(
                RedisPersonLocks(redis, prefix=settings.redis_prefix), MemoryPersonLocks()
            )
        else:
            flows = MemoryFlowStore(clock)
            limiter = MemoryRateLimiter()
            locks = MemoryPersonLocks()
        missing_fonts = chart_fonts.configure(settings.chart_fonts)
        if missing_fonts:
            log.warning("CHART_FONTS: no font file at %s", ", ".join(map(str, missing_fonts)))
        media = settings.media_store()
        units = UnitOfWorkFactory(
            db, clock, default_timezone=settings.default_timezone, media=media
        )
        finder = tool_finder_from_settings(settings, clock)
        if finder.chooser is not None:
            stack.push_async_callback(finder.chooser.close)
        bot = HabitLinkBot(
            uow=units,
            flows=flows,
            router=build_router(),
            finder=finder,
            tools_per_day=settings.tools_per_day,
            locks=locks,
        )
        await sync_toolbox(units)
    except BaseException:
        await stack.aclose()
        raise
    log.info(
        "habitlink ready",
        extra={
            "database": db.dialect,
            "flow_store": type(flows).__name__,
            "media_store": type(media).__name__,
            "tool_finder": finder.chooser.provider if finder.chooser else "offline",
        },
    )
    return App(settings, clock, db, flows, bot, limiter, redis, _stack=stack)


async def sync_toolbox(units: UnitOfWorkFactory) -> None:
    """Bring the shipped Toolbox into the database (by slug; community tools untouched). Two
    processes starting together take turns (ToolboxService.sync_seed); should one still
    collide (a community tool given a new seed tool's title at that moment), the next sync
    writes what is left."""
    try:
        async with units() as uow:
            written = await uow.toolbox.sync_seed()
            await uow.commit()
    except StorageConflict:
        log.info("toolbox seed synced by another process")
        return
    if written:
        log.info("toolbox seed synced", extra={"tools_written": written})


def tool_finder_from_settings(settings: Settings, clock: Clock) -> ToolFinder:
    """OpenAI when its key is set, else Groq when its key is set, else offline ranking only."""
    chooser: OpenAIChooser | GroqChooser | None = None
    timeout = settings.ai_timeout_seconds
    if settings.openai_api_key is not None:
        chooser = OpenAIChooser(
            settings.openai_api_key.get_secret_value(),
            settings.openai_model,
            base_url=settings.openai_base_url,
            timeout=timeout,
        )
    elif settings.groq_api_key is not None:
        chooser = GroqChooser(
            settings.groq_api_key.get_secret_value(),
            settings.groq_model,
            base_url=settings.groq_base_url,
            timeout=timeout,
        )
    counted = CountedChooser(chooser) if chooser is not None else None
    return ToolFinder(counted, clock, daily_ai_calls=settings.ai_daily_limit)
