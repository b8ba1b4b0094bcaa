"""Button presses answered in time: Telegram accepts answerCallbackQuery only for a short while
after the press ("query is too old" after that), so a press never waits for its chat's backlog
to be answered."""

from __future__ import annotations

import asyncio
import logging
import time
from enum import Enum

from telegram import CallbackQuery
from telegram.error import BadRequest

from adapters.telegram.render import clip

log = logging.getLogger("habitlink.telegram")
CALLBACK_ANSWER_LIMIT = 200
# A press still waiting for its turn after this long is answered without text; its effect
# follows (Telegram's window is undocumented, about ten seconds).
ANSWER_WITHIN = 0.8
# A press being handled is answered by its handler, with the notice; if handling stalls, it is
# answered without text after this long all the same.
LAST_CHANCE = 5.0
# Presses answered are remembered this long, so that a handler that comes to a press after the
# guard answered it does not answer again (Telegram refuses a second answer).
REMEMBER_ANSWERED = 120.0


class _State(Enum):
    WAITING = "waiting"
    HANDLING = "handling"
    ANSWERED = "answered"


class Presses:
    def __init__(self) -> None:
        self._state: dict[str, _State] = {}
        self._answered: dict[str, float] = {}  # query id -> when (monotonic), oldest first
        self._guards: set[asyncio.Task[None]] = set()

    def arrived(self, query: CallbackQuery) -> None:
        """A press was received: from now on it is answered within ANSWER_WITHIN if it is still
        waiting for its turn then, or within LAST_CHANCE at the latest."""
        self._state[query.id] = _State.WAITING
        guard = asyncio.create_task(self._guard(query))
        self._guards.add(guard)
        guard.add_done_callback(self._guards.discard)

    def handling(self, query: CallbackQuery) -> None:
        if self._state.get(query.id) is _State.WAITING:
            self._state[query.id] = _State.HANDLING

    async def answer(self, query: CallbackQuery, text: str | None) -> None:
        """Answer once (a second answer is skipped); too late is logged, not apologised for."""
        if self._state.get(query.id) is _State.ANSWERED or query.id in self._answered:
            return
        self._state[query.id] = _State.ANSWERED
        now = time.monotonic()
        while self._answered:  # forget the presses answered long ago
            oldest = next(iter(self._answered))
            if self._answered[oldest] > now - REMEMBER_ANSWERED:
                break
            del self._answered[oldest]
        self._answered[query.id] = now
        try:
            await query.answer(clip(text, CALLBACK_ANSWER_LIMIT) if text else None)
        except BadRequest as exc:
            log.info("could not answer a button press", extra={"error": exc.message})

    async def _guard(self, query: CallbackQuery) -> None:
        try:
            await asyncio.sleep(ANSWER_WITHIN)
            if self._state.get(query.id) is _State.WAITING:
                await self.answer(query, None)
                return
            await asyncio.sleep(LAST_CHANCE - ANSWER_WITHIN)
            if self._state.get(query.id) is not _State.ANSWERED:
                await self.answer(query, None)
        finally:
            self._state.pop(query.id, None)

    def close(self) -> None:
        for guard in list(self._guards):
            guard.cancel()
