"""Send what the outbox holds: render each notification, respect rate limits, mark it sent.

Platforms register a NotificationSender; a 403 marks the person unreachable until they write
again, a temporary failure is retried with backoff.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import and_, select, update

from bot.dispatcher import HabitLinkBot
from bot.handlers.link import linked_notice
from bot.handlers.reminders import reminder_reply
from bot.handlers.summary import group_week_response, user_week_reply
from bot.messages import Response
from core.db.models import Group, Habit, HabitLog, Identity, Notification, Reminder, User
from core.notify.outbox import Outbox
from core.notify.producer import Producer, ProduceReport
from core.ratelimit import Limit, MemoryRateLimiter, RateLimiter
from core.users.service import user_today

log = logging.getLogger("habitlink.notify")
LEASE_MARGIN = timedelta(seconds=15)


class Unreachable(Exception):
    """The person blocked the bot, or the chat is gone: do not write again until they do."""


class SendFailed(Exception):
    """A temporary failure (network, 5xx, 429 after retries): try again later."""


class NotificationSender(Protocol):
    platform: str

    def limits(self, chat_id: str) -> tuple[Limit, ...]: ...

    async def send_response(self, chat_id: str, response: Response) -> None: ...


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Notifier:
    bot: HabitLinkBot
    senders: dict[str, NotificationSender] = field(default_factory=dict)
    limiter: RateLimiter = field(default_factory=MemoryRateLimiter)
    worker: str = field(default_factory=worker_name)

    async def produce(self) -> ProduceReport:
        report = ProduceReport()
        async with self.bot.db.session() as session:
            producer = Producer(session, self.bot.clock, self.senders)
            await producer.reminders(report)
            await producer.summaries(report)
            await session.commit()
        if report.queued or report.dropped:
            log.info("notifications queued", extra=vars(report))
        return report

    async def dispatch(self, batch: int = 100) -> int:
        """Claim one batch and send it; returns how many were claimed."""
        async with self.bot.db.session() as session:
            claimed = await Outbox(session, self.bot.clock).claim(self.worker, batch)
            await session.commit()
        for notification in claimed:
            lease = notification.claimed_until
            if lease is not None and self.bot.clock.now() >= lease - LEASE_MARGIN:
                # Our claim is running out (slow sends, long rate-limit waits): leave the rest
                # for whoever claims them after the lease, rather than race them.
                log.warning("lease ran out mid-batch", extra={"worker": self.worker})
                break
            await self._deliver(notification)
        return len(claimed)

    async def dispatch_all(self, batch: int = 100) -> int:
        """Send batches until one comes back short."""
        total = 0
        while (n := await self.dispatch(batch)) > 0:
            total += n
            if n < batch:
                break
        return total

    async def run_once(self) -> int:
        """Produce, then send until nothing is due (the console and tests)."""
        await self.produce()
        sent = 0
        while (n := await self.dispatch()) > 0:
            sent += n
        return sent

    async def _deliver(self, notification: Notification) -> None:
        sender = self.senders.get(notification.platform)
        try:
            if sender is None:
                raise SendFailed(f"no {notification.platform} sender is running")
            response = await self._render(notification)
            if response is not None:
                await self.limiter.acquire(*sender.limits(notification.chat_id))
                await sender.send_response(notification.chat_id, response)
        except Unreachable as exc:
            await self._unreachable(notification, str(exc))
            return
        except SendFailed as exc:
            await self._finish(notification, retry=str(exc))
            return
        except Exception as exc:
            log.exception("notification failed", extra={"notification": notification.id})
            await self._finish(notification, retry=repr(exc))
            return
        await self._finish(notification)

    async def _finish(self, notification: Notification, *, retry: str | None = None) -> None:
        async with self.bot.db.session() as session:
            outbox = Outbox(session, self.bot.clock)
            if retry is None:
                await outbox.mark_sent(notification.id)
            else:
                await outbox.retry_later(notification, retry)
            await session.commit()

    async def _unreachable(self, notification: Notification, error: str) -> None:
        async with self.bot.db.session() as session:
            await Outbox(session, self.bot.clock).give_up(notification.id, f"unreachable: {error}")
            if notification.user_id is not None:
                await session.execute(
                    update(Identity)
                    .where(
                        Identity.user_id == notification.user_id,
                        Identity.platform == notification.platform,
                        Identity.dm_chat_id == notification.chat_id,
                    )
                    .values(unreachable_at=self.bot.clock.now())
                )
            await session.commit()
        log.info("person unreachable", extra={"user": notification.user_id, "error": error})

    async def _render(self, notification: Notification) -> Response | None:
        """What to send; None when it no longer applies (habit gone or already checked in)."""
        bot = self.bot
        async with bot.db.session() as session:
            payload = notification.payload
            if notification.kind == "reminder":
                day = date.fromisoformat(payload["day"])
                found = (
                    await session.execute(
                        select(Reminder, Habit, HabitLog.id)
                        .join(Habit, Habit.id == Reminder.habit_id)
                        .outerjoin(
                            HabitLog, and_(HabitLog.habit_id == Habit.id, HabitLog.day == day)
                        )
                        .where(Reminder.id == int(payload["reminder_id"]))
                    )
                ).first()
                if found is None:
                    return None  # the reminder (or its habit) was deleted
                reminder, habit, logged = found
                if habit.archived_at is not None or logged is not None:
                    return None
                return Response([reminder_reply(reminder, habit, day, payload)])
            if notification.kind == "summary" and notification.user_id is not None:
                user = await session.get(User, notification.user_id)
                if user is None or bot.media is None:
                    return None
                today = user_today(user, bot.clock.now())
                reply = await user_week_reply(session, bot.clock, bot.media, user, today)
                return Response([reply])
            if notification.kind == "linked" and notification.user_id is not None:
                profile = await session.get(User, notification.user_id)
                if profile is None:
                    return None
                return Response([linked_notice(profile, notification.platform, payload)])
            if notification.kind == "group_summary" and notification.group_id is not None:
                group = await session.get(Group, notification.group_id)
                if group is None or bot.media is None:
                    return None
                owner = await session.get(User, group.owner_id)
                today = user_today(owner, bot.clock.now()) if owner else bot.clock.now().date()
                return await group_week_response(
                    session, bot.clock, bot.media, group, today, with_collage=True
                )
        raise ValueError(f"unknown notification kind {notification.kind!r}")
