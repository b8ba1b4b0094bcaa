"""A photo whose caption is a command that takes none.

In a group, `/done HABIT` under a photo is what people write when they post the proof of a
check-in, so it is read as `/proof HABIT`, which checks the habit in and keeps the photo. Any other
command runs as typed, and its answer says the photo was not kept (it used to vanish without a
word), with where photos go.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.commands import Command, Kind
from bot.messages import Reply, Request, Response, hint

AS_PROOF = {"done": "proof"}  # in a group: the command a photo turns it into
_DONE = re.compile(r"\s*/done(?:@\w+)?(?:\s|$)", re.IGNORECASE)


def takes_photo(command: Command) -> bool:
    return any(p.kind is Kind.PHOTO for p in command.params)


def as_proof(request: Request) -> Request:
    """The request with `/done …` read as `/proof …` when it is a photo's caption in a group."""
    if request.photo is None or request.chat.is_private or request.command not in AS_PROOF:
        return request
    return replace(request, command=AS_PROOF[request.command])


def read_as_proof(request: Request) -> bool:
    """Whether this /proof was typed as `/done …` under the photo: its words name a habit to
    check in, never a note, so a habit not found is said."""
    return request.command == "proof" and _DONE.match(request.text) is not None


def photo_not_kept(request: Request, command: Command, response: Response) -> Response:
    """The command's answer, and a line saying its photo was not kept, where a photo came with a
    command that takes none."""
    if request.photo is None or takes_photo(command):
        return response
    where = "here in the group" if not request.chat.is_private else "in your group's chat"
    note = Reply.of(
        hint(
            f"The photo was not kept: /{command.name} takes none. To post a proof, send the photo "
            f"{where} with /proof HABIT as its caption."
        )
    )
    return replace(response, replies=[*response.replies, note])
