"""Neutral requests and replies: what every adapter translates to and renders from.

A reply's text is a sequence of styled spans, so each adapter escapes user content its own way
(HTML for Telegram, Markdown for Discord, plain text for the console) and nobody can inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from core.text import clean_text as clean_text  # re-exported: how a Request's text is cleaned
from core.text import shorten as shorten  # re-exported for handlers and adapters
from core.text import utf16_len as utf16_len

MAX_BUTTON_PAYLOAD_BYTES = 64  # Telegram's callback_data limit, the strictest of our platforms

# Input caps, applied when a Request (and its Person and Chat) is made, before any work.
MAX_TEXT_CHARS = 4096  # a message's text or a command's arguments (Telegram's own limit)
MAX_CAPTION_CHARS = 2000  # a photo's caption (Telegram allows 1024, Discord 2000)
MAX_BUTTON_CHARS = 100  # a pressed button's payload (Discord's custom_id limit)
MAX_NAME_CHARS = 128  # a person's display name (the column's size)
MAX_HANDLE_CHARS = 64  # a username, a chat or person id
MAX_TITLE_CHARS = 255  # a chat's title


def _bounded(value: str, limit: int) -> str:
    return clean_text(value)[:limit]


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Person:
    platform: str
    id: str
    display_name: str
    username: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _bounded(self.id, MAX_HANDLE_CHARS))
        name = _bounded(self.display_name, MAX_NAME_CHARS).strip()
        object.__setattr__(self, "display_name", name or "someone")
        if self.username is not None:
            object.__setattr__(self, "username", _bounded(self.username, MAX_HANDLE_CHARS))


@dataclass(frozen=True)
class Chat:
    platform: str
    id: str
    kind: ChatKind
    title: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _bounded(self.id, MAX_HANDLE_CHARS))
        if self.title is not None:
            object.__setattr__(self, "title", _bounded(self.title, MAX_TITLE_CHARS))

    @property
    def is_private(self) -> bool:
        return self.kind is ChatKind.PRIVATE


@dataclass(frozen=True)
class Photo:
    """A photo the user sent; `load` fetches its bytes (the adapter knows from where)."""

    load: Callable[[], Awaitable[bytes]]
    file_name: str = "photo.jpg"
    size: int | None = None


@dataclass(frozen=True)
class Request:
    sender: Person
    chat: Chat
    text: str = ""
    command: str | None = None  # lower-case name without "/" or "@bot"
    args: str = ""
    photo: Photo | None = None
    button: str | None = None  # payload of a pressed button
    reply_to: Person | None = None  # author of the message this one answers
    deep_link: str | None = None  # e.g. https://t.me/Bot?start= : a code appended opens the bot
    addressed: bool = False  # the command named this bot explicitly (/cmd@ThisBot)
    # The platform's id of the delivered update (Telegram's update_id): marked handled in the
    # inbox in the transaction of its effect, so a crash never handles it twice.
    update_id: int | None = None
    # Discord's slash options by parameter name, as typed (None: the arguments are the words
    # of `args`); bot/arguments.py reads either into the same typed values.
    options: Mapping[str, str] | None = None
    # One photo of several sent at once (Telegram's album, which arrives as one message per
    # photo, the caption on the first): the photos of one post share this id.
    album: str | None = None
    # Whether the person's typed answer to a guided step's question (a reply marked `asks`)
    # reaches the bot here (False in a Discord channel without the message-content intent):
    # guided steps point elsewhere when it does not.
    typed_answers: bool = True
    # Whether this message, when not a command, can be the sender's answer to their guided step
    # waiting here: adapters set it with `answers_questions` (in a group, only a message said
    # to the bot; the rest is the members' own talk).
    may_answer: bool = True
    # The most buttons one message may carry where the request came from (Discord: 5 rows of
    # 5), None for no limit. The neutral layer honours it (bot/paging.py): a long list pages,
    # and any other reply's extra buttons go on in another message; none is dropped.
    max_buttons: int | None = None
    # Set when text, arguments or a button payload were over the caps (and were cut to them):
    # the dispatcher refuses such a request before doing any work.
    too_long: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        limit = MAX_CAPTION_CHARS if self.photo is not None else MAX_TEXT_CHARS
        too_long = len(self.text) > limit or len(self.args) > limit
        object.__setattr__(self, "text", _bounded(self.text, limit))
        object.__setattr__(self, "args", _bounded(self.args, limit))
        if self.album is not None:
            object.__setattr__(self, "album", _bounded(self.album, MAX_HANDLE_CHARS) or None)
        if self.button is not None:
            too_long = too_long or len(self.button) > MAX_BUTTON_CHARS
            object.__setattr__(self, "button", _bounded(self.button, MAX_BUTTON_CHARS))
        object.__setattr__(self, "too_long", too_long)

    @classmethod
    def from_text(
        cls,
        sender: Person,
        chat: Chat,
        text: str,
        *,
        photo: Photo | None = None,
        reply_to: Person | None = None,
        deep_link: str | None = None,
        addressed: bool = False,
    ) -> Request:
        command, args = parse_command(text)
        return cls(
            sender,
            chat,
            text,
            command,
            args,
            photo=photo,
            reply_to=reply_to,
            deep_link=deep_link,
            addressed=addressed,
        )


def answers_questions(private: bool, *, replies_to_bot: bool, mentions_bot: bool = False) -> bool:
    """Whether a message (not a command) may answer its sender's guided question waiting in
    that chat (Request.may_answer): in a private chat any; in a group only one said to the
    bot, a reply to one of its messages or one that mentions it, so what a member says to the
    others meanwhile is never taken as their answer. Questions in groups say so."""
    return private or replies_to_bot or mentions_bot


def parse_command(text: str) -> tuple[str | None, str]:
    """'/done read yesterday' -> ('done', 'read yesterday'); plain text gives (None, text)."""
    stripped = text.strip()
    match = _COMMAND.match(stripped)
    if match is None:
        return None, stripped
    return match.group(1).lower(), (match.group(2) or "").strip()


_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:\s+(.*))?$", re.DOTALL)


class Style(StrEnum):
    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"
    CODE = "code"  # inline monospace
    PRE = "pre"  # a monospace block (grids, tables)


@dataclass(frozen=True)
class Span:
    text: str
    style: Style = Style.PLAIN
    # A command span: `text` starts with "/" + this command's name (then maybe an example's
    # arguments). Each adapter names the command its own way (Telegram /done, Discord
    # </habit done:ID>, the console /done); no adapter looks for commands in other text.
    command: str | None = None


@dataclass(frozen=True)
class Rich:
    spans: tuple[Span, ...] = ()

    def plain(self) -> str:
        return "".join(s.text for s in self.spans)

    def __add__(self, other: Rich | str | Span) -> Rich:
        return Rich(self.spans + rich(other).spans)

    def __bool__(self) -> bool:
        return any(s.text for s in self.spans)


def rich(*parts: Rich | Span | str) -> Rich:
    spans: list[Span] = []
    for part in parts:
        if isinstance(part, Rich):
            spans.extend(part.spans)
        elif isinstance(part, Span):
            spans.append(part)
        elif part:
            spans.append(Span(part))
    return Rich(tuple(spans))


def merge_blocks(spans: tuple[Span, ...]) -> list[Span]:
    """Adjacent monospace spans (the lines of one block) as one span, to render as one block."""
    out: list[Span] = []
    for span in spans:
        if out and span.style is Style.PRE and out[-1].style is Style.PRE:
            out[-1] = Span(out[-1].text + span.text, Style.PRE)
        else:
            out.append(span)
    return out


def bold(text: str) -> Span:
    return Span(text, Style.BOLD)


def italic(text: str) -> Span:
    return Span(text, Style.ITALIC)


def code(text: str) -> Span:
    return Span(text, Style.CODE)


def command(name: str, args: str = "", *, as_code: bool = True) -> Span:
    """The command `name` (/done), or an example of it in use (/done read), as code unless
    `as_code` is False."""
    if args:
        return Span(f"/{name} {args}", Style.CODE if as_code else Style.PLAIN, name)
    return Span(f"/{name}", Style.PLAIN, name)


def example(text: str) -> Span:
    """A bot-written example to type, '/done read', shown as code; its command is a span."""
    match = _COMMAND.match(text)
    return Span(text, Style.CODE, match.group(1).lower() if match else None)


def hint(text: str) -> Rich:
    """Bot-written text with command names in it ("Send /help"): each /name becomes a command
    span. Only for text the bot wrote: what people typed is never searched for commands."""
    spans: list[Span] = []
    at = 0
    for match in _NAMED.finditer(text):
        if match.start() > at:
            spans.append(Span(text[at : match.start()]))
        spans.append(Span(match.group(0), Style.PLAIN, match.group(1)))
        at = match.end()
    if at < len(text):
        spans.append(Span(text[at:]))
    return Rich(tuple(spans))


_NAMED = re.compile(r"(?<![\w/])/([a-z][a-z0-9_]{0,31})\b")


def pre(text: str) -> Span:
    return Span(text, Style.PRE)


def lines(items: Iterable[Rich | Span | str]) -> Rich:
    """Join parts with line breaks."""
    out: list[Rich | Span | str] = []
    for i, item in enumerate(items):
        if i:
            out.append("\n")
        out.append(item)
    return rich(*out)


@dataclass(frozen=True)
class Button:
    label: str
    payload: str

    def __post_init__(self) -> None:
        size = len(self.payload.encode())
        if not 1 <= size <= MAX_BUTTON_PAYLOAD_BYTES:
            raise ValueError(f"button payload of {size} bytes: {self.payload!r}")


@dataclass(frozen=True)
class Image:
    data: bytes
    filename: str
    caption: Rich = field(default_factory=Rich)


@dataclass(frozen=True)
class Document:
    """A file to download (such as /export's JSON), sent before the reply's text."""

    data: bytes
    filename: str
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Reply:
    """One message: text, or an image with a caption, or a file; optional rows of buttons."""

    text: Rich = field(default_factory=Rich)
    buttons: tuple[tuple[Button, ...], ...] = ()
    image: Image | None = None
    document: Document | None = None
    edit: bool = False  # replace the message whose button was pressed
    personal: bool = False  # personal data: shown only to the sender where the platform can
    card: bool = False  # a summary: a titled card (an embed) where the platform has them
    # A guided step's question: the person who sent the request is to answer it in words (the
    # dispatcher marks it). Where plain messages do not reach the bot but replies to it do (a
    # Telegram group in privacy mode), the adapter asks for the answer as a reply.
    asks: bool = False

    @classmethod
    def of(
        cls,
        *parts: Rich | Span | str,
        buttons: Sequence[Sequence[Button]] = (),
        edit: bool = False,
        personal: bool = False,
    ) -> Reply:
        return cls(
            text=rich(*parts),
            buttons=tuple(tuple(row) for row in buttons),
            edit=edit,
            personal=personal,
        )


@dataclass
class Response:
    replies: list[Reply] = field(default_factory=list)
    notice: str | None = None  # a short answer to a button press (a toast)
    # The request's update_id was marked handled in the committed transaction of its effect
    # (core.inbox): the adapter need not mark it again.
    recorded: bool = False

    @classmethod
    def say(cls, *parts: Rich | Span | str, **kwargs: object) -> Response:
        return cls([Reply.of(*parts, **kwargs)])  # type: ignore[arg-type]
