"""The real discord.py adapter against the fake Discord server (REST + gateway): a harness to
talk through it as a person would, `running` to start one, and `visible` to read replies."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from adapters.discord.adapter import DiscordAdapter
from bot.dispatcher import HabitLinkBot
from tests.fakes.discord_api import FAST_READY, FakeDiscord
from tests.fakes.discord_models import FakeChannel, FakeUser, InteractionRecord, StoredMessage

_ESCAPED = re.compile(r"\\([^0-9A-Za-z\s])")
_MARKUP = re.compile(r"```\n?|\*\*|(?<!\\)[*`]")
_MENTION = re.compile(r"</([a-z0-9_ -]+):\d+>")  # a clickable command: Discord shows /name


def visible(content: str) -> str:
    """Roughly what a Discord client shows for our Markdown: no markers, escapes resolved,
    command mentions as their names."""
    content = _MENTION.sub(r"/\1", content)
    out: list[str] = []
    for i, part in enumerate(re.split(r"(\\[^0-9A-Za-z\s])", content)):
        out.append(part[1] if i % 2 else _MARKUP.sub("", part))
    return "".join(out).replace("\u200b", "").strip()


def windows(fake: FakeDiscord) -> dict[str, float]:
    """The adapter's deferral and first-answer deadline inside the fake's window for answering
    an interaction, as the product's are inside Discord's 3 seconds (2.0 and 2.9). The e2e fake
    widens its window (a loaded machine can take 3 s to answer); a test of what happens past
    it narrows the fake's back to Discord's and gives the adapter `windows(fake)` again."""
    window = fake.interaction_timeout
    return {"defer_after": window - 1.0, "answer_within": window - 0.1}


@asynccontextmanager
async def running(
    fake: FakeDiscord, bot: HabitLinkBot, **kwargs: Any
) -> AsyncIterator[DiscordAdapter]:
    """A DiscordAdapter for `bot`, connected to `fake` until the block ends."""
    adapter = DiscordAdapter(bot, token=fake.token, **{**FAST_READY, **windows(fake), **kwargs})
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.close()


@dataclass
class DiscordHarness:
    fake: FakeDiscord
    adapter: DiscordAdapter
    records: list[InteractionRecord] = field(default_factory=list)

    @property
    def last(self) -> InteractionRecord:
        return self.records[-1]

    async def slash(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        count: int = 1,
    ) -> list[StoredMessage]:
        """Run a slash command; waits for `count` messages answering it (response, followups)."""
        record = self.fake.slash_command(command, options, channel=channel, user=user)
        self.records.append(record)
        return await self.fake.wait_for(
            lambda: found if len(found := answers(record)) >= count else None,
            what=f"{count} message(s) answering /{command}",
        )

    async def dm(
        self, text: str, *, user: FakeUser | None = None, count: int = 1
    ) -> list[StoredMessage]:
        """A person writes in their DM with the bot; waits for `count` bot messages there."""
        channel = self.fake.dm_channel(user)
        return await self.say(text, channel=channel, user=user, count=count)

    async def say(
        self,
        text: str,
        *,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        attachments: list[tuple[str, bytes]] | None = None,
        reply_to: StoredMessage | None = None,
        ping: bool = True,
        count: int = 1,
    ) -> list[StoredMessage]:
        channel = channel or self.fake.default_channel
        since = len(self.fake.sent_messages)
        self.fake.send_message(
            text,
            channel=channel,
            user=user,
            attachments=attachments or (),
            reply_to=reply_to,
            ping=ping,
        )
        return await self.fake.wait_for(
            lambda: (
                found
                if len(
                    found := [
                        m for m in self.fake.sent_messages[since:] if m.channel_id == channel.id
                    ]
                )
                >= count
                else None
            ),
            what=f"{count} bot message(s) in reply to {text!r}",
        )

    async def press(
        self, message: StoredMessage, label: str | None = None, *, user: FakeUser | None = None
    ) -> InteractionRecord:
        """Press a button of a bot message; waits for the interaction's response."""
        record = self.fake.press_button(message, label=label, user=user)
        self.records.append(record)
        await self.fake.wait_for_interaction_response(record)
        return record


def answers(record: InteractionRecord) -> list[StoredMessage]:
    """The messages answering an interaction: its response and followups, once none loads."""
    found: list[StoredMessage] = []
    for message in [record.original, *record.followups]:
        if message is not None and message not in found:
            found.append(message)
    if any(m.flags & (1 << 7) for m in found):  # still "thinking…"
        return []
    return found
