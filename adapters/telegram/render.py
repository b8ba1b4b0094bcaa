"""Neutral replies as Telegram HTML: text escaped, long text split, buttons as inline keyboards."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Button, Rich, Span, Style, merge_blocks

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
MAX_BUTTONS = 100  # an inline keyboard's buttons (requests declare it: bot/paging.py keeps to it)
MAX_ROW_BUTTONS = 8  # an inline keyboard row's
_TAGS = {Style.BOLD: "b", Style.ITALIC: "i", Style.CODE: "code", Style.PRE: "pre"}


def to_html(text: Rich) -> str:
    out: list[str] = []
    for span in merge_blocks(text.spans):
        escaped = html.escape(span.text, quote=False)
        tag = _TAGS.get(span.style)
        if tag is None or not span.text:
            out.append(escaped)
        elif span.style is Style.PRE:
            body = escaped.strip("\n")
            lead = "" if not out or out[-1].endswith("\n") else "\n"
            out.append(f"{lead}<pre>{body}</pre>\n")
        else:
            out.append(f"<{tag}>{escaped}</{tag}>")
    return "".join(out).strip()


def units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts (an emoji outside the BMP counts 2)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def fit(text: str, room: int) -> int:
    """How many characters of `text` fit in `room` UTF-16 units, ending after a space when
    one is there to cut at (never inside a character: a surrogate pair stays whole)."""
    used = 0
    end = len(text)
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > room:
            end = i
            break
    if end == len(text):
        return end
    space = text.rfind(" ", 0, end)
    return space + 1 if space > 0 else max(end, 1)


def clip(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units, with "…" when cut."""
    if units(text) <= limit:
        return text
    return text[: fit(text, limit - 1)].rstrip() + "…"


def split(text: Rich, limit: int = MESSAGE_LIMIT) -> list[Rich]:
    """Cut text into pieces of at most `limit` visible UTF-16 code units (Telegram's count
    after entity parsing): at line breaks where possible, then between words. Each piece is
    rendered on its own, so no HTML tag or entity is ever cut."""
    pieces: list[list[Span]] = [[]]
    size = 0
    for span in _lines(text, limit):
        if pieces[-1] and size + units(span.text) + _block_extra(span, pieces[-1]) > limit:
            pieces.append([])
            size = 0
        room = limit - size - _block_extra(span, pieces[-1])
        while units(span.text) > room:  # longer than the rest of this piece: cut at a word
            cut = fit(span.text, room)
            pieces[-1].append(Span(span.text[:cut], span.style))
            pieces.append([])
            size = 0
            span = Span(span.text[cut:], span.style)
            room = limit - _block_extra(span, pieces[-1])
        size += units(span.text) + _block_extra(span, pieces[-1])
        pieces[-1].append(span)
    result = [_trim(Rich(tuple(p))) for p in pieces]
    return [r for r in result if r] or [Rich()]


def _block_extra(span: Span, piece: list[Span]) -> int:
    """The line breaks to_html may put around a monospace block that starts with this span."""
    starts_block = span.style is Style.PRE and not (piece and piece[-1].style is Style.PRE)
    return 2 if starts_block else 0


def _lines(text: Rich, limit: int) -> list[Span]:
    """Spans cut after each line break, so pieces can end at the end of a line. A monospace
    block stays whole when it fits in one piece; a longer one is cut between its lines."""
    out: list[Span] = []
    for span in text.spans:
        if span.style is Style.PRE and units(span.text) + 2 <= limit:
            out.append(span)
            continue
        parts = span.text.split("\n")
        for i, part in enumerate(parts):
            chunk = part + ("\n" if i < len(parts) - 1 else "")
            if chunk:
                out.append(Span(chunk, span.style))
    return out


def _trim(text: Rich) -> Rich:
    spans = list(text.spans)
    while spans and not spans[-1].text.strip():
        spans.pop()
    while spans and not spans[0].text.strip():
        spans.pop(0)
    return Rich(tuple(spans))


def caption(text: Rich) -> str:
    """A photo caption within Telegram's 1024 characters (UTF-16 code units)."""
    pieces = split(text, CAPTION_LIMIT - 1)
    rendered = to_html(pieces[0])
    return rendered + ("…" if len(pieces) > 1 else "")


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """The rows as an inline keyboard; a row wider than Telegram's 8 goes on in the next."""
    if not rows:
        return None
    fitted = [
        row[i : i + MAX_ROW_BUTTONS] for row in rows for i in range(0, len(row), MAX_ROW_BUTTONS)
    ]
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label[:64], callback_data=b.payload) for b in row]
            for row in fitted
        ]
    )
