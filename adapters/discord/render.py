"""Neutral replies as Discord messages: Markdown with every span escaped, pieces of at most 2000
characters cut at line breaks, buttons as persistent components, images as files."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import discord

from bot.commands import Command
from bot.messages import Button, Reply, Rich, Span, Style, italic, merge_blocks, rich
from bot.paging import MORE

MESSAGE_LIMIT = 2000  # characters of content, Markdown included
LABEL_LIMIT = 80
MAX_ROWS = 5
MAX_ROW_BUTTONS = 5
NO_MENTIONS = discord.AllowedMentions.none()
# Our payloads are "xx:..." (prefixes in bot/buttons.py); custom_id allows 100 characters,
# ours are <= 64 bytes.
PAYLOAD_TEMPLATE = r"(?P<payload>[a-z]{2}:.{1,97})"
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
CARD_COLOUR = discord.Colour(0x2E9E5B)
_FENCE = "```"
_ZWSP = "\u200b"


# --- text ------------------------------------------------------------------------------------
# discord.py escapes a dash that would start a list item with a backslash before the spaces
# (or blank lines) ahead of it, where Discord shows it ("\ - one"): it goes before the dash.
_LIST_DASH = re.compile(r"^\\(\s*)-", re.MULTILINE)


def escape(text: str) -> str:
    """User text shown literally: no Markdown, no @everyone/@here or <@id> mentions."""
    escaped = discord.utils.escape_markdown(text)
    return discord.utils.escape_mentions(_LIST_DASH.sub(r"\1\\-", escaped))


def _wrap(marker: str, text: str) -> str:
    """`marker` around the text, whitespace kept outside (Discord ignores '** x**')."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core[0])
    return f"{text[:start]}{marker}{escape(core)}{marker}{text[start + len(core) :]}"


def _code(text: str) -> str:
    core = text.strip("\n")
    if not core.strip():
        return text
    core = core.replace("\n", " ")
    if "`" in core:  # a double-backtick span may hold single backticks
        return f"`` {core.replace('``', '`' + _ZWSP + '`')} ``"
    return f"`{core}`"


def _block(text: str) -> str:
    body = text.strip("\n").replace(_FENCE, "`" + _ZWSP + "``")
    return f"{_FENCE}\n{body}\n{_FENCE}\n"


@dataclass(frozen=True)
class CommandNames:
    """How Discord names the bot's commands: their paths (done -> "habit done") and, once
    synced, the ids of the top-level commands, which make a mention clickable."""

    paths: Mapping[str, str] = field(default_factory=dict)
    ids: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, commands: Iterable[Command], ids: Mapping[str, int] | None = None) -> CommandNames:
        return cls({c.name: c.path for c in commands}, dict(ids or {}))

    def render(self, span: Span) -> str:
        """A command span: `</habit done:ID>` where the id is known, else `/habit done`;
        an example (code) as `/habit done read`."""
        name = span.command or ""
        rest = span.text[len(name) + 1 :]
        path = self.paths.get(name, name)
        if span.style is Style.CODE:
            return _code(f"/{path}{rest}")
        command_id = self.ids.get(path.partition(" ")[0])
        shown = f"</{path}:{command_id}>" if command_id else escape(f"/{path}")
        shown += escape(rest)
        return f"**{shown}**" if span.style is Style.BOLD else shown


NO_NAMES = CommandNames()


def render_span(span: Span, names: CommandNames = NO_NAMES) -> str:
    if span.command is not None and span.text.startswith(f"/{span.command}"):
        return names.render(span)
    if span.style is Style.BOLD:
        return _wrap("**", span.text)
    if span.style is Style.ITALIC:
        return _wrap("*", span.text)
    if span.style is Style.CODE:
        return _code(span.text)
    if span.style is Style.PRE:
        return _block(span.text)
    return escape(span.text)


def to_markdown(text: Rich, names: CommandNames = NO_NAMES) -> str:
    """The whole text as one Markdown string (may exceed the message limit; see `split`)."""
    return "".join(_units(text, None, names)).strip()


def split(text: Rich, limit: int = MESSAGE_LIMIT, names: CommandNames = NO_NAMES) -> list[str]:
    """Markdown pieces of at most `limit` characters, cut after whole lines where possible."""
    pieces: list[str] = [""]
    for unit in _units(text, limit, names):
        if pieces[-1] and len(pieces[-1]) + len(unit) > limit:
            pieces.append("")
        pieces[-1] += unit
    result = [p.strip() for p in pieces]
    return [p for p in result if p] or [""]


def _units(text: Rich, limit: int | None, names: CommandNames) -> list[str]:
    """Rendered chunks that each end a line (or a span): the places a message may be cut."""
    out: list[str] = []
    for span in merge_blocks(text.spans):
        if not span.text:
            continue
        if span.style is Style.PRE:
            out.extend(_block_units(span.text, limit))
            continue
        if span.command is not None:  # a command name is never cut
            out.append(render_span(span, names))
            continue
        for line in span.text.splitlines(keepends=True):
            out.extend(_line_units(Span(line, span.style), limit))
    return out


def _line_units(span: Span, limit: int | None) -> list[str]:
    rendered = render_span(span)
    if limit is None or len(rendered) <= limit:
        return [rendered]
    # One line longer than a message: cut it hard (escaping at most doubles its length).
    room = max(1, limit // 2 - 8)
    return [
        render_span(Span(span.text[i : i + room], span.style))
        for i in range(0, len(span.text), room)
    ]


def _block_units(text: str, limit: int | None) -> list[str]:
    """A monospace block stays whole when it fits; a longer one becomes several blocks."""
    whole = _block(text)
    if limit is None or len(whole) <= limit:
        return [whole]
    room = limit - len(_block(""))
    blocks: list[str] = []
    current = ""
    for line in text.strip("\n").split("\n"):
        while len(line) > room:
            if current:
                blocks.append(current)
                current = ""
            blocks.append(line[:room])
            line = line[room:]
        if current and len(current) + 1 + len(line) > room:
            blocks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(current)
    return [_block(b) for b in blocks]


# --- buttons ---------------------------------------------------------------------------------
class PayloadButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=PAYLOAD_TEMPLATE):
    """A button whose custom_id is the neutral payload. Registered with add_dynamic_items, so a
    press is understood from its custom_id alone: buttons keep working after a restart."""

    def __init__(self, payload: str, label: str = "…") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:LABEL_LIMIT] or "…",
                custom_id=payload,
                style=discord.ButtonStyle.secondary,
            )
        )
        self.payload = payload

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[discord.Client],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> PayloadButton:
        label = getattr(item, "label", None) or "…"
        return cls(match["payload"], label)

    async def callback(self, interaction: discord.Interaction[discord.Client]) -> None:
        on_button = getattr(interaction.client, "on_payload_button", None)
        if on_button is not None:
            await on_button(interaction, self.payload)


def views(rows: tuple[tuple[Button, ...], ...]) -> list[discord.ui.View]:
    """Rows of buttons as persistent views, one a message: the rows as given when Discord's 5
    rows of 5 hold them, else re-packed 5 a row, and beyond 25 buttons the rest in further
    views (bot/paging.py keeps replies within 25; nothing is ever cut)."""
    if not rows:
        return []
    layout = [list(row) for row in rows]
    if len(layout) <= MAX_ROWS and all(len(row) <= MAX_ROW_BUTTONS for row in layout):
        return [_view(layout)]
    flat = [b for row in rows for b in row]
    per_view = MAX_ROWS * MAX_ROW_BUTTONS
    out: list[discord.ui.View] = []
    for start in range(0, len(flat), per_view):
        chunk = flat[start : start + per_view]
        out.append(
            _view([chunk[i : i + MAX_ROW_BUTTONS] for i in range(0, len(chunk), MAX_ROW_BUTTONS)])
        )
    return out


def view(rows: tuple[tuple[Button, ...], ...]) -> discord.ui.View | None:
    """The buttons as one view (the first, should they need more than one message)."""
    found = views(rows)
    return found[0] if found else None


def _view(layout: list[list[Button]]) -> discord.ui.View:
    result = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for number, row in enumerate(layout):
        for button in row:
            if button.payload in seen:  # Discord refuses duplicate custom_ids in one message
                continue
            seen.add(button.payload)
            item = PayloadButton(button.payload, button.label)
            item.row = number
            result.add_item(item)
    return result


def payloads(message: discord.Message) -> list[str]:
    """custom_ids of the buttons of a message (the neutral payloads)."""
    found: list[str] = []
    for row in message.components:
        for child in getattr(row, "children", [row]):
            custom_id = getattr(child, "custom_id", None)
            if isinstance(custom_id, str):
                found.append(custom_id)
    return found


# --- whole messages --------------------------------------------------------------------------
@dataclass
class Outgoing:
    """One Discord message: keyword arguments for send / edit (content, view, file)."""

    content: str | None = None
    view: discord.ui.View | None = None
    image: tuple[bytes, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def file(self) -> discord.File | None:
        if self.image is None:
            return None
        data, name = self.image
        return discord.File(io.BytesIO(data), filename=name)

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS, **self.extra}
        if self.content:
            kwargs["content"] = self.content
        if self.view is not None:
            kwargs["view"] = self.view
        file = self.file()
        if file is not None:
            kwargs["file"] = file
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        return {
            "content": self.content or ("" if "embed" in self.extra else "…"),
            "view": self.view,
            "allowed_mentions": NO_MENTIONS,
            **self.extra,
        }


def card(reply: Reply, names: CommandNames = NO_NAMES) -> Outgoing | None:
    """A summary as an embed: its first line the title, the rest the description."""
    if not reply.card or reply.image is not None or reply.document is not None:
        return None
    title, _, _rest = reply.text.plain().partition("\n")
    body = to_markdown(reply.text, names)
    description = body.partition("\n")[2].strip()
    if len(title) > EMBED_TITLE_LIMIT or len(description) > EMBED_DESCRIPTION_LIMIT:
        return None
    if len(views(reply.buttons)) > 1:
        return None
    embed = discord.Embed(title=title.strip(), description=description or None, colour=CARD_COLOUR)
    return Outgoing(None, view(reply.buttons), extra={"embed": embed})


# In a channel only a reply to the bot's message, or a message that mentions it, answers a
# guided question (adapters/discord/translate.py): each question there says so. A message only
# its asker sees (ephemeral) can't be replied to.
ASKED = "↩️ Reply to this message (or mention me) with your answer."
ASKED_PRIVATELY = "↩️ Answer with a message that mentions me."


def asking(reply: Reply, *, in_guild: bool, ephemeral: bool = False) -> Reply:
    """A guided step's question (a reply marked `asks`) in a channel, saying how to answer."""
    if not reply.asks or not in_guild or not reply.text:
        return reply
    how = ASKED_PRIVATELY if ephemeral else ASKED
    return replace(reply, text=reply.text + rich("\n", italic(how)))


def messages(reply: Reply, names: CommandNames = NO_NAMES) -> list[Outgoing]:
    """A reply as Discord messages: a card as an embed; else the image with its caption, then
    the text in pieces; the buttons go on the last message (those it has no room for on
    messages of their own after it)."""
    as_card = card(reply, names)
    if as_card is not None:
        return [as_card]
    out: list[Outgoing] = []
    if reply.document is not None:
        out.append(Outgoing(None, image=(reply.document.data, reply.document.filename)))
    if reply.image is not None:
        caption = split(reply.image.caption, names=names)[0] if reply.image.caption else ""
        out.append(Outgoing(caption or None, image=(reply.image.data, reply.image.filename)))
    if reply.text or not out:
        out.extend(Outgoing(piece or "…") for piece in split(reply.text, names=names))
    first, *more = views(reply.buttons) or [None]
    out[-1].view = first
    out.extend(Outgoing(MORE, extra_view) for extra_view in more)
    return out


def editable(reply: Reply, names: CommandNames = NO_NAMES) -> Outgoing | None:
    """The single text message an edit in place can become; None when the reply needs more
    (an image, or text over 2000 characters)."""
    if reply.image is not None or reply.document is not None:
        return None
    pieces = split(reply.text, names=names)
    if len(pieces) != 1 or len(views(reply.buttons)) > 1:
        return None
    return Outgoing(pieces[0] or "…", view(reply.buttons))
