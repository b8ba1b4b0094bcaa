"""Replies as deterministic plain text: markup dropped, buttons numbered, images as file paths."""

from __future__ import annotations

from pathlib import Path

from bot.messages import Reply, Rich, Style

INDENT = "     "


def plain(text: Rich) -> str:
    out: list[str] = []
    for span in text.spans:
        if span.style is Style.PRE:
            block = span.text.strip("\n")
            out.append(("" if not out or out[-1].endswith("\n") else "\n") + block + "\n")
        else:
            out.append(span.text)
    return "".join(out).rstrip("\n")


def render_reply(
    reply: Reply, image_path: Path | None, *, first_button: int = 1, file_path: Path | None = None
) -> str:
    lead = "bot (edited): " if reply.edit else "bot: "
    body: list[str] = []
    if file_path is not None:
        body.append(f"[file {file_path}]")
    if reply.image is not None:
        caption = plain(reply.image.caption)
        body.append(f"[image {image_path}]" + (f" {caption}" if caption else ""))
    if reply.text:
        body.extend(plain(reply.text).split("\n"))
    n = first_button
    for row in reply.buttons:
        cells = []
        for button in row:
            cells.append(f"[{n}] {button.label}")
            n += 1
        body.append("  ".join(cells))
    if not body:
        body = [""]
    return "\n".join([lead + body[0], *(INDENT + line for line in body[1:])])
