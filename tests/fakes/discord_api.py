"""A fake Discord server (REST + gateway, aiohttp, 127.0.0.1, ephemeral port) for end-to-end
tests that run the real discord.py against it::

    @pytest.fixture
    async def fake() -> AsyncIterator[FakeDiscord]:
        async with FakeDiscord() as server:  # points discord.py at the fake until stop()
            yield server

    bot = commands.Bot(command_prefix="!", intents=intents, **FAST_READY)
    await bot.login(fake.token)
    task = asyncio.create_task(bot.connect())
    await bot.wait_until_ready()                    # on_ready; fake.session is the session
    ...
    await bot.close()
    await task

Pointing discord.py at it = `discord.http.Route.BASE` (REST, "http://127.0.0.1:PORT/api/v10")
and `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` (discord.py 2.x connects there directly,
with ?v=10&encoding=json&compress=zlib-stream, and resumes at READY's resume_gateway_url);
`start()` sets both (`patch_discord=False`: call `install()` yourself), `stop()` restores them.

Every REST call is recorded (`fake.calls`) and checked against the OpenAPI spec and Discord's
limits (discord_spec.py); violations answer 400/404 like Discord and are kept in
`fake.violations` (`fake.assert_no_violations()`). World, waiting helpers and faults live in
discord_state.py, the gateway in discord_gateway.py, user actions in discord_events.py and
endpoint behaviour in discord_rest.py.
"""

from __future__ import annotations

import json
import math
import time
import traceback
from types import TracebackType
from typing import Any

import aiohttp
import discord
import yarl
from aiohttp import web

from tests.fakes.discord_models import (
    ATTACHMENT_SIZE_LIMIT,
    JSON,
    ApiError,
    Fault,
    Problem,
    RecordedCall,
    UploadedFile,
    Violation,
)
from tests.fakes.discord_rest import ROUTES, TOKEN_ROUTES, RestHandlers
from tests.fakes.discord_spec import (
    check_choices,
    check_commands,
    check_message,
    errors_tree,
    merge_problems,
)
from tests.fakes.discord_state import DEFAULT_TOKEN

MAX_REQUEST_SIZE = 64 * 1024 * 1024
MESSAGES = "/channels/{channel_id}/messages"
INVALID_JSON = "The request body contains invalid JSON."
# discord.py waits guild_ready_timeout (2 s by default) after the last GUILD_CREATE before
# on_ready; pass these to the Client / Bot constructor to keep tests fast.
FAST_READY: dict[str, Any] = {"guild_ready_timeout": 0.05}

__all__ = ["DEFAULT_TOKEN", "FAST_READY", "FakeDiscord"]


class FakeDiscord(RestHandlers):
    """The fake server. Use as `async with FakeDiscord() as fake:` or start()/stop()."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_name: str = "HabitLink",
        spec_path: str | None = None,
        patch_discord: bool = True,
        rate_limit: int = 50,
        rate_window: float = 1.0,
        interaction_timeout: float = 3.0,
        heartbeat_interval_ms: int = 41_250,
        allow_privileged_intents: bool = True,
    ) -> None:
        super().__init__(
            token=token,
            bot_name=bot_name,
            spec_path=spec_path,
            rate_limit=rate_limit,
            rate_window=rate_window,
            interaction_timeout=interaction_timeout,
            heartbeat_interval_ms=heartbeat_interval_ms,
            allow_privileged_intents=allow_privileged_intents,
        )
        self.patch_discord = patch_discord
        self._runner: web.AppRunner | None = None
        self._saved: tuple[str, yarl.URL] | None = None

    # ----------------------------------------------------------------- lifecycle
    @property
    def api_base(self) -> str:
        """Value for discord.http.Route.BASE."""
        return f"{self.http_base}/api/v10"

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=MAX_REQUEST_SIZE)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._handle_api)
        app.router.add_get("/gateway", self._handle_gateway)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._fix_attachment_urls()
        if self.patch_discord:
            self.install()
        return self

    def install(self) -> None:
        """Point discord.py (process-wide class attributes) at this server."""
        gateway = discord.gateway.DiscordWebSocket
        if self._saved is None:
            self._saved = (discord.http.Route.BASE, gateway.DEFAULT_GATEWAY)
        discord.http.Route.BASE = self.api_base
        gateway.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def uninstall(self) -> None:
        if self._saved is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    async def stop(self) -> None:
        await self._close_gateway()
        if self._runner is not None:
            await self._runner.cleanup()
        self.uninstall()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---------------------------------------------------------------- requests
    async def _read_body(self, request: web.Request, call: RecordedCall) -> None:
        if not request.can_read_body:
            return
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                if part.name == "payload_json":
                    call.body = json.loads(await part.text())
                elif part.filename is not None:
                    data = bytes(await part.read())
                    content_type = part.headers.get("Content-Type")
                    call.files.append(UploadedFile(part.name, part.filename, content_type, data))
                else:
                    call.body = call.body or {}
                    call.body[part.name] = await part.text()
        else:
            raw = await request.read()
            if raw:
                call.body = json.loads(raw)

    async def _handle_api(self, request: web.Request) -> web.Response:
        raw_path = request.rel_url.raw_path
        path = "/" + raw_path.split("/", 3)[3] if raw_path.count("/") >= 3 else "/"
        call = RecordedCall(
            request.method,
            path.rstrip("/") or "/",
            dict(request.query),
            time.monotonic(),
            content_type=request.content_type,
            authorized=request.headers.get("Authorization") == f"Bot {self.token}",
        )
        self.calls.append(call)
        headers: dict[str, str] = {"Via": "1.1 google"}
        try:
            await self._read_body(request, call)
            self._route(call, headers)
            status, body = ROUTES[(call.method, call.template or "")](self, call)
        except ApiError as error:
            status, body = error.status, error.payload()
            if error.violation:
                self._violation(call, error.message, error.errors)
        except Fault429 as limited:
            status, body = 429, limited.fault.body
            headers.update(limited.headers)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:  # a client bug
            status, body = 400, {"message": INVALID_JSON, "code": 50109}
            self._violation(call, f"malformed body: {error}", None)
        except Exception as error:  # a bug of the fake: 503 is not retried by discord.py
            status, body = 503, {"message": f"fake Discord crashed: {error!r}", "code": 0}
            self._violation(call, f"fake Discord crashed: {traceback.format_exc()}", None)
        call.status, call.response, call.headers = status, body, headers
        self._touch()
        if body is None:
            return web.Response(status=204, headers=headers)
        # discord.py parses JSON only for exactly "application/json" (what Discord sends)
        headers["Content-Type"] = "application/json"
        return web.Response(body=json.dumps(body).encode(), status=status, headers=headers)

    def _route(self, call: RecordedCall, headers: dict[str, str]) -> None:
        """Match the spec, authorize, apply faults and rate limits (adding the X-RateLimit-*
        headers of the call's bucket to `headers`), validate."""
        match = self.spec.match(call.path)
        if match is None:
            raise ApiError(404, 0, "404: Not Found", violation=True)
        call.template, call.params = match.template, match.params
        if call.method not in match.methods:
            raise ApiError(405, 0, "405: Method Not Allowed", violation=True)
        if call.template not in TOKEN_ROUTES and not call.authorized:
            raise ApiError(401, 0, "401: Unauthorized")
        limits, exceeded = self._consume(call)
        headers.update(limits)
        fault = self._take_fault(call)
        if fault is not None and fault.status == 429:
            raise Fault429(fault, headers)
        if exceeded:
            retry = float(headers["X-RateLimit-Reset-After"])
            body = {"message": "You are being rate limited.", "retry_after": retry, "global": False}
            raise Fault429(Fault(call.method, None, 0, 429, body, retry), headers)
        if fault is not None:
            raise ApiError(fault.status, int(fault.body.get("code", 0)), str(fault.body["message"]))
        self._validate(call)
        if (call.method, call.template) not in ROUTES:
            raise ApiError(501, 0, f"the fake does not implement {call.template}", violation=True)

    def _validate(self, call: RecordedCall) -> None:
        for upload in call.files:
            if len(upload.data) > ATTACHMENT_SIZE_LIMIT:
                raise ApiError(413, 40005, "Request entity too large", violation=True)
        template = call.template or ""
        if call.method in ("POST", "PATCH", "PUT") and call.body is None:
            call.body = [] if call.method == "PUT" and template.endswith("/commands") else {}
        explicit = self._explicit_checks(call, template, call.body)
        schema = self.spec.validate_body(template, call.method, call.body)
        problems = merge_problems(explicit, schema)
        if not problems:
            return
        if any(p.code == "EMPTY_MESSAGE" for p in problems) and len(problems) == 1:
            raise ApiError(400, 50006, "Cannot send an empty message", violation=True)
        raise ApiError(400, 50035, "Invalid Form Body", errors_tree(problems), violation=True)

    def _explicit_checks(self, call: RecordedCall, template: str, body: Any) -> list[Problem]:
        """Discord's documented limits beyond the schema (the schema catches wrong types)."""
        files = len(call.files)
        if call.method == "PUT" and template.endswith("/commands"):
            return check_commands(body)
        if call.method not in ("POST", "PATCH") or not isinstance(body, dict):
            return []
        if template in (MESSAGES, "/webhooks/{webhook_id}/{webhook_token}"):
            return check_message(body, files=files, create=call.method == "POST")
        if template.endswith(("/messages/{message_id}", "/messages/@original")):
            return check_message(body, files=files, create=False)
        if template.endswith("/callback"):
            return self._check_callback(body, files)
        if template.endswith("/commands"):
            return [Problem(p.path[1:], p.code, p.message) for p in check_commands([body])]
        return []

    @staticmethod
    def _check_callback(body: JSON, files: int) -> list[Problem]:
        kind, data = body.get("type"), body.get("data") or {}
        if kind in (4, 7):
            problems = check_message(data, files=files, create=kind == 4)
        elif kind == 8:
            return check_choices(data.get("choices"))
        elif kind == 9:
            problems = [
                Problem((key,), "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length.")
                for key, limit in (("custom_id", 100), ("title", 45))
                if not 1 <= len(str(data.get(key) or "")) <= limit
            ]
        else:
            return []
        return [Problem(("data", *p.path), p.code, p.message) for p in problems]

    def _violation(self, call: RecordedCall, description: str, errors: JSON | None) -> None:
        problems = list(_flatten(errors or {}, ()))
        self.violations.append(Violation(call.method, call.path, description, problems, call.body))

    async def _file(self, request: web.Request) -> web.Response:
        attachment = self.attachments.get(int(request.match_info["attachment_id"]))
        if attachment is None or attachment.filename != request.match_info["filename"]:
            return web.Response(status=404, text="404: Not Found")
        self.downloads.append(attachment.id)
        self._touch()
        content_type = (attachment.content_type or "application/octet-stream").split(";")[0]
        return web.Response(body=attachment.data, content_type=content_type)


class Fault429(Exception):
    """Internal: answer 429 with these rate-limit headers."""

    def __init__(self, fault: Fault, headers: dict[str, str]) -> None:
        super().__init__(fault.body.get("message"))
        self.fault = fault
        retry = float(fault.retry_after or 0)
        self.headers = {
            **headers,
            "Retry-After": str(max(1, math.ceil(retry))),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{retry:.3f}",
            "X-RateLimit-Reset": f"{time.time() + retry:.3f}",
            "X-RateLimit-Scope": "user",
        }
        if fault.body.get("global"):
            self.headers["X-RateLimit-Global"] = "true"


def _flatten(tree: JSON, path: tuple[str | int, ...]) -> Any:
    for key, value in tree.items():
        if key == "_errors":
            for item in value:
                yield Problem(path, item.get("code", ""), item.get("message", ""))
        elif isinstance(value, dict):
            yield from _flatten(value, (*path, key))
