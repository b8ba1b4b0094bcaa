"""A fake Bot API server in a process of its own, driven over a pipe.

A benchmark of a bot's CPU per update must not count the fake Telegram's work (parsing each
reply's HTML, checking requests against the spec): against the real Telegram that is another
machine's. A fake in a thread of the bot's own process (bench/README.md, fourth pass) kept its
CPU apart but not its effect: it shares the bot's GIL, and a thread running Python next to an
event loop that hands work to other threads (aiosqlite's) makes every hand-off wait for the GIL.
On this machine a busy Python thread made the bot layer's own thread spend 4× the CPU per
request (1.5 → 6.1 ms). In a process of its own the fake shares nothing with the bot but the
loopback, as Telegram would.

The bot's process sends small commands down a pipe; a thread in the fake's process carries them
out in the fake's event loop. Waiting for an answer happens in a worker thread of the bot's
process, blocked in the pipe's read (without the GIL), so it costs the bot nothing measurable.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from multiprocessing.connection import Connection
from typing import Any


def _serve(conn: Connection) -> None:
    """The fake's process: a FakeTelegram on its own loop, a thread answering the pipe."""
    from tests.fakes.telegram_api import FakeTelegram

    loop = asyncio.new_event_loop()
    fake = FakeTelegram()
    users: list[Any] = []
    loop.run_until_complete(fake.start())

    async def sent_since(since: int, count: int, timeout: float) -> list[str]:  # noqa: ASYNC109
        await fake.wait_for(
            lambda: len(fake.sent_messages) >= since + count, timeout=timeout, what="replies"
        )
        return [m.plain_text or "" for m in fake.sent_messages[since:]]

    def handle(op: str, args: tuple[Any, ...]) -> Any:
        if op == "info":
            return fake.token, fake.base_url, fake.base_file_url
        if op == "new_users":
            first = len(users)
            for i in range(args[0]):
                user = fake.new_user(f"User{first + i:03d}", username=f"user{first + i:03d}")
                fake.private_chat(user)
                users.append(user)
            return list(range(first, len(users)))
        if op == "send":  # (text, user indexes): each writes text; returns the replies before
            since = len(fake.sent_messages)
            for index in args[1]:
                fake.send_text(args[0], user=users[index])
            return since
        if op == "update_ids_from":  # a second bot on the same database: ids its inbox lacks
            fake._next_update_id = args[0]
            return None
        if op == "cpu":
            return time.process_time()
        if op == "violations":
            try:
                fake.assert_no_violations()
            except AssertionError as exc:
                return str(exc)
            return None
        raise ValueError(f"unknown fake operation {op!r}")

    async def handle_async(op: str, args: tuple[Any, ...]) -> Any:
        if op == "sent_since":
            return await sent_since(*args)
        if op == "calls":  # (method, count): wait until the bot made that many calls
            await fake.wait_for_calls(args[0], args[1])
            return None
        return handle(op, args)

    def answer() -> None:
        while True:
            try:
                op, args = conn.recv()
            except EOFError:
                break
            if op == "stop":
                break
            future = asyncio.run_coroutine_threadsafe(handle_async(op, args), loop)
            try:
                conn.send(("ok", future.result(timeout=300)))
            except Exception as exc:  # handed back to the bot's process
                conn.send(("error", repr(exc)))
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=answer, daemon=True).start()
    loop.run_forever()
    loop.run_until_complete(fake.stop())
    conn.send(("ok", None))


class FakeInProcess:
    """`async with FakeInProcess() as fake:` a FakeTelegram in a child process; `call` runs
    one of the operations `_serve` knows there and returns its result."""

    def __init__(self) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(child,), name="fake-telegram", daemon=True
        )
        self._lock = asyncio.Lock()
        self.token = self.base_url = self.base_file_url = ""

    async def __aenter__(self) -> FakeInProcess:
        self._process.start()
        self.token, self.base_url, self.base_file_url = await self.call("info")
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.call("stop")
        finally:
            await asyncio.to_thread(self._process.join, 10)

    async def call(self, op: str, *args: Any) -> Any:
        async with self._lock:  # one exchange at a time over the pipe
            self._conn.send((op, args))
            status, value = await asyncio.to_thread(self._conn.recv)
        if status == "error":
            raise RuntimeError(f"the fake's {op} failed: {value}")
        return value

    async def cpu_seconds(self) -> float:
        """CPU time the fake's process has used so far."""
        value: float = await self.call("cpu")
        return value
