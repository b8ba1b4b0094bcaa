"""Send what the outbox holds: render each notification, respect rate limits, mark it sent.

Platforms register a NotificationSender; a 403 marks the person unreachable until they write
again (a group's chat: until the bot is back in it), a temporary failure is retried with
backoff. A notification of several messages is sent one message at a time and the outbox counts
those that arrived, so a retry sends only the rest.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.choices import CHOICE, choice_state
from bot.dispatcher import HabitLinkBot
from bot.handlers.link import linked_notice
from bot.handlers.reminders import reminder_reply
from bot.handlers.summary import weekly_group_reply, weekly_summary_reply
from bot.messages import Response
from bot.metrics import NOTIFICATIONS, REMINDERS_DROPPED, REMINDERS_LATE
from core.flows import FlowKey
from core.habits.history import week_start
from core.notify.outbox import ClaimedNotification
from core.notify.producer import ProduceReport
from core.ratelimit import Limit, MemoryRateLimiter, RateLimiter
from core.redaction import Redactor
from core.summary.week import group_date
from core.uow import UnitOfWork
from core.users.service import user_today

log = logging.getLogger("habitlink.notify")
LEASE_MARGIN = timedelta(seconds=15)


class Unreachable(Exception):
    """The person blocked the bot, or the chat is gone: do not write again until they do."""


class SendFailed(Exception):
    """A temporary failure (network, 5xx, 429 after retries): try again later."""


class Refused(SendFailed):
    """The platform refused this message for good (a bad request: a group that allows no
    photos, a message it cannot take): sending it again would fail again."""


class PartlySent(Exception):
    """Some messages of a notification arrived, then one was refused for good: the rest is
    given up (a group's collage where photos are not allowed)."""


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
    # What a failed send's error is stored as (the outbox's last_error, shown on the admin's
    # Outbox page): the configured secrets blanked, as in the logs (bot.app passes them).
    redact: Redactor = field(default_factory=Redactor)

    async def produce(self) -> ProduceReport:
        report = ProduceReport()
        async with self.bot.uow() as uow:
            producer = uow.producer(self.senders)
            await producer.reminders(report)
            await producer.summaries(report)
            await uow.commit()
        REMINDERS_LATE.inc(report.late)
        REMINDERS_DROPPED.inc(report.dropped)
        if report.queued or report.dropped:
            log.info("notifications queued", extra=vars(report))
        return report

    async def dispatch(self, batch: int = 100) -> int:
        """Claim one batch and send it; returns how many were claimed."""
        async with self.bot.uow() as uow:
            claimed = await uow.outbox.claim(self.worker, batch)
            await uow.commit()
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

    async def tidy(self) -> None:
        """Housekeeping: forget flows people abandoned (past their expiry), so `flow_states`
        holds only live ones; delete the proof image files a failing store or a stopped
        process left behind (core.media.discard)."""
        async with self.bot.uow() as uow:
            await uow.flow_states.prune()
            await uow.commit()
            await uow.sweep_media()

    async def run_once(self) -> int:
        """Produce, then send until nothing is due (the console and tests)."""
        await self.produce()
        sent = 0
        while (n := await self.dispatch()) > 0:
            sent += n
        return sent

    async def _deliver(self, notification: ClaimedNotification) -> None:
        sender = self.senders.get(notification.platform)
        outcome = NOTIFICATIONS.labels(notification.platform, notification.kind, "retry")
        try:
            if sender is None:
                raise SendFailed(f"no {notification.platform} sender is running")
            response = await self._render(notification)
            if response is not None:
                await self._send(sender, notification, response)
                await self._ask(notification, response)
        except PartlySent as exc:
            NOTIFICATIONS.labels(notification.platform, notification.kind, "partly_sent").inc()
            log.warning(
                "notification partly sent",
                extra={"notification": notification.id, "error": str(exc)[:300]},
            )
            await self._finish(notification)
            return
        except Unreachable as exc:
            NOTIFICATIONS.labels(notification.platform, notification.kind, "unreachable").inc()
            await self._unreachable(notification, str(exc))
            return
        except SendFailed as exc:
            outcome.inc()
            await self._finish(notification, retry=str(exc))
            return
        except Exception as exc:
            log.exception("notification failed", extra={"notification": notification.id})
            outcome.inc()
            await self._finish(notification, retry=repr(exc))
            return
        sent = "sent" if response is not None else "skipped"
        NOTIFICATIONS.labels(notification.platform, notification.kind, sent).inc()
        await self._finish(notification)

    async def _send(
        self, sender: NotificationSender, notification: ClaimedNotification, response: Response
    ) -> None:
        """One reply at a time, each within the limits, from the first that has not arrived in
        an earlier attempt; the outbox counts each that arrives (while more follow). Once one
        has arrived, a later one refused for good is PartlySent; a temporary failure is
        SendFailed, and the retry sends only the replies that did not arrive."""
        replies, chat_id = response.replies, notification.chat_id
        for i in range(notification.parts_sent, len(replies)):
            await self.limiter.acquire(*sender.limits(chat_id))
            try:
                await sender.send_response(chat_id, Response([replies[i]]))
            except SendFailed as exc:
                if i == 0:
                    raise
                if isinstance(exc, Refused):
                    raise PartlySent(f"{i} of {len(replies)} sent: {exc}") from exc
                raise SendFailed(f"{i} of {len(replies)} sent, the rest later: {exc}") from exc
            if i + 1 < len(replies):
                await self._parts_sent(notification, i + 1)

    async def _ask(self, notification: ClaimedNotification, response: Response) -> None:
        """A person's notification whose last message has buttons (a reminder's Done, 1 hour,
        Skip) asks a question, as a reply with buttons does (bot/choices.py): in their private
        chat, a typed label presses one. Labels only: it came unasked, with nothing numbered.
        A flow under way keeps its own answers. Taken in the person's turn (bot/dispatcher.py);
        at worst left unasked, as the message is sent whatever happens here."""
        buttons = response.replies[-1].buttons if response.replies else []
        if notification.user_id is None or not buttons:
            return
        where = notification.platform, notification.chat_id
        try:
            async with self.bot.uow() as uow:
                person = await uow.users.in_private_chat(notification.user_id, *where)
            if person is None:
                return
            key = FlowKey(*where, person)
            async with self.bot.locks.hold(f"{notification.platform}:{person}"):
                async with self.bot.uow() as uow:
                    under_way = await uow.flow_states.get(key)
                    if under_way is not None and under_way.name != CHOICE:
                        return
                    asked = choice_state(buttons, numbers=False)
                    await uow.flow_states.put(key, asked)
                    await uow.commit()
                await self.bot.flows.set(key, asked)
        except Exception:
            log.warning(
                "notification's buttons not offered", extra={"id": notification.id}, exc_info=True
            )

    async def _parts_sent(self, notification: ClaimedNotification, parts: int) -> None:
        async with self.bot.uow() as uow:
            await uow.outbox.record_parts_sent(notification.id, parts)
            await uow.commit()

    async def _finish(self, notification: ClaimedNotification, *, retry: str | None = None) -> None:
        async with self.bot.uow() as uow:
            if retry is None:
                await uow.outbox.mark_sent(notification.id)
            else:
                await uow.outbox.retry_later(notification, self.redact(retry))
            await uow.commit()

    async def _unreachable(self, notification: ClaimedNotification, error: str) -> None:
        """A person who blocked the bot is written to again once they write; a group's chat
        the bot was removed from, once the bot is added back (core.groups' mark_chat)."""
        async with self.bot.uow() as uow:
            await uow.outbox.give_up(notification.id, self.redact(f"unreachable: {error}"))
            if notification.user_id is not None:
                await uow.users.mark_unreachable(
                    notification.user_id, notification.platform, notification.chat_id
                )
            elif notification.group_id is not None:
                await uow.groups.mark_chat(notification.platform, notification.chat_id, gone=True)
            await uow.commit()
        log.info(
            "chat unreachable",
            extra={"user": notification.user_id, "group": notification.group_id, "error": error},
        )

    async def _render(self, notification: ClaimedNotification) -> Response | None:
        """What to send; None when it no longer applies (habit gone or already checked in) or
        would tell nothing (a weekly summary of a quiet week)."""
        async with self.bot.uow() as uow:
            return await _render_in(uow, notification)


def _week(payload: dict[str, Any], today: date) -> date:
    """The Monday of the week a weekly summary is about, as the producer chose it
    (core.summary.week.summary_week); the week of `today` for one queued without it."""
    week = payload.get("week")
    return date.fromisoformat(week) if isinstance(week, str) else week_start(today)


async def _render_in(uow: UnitOfWork, notification: ClaimedNotification) -> Response | None:
    payload = notification.payload
    now = uow.clock.now()
    if notification.kind == "reminder":
        day = date.fromisoformat(payload["day"])
        found = await uow.reminders.still_due(int(payload["reminder_id"]), day)
        if found is None:
            return None  # deleted, archived, or already checked in that day
        reminder, habit, today = found
        return Response([reminder_reply(reminder, habit, day, payload, today)])
    if notification.kind == "summary" and notification.user_id is not None:
        user = await uow.users.get(notification.user_id)
        if user is None or uow.media is None:
            return None
        today = user_today(user, now)
        at = payload.get("at")
        due = datetime.fromisoformat(at) if isinstance(at, str) else None
        reply = await weekly_summary_reply(uow, user, today, _week(payload, today), due)
        return Response([reply]) if reply is not None else None
    if notification.kind == "linked" and notification.user_id is not None:
        profile = await uow.users.get(notification.user_id)
        if profile is None:
            return None
        return Response([linked_notice(profile, notification.platform, payload)])
    if notification.kind == "group_summary" and notification.group_id is not None:
        group = await uow.groups.get(notification.group_id)
        if group is None or uow.media is None:
            return None
        today = group_date(group.timezone, now)  # the group's week, the same for every member
        return await weekly_group_reply(uow, group, today, _week(payload, today))
    raise ValueError(f"unknown notification kind {notification.kind!r}")
