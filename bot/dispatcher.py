"""From a neutral request to a neutral response: one unit of work per request, faults contained."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace

from bot.albums import AlbumAnswers
from bot.arguments import run_command
from bot.buttons import BUTTON_GONE
from bot.chat_events import ChatEvents
from bot.choices import CHOICE
from bot.commands import Where
from bot.context import Context
from bot.handlers.pick import pick_buttons, typed_pick
from bot.messages import (
    MAX_CAPTION_CHARS,
    MAX_TEXT_CHARS,
    Button,
    Reply,
    Request,
    Response,
    Rich,
    bold,
    hint,
    rich,
)
from bot.metrics import HANDLER_ERRORS, HANDLER_SECONDS, UPDATES, command_label
from bot.misread import misread
from bot.outgoing import encode_response
from bot.paging import fit_buttons
from bot.photo_commands import as_proof, photo_not_kept
from bot.router import Router
from bot.unknown import unknown_command, visibility_word_here, without_slash
from core.clock import Clock
from core.db.models import User
from core.errors import Ambiguous, HabitLinkError, NotFound, StorageConflict, StorageError
from core.finder.service import ToolFinder
from core.flows import FlowKey, FlowStore
from core.flows.base import DEFAULT_TTL_SECONDS
from core.locks import LockBusy, MemoryPersonLocks, PersonLocks
from core.media.storage import MediaStore
from core.store_errors import store_errors
from core.uow import UnitOfWork, UnitOfWorkFactory
from core.users.service import Contact

log = logging.getLogger("habitlink.bot")

SORRY_STORAGE = "I couldn't save that just now. Nothing was changed, please try again in a moment."
SORRY_BUG = "Sorry, something went wrong on my side. Nothing was changed, please try again."
TOO_LONG = (
    f"That's too long for me: I read messages of up to {MAX_TEXT_CHARS:,} characters "
    f"(photo captions up to {MAX_CAPTION_CHARS:,}). Please send a shorter one."
)
CANCEL = "cancel"  # the command that ends a flow and says so itself (bot/handlers/basics.py)
BANNED = (
    "Your HabitLink account has been suspended by the people who run this HabitLink, "
    "so I won't answer your messages any more."
)

# Requests in the bot layer at once (the rest wait their turn). Each holds a unit of work, so
# more side by side only compete for the database: on SQLite for its one writer (a writer that
# finds it taken sleeps and tries again) and aiosqlite's threads. /done through Telegram on
# SQLite: 4 at once handle 170-230 a second, 8 at once 80-130; 20 at once cost twice the CPU per
# request of 4, on PostgreSQL too (bench/README.md, bench_telegram fifth pass).
HANDLING_AT_ONCE = 4
# A request that waited this many seconds for a place goes ahead without one: when the places
# are held by slow work (a stalled database, a slow AI), nobody queues behind it for long.
PLACE_WAIT = 1.0

Middleware = Callable[[Context], Awaitable[Response | None]]


class FlowDropped(Exception):
    """A command refused after it ended the flow under way: the refusal is explained, led by
    the note saying the flow stopped (as a command that succeeds says it)."""

    def __init__(self, error: HabitLinkError, note: str | None) -> None:
        super().__init__(error.message)
        self.error = error
        self.note = note


class StepRefused(Exception):
    """A guided step's answer refused by the domain (a schedule it can't read, say): nothing is
    saved, the step still waits, and the explanation asks for the answer again."""

    def __init__(self, error: HabitLinkError) -> None:
        super().__init__(error.message)
        self.error = error


class HabitLinkBot(ChatEvents):
    """Every adapter hands its requests to `handle` and renders what comes back (and what
    platforms tell of chats and people outside requests to the methods of ChatEvents)."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        flows: FlowStore,
        router: Router,
        finder: ToolFinder | None = None,
        tools_per_day: int = 3,
        locks: PersonLocks | None = None,
        at_once: int = HANDLING_AT_ONCE,
        place_wait: float = PLACE_WAIT,
    ) -> None:
        self.uow = uow  # `async with bot.uow() as uow:` opens one unit of work
        # One finder per bot: it holds the AI client, the answer cache and the ranker's index.
        self.finder = finder or ToolFinder(None, uow.clock)
        self.tools_per_day = tools_per_day
        # One request of a person at a time (across processes with Redis): two updates sent
        # together never both act on the same flow step or check-in.
        self.locks: PersonLocks = locks or MemoryPersonLocks()
        # A cache of where people are in flows; the durable copy is uow.flow_states.
        self.flows = flows
        self.router = router
        self._places = asyncio.Semaphore(at_once)  # see HANDLING_AT_ONCE
        self.albums = AlbumAnswers()  # the photos of an album are answered once
        self._place_wait = place_wait

    @property
    def clock(self) -> Clock:
        return self.uow.clock

    @property
    def media(self) -> MediaStore | None:
        return self.uow.media

    async def handle(self, request: Request) -> Response:
        if request.too_long:  # refused before any work is done
            if request.button is not None:
                return Response(notice=BUTTON_GONE)
            return Response.say(TOO_LONG)
        platform = request.chat.platform
        command = command_label(request, self._known)
        started = time.perf_counter()
        try:
            # The person's turn first: a request waiting for it holds no place.
            async with self.locks.hold(f"{platform}:{request.sender.id}"), self._place():
                return fit_buttons(await self._handle(request), request.max_buttons)
        except LockBusy as exc:
            return _explain(exc, request, self.router)
        except store_errors():
            log.exception("lock store error", extra=_where(request))
            HANDLER_ERRORS.labels(platform, "storage").inc()
            return Response.say(SORRY_STORAGE)
        finally:
            UPDATES.labels(platform, command).inc()
            HANDLER_SECONDS.labels(platform, command).observe(time.perf_counter() - started)

    @contextlib.asynccontextmanager
    async def _place(self) -> AsyncIterator[None]:
        """One of the HANDLING_AT_ONCE places, or none after PLACE_WAIT seconds."""
        try:
            async with asyncio.timeout(self._place_wait):
                await self._places.acquire()
        except TimeoutError:
            yield
            return
        try:
            yield
        finally:
            self._places.release()

    def _known(self, name: str) -> bool:
        if name.startswith("button:"):
            return name.removeprefix("button:") in self.router.buttons
        return name in self.router.commands

    async def _handle(self, request: Request) -> Response:
        for attempt in (1, 2):
            try:
                return await self._handle_once(request)
            except FlowDropped as dropped:
                explained = _explain(dropped.error, request, self.router)
                if dropped.note is not None:
                    explained = _with_note(explained, dropped.note)
                return self.albums.once(request, explained)
            except StepRefused as refused:
                explained = _explain(refused.error, request, self.router)
                return self.albums.once(request, _ask_last(explained))
            except HabitLinkError as exc:
                return self.albums.once(request, _explain(exc, request, self.router))
            except StorageConflict:
                # Two first messages from the same person can race to create them; once more.
                if attempt == 1:
                    continue
                log.exception("integrity error", extra=_where(request))
                HANDLER_ERRORS.labels(request.chat.platform, "storage").inc()
                return Response.say(SORRY_STORAGE)
            except StorageError:
                log.exception("storage error", extra=_where(request))
                HANDLER_ERRORS.labels(request.chat.platform, "storage").inc()
                return Response.say(SORRY_STORAGE)
            except store_errors():
                log.exception("storage error", extra=_where(request))
                HANDLER_ERRORS.labels(request.chat.platform, "storage").inc()
                return Response.say(SORRY_STORAGE)
            except Exception:
                log.exception("handler failed", extra=_where(request))
                HANDLER_ERRORS.labels(request.chat.platform, "bug").inc()
                return Response.say(SORRY_BUG)
        raise AssertionError("unreachable")

    async def _handle_once(self, request: Request) -> Response:
        key = FlowKey(request.chat.platform, request.chat.id, request.sender.id)
        cached, flow = await self.flows.lookup(key)
        lapsed = None  # a flow that expired unanswered: read with the durable copy only
        async with self.uow() as uow:
            contact = Contact(
                platform=request.sender.platform,
                external_id=request.sender.id,
                display_name=request.sender.display_name,
                username=request.sender.username,
                private_chat_id=request.chat.id if request.chat.is_private else None,
            )
            if cached:
                user, is_new = await uow.users.identify(contact)
            else:  # not heard from for a while, Redis restarted empty or is down, a new process:
                # the durable copy, read in the identity's statement
                user, is_new, flow, lapsed = await uow.users.identify_with_flow(contact, key)
            if user.banned_at is not None:
                response = await self._banned(uow, request, user)
                response = await _mark_handled(uow, request, response)
                await uow.commit()
                return response
            ctx = Context(
                request=request,
                user=user,
                is_new_user=is_new,
                uow=uow,
                router=self.router,
                flow=flow,
                lapsed=lapsed,
                finder=self.finder,
                tools_per_day=self.tools_per_day,
            )
            try:
                routed = await self._route(ctx)
            except HabitLinkError as exc:
                if ctx.answered_step and ctx.flow is not None:
                    raise StepRefused(exc) from exc
                # The command refused still ends the flow it replaced; its question of which
                # habit (the buttons of _explain) takes a typed answer.
                asked = typed_pick(ctx, exc, request)
                if ctx.dropped_flow or asked is not None:
                    await uow.rollback()
                    await uow.flow_states.put(key, asked)
                    await uow.commit()
                    await (self.flows.clear(key) if asked is None else self.flows.set(key, asked))
                if ctx.dropped_flow:
                    note = self._dropped_note(ctx, ctx.request.command or "")
                    raise FlowDropped(exc, note) from exc
                raise
            if ctx.lapsed is not None and not ctx.flow_changed and _for_the_bot(request):
                ctx.end_flow()  # told once (or a command came): the expired flow is forgotten
            response = _asking(ctx, self.albums.unsaid(request, routed))
            if ctx.flow_changed:  # the flow's place is saved with the step's effect
                await uow.flow_states.put(key, ctx.next_flow)
            response = await _mark_handled(uow, request, response)
            await uow.commit()
        self.albums.said(request, response)
        for ended in uow.ended_flows:  # the person was erased: their flows in every chat end
            await self.flows.clear(ended)
        # An expired question kept for its late answer (a group's talk came first) stays
        # uncached: the next message reads it again in the identity's statement.
        if ctx.flow_changed or not (cached or ctx.lapsed):
            state = ctx.next_flow if ctx.flow_changed else flow
            if state is None:
                await self.flows.clear(key)
            else:
                await self.flows.set(key, state)
        return response

    def _say_dropped(self, ctx: Context, command: str, response: Response) -> Response:
        """A command's response, saying first that the flow it stopped saved nothing."""
        note = self._dropped_note(ctx, command)
        return response if note is None else _with_note(response, note)

    def _dropped_note(self, ctx: Context, command: str) -> str | None:
        """That the flow a command stopped saved nothing (None when there was none, and for
        /cancel, which says so itself). The same flow started afresh (/newhabit during its
        setup) says it starts again, as its first question alone would not say the answers
        given so far went."""
        dropped = ctx.flow
        if dropped is None or command == CANCEL:
            return None
        what = self.router.flow_names.get(dropped.name, "what we were in the middle of")
        if not what:
            return None
        if ctx.next_flow is not None and ctx.next_flow.name == dropped.name:
            return f"Started {what} again; your earlier answers were not saved."
        return f"Stopped {what}; nothing of it was saved."

    async def _banned(self, uow: UnitOfWork, request: Request, user: User) -> Response:
        """A person banned platform-wide (core.admin.people): one short notice, then silence.

        The notice goes out once per ban, in answer to the first thing they send the bot
        itself (anything in a private chat; a command, button or photo in a group); plain group
        talk never gets it."""
        for_the_bot = request.chat.is_private or (
            request.command is not None or request.button is not None or request.photo is not None
        )
        if user.ban_notified_at is not None or not for_the_bot:
            return Response()
        user.ban_notified_at = self.clock.now()
        if request.button is not None:
            return Response(notice=BANNED)
        return Response.say(BANNED)

    async def _route(self, ctx: Context) -> Response:
        req = ctx.request
        if req.button is not None:
            prefix, *args = req.button.split(":")
            button_handler = self.router.buttons.get(prefix)
            if button_handler is None:
                return Response(notice=BUTTON_GONE)
            if ctx.flow is not None and ctx.flow.name == CHOICE:
                ctx.end_flow()  # a press moves on from a question with buttons (bot/choices.py)
            return await button_handler(ctx, args)
        flow = ctx.flow.name if ctx.flow is not None else None
        lapsed = ctx.lapsed.name if ctx.lapsed is not None else None
        if req.command is not None and not self.router.skips_step(req, flow or lapsed):
            req = ctx.request = as_proof(req)  # a group's photo with /done HABIT: its proof
            command = self.router.commands.get(req.command or "")
            if command is None:
                ours = (
                    req.addressed
                    or self.router.is_ours(req.command or "")  # /group
                    or await visibility_word_here(ctx)  # /public in a HabitLink group's chat
                )
                if not (req.chat.is_private or ours):
                    return Response()  # in a group it may well be meant for another bot
                return Response.say(unknown_command(self.router, req))
            if ctx.flow is not None:  # another command: the question waiting is dropped, as
                ctx.drop_flow()  # with /cancel (the command sees the flow; it may start one)
            if command.where is Where.PRIVATE and not req.chat.is_private:
                response = Response.say(hint(f"/{command.name} works in a private chat with me."))
            elif command.where is Where.GROUP and req.chat.is_private:
                response = Response.say(hint(f"/{command.name} works in a group chat."))
            else:
                response = photo_not_kept(req, command, await run_command(ctx, command))
            return self._say_dropped(ctx, command.name, response)
        if ctx.flow is not None and req.may_answer:
            flow_handler = self.router.flows.get(ctx.flow.name)
            if flow_handler is not None:
                ctx.answered_step = True
                return await flow_handler(ctx, ctx.flow)
            ctx.end_flow()
        start = self.router.flow_starts.get(lapsed or "")
        if start is not None and req.may_answer and req.photo is None:
            return Response.say(
                f"That question expired after {DEFAULT_TTL_SECONDS // 60} minutes; nothing "
                "was saved. ",
                hint(f"Send /{start} to start again."),
            )
        if req.photo is not None:
            for photo_handler in self.router.photo_handlers:
                return await photo_handler(ctx)
        if req.chat.is_private:
            return Response.say(
                without_slash(self.router, req.text)  # 'done water'
                or hint("Send /help to see what I can do, or /habits for today's list.")
            )
        return Response()  # groups talk among themselves; the bot answers commands only


def _for_the_bot(request: Request) -> bool:
    """A command, a press, or a message that could answer a question (not a group's talk)."""
    return request.command is not None or request.button is not None or request.may_answer


def _with_note(response: Response, note: str) -> Response:
    """The response led by a note: on its first reply when that is plain text, else before it."""
    first = response.replies[0] if response.replies else None
    if first is None or first.image or first.document or first.edit or not first.text:
        return replace(response, replies=[Reply.of(note), *response.replies])
    led = replace(first, text=rich(note, "\n\n") + first.text)
    return replace(response, replies=[led, *response.replies[1:]])


def _asking(ctx: Context, response: Response) -> Response:
    """The response with its last reply marked `asks` when it leaves the person in a guided
    step that waits for their typed answer: a step started or moved on (by a command, a button
    or an answer), or asked again after an answer it could not take. A command that leaves
    another flow waiting (one in another chat) asks nothing."""
    if ctx.flow_changed:
        waiting = ctx.next_flow is not None
    else:
        waiting = ctx.answered_step and ctx.flow is not None
    return _ask_last(response) if waiting else response


def _ask_last(response: Response) -> Response:
    """The response with its last reply marked `asks` (a guided step's question)."""
    if not response.replies:
        return response
    *before, last = response.replies
    return replace(response, replies=[*before, replace(last, asks=True)])


async def _mark_handled(uow: UnitOfWork, request: Request, response: Response) -> Response:
    """A delivered update is marked handled with its effect, so it is never handled twice; its
    reply goes with it, so a crash before the reply is sent does not lose it. The response says
    so (`recorded`: once the caller's commit succeeds, the adapter need not mark it again)."""
    if request.update_id is None:
        return response
    reply = encode_response(response) if response.replies else None
    await uow.inbox.mark_handled(request.chat.platform, request.update_id, reply)
    return replace(response, recorded=True)


def _explain(exc: HabitLinkError, request: Request, router: Router) -> Response:
    text = _domain_text(exc)
    buttons: list[list[Button]] = []
    if isinstance(exc, NotFound) and exc.suggestions:
        if (slip := misread(exc, request, router)) is not None:
            return Response.say(slip)
        text += rich("\nDid you mean: ", bold(", ".join(exc.suggestions)), "?")
        buttons = pick_buttons(exc, request, router)
    if isinstance(exc, Ambiguous):
        text += rich("\nWhich one: ", bold(", ".join(exc.candidates)), "?")
        buttons = pick_buttons(exc, request, router)
    return Response.say(text, buttons=buttons)


def _domain_text(exc: HabitLinkError) -> Rich:
    """The domain's message: the commands it names (/newhabit) as command spans, except inside
    what the person typed (quoted in it), which stays as it was."""
    typed = getattr(exc, "typed", "")
    if not typed or repr(typed) not in exc.message:
        return hint(exc.message)
    before, quoted, after = exc.message.partition(repr(typed))
    return hint(before) + quoted + hint(after)


def _where(request: Request) -> dict[str, str | None]:
    return {
        "platform": request.chat.platform,
        "chat": request.chat.id,
        "command": request.command,
        "button": request.button,
    }
