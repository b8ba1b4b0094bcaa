"""A Response as text and back: kept with its inbox update until it is sent, so a crash
between the command's commit and the send does not lose the reply (it is sent on restart)."""

from __future__ import annotations

import base64
import json
from typing import Any

from bot.messages import Button, Document, Image, Reply, Response, Rich, Span, Style


def encode_response(response: Response) -> str:
    return json.dumps(
        {"replies": [_reply(r) for r in response.replies], "notice": response.notice},
        separators=(",", ":"),
    )


def decode_response(text: str) -> Response:
    raw = json.loads(text)
    return Response([_unreply(r) for r in raw["replies"]], notice=raw.get("notice"))


def _rich(value: Rich) -> list[list[str | None]]:
    return [[s.text, s.style.value, s.command] for s in value.spans]


def _unrich(raw: list[list[str | None]]) -> Rich:
    return Rich(tuple(Span(str(t), Style(str(style)), command) for t, style, command in raw))


def _bytes(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _reply(reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {"text": _rich(reply.text)}
    if reply.buttons:
        out["buttons"] = [[[b.label, b.payload] for b in row] for row in reply.buttons]
    if reply.image is not None:
        image = reply.image
        out["image"] = [_bytes(image.data), image.filename, _rich(image.caption)]
    if reply.document is not None:
        doc = reply.document
        out["document"] = [_bytes(doc.data), doc.filename, doc.mime_type]
    flags = [name for name in ("edit", "personal", "card", "asks") if getattr(reply, name)]
    if flags:
        out["flags"] = flags
    return out


def _unreply(raw: dict[str, Any]) -> Reply:
    image = document = None
    if "image" in raw:
        data, filename, caption = raw["image"]
        image = Image(base64.b64decode(data), filename, _unrich(caption))
    if "document" in raw:
        data, filename, mime_type = raw["document"]
        document = Document(base64.b64decode(data), filename, mime_type)
    flags = set(raw.get("flags", ()))
    return Reply(
        text=_unrich(raw["text"]),
        buttons=tuple(
            tuple(Button(label, payload) for label, payload in row)
            for row in raw.get("buttons", ())
        ),
        image=image,
        document=document,
        edit="edit" in flags,
        personal="personal" in flags,
        card="card" in flags,
        asks="asks" in flags,
    )
