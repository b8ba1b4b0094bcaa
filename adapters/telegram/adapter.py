"""The Telegram adapter: a python-telegram-bot Application driving the neutral bot layer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram.render import caption, keyboard, split, to_html
from adapters.telegram.translate import button_request, message_request
from bot.commands import Where
from bot.delivery import SendFailed, Unreachable
from bot.dispatcher import HabitLinkBot
from bot.messages import Reply, Response
from core.ratelimit import Limit

log = logging.getLogger("habitlink.telegram")
CALLBACK_ANSWER_LIMIT = 200
# The bot layer contains its own faults, so what reaches PTB's error handler failed around it,
# mostly while sending the reply: the change may well be saved (not "nothing was changed").
SORRY_SEND = (
    "Sorry, something went wrong on my side while answering. "
    "What you sent may already be saved, so please check (/habits) before sending it again."
)
PTBApp = Application[Any, Any, Any, Any, Any, Any]
# 30 messages a second overall, counted over 1.03 s: we count a message when we start sending
# it, Telegram when it arrives. With a window exactly 1 s wide, a send a little slower than the
# one a window later breaks the limit: bench_scheduler saw a 429 nearly every second (and 20 %
# of the rate lost to retries). The 30 ms margin costs 3 % of the rate.
OVERALL_LIMIT = Limit("telegram:all", 30, 1.03)


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
    ) -> None:
        self.bot = bot
        builder = ApplicationBuilder().token(token).base_url(base_url).base_file_url(base_file_url)
        self.application: PTBApp
        if rate_limit:  # Telegram's flood limits (30 messages/s, 20/min a group); 429s retried
            limiter = AIORateLimiter(max_retries=max_retries)
            self.application = builder.rate_limiter(limiter).build()
        else:  # benchmarks: the processing alone
            self.application = builder.build()
        self.application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self._on_message))
        self.application.add_handler(CallbackQueryHandler(self._on_button))
        self.application.add_error_handler(self._on_error)

    # --- incoming ------------------------------------------------------------------------
    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None:
            return
        request = message_request(message, context.bot)
        if request is None:
            return
        response = await self.bot.handle(request)
        await self.deliver(message.chat_id, response)

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        request = button_request(update)
        if request is None:
            await query.answer("That button no longer works.")
            return
        response = await self.bot.handle(request)
        notice = (response.notice or "")[:CALLBACK_ANSWER_LIMIT] or None
        message = query.message if isinstance(query.message, Message) else None
        try:
            if query.message is not None:
                await self.deliver(query.message.chat.id, response, pressed=message)
        finally:
            await query.answer(notice)  # every press is answered, after its effect is visible

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

    def limits(self, chat_id: str) -> tuple[Limit, ...]:
        """Telegram's flood limits: ~30 messages/s overall, 20/min in a group, ~1/s a chat."""
        per_chat = Limit(f"telegram:chat:{chat_id}", 20, 60.0)
        if not chat_id.startswith("-"):
            per_chat = Limit(f"telegram:chat:{chat_id}", 1, 1.0)
        return (OVERALL_LIMIT, per_chat)

    async def send_response(self, chat_id: str, response: Response) -> None:
        """Send a notification; a block or a vanished chat is Unreachable, the rest retried."""
        try:
            await self.deliver(chat_id, response)
        except Forbidden as exc:
            raise Unreachable(exc.message) from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise Unreachable(exc.message) from exc
            raise SendFailed(exc.message) from exc
        except TelegramError as exc:
            raise SendFailed(str(exc)) from exc

    # --- outgoing ------------------------------------------------------------------------
    async def deliver(
        self, chat_id: int | str, response: Response, *, pressed: Message | None = None
    ) -> None:
        """Send every reply; the first reply marked `edit` replaces the pressed message."""
        for reply in response.replies:
            if reply.edit and pressed is not None:
                edited = await self._edit(pressed, reply)
                pressed = None
                if edited:
                    continue
            await self.send(chat_id, reply)

    async def send(self, chat_id: int | str, reply: Reply) -> None:
        bot = self.application.bot
        markup = keyboard(reply.buttons)
        if reply.image is not None:
            await bot.send_photo(
                chat_id,
                photo=reply.image.data,
                filename=reply.image.filename,
                caption=caption(reply.image.caption) or None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if not reply.text else None,
            )
            if not reply.text:
                return
        pieces = split(reply.text)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            await bot.send_message(
                chat_id,
                to_html(piece) or "…",
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
            )

    async def _edit(self, message: Message, reply: Reply) -> bool:
        """Edit a text message in place; False when it cannot be edited (a photo, too long)."""
        pieces = split(reply.text)
        if message.text is None or reply.image is not None or len(pieces) != 1:
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
        async with app:
            try:
                await self.publish_commands()
            except (Forbidden, BadRequest) as exc:
                log.warning("could not publish the command menu", extra={"error": str(exc)})
            await app.start()
            assert app.updater is not None
            if webhook_url:
                await app.updater.start_webhook(
                    listen=listen,
                    port=port,
                    url_path=urlsplit(webhook_url).path.strip("/") or "telegram",
                    webhook_url=webhook_url,
                    secret_token=webhook_secret,
                )
                log.info("telegram webhook listening", extra={"port": port})
            else:
                await app.updater.start_polling(timeout=poll_timeout)
                log.info("telegram long polling started")
            if on_started is not None:
                on_started()
            try:
                await stop.wait()
            finally:
                await app.updater.stop()
                await app.stop()
