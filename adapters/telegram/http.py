"""python-telegram-bot's HTTPX request, with a bound on the requests in flight at once."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

# Requests to Telegram in flight at once. Telegram takes about 30 messages a second from a bot,
# so a handful of connections carries that with room to spare; every connection more is one
# more that httpcore checks on every request (bench/README.md: concurrency).
IN_FLIGHT = 8
# How long a request waits for its place before it fails unsent (Telegram answering slowly).
PLACE_WAIT = 20.0
NO_PLACE = "Too many requests to Telegram at once; this one was not sent"
# Sent at once, whatever is in flight: Telegram takes the answer to a button press only for a
# few seconds after the press, and it is one small request.
UNBOUNDED = frozenset({"answerCallbackQuery"})
SPARE = 4  # connections beyond IN_FLIGHT, for those


class BoundedRequest(HTTPXRequest):
    """At most `in_flight` requests at once; the rest wait their turn here, up to PLACE_WAIT
    seconds (then PTB's TimedOut, as for a full connection pool: nothing was sent). Waiting
    here, not in httpcore's pool, keeps the wait cheap. A rate limiter wraps the request, so a
    chat held up by Telegram's limits holds no place. Answers to button presses (UNBOUNDED)
    never wait behind replies."""

    def __init__(self, *, in_flight: int = IN_FLIGHT, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(
            connection_pool_size=in_flight + SPARE,
            httpx_kwargs={} if tls is None else {"verify": tls},
        )
        self._places = asyncio.Semaphore(in_flight)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        bounded = url.rsplit("/", 1)[-1] not in UNBOUNDED
        if bounded:
            try:
                async with asyncio.timeout(PLACE_WAIT):
                    await self._places.acquire()
            except TimeoutError as exc:
                raise TimedOut(NO_PLACE) from exc
        try:
            return await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout,
            )  # fmt: skip
        finally:
            if bounded:
                self._places.release()
