"""Buttons within a platform's limit (Request.max_buttons): a long list pages with Previous and
Next, and any other reply with more buttons than one message may carry goes on in further
messages, so no button is ever dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.messages import Button, Reply, Response, rich

PAGER_BUTTONS = 2  # room kept on a page for Previous and Next
MORE = "More:"  # the text of a message that carries the buttons the one before had no room for
PREVIOUS, NEXT = "◀ Previous", "Next ▶"  # as /archived pages


@dataclass(frozen=True)
class Page:
    """Items [start, stop) of a list, page `number` (from 0) of `count`."""

    start: int
    stop: int
    number: int = 0
    count: int = 1

    @property
    def paged(self) -> bool:
        return self.count > 1


def page_of(total: int, limit: int | None, page: int | None = None, focus: int = 0) -> Page:
    """The page of a list of `total` items, a button each, that a message of at most `limit`
    buttons shows: the whole list when it fits, else page `page` (or the page of item `focus`)
    with room left for the pager."""
    if limit is None or total <= limit:
        return Page(0, total)
    size = max(1, limit - PAGER_BUTTONS)
    count = -(-total // size)
    number = focus // size if page is None else page
    number = max(0, min(number, count - 1))
    return Page(number * size, min(total, (number + 1) * size), number, count)


def pager(page: Page, payload: Callable[[int], str]) -> list[Button]:
    """Previous and Next buttons for a paged list (none when it is not paged)."""
    buttons: list[Button] = []
    if page.number > 0:
        buttons.append(Button(PREVIOUS, payload(page.number - 1)))
    if page.number + 1 < page.count:
        buttons.append(Button(NEXT, payload(page.number + 1)))
    return buttons


def fit_buttons(response: Response, limit: int | None) -> Response:
    """The response with each reply's buttons within `limit`: a reply with more keeps the
    first rows that fit, and the rest follow in further replies (rows cut only when one row
    alone is too long)."""
    if limit is None or all(_count(r) <= limit for r in response.replies):
        return response
    replies = [part for reply in response.replies for part in _split(reply, limit)]
    return replace(response, replies=replies)


def _count(reply: Reply) -> int:
    return sum(len(row) for row in reply.buttons)


def _split(reply: Reply, limit: int) -> list[Reply]:
    if _count(reply) <= limit:
        return [reply]
    chunks: list[list[tuple[Button, ...]]] = [[]]
    size = 0
    for row in reply.buttons:
        for start in range(0, len(row), limit):
            part = row[start : start + limit]
            if size + len(part) > limit:
                chunks.append([])
                size = 0
            chunks[-1].append(part)
            size += len(part)
    first = replace(reply, buttons=tuple(chunks[0]))
    rest = [
        Reply(text=rich(MORE), buttons=tuple(chunk), personal=reply.personal)
        for chunk in chunks[1:]
    ]
    return [first, *rest]
