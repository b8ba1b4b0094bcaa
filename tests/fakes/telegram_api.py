"""A fake Telegram Bot API server (aiohttp, 127.0.0.1, ephemeral port) for end-to-end tests.

Point the real python-telegram-bot at it::

    async with FakeTelegram() as fake:
        app = (
            ApplicationBuilder()
            .token(fake.token)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .build()
        )

Every request is validated against the Bot API spec (see telegram_spec.py); violations answer
400 like Telegram and are recorded in `fake.violations` (`fake.assert_no_violations()`).
State, injection and waiting helpers live in telegram_state.py, method behaviour in
telegram_methods.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.telegram_methods import MethodHandlers
from tests.fakes.telegram_models import (
    JSON,
    ApiError,
    Problem,
    RecordedCall,
    UploadedFile,
    Violation,
    WebhookDelivery,
)
from tests.fakes.telegram_state import DEFAULT_TOKEN

MAX_REQUEST_SIZE = 64 * 1024 * 1024
MAX_POLL_TIMEOUT = 50.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

__all__ = ["SECRET_HEADER", "FakeTelegram"]


class FakeTelegram(MethodHandlers):
    """The fake server. Use as `async with FakeTelegram() as fake:` or start()/stop()."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "HabitLinkTestBot",
        bot_name: str = "HabitLink",
        spec_path: str | None = None,
    ) -> None:
        super().__init__(
            token=token, bot_username=bot_username, bot_name=bot_name, spec_path=spec_path
        )
        self.host = "127.0.0.1"
        self.port = 0
        self.downloads: list[str] = []  # file paths served through /file/bot<token>/...
        # Cleared by a test to hold every file download (recorded in `downloads`) until set.
        self.downloads_open = asyncio.Event()
        self.downloads_open.set()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None
        self._closing = False
        self._poll_generation = 0

    # ----------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        """For Bot(base_url=...) / ApplicationBuilder().base_url(...): PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def api_url(self, method: str) -> str:
        return f"{self.base_url}{self.token}/{method}"

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=MAX_REQUEST_SIZE)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._worker = asyncio.create_task(self._webhook_worker(), name="fake-telegram-webhook")
        return self

    async def stop(self) -> None:
        self._closing = True
        self._touch()  # long polls return [] at once
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---------------------------------------------------------------- requests
    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if not request.can_read_body:
            return raw, files
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: the JSON body must be an object", violation=True)
            raw.update(body)
        elif request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                if part.filename is not None:
                    files[part.name] = UploadedFile(
                        part.name,
                        part.filename,
                        part.headers.get("Content-Type"),
                        bytes(await part.read()),
                    )
                else:
                    raw[part.name] = await part.text()
        else:
            raw.update(await request.post())
        return raw, files

    async def _handle_api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        call = RecordedCall(
            method=name,
            params={},
            raw_params={},
            files={},
            at=time.monotonic(),
            wall_time=time.time(),
            http_method=request.method,
            content_type=request.content_type,
        )
        waits = name.lower() != "getupdates"
        if waits:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self._touch()
        try:
            if waits and self.held is not None:
                await self.held.wait()
            if waits and (self.latency or name in self.slow_methods):
                await asyncio.sleep(self.latency + self.slow_methods.get(name, 0.0))
            call.raw_params, call.files = await self._read_params(request)
            result = await self._dispatch(request.match_info["token"], call)
            call.response = {"ok": True, "result": result}
        except ApiError as error:
            call.status, call.response = error.status, error.payload()
            if error.violation:
                problem = Problem(call.method, error.description, error.description)
                self._record_violation(call, error.description, [problem])
        except (ValueError, UnicodeDecodeError) as error:  # malformed body: a client bug
            description = f"Bad Request: can't parse request: {error}"
            call.status, call.response = 400, ApiError(400, description).payload()
            self._record_violation(call, description, [Problem("body", str(error), description)])
        finally:
            if waits:
                self.in_flight -= 1
        self._touch()
        return web.json_response(call.response, status=call.status)

    async def _dispatch(self, token: str, call: RecordedCall) -> Any:
        if token != self.token:
            self.calls.append(call)
            raise ApiError(401, "Unauthorized")
        method = self.spec.canonical_method(call.method)
        self.calls.append(call)
        if method is None:
            problem = Problem(call.method, "unknown Bot API method", "Not Found")
            self._record_violation(call, "Not Found", [problem])
            raise ApiError(404, "Not Found")
        call.method = method
        call.params, problems = self.spec.decode_request(method, call.raw_params, set(call.files))
        if problems:
            self._record_violation(call, problems[0].description, problems)
            raise ApiError(400, problems[0].description)
        error = self._take_fault(method, call.params) or self._rate_limited(
            method, call.params.get("chat_id")
        )
        if error is not None:
            raise error
        if method == "getUpdates":
            return await self._get_updates(call.params)
        return self.call_method(method, call.params, call.files)

    def _record_violation(
        self, call: RecordedCall, description: str, problems: list[Problem]
    ) -> None:
        self.violations.append(Violation(call.method, description, problems, call.raw_params))

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        entry = self.file_by_path(request.match_info["path"])
        if entry is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        self.downloads.append(entry.file_path)
        self._touch()
        await self.downloads_open.wait()
        return web.Response(body=entry.data, content_type="application/octet-stream")

    # ------------------------------------------------------------- getUpdates
    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        self._touch()  # an older long poll gets 409 Conflict, like Telegram
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"] or None
        offset = params.get("offset")
        if offset is not None and offset > 0:
            self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]
        elif offset is not None and offset < 0:
            self.pending_updates = self.pending_updates[offset:]
        limit = min(max(params.get("limit", 100), 1), 100)
        deadline = time.monotonic() + min(max(params.get("timeout", 0), 0), MAX_POLL_TIMEOUT)
        while True:
            event = self._changed
            ready = [u for u in self.pending_updates if self._allowed(u, self.allowed_updates)]
            if ready:
                return ready[:limit]
            if self._closing:
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    # ---------------------------------------------------------------- webhook
    async def _webhook_worker(self) -> None:
        while True:
            update = await self._webhook_queue.get()
            hook = self.webhook
            if hook is None:  # webhook removed meanwhile: back to getUpdates
                self.pending_updates.append(update)
                continue
            status, error = await self._post(hook.url, update, hook.secret_token)
            self.webhook_deliveries.append(
                WebhookDelivery(update["update_id"], hook.url, hook.secret_token, status, error)
            )
            if error is not None or status is None or not 200 <= status < 300:
                hook.last_error_date = int(time.time())
                hook.last_error_message = error or f"Wrong response from the webhook: {status}"
            self._touch()

    async def _post(
        self, url: str, update: JSON, secret_token: str | None
    ) -> tuple[int | None, str | None]:
        assert self._session is not None, "the fake is not started"
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers[SECRET_HEADER] = secret_token
        try:
            async with self._session.post(url, data=json.dumps(update), headers=headers) as reply:
                await reply.read()
                return reply.status, None
        except (aiohttp.ClientError, TimeoutError) as error:
            return None, f"Connection failed: {type(error).__name__}: {error}"

    async def post_to_webhook(
        self, update: JSON, *, secret_token: str | None, url: str | None = None
    ) -> int | None:
        """POST an update to the webhook (or `url`) with this secret header (None: no header),
        outside the delivery queue; returns the receiver's HTTP status (None: unreachable)."""
        target = url or (self.webhook.url if self.webhook else None)
        assert target, "no webhook set and no url given"
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
            self._next_update_id += 1
        status, _ = await self._post(target, update, secret_token)
        return status
