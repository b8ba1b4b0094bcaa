"""Entity parsing like Telegram's: HTML, MarkdownV2 and legacy Markdown.

Each parser returns the visible text (trimmed like Telegram does) and its MessageEntity list with
UTF-16 offsets, or raises EntityParseError with a message modelled on Telegram's
"can't parse entities: ..." errors.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.telegram_models import JSON, utf16_len

HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,30});")
_NAME_RE = re.compile(r"[A-Za-z0-9-]*")
_ATTR_RE = re.compile(r"[A-Za-z0-9_-]+")
MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!"


class EntityParseError(ValueError):
    pass


class _Builder:
    """Accumulates visible text and entities with UTF-16 offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos16 = 0
        self.entities: list[JSON] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos16 += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos16 > start:
            self.entities.append({"type": kind, "offset": start, "length": self.pos16 - start})
            self.entities[-1].update(extra)

    def result(self) -> tuple[str, list[JSON]]:
        text = "".join(self.parts)
        stripped = text.strip()
        if stripped == text:
            return text, sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        left = utf16_len(text[: len(text) - len(text.lstrip())])
        size = utf16_len(stripped)
        trimmed: list[JSON] = []
        for ent in self.entities:
            start = max(ent["offset"] - left, 0)
            end = min(ent["offset"] + ent["length"] - left, size)
            if end > start:
                trimmed.append({**ent, "offset": start, "length": end - start})
        return stripped, sorted(trimmed, key=lambda e: (e["offset"], -e["length"]))


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(token: str) -> str | None:
    if token.startswith("#"):
        code = int(token[2:], 16) if token[1:2] in ("x", "X") else int(token[1:])
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code)
        return None
    return _NAMED_ENTITIES.get(token)


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JSON]]:
    out = _Builder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            match = _ENTITY_RE.match(text, i)
            decoded = _decode_entity(match.group(1)) if match else None
            if match and decoded is not None:
                out.add(decoded)
                i = match.end()
                continue
            if strict_ampersand:
                where = _byte_offset(text, i)
                if match:
                    raise EntityParseError(
                        f'Unsupported HTML entity "{match.group(0)}" at byte offset {where}'
                    )
                raise EntityParseError(f'Unescaped "&" at byte offset {where}; use "&amp;"')
            out.add(ch)
            i += 1
            continue
        if ch != "<":
            out.add(ch)
            i += 1
            continue
        where = _byte_offset(text, i)
        if text.startswith("</", i):
            name_match = _NAME_RE.match(text, i + 2)
            assert name_match is not None
            name = name_match.group(0).lower()
            j = name_match.end()
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {where}")
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {where}")
            open_name, start, attrs = stack.pop()
            if open_name != name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {where}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            _close_html_entity(out, open_name, start, attrs, stack)
            i = j + 1
            continue
        name_match = _NAME_RE.match(text, i + 1)
        assert name_match is not None
        name = name_match.group(0).lower()
        if name not in HTML_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {where}')
        attrs, i = _parse_attributes(text, name_match.end(), name, where)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {where}'
            )
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at {where}')
        if name == "tg-time" and not attrs.get("unix", "").isdigit():
            raise EntityParseError(f'Tag "tg-time" must have attribute "unix" at {where}')
        stack.append((name, out.pos16, attrs))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _parse_attributes(text: str, i: int, tag: str, where: int) -> tuple[dict[str, str], int]:
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {where}")
        if text[i] == ">":
            return attrs, i + 1
        attr_match = _ATTR_RE.match(text, i)
        if attr_match is None:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {where}'
            )
        attr = attr_match.group(0).lower()
        i = attr_match.end()
        while i < n and text[i].isspace():
            i += 1
        value = ""
        if i < n and text[i] == "=":
            i += 1
            while i < n and text[i].isspace():
                i += 1
            if i < n and text[i] in "\"'":
                end = text.find(text[i], i + 1)
                if end < 0:
                    raise EntityParseError(f"Unclosed start tag at byte offset {where}")
                value, i = text[i + 1 : end], end + 1
            else:
                unquoted = re.compile(r"[^\s>]*").match(text, i)
                assert unquoted is not None
                value, i = unquoted.group(0), unquoted.end()
        attrs[attr] = _ENTITY_RE.sub(lambda m: _decode_entity(m.group(1)) or m.group(0), value)


def _close_html_entity(
    out: _Builder,
    name: str,
    start: int,
    attrs: dict[str, str],
    stack: list[tuple[str, int, dict[str, str]]],
) -> None:
    kind = HTML_TAGS[name]
    if name == "a":
        if attrs.get("href"):
            out.entity("text_link", start, url=attrs["href"])
    elif name == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):
            stack[-1][2]["language"] = language.removeprefix("language-")
    elif name == "pre" and attrs.get("language"):
        out.entity("pre", start, language=attrs["language"])
    elif name == "blockquote" and "expandable" in attrs:
        out.entity("expandable_blockquote", start)
    elif name == "tg-emoji":
        out.entity(kind, start, custom_emoji_id=attrs["emoji-id"])
    elif name == "tg-time":
        extra: dict[str, Any] = {"unix_time": int(attrs["unix"])}
        if attrs.get("format"):
            extra["date_time_format"] = attrs["format"]
        out.entity(kind, start, **extra)
    else:
        out.entity(kind, start)


_MDV2_MARKERS = (
    ("||", "spoiler"),
    ("__", "underline"),
    ("*", "bold"),
    ("_", "italic"),
    ("~", "strikethrough"),
)


def parse_markdown_v2(text: str) -> tuple[str, list[JSON]]:
    out = _Builder()
    stack: list[tuple[str, int, int]] = []  # marker, start pos16, index in text
    i, n = 0, len(text)
    at_line_start = True
    quote_start: int | None = None
    while i < n:
        ch = text[i]
        if at_line_start:
            at_line_start = False
            if ch == ">":
                if quote_start is None:
                    quote_start = out.pos16
                i += 1
                continue
            if quote_start is not None:
                out.entity("blockquote", quote_start)
                quote_start = None
        if ch == "\\":
            if i + 1 >= n or not 0 < ord(text[i + 1]) < 127:
                raise EntityParseError(
                    f"Character '\\' at byte offset {_byte_offset(text, i)} "
                    "must be escaped with the preceding '\\'"
                )
            out.add(text[i + 1])
            i += 2
            continue
        if ch == "`":
            i = _markdown_v2_code(text, i, out)
            continue
        if ch == "[" or text.startswith("![", i):
            i = _markdown_v2_link_start(text, i, stack, out)
            continue
        if ch == "]":
            i = _markdown_v2_link_end(text, i, stack, out)
            continue
        marker = next((m for m, _ in _MDV2_MARKERS if text.startswith(m, i)), None)
        if marker is not None:
            if stack and stack[-1][0] == marker:
                out.entity(dict(_MDV2_MARKERS)[marker], stack.pop()[1])
            else:
                stack.append((marker, out.pos16, i))
            i += len(marker)
            continue
        if ch in MARKDOWN_V2_RESERVED:
            raise EntityParseError(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(ch)
        at_line_start = ch == "\n"
        i += 1
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    if stack:
        marker, _, index = stack[-1]
        raise EntityParseError(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, index)}"
        )
    return out.result()


def _markdown_v2_code(text: str, i: int, out: _Builder) -> int:
    fence = "```" if text.startswith("```", i) else "`"
    j = i + len(fence)
    language = ""
    if fence == "```":
        newline = text.find("\n", j)
        first_line = text[j:newline] if newline >= 0 else ""
        if newline >= 0 and re.fullmatch(r"[A-Za-z0-9_+#.-]*", first_line):
            language, j = first_line, newline + 1
    start = out.pos16
    while j < len(text):
        if text[j] == "\\" and j + 1 < len(text) and text[j + 1] in "`\\":
            out.add(text[j + 1])
            j += 2
        elif text.startswith(fence, j):
            extra = {"language": language} if language else {}
            out.entity("pre" if fence == "```" else "code", start, **extra)
            return j + len(fence)
        else:
            out.add(text[j])
            j += 1
    raise EntityParseError(
        f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
    )


def _markdown_v2_link_start(
    text: str, i: int, stack: list[tuple[str, int, int]], out: _Builder
) -> int:
    marker = "![" if text[i] == "!" else "["
    stack.append((marker, out.pos16, i))
    return i + len(marker)


def _markdown_v2_link_end(
    text: str, i: int, stack: list[tuple[str, int, int]], out: _Builder
) -> int:
    if not stack or stack[-1][0] not in ("[", "!["):
        raise EntityParseError(
            "Character ']' is reserved and must be escaped with the preceding '\\'"
        )
    marker, start, index = stack.pop()
    if not text.startswith("(", i + 1):
        raise EntityParseError(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, index)}"
        )
    j, url = i + 2, []
    while j < len(text) and text[j] != ")":
        if text[j] == "\\" and j + 1 < len(text):
            j += 1
        url.append(text[j])
        j += 1
    if j >= len(text):
        raise EntityParseError(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, index)}"
        )
    target = "".join(url)
    if marker == "![":
        out.entity("custom_emoji", start, custom_emoji_id=target.rpartition("id=")[2])
    else:
        out.entity("text_link", start, url=target)
    return j + 1


def parse_markdown(text: str) -> tuple[str, list[JSON]]:
    """Legacy Markdown: *bold* _italic_ `code` ```pre``` [text](url), no nesting."""
    out = _Builder()
    i, n = 0, len(text)
    kinds = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "*_`[":
            out.add(text[i + 1])
            i += 2
        elif text.startswith("```", i) or ch in kinds:
            fence = "```" if text.startswith("```", i) else ch
            end = text.find(fence, i + len(fence))
            if end < 0:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.pos16
            out.add(text[i + len(fence) : end])
            out.entity("pre" if fence == "```" else kinds[fence], start)
            i = end + len(fence)
        elif ch == "[":
            match = re.compile(r"\[([^\]]*)\]\(([^)]*)\)").match(text, i)
            if match is None:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.pos16
            out.add(match.group(1))
            out.entity("text_link", start, url=match.group(2))
            i = match.end()
        else:
            out.add(ch)
            i += 1
    return out.result()


def parse_entities(text: str, parse_mode: str | None) -> tuple[str, list[JSON]]:
    """Visible text and entities of `text` sent with `parse_mode` (None: plain text)."""
    mode = (parse_mode or "").lower()
    if mode == "":
        return text.strip(), []
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise EntityParseError(f"Unsupported parse_mode {parse_mode!r}")
