"""Prometheus metrics of a HabitLink process, served on /metrics (bot/health.py, the web app).

Each process has its own metrics (prometheus-client's default registry, with the process's CPU
and memory) and its own port; Prometheus adds them up. Labels stay few: platform,
a known command name (anything else is "other"), a kind or outcome from a short fixed list.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, Counter, Gauge, Histogram

from bot.messages import Request
from core.finder.port import AIAnswer, AIUnavailable, ToolChooser
from core.uow import UnitOfWorkFactory

if TYPE_CHECKING:  # aiohttp is loaded by the platforms that use it, not by every process
    import aiohttp

UPDATES = Counter(
    "habitlink_updates_total",
    "Requests (messages, commands, button presses) handled, by platform and command",
    ["platform", "command"],
    registry=REGISTRY,
)
HANDLER_SECONDS = Histogram(
    "habitlink_handler_seconds",
    "Time from a request to its response, by platform and command",
    ["platform", "command"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
HANDLER_ERRORS = Counter(
    "habitlink_handler_errors_total",
    "Requests answered with an apology: storage (database, Redis) or bug",
    ["platform", "error"],
    registry=REGISTRY,
)
REPLIES = Counter(
    "habitlink_replies_sent_total",
    "Messages sent to chats: answers and notifications",
    ["platform"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "habitlink_rate_limited_total",
    "429 answers from a chat platform; each is waited out and retried",
    ["platform"],
    registry=REGISTRY,
)
NOTIFICATIONS = Counter(
    "habitlink_notifications_total",
    "Outbox notifications by outcome: sent, retry (a temporary failure), unreachable, skipped, "
    "partly_sent (a later message was refused for good after the first arrived)",
    ["platform", "kind", "outcome"],
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "habitlink_outbox_depth",
    "Notifications waiting in the outbox (pending or being sent)",
    registry=REGISTRY,
)
OUTBOX_OLDEST_DUE = Gauge(
    "habitlink_outbox_oldest_due_seconds",
    "How long the oldest notification that is due now has been waiting (0 when none)",
    registry=REGISTRY,
)
REMINDERS_LATE = Counter(
    "habitlink_reminders_late_total",
    "Reminders queued after their time (within the hour of grace after downtime)",
    registry=REGISTRY,
)
REMINDERS_DROPPED = Counter(
    "habitlink_reminders_dropped_total",
    "Reminders not sent because they were due more than an hour ago",
    registry=REGISTRY,
)
AI_CALLS = Counter(
    "habitlink_ai_calls_total",
    "Calls to an AI provider by outcome (ok, error, timeout)",
    ["provider", "outcome"],
    registry=REGISTRY,
)
AI_FALLBACKS = Counter(
    "habitlink_ai_fallbacks_total",
    "Answers made offline because no AI provider was configured or it failed",
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "habitlink_http_requests_total",
    "Requests to the web API by method, route (its template) and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "habitlink_http_seconds",
    "Time to answer a web API request, by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)


class CountedChooser:
    """An AI chooser whose calls are counted in AI_CALLS (core/ knows nothing of metrics)."""

    def __init__(self, inner: ToolChooser) -> None:
        self.inner = inner
        self.provider = inner.provider
        self.model = inner.model

    async def choose(self, system: str, user: str) -> AIAnswer:
        try:
            answer = await self.inner.choose(system, user)
        except AIUnavailable as exc:
            outcome = "timeout" if exc.reason == "timed out" else "error"
            AI_CALLS.labels(self.provider, outcome).inc()
            raise
        AI_CALLS.labels(self.provider, "ok").inc()
        return answer

    async def close(self) -> None:
        await self.inner.close()


for _platform in ("telegram", "discord", "console"):
    RATE_LIMITED.labels(_platform)
    REPLIES.labels(_platform)


def command_label(request: Request, known: Callable[[str], bool]) -> str:
    """A bounded label: the command's name if it is one, else what kind of request it was."""
    if request.button is not None:
        prefix = request.button.split(":", 1)[0]
        return f"button:{prefix}" if known(f"button:{prefix}") else "button:other"
    if request.command is not None:
        return request.command if known(request.command) else "other"
    if request.photo is not None:
        return "photo"
    return "text"


async def refresh_outbox(units: UnitOfWorkFactory) -> None:
    """Read the outbox's depth and the age of its oldest due notification into the gauges."""
    async with units() as uow:
        backlog = await uow.outbox.backlog()
    OUTBOX_DEPTH.set(backlog.waiting)
    oldest = backlog.oldest_due_at
    age = (units.clock.now() - oldest).total_seconds() if oldest is not None else 0.0
    OUTBOX_OLDEST_DUE.set(max(0.0, age))


def rate_limit_trace(platform: str) -> aiohttp.TraceConfig:
    """Counts every 429 answer an aiohttp-based client library receives (discord.py waits them
    out and retries by itself, for its REST calls and interaction answers alike): pass it as
    the library's trace config (discord.Client(http_trace=...))."""

    async def on_request_end(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        if params.response.status == 429:
            RATE_LIMITED.labels(platform).inc()

    import aiohttp

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    return trace
