"""One answer per album: several photos sent at once reach the bot as one request per photo
(Telegram sends an album as one message per photo), and each would be answered alike ("Photos
here count as proofs for members…", "That file is too big…"). A reply given to one photo of an
album is not given again to the others; different replies (a photo refused, the next saved) are.

Kept in memory for a few minutes: a restart in the middle of an album, or its photos handled by
two processes, at worst repeats an answer.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import replace
from typing import Final

from bot.messages import Reply, Request, Response

KEEP_SECONDS: Final = 300.0  # an album's photos arrive within seconds of each other
MOST: Final = 1000  # albums remembered at once (the oldest forgotten first)

AlbumKey = tuple[str, str, str, str]


class AlbumAnswers:
    def __init__(self, keep: float = KEEP_SECONDS, most: int = MOST) -> None:
        self.keep = keep
        self.most = most
        self._given: OrderedDict[AlbumKey, tuple[float, set[Reply]]] = OrderedDict()

    def unsaid(self, request: Request, response: Response) -> Response:
        """`response` without the replies already given to another photo of its album."""
        key = _key(request)
        if key is None or not response.replies:
            return response
        given = self._replies(key)
        fresh = [reply for reply in response.replies if reply not in given]
        return response if len(fresh) == len(response.replies) else replace(response, replies=fresh)

    def said(self, request: Request, response: Response) -> None:
        """Note the replies given (once they are saved with the request's effect)."""
        key = _key(request)
        if key is None or not response.replies:
            return
        given = self._replies(key)
        given.update(response.replies)
        self._given[key] = (time.monotonic(), given)
        self._given.move_to_end(key)
        while len(self._given) > self.most:
            self._given.popitem(last=False)

    def once(self, request: Request, response: Response) -> Response:
        """`unsaid` and `said` at once, for a response with no effect to save."""
        response = self.unsaid(request, response)
        self.said(request, response)
        return response

    def _replies(self, key: AlbumKey) -> set[Reply]:
        noted = self._given.get(key)
        if noted is None or time.monotonic() - noted[0] > self.keep:
            return set()
        return noted[1]


def _key(request: Request) -> AlbumKey | None:
    if request.album is None:
        return None
    return (request.chat.platform, request.chat.id, request.sender.id, request.album)
