"""Behaviour of the REST endpoints the bot uses. Each handler takes the validated RecordedCall and
returns (status, JSON body or None for 204) or raises ApiError; `ROUTES` maps (method, spec path
template) to handlers. Bodies were already checked against the spec by FakeDiscord."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.fakes.discord_events import EventInjection
from tests.fakes.discord_models import (
    EPHEMERAL,
    IS_COMPONENTS_V2,
    JSON,
    LOADING,
    ApiError,
    CallbackRecord,
    FakeChannel,
    InteractionRecord,
    MessageEdit,
    RecordedCall,
    StoredAttachment,
    StoredMessage,
    UploadedFile,
)
from tests.fakes.discord_state import CANNOT_DM

Result = tuple[int, Any]
Handler = Callable[["RestHandlers", RecordedCall], Result]
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
EDITABLE_FLAGS = EPHEMERAL | IS_COMPONENTS_V2 | (1 << 2) | (1 << 12)  # + suppress embeds/notify
UNKNOWN_INTERACTION = (404, 10062, "Unknown interaction")
_APP = "/applications/{application_id}"
_GUILD_APP = "/applications/{application_id}/guilds/{guild_id}"
_HOOK = "/webhooks/{webhook_id}/{webhook_token}"
_MESSAGE = "/channels/{channel_id}/messages/{message_id}"


def form_error(key: str, code: str, message: str) -> ApiError:
    errors = {key: {"_errors": [{"code": code, "message": message}]}}
    return ApiError(400, 50035, "Invalid Form Body", errors, violation=True)


def _bool_query(call: RecordedCall, name: str) -> bool:
    return call.query.get(name, "").lower() in ("1", "true")


class RestHandlers(EventInjection):
    # ------------------------------------------------------------------ identity
    def _get_me(self, call: RecordedCall) -> Result:
        return 200, {**self.bot_user.to_api(), "verified": True, "mfa_enabled": False, "flags": 0}

    def _get_user(self, call: RecordedCall) -> Result:
        user = self.users.get(int(call.params["user_id"]))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return 200, user.to_api()

    def _get_application(self, call: RecordedCall) -> Result:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "HabitLink (fake Discord)",
            "summary": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.default_user.to_api(),
            "team": None,
            "flags": (1 << 12) | (1 << 14) | (1 << 18),  # the privileged intents, limited
            "bot": self.bot_user.to_api(),
            "rpc_origins": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.guilds),
        }

    def _get_gateway(self, call: RecordedCall) -> Result:
        return 200, {"url": self.gateway_url}

    def _get_gateway_bot(self, call: RecordedCall) -> Result:
        limit = {
            "total": 1000,
            "remaining": 1000 - len(self.sessions),
            "reset_after": 86_400_000,
            "max_concurrency": 1,
        }
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    # ------------------------------------------------------------------ commands
    def _command_pool(self, call: RecordedCall) -> list[JSON]:
        if call.params["application_id"] != str(self.application_id):
            raise ApiError(403, 20012, "You are not authorized to perform this action")
        if "guild_id" not in call.params:
            return self.global_commands
        guild_id = int(call.params["guild_id"])
        if guild_id not in self.guilds:
            raise ApiError(403, 50001, "Missing Access")
        return self.guild_commands.setdefault(guild_id, [])

    def _stored_command(self, call: RecordedCall, body: JSON, old: list[JSON]) -> JSON:
        kind = int(body.get("type") or 1)
        previous = next((c for c in old if c["name"] == body["name"] and c["type"] == kind), None)
        command = {
            "id": previous["id"] if previous else str(self.ids.next()),
            "application_id": str(self.application_id),
            "version": str(self.ids.next()),
            "type": kind,
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description") or "",
            "description_localizations": body.get("description_localizations"),
            "options": body.get("options") or [],
            "default_member_permissions": body.get("default_member_permissions"),
            "dm_permission": body.get("dm_permission", True),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
            "nsfw": bool(body.get("nsfw", False)),
        }
        if "guild_id" in call.params:
            command["guild_id"] = call.params["guild_id"]
        return command

    def _list_commands(self, call: RecordedCall) -> Result:
        return 200, self._command_pool(call)

    def _put_commands(self, call: RecordedCall) -> Result:
        pool = self._command_pool(call)
        new = [self._stored_command(call, body, pool) for body in call.body or []]
        pool[:] = new
        guild = call.params.get("guild_id")
        self.command_puts.append((None if guild is None else int(guild), list(call.body or [])))
        return 200, new

    def _create_command(self, call: RecordedCall) -> Result:
        pool = self._command_pool(call)
        command = self._stored_command(call, call.body, pool)
        existed = any(c["id"] == command["id"] for c in pool)
        pool[:] = [c for c in pool if c["id"] != command["id"]] + [command]
        return (200 if existed else 201), command

    def _command(self, call: RecordedCall) -> tuple[list[JSON], JSON]:
        pool = self._command_pool(call)
        found = next((c for c in pool if c["id"] == call.params["command_id"]), None)
        if found is None:
            raise ApiError(404, 10063, "Unknown application command")
        return pool, found

    def _get_command(self, call: RecordedCall) -> Result:
        return 200, self._command(call)[1]

    def _edit_command(self, call: RecordedCall) -> Result:
        pool, found = self._command(call)
        updated = self._stored_command(call, {**found, **call.body}, pool)
        pool[pool.index(found)] = updated
        return 200, updated

    def _delete_command(self, call: RecordedCall) -> Result:
        pool, found = self._command(call)
        pool.remove(found)
        return 204, None

    # ------------------------------------------------------------------ messages
    def _channel(self, call: RecordedCall) -> FakeChannel:
        channel = self.channels.get(int(call.params["channel_id"]))
        if channel is None:
            raise ApiError(404, 10003, "Unknown Channel")
        guild = self.guilds.get(channel.guild_id or 0)
        if guild is not None and not self.bot_in(guild):  # the bot was removed from it
            raise ApiError(403, 50001, "Missing Access")
        return channel

    def _message_in(self, channel: FakeChannel, message_id: str) -> StoredMessage:
        message = self.message(channel.id, int(message_id))
        if message is None or message.deleted or message.ephemeral:
            raise ApiError(404, 10008, "Unknown Message")
        return message

    def _attachments(
        self,
        channel: FakeChannel,
        body: JSON,
        files: list[UploadedFile],
        existing: list[StoredAttachment],
    ) -> list[StoredAttachment]:
        """Kept attachments (by id) plus uploads (files[n], described by attachments[id=n])."""
        uploads = {f.field: f for f in files}
        result: list[StoredAttachment] = []
        described: set[str] = set()
        for entry in body.get("attachments") or []:
            ident = str(entry.get("id"))
            upload = uploads.get(f"files[{ident}]")
            if upload is not None:
                described.add(upload.field)
                result.append(
                    self._upload(channel, upload, entry.get("filename"), entry.get("description"))
                )
                continue
            kept = next((a for a in existing if str(a.id) == ident), None)
            if kept is None:
                reason = f"Unknown attachment {ident}"
                raise form_error("attachments", "ATTACHMENT_NOT_FOUND", reason)
            result.append(kept)
        if "attachments" not in body:
            result = list(existing)
        for upload in files:
            if upload.field not in described:
                result.append(self._upload(channel, upload, None, None))
        return result

    def _upload(
        self, channel: FakeChannel, upload: UploadedFile, name: str | None, description: str | None
    ) -> StoredAttachment:
        content_type = upload.content_type
        if content_type == "application/octet-stream":  # discord.py's default: sniff like Discord
            content_type = None
        return self.add_attachment(
            channel.id,
            name or upload.filename,
            upload.data,
            content_type=content_type,
            description=description,
        )

    def _new_message(
        self,
        channel: FakeChannel,
        call: RecordedCall,
        body: JSON,
        *,
        via: str,
        interaction: InteractionRecord | None = None,
        extra_flags: int = 0,
    ) -> StoredMessage:
        reference = body.get("message_reference") or {}
        message = StoredMessage(
            self.ids.next(),
            channel,
            self.bot_user,
            from_bot=True,
            content=str(body.get("content") or ""),
            embeds=list(body.get("embeds") or []),
            components=list(body.get("components") or []),
            attachments=self._attachments(channel, body, call.files, []),
            flags=(int(body.get("flags") or 0) & EDITABLE_FLAGS) | extra_flags,
            type=19 if reference.get("message_id") else 0,
            reference_id=int(reference["message_id"]) if reference.get("message_id") else None,
            via=via,
        )
        if interaction is not None:
            message.interaction_id = interaction.id
            message.webhook_id = self.application_id
            message.type = 20 if interaction.type == 2 else 0
        return self._store(message)

    def _edit(self, message: StoredMessage, call: RecordedCall, body: JSON) -> StoredMessage:
        before = message.to_api()
        if "content" in body:
            message.content = str(body["content"] or "")
        for key in ("embeds", "components"):
            if key in body:
                setattr(message, key, list(body[key] or []))
        if "attachments" in body or call.files:
            message.attachments = self._attachments(
                message.channel, body, call.files, message.attachments
            )
        if body.get("flags") is not None:
            keep = message.flags & (EPHEMERAL | LOADING)
            message.flags = keep | (int(body["flags"]) & EDITABLE_FLAGS & ~EPHEMERAL)
        message.flags &= ~LOADING
        message.edited = time.time()
        message.edits.append(MessageEdit(time.monotonic(), before, message.to_api()))
        self._touch()
        return message

    def _check_dm_allowed(self, channel: FakeChannel) -> None:
        if channel.is_dm and channel.recipient and channel.recipient.id in self.blocked_dm_users:
            raise ApiError(403, CANNOT_DM["code"], CANNOT_DM["message"])

    def _create_message(self, call: RecordedCall) -> Result:
        channel = self._channel(call)
        self._check_dm_allowed(channel)
        return 200, self._new_message(channel, call, call.body, via="rest").to_api()

    def _list_messages(self, call: RecordedCall) -> Result:
        channel = self._channel(call)
        found = [
            m
            for m in self.messages.get(channel.id, {}).values()
            if not m.deleted and not m.ephemeral
        ]
        found.sort(key=lambda m: m.id, reverse=True)
        if "before" in call.query:
            found = [m for m in found if m.id < int(call.query["before"])]
        if "after" in call.query:
            found = [m for m in found if m.id > int(call.query["after"])]
        limit = min(max(int(call.query.get("limit", 50)), 1), 100)
        return 200, [m.to_api() for m in found[:limit]]

    def _get_message(self, call: RecordedCall) -> Result:
        return 200, self._message_in(self._channel(call), call.params["message_id"]).to_api()

    def _edit_message(self, call: RecordedCall) -> Result:
        message = self._message_in(self._channel(call), call.params["message_id"])
        if not message.from_bot:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        return 200, self._edit(message, call, call.body).to_api()

    def _delete_message(self, call: RecordedCall) -> Result:
        channel = self._channel(call)
        message = self._message_in(channel, call.params["message_id"])
        if channel.is_dm and not message.from_bot:
            raise ApiError(403, 50003, "Cannot execute action on a DM channel")
        message.deleted = True
        self._touch()
        return 204, None

    def _typing(self, call: RecordedCall) -> Result:
        self.typing.append(self._channel(call).id)
        return 204, None

    def _get_channel(self, call: RecordedCall) -> Result:
        return 200, self._channel(call).to_api()

    def _create_dm(self, call: RecordedCall) -> Result:
        user = self.users.get(int(call.body.get("recipient_id") or 0))
        if user is None or user.bot:
            raise ApiError(400, 50007, "Cannot send messages to this user")
        return 200, self.dm_channel(user).to_api()

    def _react(self, call: RecordedCall) -> Result:
        message = self._message_in(self._channel(call), call.params["message_id"])
        users = message.reactions.setdefault(call.params["emoji_name"], [])
        if call.method == "PUT" and self.bot_user.id not in users:
            users.append(self.bot_user.id)
        elif call.method == "DELETE" and self.bot_user.id in users:
            users.remove(self.bot_user.id)
        self._touch()
        return 204, None

    def _reactions(self, call: RecordedCall) -> Result:
        message = self._message_in(self._channel(call), call.params["message_id"])
        ids = message.reactions.get(call.params["emoji_name"], [])
        return 200, [self.users[i].to_api() for i in ids if i in self.users]

    # -------------------------------------------------------------------- guilds
    def _get_guild(self, call: RecordedCall) -> Result:
        guild = self.guilds.get(int(call.params["guild_id"]))
        if guild is None:
            raise ApiError(404, 10004, "Unknown Guild")
        return 200, guild.to_api()

    def _get_guild_channels(self, call: RecordedCall) -> Result:
        return 200, self._get_guild(call)[1]["channels"]

    def _get_member(self, call: RecordedCall) -> Result:
        guild = self.guilds.get(int(call.params["guild_id"]))
        member = None if guild is None else guild.members.get(int(call.params["user_id"]))
        if member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return 200, member.to_api()

    # --------------------------------------------------------------- interactions
    def _callback(self, call: RecordedCall) -> Result:
        record = self.interactions.get(int(call.params["interaction_id"]))
        if record is None or record.token != call.params["interaction_token"]:
            raise ApiError(*UNKNOWN_INTERACTION, violation=True)
        if record.callback is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.", violation=True)
        if time.monotonic() - record.created > self.interaction_timeout:
            raise ApiError(*UNKNOWN_INTERACTION, violation=True)
        kind = int(call.body.get("type") or 0)
        if kind not in ALLOWED_CALLBACKS[record.type]:
            reason = f"type {kind} for interaction type {record.type}"
            raise form_error("type", "INTERACTION_CALLBACK_TYPE_INVALID", reason)
        data = dict(call.body.get("data") or {})
        message: StoredMessage | None = None
        if kind == 4:
            message = self._new_message(
                record.channel, call, data, via="callback", interaction=record
            )
        elif kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self._new_message(
                record.channel, call, {}, via="callback", interaction=record, extra_flags=flags
            )
        elif kind in (6, 7) and record.message is not None:
            message = self.message(record.message.channel_id, record.message.id) or record.message
            if kind == 7:
                self._edit(message, call, data)
        record.original = message
        at = time.monotonic()
        record.callback = CallbackRecord(record.id, kind, data, at, call.files, message)
        self._touch()
        if not _bool_query(call, "with_response"):
            return 204, None
        body: JSON = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "response_message_id": None if message is None else str(message.id),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(message and message.ephemeral),
            }
        }
        if message is not None and kind in (4, 5, 7):
            body["resource"] = {"type": kind, "message": message.to_api()}
        return 200, body

    def _hook_interaction(self, call: RecordedCall) -> InteractionRecord:
        if call.params["webhook_id"] != str(self.application_id):
            raise ApiError(404, 10015, "Unknown Webhook", violation=True)
        token = call.params["webhook_token"]
        record = next((r for r in self.interactions.values() if r.token == token), None)
        if record is None:
            raise ApiError(404, 10015, "Unknown Webhook", violation=True)
        if record.callback is None:  # followups and @original need an acknowledged interaction
            raise ApiError(404, 10015, "Unknown Webhook", violation=True)
        return record

    def _followup(self, call: RecordedCall) -> Result:
        record = self._hook_interaction(call)
        original = record.original
        if original is not None and original.flags & LOADING:  # a deferred response: replaced
            message = self._edit(original, call, {**call.body, "flags": None})
        else:
            message = self._new_message(
                record.channel, call, call.body, via="followup", interaction=record
            )
        record.followups.append(message)
        self._touch()
        return (200, message.to_api()) if _bool_query(call, "wait") else (204, None)

    def _hook_message(self, call: RecordedCall) -> tuple[InteractionRecord, StoredMessage]:
        record = self._hook_interaction(call)
        wanted = call.params.get("message_id", "@original")
        if wanted == "@original":
            message = record.original
        else:
            message = next((m for m in record.followups if str(m.id) == wanted), None)
        if message is None or message.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return record, message

    def _get_hook_message(self, call: RecordedCall) -> Result:
        return 200, self._hook_message(call)[1].to_api()

    def _edit_hook_message(self, call: RecordedCall) -> Result:
        return 200, self._edit(self._hook_message(call)[1], call, call.body).to_api()

    def _delete_hook_message(self, call: RecordedCall) -> Result:
        self._hook_message(call)[1].deleted = True
        self._touch()
        return 204, None


ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/users/@me"): RestHandlers._get_me,
    ("GET", "/users/{user_id}"): RestHandlers._get_user,
    ("GET", "/oauth2/applications/@me"): RestHandlers._get_application,
    ("GET", "/applications/@me"): RestHandlers._get_application,
    ("GET", "/gateway"): RestHandlers._get_gateway,
    ("GET", "/gateway/bot"): RestHandlers._get_gateway_bot,
    ("POST", "/users/@me/channels"): RestHandlers._create_dm,
    ("GET", "/channels/{channel_id}"): RestHandlers._get_channel,
    ("POST", "/channels/{channel_id}/typing"): RestHandlers._typing,
    ("POST", "/channels/{channel_id}/messages"): RestHandlers._create_message,
    ("GET", "/channels/{channel_id}/messages"): RestHandlers._list_messages,
    ("GET", _MESSAGE): RestHandlers._get_message,
    ("PATCH", _MESSAGE): RestHandlers._edit_message,
    ("DELETE", _MESSAGE): RestHandlers._delete_message,
    ("PUT", _MESSAGE + "/reactions/{emoji_name}/@me"): RestHandlers._react,
    ("DELETE", _MESSAGE + "/reactions/{emoji_name}/@me"): RestHandlers._react,
    ("GET", _MESSAGE + "/reactions/{emoji_name}"): RestHandlers._reactions,
    ("GET", "/guilds/{guild_id}"): RestHandlers._get_guild,
    ("GET", "/guilds/{guild_id}/channels"): RestHandlers._get_guild_channels,
    ("GET", "/guilds/{guild_id}/members/{user_id}"): RestHandlers._get_member,
    ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"): RestHandlers._callback,
    ("POST", _HOOK): RestHandlers._followup,
    ("GET", _HOOK + "/messages/@original"): RestHandlers._get_hook_message,
    ("PATCH", _HOOK + "/messages/@original"): RestHandlers._edit_hook_message,
    ("DELETE", _HOOK + "/messages/@original"): RestHandlers._delete_hook_message,
    ("GET", _HOOK + "/messages/{message_id}"): RestHandlers._get_hook_message,
    ("PATCH", _HOOK + "/messages/{message_id}"): RestHandlers._edit_hook_message,
    ("DELETE", _HOOK + "/messages/{message_id}"): RestHandlers._delete_hook_message,
}
for _base in (_APP, _GUILD_APP):
    ROUTES[("GET", _base + "/commands")] = RestHandlers._list_commands
    ROUTES[("PUT", _base + "/commands")] = RestHandlers._put_commands
    ROUTES[("POST", _base + "/commands")] = RestHandlers._create_command
    ROUTES[("GET", _base + "/commands/{command_id}")] = RestHandlers._get_command
    ROUTES[("PATCH", _base + "/commands/{command_id}")] = RestHandlers._edit_command
    ROUTES[("DELETE", _base + "/commands/{command_id}")] = RestHandlers._delete_command
# routes answered without an Authorization header (the token is in the path)
TOKEN_ROUTES = {t for _, t in ROUTES if t.startswith(("/interactions/", "/webhooks/"))}
