"""The Telegram adapter: a python-telegram-bot Application driving the neutral bot layer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from adapters.telegram.asking import Asked, Asker, asker, in_group
from adapters.telegram.http import BoundedRequest
from adapters.telegram.intake import Intake
from adapters.telegram.limits import GROUP_LIMIT, OVERALL_LIMIT, ChatRateLimiter
from adapters.telegram.membership import my_status, service_message
from adapters.telegram.presses import Presses
from adapters.telegram.render import MESSAGE_LIMIT, caption, keyboard, split, to_html
from adapters.telegram.translate import (
    PLATFORM,
    anonymous_command,
    button_request,
    message_request,
)
from bot.buttons import BUTTON_GONE
from bot.commands import Where
from bot.delivery import Refused, SendFailed, Unreachable
from bot.dispatcher import HabitLinkBot
from bot.messages import Reply, Response
from bot.metrics import REPLIES
from bot.ordering import Sequencer
from bot.outgoing import decode_response
from core.ratelimit import Limit, RateLimiter

log = logging.getLogger("habitlink.telegram")
# The bot layer contains its own faults, so what reaches PTB's error handler failed around it,
# mostly while sending the reply: the change may well be saved (not "nothing was changed").
SORRY_SEND = (
    "Sorry, something went wrong on my side while answering. "
    "What you sent may already be saved, so please check (/habits) before sending it again."
)
# A command sent as the group (an anonymous admin) or as a channel: nobody to act for.
ANONYMOUS = (
    "You're posting as a chat, not as yourself, so I can't tell who you are. Send it as "
    'yourself: turn off "Remain anonymous" in your admin rights, or pick yourself as sender.'
)
PTBApp = Application[Any, Any, Any, Any, Any, Any]
# A notification waits at most this long for its chat's 429 pause (a group's can be a minute):
# past it the outbox sends it again later, and the notifications behind it go now.
NOTIFICATION_PATIENCE = 2.0


def unreachable(exc: TelegramError) -> bool:
    """Nobody can be written to there: the person blocked the bot, it left or was removed from
    the group (403), or the chat is gone."""
    return isinstance(exc, Forbidden) or "chat not found" in exc.message.lower()


def topic(message: Message | None) -> int | None:
    """The forum topic a message is in (None outside forum topics: General, other chats)."""
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


class TelegramAdapter:
    def __init__(
        self,
        bot: HabitLinkBot,
        *,
        token: str,
        base_url: str = "https://api.telegram.org/bot",
        base_file_url: str = "https://api.telegram.org/file/bot",
        max_retries: int = 5,
        rate_limit: bool = True,
        limiter: RateLimiter | None = None,
        group_limit: Limit = GROUP_LIMIT,
    ) -> None:
        """`limiter` counts every send under Telegram's limits: the app's, shared through Redis
        by every process of the bot (None: this adapter's own, in memory). `group_limit` is
        Telegram's 20 messages a minute in a group (tests shorten the minute)."""
        self.bot = bot
        self.token = token
        self.base_url = base_url
        # One TLS context (the CA bundle loaded once, about 0.8 MB) for the three connection
        # pools to Telegram: replies, PTB's getUpdates pool and the intake's long poll. The
        # replies' pool holds IN_FLIGHT connections, getUpdates' one, as ApplicationBuilder's.
        tls = httpx.create_ssl_context()
        builder = (
            ApplicationBuilder()
            .token(token)
            .base_url(base_url)
            .base_file_url(base_file_url)
            .request(BoundedRequest(tls=tls))
            .get_updates_request(HTTPXRequest(connection_pool_size=1, httpx_kwargs={"verify": tls}))
            .updater(None)  # updates come in through Intake (inbox, ordering)
        )
        self.application: PTBApp
        if rate_limit:  # Telegram's flood limits (30 messages/s, 20/min a group); 429s retried
            limits = ChatRateLimiter(
                max_retries, limiter, overall=self.overall_limit, group=group_limit
            )
            self.application = builder.rate_limiter(limits).build()
        else:  # benchmarks: the processing alone
            self.application = builder.build()
        self.application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self._on_message))
        self.application.add_handler(CallbackQueryHandler(self._on_button))
        self.application.add_handler(
            ChatMemberHandler(self._on_my_status, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        self.application.add_error_handler(self._on_error)
        self.intake = Intake(
            self.application.bot, bot.uow, self.application.process_update, self._arrived, tls
        )
        self.replies = Sequencer("telegram-replies")  # in order per chat, chats side by side
        self.presses = Presses()

    # --- incoming ------------------------------------------------------------------------
    def _arrived(self, update: Update) -> None:
        """A press is answered within ANSWER_WITHIN even when its chat is busy."""
        if update.callback_query is not None:
            self.presses.arrived(update.callback_query)

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:  # a group upgraded to a supergroup
            new_id = message.migrate_to_chat_id
            await self.bot.move_chat(PLATFORM, str(message.chat_id), str(new_id))
            return
        if message.migrate_from_chat_id is not None:
            old_id = message.migrate_from_chat_id
            await self.bot.move_chat(PLATFORM, str(old_id), str(message.chat_id))
            return
        said = await service_message(self.bot, message, context.bot.id)
        if said is not None:  # someone (the bot itself) joined or left
            if said.replies:  # an owner left: who owns the group now
                self.reply_later(message.chat_id, said, thread=topic(message))
            return
        request = message_request(message, context.bot, update.update_id)
        if request is None:
            if anonymous_command(message, context.bot) in self.bot.router.commands:
                self.reply_later(message.chat_id, Response.say(ANONYMOUS), thread=topic(message))
            return
        response = await self.bot.handle(request)
        if response.recorded:  # marked handled with its effect: the intake skips its own mark
            self.intake.recorded.add(update.update_id)
        self.reply_later(
            message.chat_id,
            response,
            update_id=update.update_id,
            thread=topic(message),
            asker=asker(message.chat, message.from_user, message),
        )

    async def _on_my_status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await my_status(self.bot, update)

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        self.presses.handling(query)
        request = button_request(update, context.bot)
        if request is None:
            await self.presses.answer(query, BUTTON_GONE)
            return
        response = await self.bot.handle(request)
        if response.recorded:
            self.intake.recorded.add(update.update_id)
        # Answered now; the edit or reply follows in the chat's turn (a busy group may wait).
        await self.presses.answer(query, response.notice)
        if query.message is not None:
            message = query.message if isinstance(query.message, Message) else None
            self.reply_later(
                query.message.chat.id,
                response,
                update_id=update.update_id,
                pressed=message,
                thread=topic(message),
                asker=asker(query.message.chat, query.from_user),
            )
        elif response.replies:  # no chat to answer in: the inbox need not keep the reply
            self.intake.reply_sent(update.update_id)

    def reply_later(
        self,
        chat_id: int,
        response: Response,
        *,
        update_id: int | None = None,
        pressed: Message | None = None,
        thread: int | None = None,
        asker: Asker | None = None,
    ) -> None:
        """Deliver in the chat's turn, so waiting on a chat's rate limit holds up no handling.
        `thread`: the forum topic the request came from, where the answer goes too; `asker`:
        in a group, who sent the request (a guided step's question is asked of them)."""

        async def deliver() -> None:
            try:
                await self.deliver(chat_id, response, pressed=pressed, thread=thread, asker=asker)
            except (Forbidden, BadRequest) as exc:
                if unreachable(exc):  # blocked, removed from the group, the chat gone: nobody
                    log.info("reply not delivered", extra={"chat": chat_id, "error": exc.message})
                else:
                    await apologise(exc)
            except Exception as exc:
                await apologise(exc)
            if update_id is not None and response.replies:
                self.intake.reply_sent(update_id)  # the inbox kept it in case of a crash

        async def apologise(exc: Exception) -> None:
            log.error(
                "telegram update failed",
                exc_info=exc,
                extra={"update_id": update_id, "error": repr(exc)[:300]},
            )
            try:
                await self.application.bot.send_message(
                    chat_id, SORRY_SEND, message_thread_id=thread
                )
            except TelegramError:
                log.warning("could not send the apology", extra={"chat": chat_id})

        self.replies.submit([chat_id], deliver)

    async def resend_unsent(self) -> None:
        """Send the replies a previous run saved with their effect but did not send (it
        died in between): at least once, in each chat before anything newer."""
        for update, encoded in await self.intake.unsent():
            chat = update.effective_chat
            if chat is None:
                continue
            query = update.callback_query
            pressed = query.message if query is not None else None
            message = update.message
            self.reply_later(
                chat.id,
                decode_response(encoded),
                update_id=update.update_id,
                pressed=pressed if isinstance(pressed, Message) else None,
                thread=topic(update.effective_message),
                asker=asker(chat, update.effective_user, message),
            )

    async def settled(self) -> None:
        """Return once every update received so far is handled and its replies delivered."""
        while self.intake.sequencer.busy or self.replies.busy:
            await self.intake.sequencer.join()
            await self.replies.join()
        await self.intake.sent_marked()

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error(
            "telegram update failed",
            exc_info=context.error,
            extra={"update_id": update_id, "error": repr(context.error)},
        )
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, SORRY_SEND)
            except TelegramError:
                log.warning("could not send the apology", extra={"update_id": update_id})

    # --- notifications (reminders, summaries) --------------------------------------------
    platform = "telegram"
    overall_limit = OVERALL_LIMIT  # every send: about 30 messages a second for the whole bot

    def limits(self, chat_id: str) -> tuple[Limit, ...]:
        """What a notification waits for beyond what every send waits for (the overall 30 a
        second and a group's 20 a minute, counted by the rate limiter of every request): about
        one message a second in a private chat. Answers are not held to it."""
        if chat_id.startswith(("-", "@")):
            return ()
        return (Limit(f"telegram:private:{chat_id}", 1, 1.0),)

    async def send_response(self, chat_id: str, response: Response) -> None:
        """Send a notification; a block or a vanished chat is Unreachable, another bad request
        (a group that allows no photos) Refused; the rest (timeouts, network errors, 5xx, a 429
        past patience) SendFailed, to be retried."""
        try:
            await self.deliver(chat_id, response, patience=NOTIFICATION_PATIENCE)
        except (Forbidden, BadRequest) as exc:
            if unreachable(exc):
                raise Unreachable(exc.message) from exc
            raise Refused(exc.message) from exc
        except TelegramError as exc:
            raise SendFailed(str(exc)) from exc

    # --- outgoing ------------------------------------------------------------------------
    async def deliver(
        self,
        chat_id: int | str,
        response: Response,
        *,
        pressed: Message | None = None,
        thread: int | None = None,
        patience: float | None = None,
        asker: Asker | None = None,
    ) -> None:
        """Send every reply; the first reply marked `edit` replaces the pressed message.
        `patience`: the longest a send waits out its chat's 429 (None: as long as it takes);
        `asker`: who a guided step's question in a group is for (adapters/telegram/asking.py)."""
        for original in response.replies:
            reply, asked = in_group(original, asker)
            if reply.edit and pressed is not None:
                edited = await self._edit(pressed, reply)
                pressed = None
                if edited:
                    continue
            await self.send(chat_id, reply, thread=thread, patience=patience, asked=asked)

    async def send(
        self,
        chat_id: int | str,
        reply: Reply,
        *,
        thread: int | None = None,
        patience: float | None = None,
        asked: Asked | None = None,
    ) -> None:
        """Send one reply; `asked`: how a guided step's question goes to a group (asking.py)."""
        bot = self.application.bot
        REPLIES.labels(self.platform).inc()
        asked = asked or Asked()
        markup = keyboard(reply.buttons) or asked.markup
        target = chat_id
        if reply.document is not None:
            document = reply.document
            target = await self._to_chat(
                target,
                lambda to: bot.send_document(
                    to,
                    document=document.data,
                    filename=document.filename,
                    disable_content_type_detection=True,
                    message_thread_id=thread,
                    rate_limit_args=patience,
                ),
            )
        if reply.image is not None:
            image = reply.image
            target = await self._to_chat(
                target,
                lambda to: bot.send_photo(
                    to,
                    photo=image.data,
                    filename=image.filename,
                    caption=caption(image.caption) or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if not reply.text else None,
                    reply_parameters=asked.reply_to if not reply.text else None,
                    message_thread_id=thread,
                    rate_limit_args=patience,
                ),
            )
            if not reply.text:
                return
        pieces = split(reply.text, MESSAGE_LIMIT - asked.lead_units)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            html_text = (asked.lead if i == 0 else "") + (to_html(piece) or "…")
            target = await self._to_chat(
                target,
                lambda to, text=html_text, last=last: bot.send_message(  # type: ignore[misc]
                    to,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None,
                    reply_parameters=asked.reply_to if last else None,
                    message_thread_id=thread,
                    rate_limit_args=patience,
                ),
            )

    async def _to_chat(
        self, chat_id: int | str, call: Callable[[int | str], Awaitable[object]]
    ) -> int | str:
        """Make a call for a chat; a group upgraded to a supergroup (400 with
        migrate_to_chat_id) moves its HabitLink group along and gets the call at its new id."""
        try:
            await call(chat_id)
            return chat_id
        except ChatMigrated as exc:
            new_id = exc.new_chat_id
            await self.bot.move_chat(PLATFORM, str(chat_id), str(new_id))
            await call(new_id)
            return new_id

    async def _edit(self, message: Message, reply: Reply) -> bool:
        """Edit a text message in place; False when it cannot be edited (a photo, too long)."""
        pieces = split(reply.text)
        if message.text is None or reply.image or reply.document or len(pieces) != 1:
            return False
        try:
            await message.edit_text(
                to_html(pieces[0]), parse_mode=ParseMode.HTML, reply_markup=keyboard(reply.buttons)
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.warning("could not edit a message", extra={"error": exc.message})
            return False
        except ChatMigrated:  # a message of a basic group since upgraded: it stays as it is,
            return False  # and the new version goes to the supergroup (see `send`)
        return True

    async def publish_commands(self) -> None:
        """Set the command menus for private and group chats, only where they changed."""
        bot = self.application.bot
        scopes = (
            (BotCommandScopeAllPrivateChats(), Where.PRIVATE),
            (BotCommandScopeAllGroupChats(), Where.GROUP),
        )
        for scope, where in scopes:
            wanted = tuple(BotCommand(c.name, c.summary[:256]) for c in self.bot.router.menu(where))
            current = tuple(await bot.get_my_commands(scope=scope))
            if current != wanted:
                await bot.set_my_commands(wanted, scope=scope)
                log.info("published the command menu", extra={"scope": scope.type})

    # --- running -------------------------------------------------------------------------
    async def serve(
        self,
        stop: asyncio.Event,
        *,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        listen: str = "0.0.0.0",
        port: int = 8443,
        poll_timeout: int = 30,
        on_started: Callable[[], None] | None = None,
    ) -> None:
        """Run until `stop` is set: long polling, or a webhook when webhook_url is given (then
        webhook_secret is required: without it anyone could post updates "from" anyone)."""
        if webhook_url and not webhook_secret:
            raise ValueError("webhook mode needs a secret token (TELEGRAM_WEBHOOK_SECRET)")
        app = self.application
        started = on_started or (lambda: None)
        async with app:
            try:
                await self.publish_commands()
            except (Forbidden, BadRequest) as exc:
                log.warning("could not publish the command menu", extra={"error": str(exc)})
            await app.start()
            try:
                await self.resend_unsent()
                await self.intake.resume()
                if webhook_url:
                    await self.intake.webhook(
                        stop,
                        url=webhook_url,
                        secret=webhook_secret,
                        listen=listen,
                        port=port,
                        started=started,
                    )
                else:
                    log.info("telegram long polling started")
                    await self.intake.poll(
                        stop,
                        base_url=self.base_url,
                        token=self.token,
                        poll_timeout=poll_timeout,
                        started=started,
                    )
            finally:
                await self.intake.sequencer.drain(timeout=3.0)
                await self.replies.drain(timeout=3.0)  # a group's backlog may wait minutes
                await self.intake.sent_marked()
                self.presses.close()
                await app.stop()
