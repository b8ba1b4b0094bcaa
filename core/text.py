"""Text as it may be stored, measured the way chat platforms measure it, and user text cut to
echo it back."""

from __future__ import annotations

import re
import unicodedata

ECHO_LIMIT = 100  # how much of what someone typed a reply repeats
# Characters people cannot mean to type: C0 controls but tab, line feed and carriage return
# (PostgreSQL refuses NUL in text outright), DEL, the C1 controls, and the bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that turn the rest of a line
# around wherever the text is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Letters that draw nothing: the Hangul fillers and the blank Braille pattern (format characters,
# such as the zero-width space and joiners and the byte order mark, are found by their category).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_text(text: str) -> str:
    """Text as it may be stored: no NUL or other control characters, no lone surrogates.

    Every way in cleans with this: the chat's requests (bot.messages) and the web API's bodies
    (web_admin.schemas.CleanText)."""
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def shows_nothing(text: str) -> bool:
    """Whether `text` draws nothing at all: only spaces, format characters (zero-width space,
    joiners, the byte order mark, direction marks), controls and blank letters. A name of them
    only is an empty name."""
    return all(
        ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in ("Cf", "Cc")
        for ch in text
    )


def has_control(text: str) -> bool:
    """Whether `clean_text` would change `text`: for values that must be taken as they are."""
    return bool(_CONTROL.search(text) or _SURROGATE.search(text))


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the way Telegram counts (an emoji is usually two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` cut to at most `limit` UTF-16 units, with an ellipsis when it was cut.

    For repeating what someone typed: a name they got wrong, a day that is not one."""
    if len(text) <= limit // 2 or utf16_len(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + "…"
