"""What users do in Discord, as gateway events: messages (with attachments), reactions, slash
commands (typed options resolved against the commands the bot registered), autocomplete,
component presses and modal submits."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any

from tests.fakes.discord_gateway import GatewayServer, GatewaySession
from tests.fakes.discord_models import (
    ALL_PERMISSIONS,
    ATTACHMENT_SIZE_LIMIT,
    JSON,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    InteractionRecord,
    StoredAttachment,
    StoredMessage,
)
from tests.fakes.discord_state import Intents

AttachmentLike = StoredAttachment | tuple[str, bytes]
SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
_MENTION_RE = re.compile(r"<@!?(\d+)>")


class EventInjection(GatewayServer):
    """Each helper updates the fake's state, dispatches the gateway event to the connected bot
    and returns the stored message or the InteractionRecord."""

    # ------------------------------------------------------------------ the bot's servers
    def remove_bot(self, guild: FakeGuild) -> None:
        """The bot is removed from a server (kicked, banned, or it left): GUILD_DELETE with no
        `unavailable` field (set, it tells an outage instead: `guild_outage`). Its channels
        then answer 403 Missing Access, and a new IDENTIFY no longer lists the server."""
        guild.members.pop(self.bot_user.id, None)
        self.dispatch(
            "GUILD_DELETE", {"id": str(guild.id)}, intent=Intents.GUILDS, guild_id=guild.id
        )

    def guild_outage(self, guild: FakeGuild) -> None:
        """The server is unavailable for a while (an outage), the bot still in it."""
        data = {"id": str(guild.id), "unavailable": True}
        self.dispatch("GUILD_DELETE", data, intent=Intents.GUILDS, guild_id=guild.id)

    def add_bot(self, guild: FakeGuild) -> None:
        """The bot is added (back) to a server: GUILD_CREATE with the whole server."""
        self.add_member(guild, self.bot_user)
        self._on_guild_created(guild)

    def delete_channel(self, channel: FakeChannel) -> None:
        """Someone deletes a server's channel: CHANNEL_DELETE with the channel object; its id
        then answers 404 Unknown Channel."""
        guild = self.guilds[channel.guild_id or 0]
        guild.channels.remove(channel)
        del self.channels[channel.id]
        self.dispatch("CHANNEL_DELETE", channel.to_api(), intent=Intents.GUILDS, guild_id=guild.id)

    def rename_channel(self, channel: FakeChannel, name: str) -> None:
        """Someone with Manage Channels renames a server's channel: CHANNEL_UPDATE with the
        whole channel object (Discord sends every field, not only what changed)."""
        channel.name = name
        guild_id = channel.guild_id or 0
        self.dispatch("CHANNEL_UPDATE", channel.to_api(), intent=Intents.GUILDS, guild_id=guild_id)

    # ------------------------------------------------------------------ messages
    def send_message(
        self,
        content: str = "",
        *,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        attachments: Iterable[AttachmentLike] = (),
        reply_to: StoredMessage | None = None,
        ping: bool = True,
    ) -> StoredMessage:
        """A user posts in a guild text channel (default: #general of the default guild) or a DM
        channel. MESSAGE_CREATE needs GUILD_MESSAGES / DIRECT_MESSAGES; without MESSAGE_CONTENT
        guild messages arrive with empty content, attachments, embeds and components unless
        they mention the bot (like Discord). A reply (`reply_to`) carries the message it
        replies to (`referenced_message`) and, with `ping` (the client's default), mentions its
        author."""
        channel = channel or self.default_channel
        user = user or self.default_user
        member = self.member_of(channel, user)
        assert channel.is_dm or member is not None, f"{user.username} is not in that guild"
        message = StoredMessage(
            self.ids.next(),
            channel,
            user,
            from_bot=False,
            content=content,
            attachments=[self._attachment(channel, a) for a in attachments],
            reference_id=None if reply_to is None else reply_to.id,
            type=0 if reply_to is None else 19,
            member=member,
            mentions=[
                self.users[int(i)] for i in _MENTION_RE.findall(content) if int(i) in self.users
            ],
        )
        if reply_to is not None and ping and reply_to.author not in message.mentions:
            message.mentions.append(reply_to.author)
        self._store(message)
        mentioned = any(u.id == self.bot_user.id for u in message.mentions)

        def payload(session: GatewaySession) -> JSON:
            visible = channel.is_dm or mentioned or session.has(Intents.MESSAGE_CONTENT)
            data = message.to_api(include_content=visible)
            if reply_to is not None:
                data["referenced_message"] = reply_to.to_api(include_content=visible)
            return data

        intent = Intents.DIRECT_MESSAGES if channel.is_dm else Intents.GUILD_MESSAGES
        self.dispatch(
            "MESSAGE_CREATE",
            message.to_api(),
            intent=intent,
            transform=payload,
            guild_id=channel.guild_id,
            dm=channel.is_dm,
        )
        return message

    def send_dm(
        self,
        content: str = "",
        *,
        user: FakeUser | None = None,
        attachments: Iterable[AttachmentLike] = (),
    ) -> StoredMessage:
        user = user or self.default_user
        return self.send_message(
            content, channel=self.dm_channel(user), user=user, attachments=attachments
        )

    def _attachment(self, channel: FakeChannel, item: AttachmentLike) -> StoredAttachment:
        if isinstance(item, StoredAttachment):
            return item
        filename, data = item
        return self.add_attachment(channel.id, filename, data)

    def add_reaction(
        self, message: StoredMessage, emoji: str = "👍", *, user: FakeUser | None = None
    ) -> JSON:
        """A user reacts with a unicode emoji: MESSAGE_REACTION_ADD (needs the
        GUILD_MESSAGE_REACTIONS / DIRECT_MESSAGE_REACTIONS intent)."""
        user = user or self.default_user
        message.reactions.setdefault(emoji, []).append(user.id)
        data = self._reaction_event(message, emoji, user)
        data.update(message_author_id=str(message.author.id), burst=False, burst_colors=[])
        member = self.member_of(message.channel, user)
        if member is not None:
            data["member"] = member.to_api()
        self._emit_reaction("MESSAGE_REACTION_ADD", message, data)
        return data

    def remove_reaction(
        self, message: StoredMessage, emoji: str = "👍", *, user: FakeUser | None = None
    ) -> JSON:
        user = user or self.default_user
        users = message.reactions.get(emoji, [])
        if user.id in users:
            users.remove(user.id)
        data = self._reaction_event(message, emoji, user)
        self._emit_reaction("MESSAGE_REACTION_REMOVE", message, data)
        return data

    def _reaction_event(self, message: StoredMessage, emoji: str, user: FakeUser) -> JSON:
        data: JSON = {
            "user_id": str(user.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": {"id": None, "name": emoji},
            "type": 0,
            "burst": False,
        }
        if message.channel.guild_id is not None:
            data["guild_id"] = str(message.channel.guild_id)
        return data

    def _emit_reaction(self, event: str, message: StoredMessage, data: JSON) -> None:
        dm = message.channel.is_dm
        intent = Intents.DIRECT_MESSAGE_REACTIONS if dm else Intents.GUILD_MESSAGE_REACTIONS
        self._touch()
        self.dispatch(event, data, intent=intent, guild_id=message.channel.guild_id, dm=dm)

    # --------------------------------------------------------------- interactions
    def slash_command(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
    ) -> InteractionRecord:
        """A user runs a registered chat-input command: `command` is its name plus any
        subcommand group / subcommand ("habit add"); `options` maps option names to Python
        values (str, int, float, bool, FakeUser, FakeChannel, FakeRole, attachment as
        StoredAttachment or (filename, bytes)), converted with the registered option types."""
        channel = channel or self.default_channel
        data = self._command_data(command, dict(options or {}), channel, focused=None)
        return self._inject_interaction(2, data, channel, user)

    def autocomplete(
        self,
        command: str,
        focused: str,
        value: str = "",
        options: Mapping[str, Any] | None = None,
        *,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
    ) -> InteractionRecord:
        """A user types `value` into option `focused` (type 4 APPLICATION_COMMAND_AUTOCOMPLETE);
        the answer is callback type 8 with data.choices."""
        channel = channel or self.default_channel
        data = self._command_data(command, {**(options or {}), focused: value}, channel, focused)
        return self._inject_interaction(4, data, channel, user)

    def press_button(
        self,
        message: StoredMessage,
        custom_id: str | None = None,
        *,
        label: str | None = None,
        user: FakeUser | None = None,
    ) -> InteractionRecord:
        """A user presses a button of a bot message (by custom_id, label or the first one)."""
        button = self._component(message, custom_id, label, kinds=(2,))
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return self._inject_interaction(3, data, message.channel, user, message)

    def choose(
        self,
        message: StoredMessage,
        values: list[str],
        custom_id: str | None = None,
        *,
        user: FakeUser | None = None,
    ) -> InteractionRecord:
        """A user picks `values` in a select menu (string select: option values; user, role,
        channel selects: ids)."""
        select = self._component(message, custom_id, None, kinds=(3, 5, 6, 7, 8))
        data = {"custom_id": select["custom_id"], "component_type": select["type"]}
        data["values"] = values
        return self._inject_interaction(3, data, message.channel, user, message)

    def submit_modal(
        self,
        opened_by: InteractionRecord,
        values: Mapping[str, str | list[str]],
        *,
        user: FakeUser | None = None,
    ) -> InteractionRecord:
        """A user submits the modal the bot answered `opened_by` with (callback type 9):
        `values` maps text-input custom_ids to text (selects: lists of values)."""
        callback = opened_by.callback
        assert callback is not None and callback.type == 9, "that interaction opened no modal"
        rows = []
        for item in callback.data.get("components", []):
            if item.get("type") == 18:
                rows.append({"type": 18, "component": self._submitted(item["component"], values)})
            else:
                inner = [self._submitted(c, values) for c in item.get("components", [])]
                rows.append({"type": item.get("type", 1), "components": inner})
        data = {"custom_id": callback.data.get("custom_id"), "components": rows}
        return self._inject_interaction(
            5, data, opened_by.channel, user or opened_by.user, opened_by.message
        )

    @staticmethod
    def _submitted(component: JSON, values: Mapping[str, str | list[str]]) -> JSON:
        custom_id = component.get("custom_id")
        value = values.get(str(custom_id), "" if component.get("type") == 4 else [])
        key = "value" if component.get("type") == 4 else "values"
        return {"type": component.get("type"), "custom_id": custom_id, key: value}

    def _component(
        self,
        message: StoredMessage,
        custom_id: str | None,
        label: str | None,
        kinds: tuple[int, ...],
    ) -> JSON:
        current = self.message(message.channel_id, message.id) or message
        assert not current.deleted, "the message was deleted"
        found = [
            c
            for c in current.buttons()
            if c.get("type") in kinds
            and "custom_id" in c
            and (custom_id is None or c["custom_id"] == custom_id)
            and (label is None or c.get("label") == label)
        ]
        assert found, f"no component {custom_id or label!r} in {current.components}"
        assert not found[0].get("disabled"), f"component {found[0]['custom_id']} is disabled"
        return found[0]

    def _inject_interaction(
        self,
        kind: int,
        data: JSON,
        channel: FakeChannel,
        user: FakeUser | None,
        message: StoredMessage | None = None,
    ) -> InteractionRecord:
        user = user or (channel.recipient if channel.is_dm else None) or self.default_user
        interaction_id = self.ids.next()
        token = f"aW50ZXJhY3Rpb246{interaction_id}:{secrets.token_urlsafe(32)}"
        payload: JSON = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel": channel.to_api(),
            "channel_id": str(channel.id),
            "token": token,
            "version": 1,
            "app_permissions": ALL_PERMISSIONS,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if channel.guild_id is not None:
            member = self.member_of(channel, user)
            assert member is not None, f"{user.username} is not in that guild"
            payload.update(
                guild_id=str(channel.guild_id),
                guild=self.guilds[channel.guild_id].summary(),
                guild_locale="en-US",
                member=member.to_api(with_permissions=True),
                authorizing_integration_owners={"0": str(channel.guild_id)},
                context=0,
            )
        else:
            payload.update(
                user=user.to_api(), authorizing_integration_owners={"1": str(user.id)}, context=1
            )
        if message is not None:
            payload["message"] = message.to_api()
        record = InteractionRecord(
            interaction_id, token, kind, payload, user, channel, time.monotonic(), message
        )
        self.interactions[interaction_id] = record
        self.dispatch(
            "INTERACTION_CREATE", payload, guild_id=channel.guild_id, dm=channel.guild_id is None
        )
        return record

    # ------------------------------------------------------------ command options
    def find_command(self, name: str, channel: FakeChannel | None = None) -> JSON:
        """The registered chat-input command `name` visible in `channel` (guild first)."""
        channel = channel or self.default_channel
        pools = []
        if channel.guild_id is not None:
            pools.append(self.guild_commands.get(channel.guild_id, []))
        pools.append(self.global_commands)
        for pool in pools:
            for command in pool:
                if command["name"] == name and int(command.get("type", 1)) == 1:
                    return command
        known = sorted({c["name"] for pool in pools for c in pool})
        raise AssertionError(f"no registered command /{name} here (registered: {known})")

    def _command_data(
        self, path: str, options: dict[str, Any], channel: FakeChannel, focused: str | None
    ) -> JSON:
        names = path.lstrip("/").split()
        command = self.find_command(names[0], channel)
        data: JSON = {"id": command["id"], "name": command["name"], "type": 1}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        container, schema = data, list(command.get("options") or [])
        for name in names[1:]:
            found = next((o for o in schema if o["name"] == name and o["type"] in (1, 2)), None)
            assert found is not None, f"/{path}: no subcommand {name!r}"
            node: JSON = {"name": name, "type": found["type"], "options": []}
            container.setdefault("options", []).append(node)
            container, schema = node, list(found.get("options") or [])
        assert not any(o["type"] in (1, 2) for o in schema), f"/{path} needs a subcommand"
        resolved: JSON = {}
        values = []
        for name, value in options.items():
            spec = next((o for o in schema if o["name"] == name), None)
            assert spec is not None, f"/{path} has no option {name!r}"
            if name == focused:
                values.append(
                    {"name": name, "type": spec["type"], "value": str(value), "focused": True}
                )
            else:
                values.append(self._option(spec, value, resolved, channel))
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in options]
        assert focused is not None or not missing, f"/{path}: missing required {missing}"
        if values:
            container["options"] = values
        if resolved:
            data["resolved"] = resolved
        return data

    def _option(self, spec: JSON, value: Any, resolved: JSON, channel: FakeChannel) -> JSON:
        kind, name = spec["type"], spec["name"]
        if kind in (USER, MENTIONABLE) and isinstance(value, FakeUser):
            resolved.setdefault("users", {})[str(value.id)] = value.to_api()
            member = self.member_of(channel, value)
            if member is not None:
                entry = member.to_api(with_user=False, with_permissions=True)
                resolved.setdefault("members", {})[str(value.id)] = entry
            return {"name": name, "type": kind, "value": str(value.id)}
        if kind in (ROLE, MENTIONABLE) and isinstance(value, FakeRole):
            resolved.setdefault("roles", {})[str(value.id)] = value.to_api()
            return {"name": name, "type": kind, "value": str(value.id)}
        if kind == CHANNEL and isinstance(value, FakeChannel):
            entry = {**value.to_api(), "permissions": ALL_PERMISSIONS}
            resolved.setdefault("channels", {})[str(value.id)] = entry
            return {"name": name, "type": kind, "value": str(value.id)}
        if kind == ATTACHMENT:
            attachment = self._attachment(channel, value)
            attachment.ephemeral = True
            resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.to_api()
            return {"name": name, "type": kind, "value": str(attachment.id)}
        converters: dict[int, type] = {STRING: str, INTEGER: int, BOOLEAN: bool, NUMBER: float}
        assert kind in converters, f"option {name!r} (type {kind}) cannot take {value!r}"
        assert kind != INTEGER or not isinstance(value, bool), f"{name!r} needs an int"
        converted = converters[kind](value)
        choices = [c["value"] for c in spec.get("choices") or []]
        assert not choices or converted in choices, f"{name!r}: {converted!r} not in {choices}"
        low, high = spec.get("min_value"), spec.get("max_value")
        assert low is None or converted >= low, f"{name!r} below min_value {low}"
        assert high is None or converted <= high, f"{name!r} above max_value {high}"
        if kind == STRING:
            length = len(converted)
            assert length >= spec.get("min_length", 0), f"{name!r} shorter than min_length"
            assert length <= spec.get("max_length", 6000), f"{name!r} longer than max_length"
        return {"name": name, "type": kind, "value": converted}
