"""Text measured the way chat platforms measure it, and user text cut to echo it back."""

from __future__ import annotations

ECHO_LIMIT = 100  # how much of what someone typed a reply repeats


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
