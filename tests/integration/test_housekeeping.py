"""The scheduler's housekeeping: flows people abandoned do not stay in `flow_states` for ever."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.delivery import Notifier
from bot.scheduler import TIDY_EVERY, start_scheduler
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import FlowRecord
from core.flows import FlowKey, FlowState
from tests.support.bots import make_bot

ABANDONED = FlowKey("telegram", "100", "1")
LIVE = FlowKey("telegram", "100", "2")


async def test_tidy_forgets_abandoned_flows_and_keeps_live_ones(
    database: Database, clock: SettableClock
) -> None:
    bot = make_bot(database, clock)
    async with bot.uow() as uow:
        await uow.flow_states.put(ABANDONED, FlowState("newhabit", "title"), ttl=60)
        await uow.commit()
    clock.advance(timedelta(minutes=30))
    await Notifier(bot, {}).tidy()  # kept a day, so a late answer is told it expired
    async with database.session() as session:
        kept = (await session.execute(select(FlowRecord.user_id))).scalars().all()
        assert kept == ["1"]
    clock.advance(timedelta(days=1))
    async with bot.uow() as uow:
        await uow.flow_states.put(LIVE, FlowState("newhabit", "why", {"title": "Run"}), ttl=3600)
        await uow.commit()
    await Notifier(bot, {}).tidy()
    async with database.session() as session:
        kept = (await session.execute(select(FlowRecord.user_id))).scalars().all()
        assert kept == ["2"]
    async with bot.uow() as uow:
        assert await uow.flow_states.get(LIVE) == FlowState("newhabit", "why", {"title": "Run"})
    clock.advance(timedelta(days=1, hours=2))
    await Notifier(bot, {}).tidy()
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(FlowRecord)) == 0


async def test_the_scheduler_tidies_every_hour(database: Database, clock: SettableClock) -> None:
    scheduler = start_scheduler(Notifier(make_bot(database, clock), {}))
    try:
        job = scheduler.get_job("tidy")
        assert job is not None
        assert job.trigger.interval == timedelta(seconds=TIDY_EVERY) == timedelta(hours=1)
    finally:
        scheduler.shutdown(wait=False)
