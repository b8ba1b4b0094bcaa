"""Neutral requests for tests that talk to the bot directly, without a chat platform: who is
writing, in which chat, and the replies as plain text."""

from __future__ import annotations

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Photo, Request, Response


def person(name: str, platform: str = "console", external_id: str | None = None) -> Person:
    """Someone called `name`; their id and @username are the name in lower case by default."""
    return Person(platform, external_id or name.lower(), name, username=name.lower())


def private_chat(who: Person, chat_id: str | None = None) -> Chat:
    """Their private chat with the bot (`dm:<id>` unless the platform's own id is given)."""
    return Chat(who.platform, chat_id or f"dm:{who.id}", ChatKind.PRIVATE)


def group_chat(title: str, platform: str = "console") -> Chat:
    return Chat(platform, f"group:{title.lower()}", ChatKind.GROUP, title)


def photo(data: bytes) -> Photo:
    async def load() -> bytes:
        return data

    return Photo(load=load, size=len(data))


async def send(
    bot: HabitLinkBot, who: Person, chat: Chat, text: str, *, image: bytes | None = None
) -> Response:
    """`who` writes `text` in `chat` (with a photo when `image` is given)."""
    attached = photo(image) if image is not None else None
    return await bot.handle(Request.from_text(who, chat, text, photo=attached))


def plain(response: Response) -> str:
    """The replies' text without styling, one reply per line."""
    return "\n".join(r.text.plain() for r in response.replies)


async def press(
    bot: HabitLinkBot, who: Person, chat: Chat, response: Response, label: str
) -> Response:
    """`who` presses the button labelled `label` of `response`, in `chat`."""
    (button,) = [b for r in response.replies for row in r.buttons for b in row if b.label == label]
    return await bot.handle(Request(sender=who, chat=chat, button=button.payload))
