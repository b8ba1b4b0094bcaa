"""The fake Discord gateway (aiohttp websockets): HELLO, IDENTIFY -> READY + GUILD_CREATE,
RESUME (missed events are replayed), heartbeats, REQUEST_GUILD_MEMBERS, zlib-stream transport
compression, intent filtering and fault injection (disconnects, RECONNECT, INVALID_SESSION).

discord.py connects to `DiscordWebSocket.DEFAULT_GATEWAY` with
?v=10&encoding=json&compress=zlib-stream; every frame is then one zlib-stream chunk ending in
Z_SYNC_FLUSH. Without `compress` the frames are plain JSON text.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.changes import WAIT
from tests.fakes.discord_models import JSON, FakeChannel, FakeGuild, Problem, Violation
from tests.fakes.discord_state import DiscordState, Intents

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11
# client close codes after which Discord forgets the session (discord.py's Client.close() sends
# 4000 though, as aiohttp wakes its reader first; such sessions end with the next IDENTIFY)
SESSION_ENDING_CLOSES = {1000, 1001}

Transform = Callable[["GatewaySession"], JSON | None]


@dataclass
class GatewayConnection:
    ws: web.WebSocketResponse
    query: dict[str, str]
    compressor: Any = field(default=None, repr=False)  # zlib compressobj for zlib-stream
    queue: asyncio.Queue[JSON | None] = field(default_factory=asyncio.Queue, repr=False)
    writer: asyncio.Task[None] | None = field(default=None, repr=False)
    session: GatewaySession | None = field(default=None, repr=False)
    heartbeats: int = 0
    received: list[JSON] = field(default_factory=list, repr=False)  # payloads from the client
    close_code: int | None = None  # sent by the client when it closed first
    closed_by_server: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    opened: float = field(default_factory=time.monotonic)


@dataclass
class GatewaySession:
    id: str
    intents: int
    identify: JSON = field(repr=False)
    shard: tuple[int, int] | None = None
    seq: int = 0
    history: list[JSON] = field(default_factory=list, repr=False)  # dispatches with "s"
    connection: GatewayConnection | None = field(default=None, repr=False)
    ended: bool = False
    resumes: int = 0

    def has(self, intent: int) -> bool:
        return bool(self.intents & intent)

    def sees_guild(self, guild_id: int) -> bool:
        return self.shard is None or (guild_id >> 22) % self.shard[1] == self.shard[0]


class GatewayServer(DiscordState):
    def __init__(
        self,
        *,
        heartbeat_interval_ms: int = 41_250,
        allow_privileged_intents: bool = True,
        **kwargs: Any,
    ) -> None:
        self.connections: list[GatewayConnection] = []
        self.sessions: list[GatewaySession] = []
        self.events: list[tuple[str, JSON]] = []  # every dispatched event (name, data)
        self.presence_updates: list[JSON] = []
        super().__init__(**kwargs)
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.allow_privileged_intents = allow_privileged_intents
        self.ack_heartbeats = True  # False: simulate a zombie connection

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    # -------------------------------------------------------------- sessions
    @property
    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions if not s.ended]

    @property
    def session(self) -> GatewaySession:
        """The newest live session (the connected bot)."""
        live = self.live_sessions
        assert live, "no discord.py client is connected to the fake gateway"
        return live[-1]

    @property
    def identify_count(self) -> int:
        return len(self.sessions)

    async def wait_until_ready(
        self,
        *,
        sessions: int = 1,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> GatewaySession:
        """Wait until `sessions` IDENTIFYs in total got READY and the newest is connected."""

        def check() -> GatewaySession | None:
            if len(self.sessions) < sessions:
                return None
            newest = self.sessions[-1]
            return newest if newest.connection is not None and not newest.ended else None

        return await self.wait_for(check, timeout=timeout, what=f"gateway session #{sessions}")

    # -------------------------------------------------------------- dispatch
    def dispatch(
        self,
        event: str,
        data: JSON,
        *,
        intent: int | None = None,
        transform: Transform | None = None,
        guild_id: int | None = None,
        dm: bool = False,
        require_session: bool = True,
    ) -> int:
        """Send a DISPATCH to every live session having `intent` (and seeing `guild_id` with
        sharding; a `dm` event goes to shard 0 only, as Discord sends DMs); `transform(session)`
        may adapt the data or return None to skip the session. Sessions whose socket dropped
        buffer it for RESUME. Returns the number of sessions."""
        sessions = self.live_sessions
        if require_session:
            assert sessions, f"{event}: no discord.py client is connected to the fake gateway"
        self.events.append((event, data))
        count = 0
        for session in sessions:
            if intent is not None and not session.has(intent):
                continue
            if guild_id is not None and not session.sees_guild(guild_id):
                continue
            if dm and session.shard is not None and session.shard[0] != 0:
                continue
            payload = data if transform is None else transform(session)
            if payload is None:
                continue
            self._dispatch_to(session, event, payload)
            count += 1
        self._touch()
        return count

    def _dispatch_to(self, session: GatewaySession, event: str, data: JSON) -> None:
        session.seq += 1
        frame = {"op": DISPATCH, "s": session.seq, "t": event, "d": data}
        session.history.append(frame)
        if session.connection is not None:
            session.connection.queue.put_nowait(frame)

    def _send(self, connection: GatewayConnection, op: int, data: Any) -> None:
        connection.queue.put_nowait({"op": op, "s": None, "t": None, "d": data})

    def _on_guild_created(self, guild: FakeGuild) -> None:
        """The bot joined a server: GUILD_CREATE without `unavailable`, which Discord sends
        (as false) only for the servers announced after READY (discord-api-docs #4518, #5124;
        discord.py tells a join from a server becoming available by it)."""
        for session in self.live_sessions:
            if session.has(Intents.GUILDS) and session.sees_guild(guild.id):
                data = self._guild_payload(session, guild)
                del data["unavailable"]
                self._dispatch_to(session, "GUILD_CREATE", data)
        self._touch()

    def _on_channel_created(self, channel: FakeChannel) -> None:
        self.dispatch(
            "CHANNEL_CREATE",
            channel.to_api(),
            intent=Intents.GUILDS,
            guild_id=channel.guild_id,
            require_session=False,
        )

    def _guild_payload(self, session: GatewaySession, guild: FakeGuild) -> JSON:
        members = list(guild.members.values())
        if not session.has(Intents.GUILD_MEMBERS):  # only the bot itself, like Discord
            members = [m for m in members if m.user.id == self.bot_user.id]
        return guild.to_api(members=members)

    # ------------------------------------------------------------ fault helpers
    async def disconnect(self, *, code: int = 4000, resumable: bool = True) -> None:
        """Close every gateway socket from the server side. discord.py reconnects and RESUMEs;
        events injected meanwhile are buffered and replayed. `resumable=False` forgets the
        sessions: the RESUME gets INVALID_SESSION and discord.py IDENTIFYs again."""
        targets = [c for c in self.connections if not c.ws.closed]
        for connection in targets:
            if connection.session is not None and not resumable:
                connection.session.ended = True
            connection.closed_by_server = True
            await connection.ws.close(code=code, message=b"fake gateway disconnect")
        for connection in targets:
            await connection.done.wait()

    def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: discord.py closes and RESUMEs."""
        for session in self.live_sessions:
            if session.connection is not None:
                self._send(session.connection, RECONNECT, None)

    def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION: discord.py re-IDENTIFYs (or RESUMEs when resumable)."""
        for session in self.live_sessions:
            if session.connection is not None:
                if not resumable:
                    session.ended = True
                self._send(session.connection, INVALID_SESSION, resumable)

    def _gateway_violation(self, description: str, payload: Any = None) -> None:
        problem = Problem((), "GATEWAY", description)
        self.violations.append(Violation("GATEWAY", "/gateway", description, [problem], payload))

    # ------------------------------------------------------------- websocket
    async def _handle_gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=4 * 1024 * 1024)
        await ws.prepare(request)
        connection = GatewayConnection(ws, dict(request.query))
        self.connections.append(connection)
        compress = request.query.get("compress")
        if compress == "zlib-stream":
            connection.compressor = zlib.compressobj()
        elif compress:  # e.g. zstd-stream: not supported here, plain text frames still work
            self._gateway_violation(f"unsupported compress={compress}; sending plain JSON")
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"only encoding=json is supported")
            return ws
        connection.writer = asyncio.create_task(self._writer(connection), name="fake-gw-writer")
        self._send(connection, HELLO, {"heartbeat_interval": self.heartbeat_interval_ms})
        try:
            while not ws.closed:
                message = await ws.receive()
                if message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                    raw = message.data if isinstance(message.data, str) else message.data.decode()
                    await self._on_payload(connection, json.loads(raw))
                elif message.type == aiohttp.WSMsgType.CLOSE:
                    connection.close_code = int(message.data)
                else:  # CLOSING / CLOSED / ERROR
                    break
        finally:
            await self._connection_closed(connection)
        return ws

    async def _connection_closed(self, connection: GatewayConnection) -> None:
        session = connection.session
        if session is not None and session.connection is connection:
            session.connection = None
            clean = connection.close_code in SESSION_ENDING_CLOSES
            if clean and not connection.closed_by_server:
                session.ended = True
        connection.queue.put_nowait(None)
        if connection.writer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await connection.writer
        connection.done.set()
        self._touch()

    async def _writer(self, connection: GatewayConnection) -> None:
        while True:
            frame = await connection.queue.get()
            if frame is None or connection.ws.closed:
                return
            text = json.dumps(frame, separators=(",", ":"))
            try:
                if connection.compressor is not None:
                    chunk = connection.compressor.compress(text.encode())
                    chunk += connection.compressor.flush(zlib.Z_SYNC_FLUSH)
                    await connection.ws.send_bytes(chunk)
                else:
                    await connection.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return

    async def _on_payload(self, connection: GatewayConnection, payload: JSON) -> None:
        connection.received.append(payload)
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            connection.heartbeats += 1
            if self.ack_heartbeats:
                self._send(connection, HEARTBEAT_ACK, None)
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif op == REQUEST_MEMBERS:
            self._request_members(connection, data or {})
        elif op == PRESENCE:
            self.presence_updates.append(data or {})
        elif op != VOICE_STATE:
            self._gateway_violation(f"unknown opcode {op}", payload)
            await connection.ws.close(code=4001, message=b"Unknown opcode")
        self._touch()

    async def _identify(self, connection: GatewayConnection, data: JSON) -> None:
        if connection.session is not None:
            self._gateway_violation("IDENTIFY sent twice on one connection", data)
            await connection.ws.close(code=4005, message=b"Already authenticated")
            return
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents >= 1 << 26:
            self._gateway_violation(f"IDENTIFY with invalid intents {intents!r}", data)
            await connection.ws.close(code=4013, message=b"Invalid intent(s)")
            return
        if intents & Intents.PRIVILEGED and not self.allow_privileged_intents:
            await connection.ws.close(code=4014, message=b"Disallowed intent(s)")
            return
        for stale in self.live_sessions:  # a new IDENTIFY: sessions nobody resumed are gone
            if stale.connection is None:
                stale.ended = True
        shard = data.get("shard")
        session = GatewaySession(
            secrets.token_hex(16),
            intents,
            data,
            (int(shard[0]), int(shard[1])) if isinstance(shard, list) else None,
        )
        session.connection, connection.session = connection, session
        self.sessions.append(session)
        guilds = [  # the servers the bot is in
            g for g in self.guilds.values() if session.sees_guild(g.id) and self.bot_in(g)
        ]
        ready: JSON = {
            "v": 10,
            "user": {**self.bot_user.to_api(), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth": {},
        }
        if session.shard is not None:
            ready["shard"] = list(session.shard)
        self._dispatch_to(session, "READY", ready)
        if session.has(Intents.GUILDS):
            for guild in guilds:
                self._dispatch_to(session, "GUILD_CREATE", self._guild_payload(session, guild))

    async def _resume(self, connection: GatewayConnection, data: JSON) -> None:
        session = next((s for s in self.sessions if s.id == data.get("session_id")), None)
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed")
            return
        seq = data.get("seq")
        if session is None or session.ended or not isinstance(seq, int) or seq > session.seq:
            self._send(connection, INVALID_SESSION, False)
            return
        old = session.connection
        if old is not None and old is not connection and not old.ws.closed:
            await old.ws.close(code=4000, message=b"session resumed elsewhere")
        session.connection, connection.session = connection, session
        session.resumes += 1
        for frame in session.history:
            if frame["s"] > seq:
                connection.queue.put_nowait(frame)
        self._dispatch_to(session, "RESUMED", {})

    def _request_members(self, connection: GatewayConnection, data: JSON) -> None:
        session = connection.session
        if session is None:
            return
        guild = self.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return
        query = str(data.get("query") or "").lower()
        wanted = {int(u) for u in data.get("user_ids") or []}
        limit = int(data.get("limit") or 0)
        members = [
            m
            for m in guild.members.values()
            if (not wanted or m.user.id in wanted) and m.user.username.lower().startswith(query)
        ]
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [m.to_api() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in wanted - {m.user.id for m in members}],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def _close_gateway(self) -> None:
        for connection in self.connections:
            if not connection.ws.closed:
                await connection.ws.close(code=1001, message=b"fake server stopping")
            if connection.writer is not None and not connection.writer.done():
                connection.writer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await connection.writer
