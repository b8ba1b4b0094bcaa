"""Updates in: long polling or a webhook, through the inbox, into ordered concurrent handling.

Each update is stored in the inbox before Telegram is told it arrived (the next getUpdates
offset, or the webhook's 200), and is marked handled with its effect; after a crash the rest
are handled on start. Updates run concurrently, in order per chat and per person. An update
python-telegram-bot cannot read is logged once and skipped."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from adapters.telegram.translate import PLATFORM
from bot.ordering import Sequencer
from core.inbox import InboxEntry
from core.uow import UnitOfWorkFactory

log = logging.getLogger("habitlink.telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_WEBHOOK_PATH = "/telegram"
# my_chat_member: the bot's own status in a chat (removed from a group, added back)
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
MAX_BACKOFF = 30.0
PRUNE_EVERY = 3600.0  # seconds between clean-ups of handled updates in the inbox
# Replies sent within this many seconds of each other are marked in the inbox in one write
# (a crash in between sends them once more, as it would have before any mark).
MARK_SENT_WITHIN = 0.25

Process = Callable[[Update], Awaitable[None]]


def webhook_target(url: str) -> tuple[str, str]:
    """The URL to register and the path to listen on. A URL without a path gets /telegram
    (Telegram would otherwise post to "/", which nothing answers)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path:
        path = DEFAULT_WEBHOOK_PATH
        url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    return url, path


def update_keys(update: Update) -> tuple[Hashable, ...]:
    """What an update must stay in order with: its chat and its sender."""
    keys: list[Hashable] = []
    if update.effective_chat is not None:
        keys.append(("chat", update.effective_chat.id))
    if update.effective_user is not None:
        keys.append(("user", update.effective_user.id))
    return tuple(keys) or (("update", update.update_id),)


class Intake:
    def __init__(
        self,
        bot: Bot,
        units: UnitOfWorkFactory,
        process: Process,
        arrived: Callable[[Update], None],
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """`tls`: the TLS context for the long poll's connection (None: httpx's default)."""
        self.bot = bot
        self.tls = tls
        self.units = units
        self.process = process
        self.arrived = arrived  # called at once, before the update waits for its turn
        self.sequencer = Sequencer("telegram-updates")
        self._next_prune = 0.0
        # Updates the bot layer marked handled in the transaction of their effect (the usual
        # case): `finish` has nothing left to write for them.
        self.recorded: set[int] = set()
        self._sent: list[int] = []  # updates whose reply is sent, to mark in the inbox
        self._marking: asyncio.Task[None] | None = None
        self._mark_now = asyncio.Event()  # set: write the marks without waiting for more

    # --- from the inbox to the handlers ----------------------------------------------------
    async def take(self, raw_updates: list[Any]) -> None:
        """Store delivered updates in the inbox (raises when it cannot) and start the new ones."""
        entries: list[InboxEntry] = []
        for raw in raw_updates:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                log.warning("skipped an update without an update_id")
                continue
            entries.append(InboxEntry(update_id, json.dumps(raw)))
        async with self.units() as uow:
            fresh = await uow.inbox.accept(PLATFORM, entries)
            if time.monotonic() >= self._next_prune:  # now and then, forget old handled ones
                self._next_prune = time.monotonic() + PRUNE_EVERY
                await uow.inbox.prune(PLATFORM)
            await uow.commit()
        for entry in fresh:
            self.start(entry)

    async def finish(self, update_id: int) -> None:
        """Mark an update handled, unless its handling already did, with its effect."""
        if update_id in self.recorded:
            self.recorded.discard(update_id)
            return
        async with self.units() as uow:
            await uow.inbox.mark_handled(PLATFORM, update_id)
            await uow.commit()

    def reply_sent(self, update_id: int) -> None:
        """An update's reply is sent: it is not sent again after a restart. Written in batches
        (one write for the replies of MARK_SENT_WITHIN seconds), off the chats' turns."""
        self._sent.append(update_id)
        if self._marking is None or self._marking.done():
            self._marking = asyncio.create_task(self._mark_sent())

    async def _mark_sent(self) -> None:
        while self._sent:
            with contextlib.suppress(TimeoutError):  # gather the replies of a burst
                await asyncio.wait_for(self._mark_now.wait(), MARK_SENT_WITHIN)
            batch, self._sent = self._sent, []
            try:
                async with self.units() as uow:
                    await uow.inbox.replies_sent(PLATFORM, batch)
                    await uow.commit()
            except Exception as exc:  # then they are sent again after a restart
                log.warning("could not mark replies sent", extra={"error": repr(exc)[:300]})

    async def sent_marked(self) -> None:
        """Return once every reply noted as sent is marked so in the inbox (written now)."""
        self._mark_now.set()
        try:
            while self._marking is not None and not self._marking.done():
                await self._marking
        finally:
            self._mark_now.clear()

    async def unsent(self) -> list[tuple[Update, str]]:
        """Updates handled by a previous run whose reply was not sent, with that reply."""
        async with self.units() as uow:
            pending = await uow.inbox.unsent(PLATFORM)
        out: list[tuple[Update, str]] = []
        for item in pending:
            try:
                out.append((Update.de_json(json.loads(item.payload), self.bot), item.reply))
            except Exception as exc:  # it was read once; never let it stop the start
                log.warning("skipped an unsent reply", extra={"error": repr(exc)[:300]})
        return out

    async def resume(self) -> None:
        """Handle what a previous run stored but did not finish."""
        async with self.units() as uow:
            pending = await uow.inbox.pending(PLATFORM)
        if pending:
            log.info("handling updates left over from the last run", extra={"count": len(pending)})
        for entry in pending:
            self.start(entry)

    def start(self, entry: InboxEntry) -> None:
        try:
            update = Update.de_json(json.loads(entry.payload), self.bot)
        except Exception as exc:  # the library cannot read it: say so once, never retry it
            log.warning(
                "skipped an update python-telegram-bot cannot read",
                extra={"update_id": entry.update_id, "error": repr(exc)[:300]},
            )
            self.sequencer.submit((), lambda: self.finish(entry.update_id))
            return

        async def work() -> None:
            try:
                await self.process(update)
            finally:
                await self.finish(entry.update_id)

        self.arrived(update)
        self.sequencer.submit(update_keys(update), work)

    # --- long polling -----------------------------------------------------------------------
    async def poll(
        self,
        stop: asyncio.Event,
        *,
        base_url: str,
        token: str,
        poll_timeout: int,
        started: Callable[[], None],
    ) -> None:
        """getUpdates until `stop`; the offset moves past updates only once they are stored."""
        tls: dict[str, Any] = {} if self.tls is None else {"verify": self.tls}
        request = HTTPXRequest(
            connection_pool_size=1, read_timeout=poll_timeout + 10.0, httpx_kwargs=tls
        )
        await request.initialize()
        await self.bot.delete_webhook()
        started()
        offset: int | None = None
        backoff = 1.0
        try:
            while not stop.is_set():
                params: dict[str, Any] = {
                    "timeout": poll_timeout,
                    "allowed_updates": json.dumps(ALLOWED_UPDATES),
                }
                if offset is not None:
                    params["offset"] = offset
                url = f"{base_url}{token}/getUpdates?{urlencode(params)}"
                fetch = asyncio.ensure_future(request.post(url, read_timeout=poll_timeout + 10.0))
                stopping = asyncio.ensure_future(stop.wait())
                await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not fetch.done():
                    fetch.cancel()
                    break
                try:
                    result = fetch.result()
                    updates = result if isinstance(result, list) else []
                    await self.take(updates)
                except InvalidToken:
                    raise
                except Exception as exc:  # network, Conflict, or the database is down
                    level = logging.ERROR if isinstance(exc, Conflict) else logging.WARNING
                    error = repr(exc).replace(token, "<token>")[:300]  # never a secret in logs
                    log.log(level, "getUpdates failed", extra={"error": error})
                    await _sleep_or_stop(stop, backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                    continue
                backoff = 1.0
                ids = [u["update_id"] for u in updates if isinstance(u, dict)]
                ids = [i for i in ids if isinstance(i, int)]
                if ids:
                    offset = max(ids) + 1
            if offset is not None:  # confirm what is stored, so a restart is not sent it again
                try:
                    await request.post(f"{base_url}{token}/getUpdates?offset={offset}&timeout=0")
                except TelegramError as exc:
                    error = repr(exc).replace(token, "<token>")[:300]
                    log.warning("could not confirm the last updates", extra={"error": error})
        finally:
            await request.shutdown()

    # --- webhook ----------------------------------------------------------------------------
    async def webhook(
        self,
        stop: asyncio.Event,
        *,
        url: str,
        secret: str | None,
        listen: str,
        port: int,
        started: Callable[[], None],
    ) -> None:
        """Serve the webhook until `stop`: 200 only once an update is stored in the inbox."""
        from aiohttp import web  # webhook mode only: long polling never loads aiohttp.web

        registered, path = webhook_target(url)

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if secret is not None and not hmac.compare_digest(given.encode(), secret.encode()):
                return web.Response(status=403)
            try:
                raw = await request.json()
            except ValueError:
                return web.Response(status=400)
            try:
                await self.take([raw])
            except Exception as exc:  # not stored: Telegram sends it again later
                log.warning("could not store a webhook update", extra={"error": repr(exc)[:300]})
                return web.Response(status=503)
            return web.Response(status=200)

        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post(path, receive)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, listen, port).start()
            await self.bot.set_webhook(
                registered, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
            log.info("telegram webhook listening", extra={"port": port, "path": path})
            started()
            await stop.wait()
        finally:
            await runner.cleanup()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
