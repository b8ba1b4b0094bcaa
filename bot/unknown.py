"""The reply to an unknown command: the command it most likely meant (Router.suggest).

Said by the dispatcher, not a command's handler: what was typed after the unknown word is
copied as it was into the example (/checkin read: /done read), as no parser knows it."""

from __future__ import annotations

from bot.messages import Request, Rich, command, hint, rich, shorten
from bot.router import Router


def unknown_command(router: Router, request: Request) -> Rich:
    """The reply to a /word no command has: the command it most likely meant, with what was
    typed after it (/checkin read: /done read), and where the list is."""
    typed = request.command or ""
    meant = router.suggest(typed, private=request.chat.is_private)
    text = rich(f"I don't know /{shorten(typed)}. ")
    if meant is not None:
        args = " ".join(request.args.split())
        text += rich(
            "Did you mean\n",
            command(meant.name, shorten(args) if args else ""),
            " – ",
            hint(meant.summary),
            "\n",
        )
    return text + hint("Send /help to see what I can do.")
