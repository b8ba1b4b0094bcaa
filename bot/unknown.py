"""The reply to an unknown command: the command it most likely meant (Router.suggest).

Said by the dispatcher, not a command's handler: what was typed after the unknown word is
copied as it was into the example (/checkin read: /done read), as no parser knows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands import Where
from bot.messages import Request, Rich, command, hint, rich, shorten
from bot.router import Router
from core.groups.service import ChatRef

if TYPE_CHECKING:
    from bot.context import Context

# /public and /private: the words of /visibility typed as commands. In a group chat they are
# HabitLink's only where the chat is a HabitLink group's; elsewhere they may be another bot's.
VISIBILITY_WORDS = frozenset({"public", "private"})


async def visibility_word_here(ctx: Context) -> bool:
    """Whether an unknown /public or /private said in a group chat is HabitLink's: the chat
    is a HabitLink group's (one read, made only for these two words there)."""
    req = ctx.request
    if req.chat.is_private or (req.command or "").lower() not in VISIBILITY_WORDS:
        return False
    chat = ChatRef(req.chat.platform, req.chat.id, req.chat.title)
    return await ctx.groups.for_chat(chat) is not None


# What /public and /private would do, said in a private chat (a group's chat has /visibility).
_VISIBILITY_HERE = {
    "public": "a public group is one anyone can find with /groups and join. An owner or admin "
    "sets it in the group's chat: /visibility public there.",
    "private": "a private group takes new members only with its invite code. An owner or admin "
    "sets it in the group's chat: /visibility private there, or /newgroup NAME private there to "
    "start one so.",
}


def unknown_command(router: Router, request: Request) -> Rich:
    """The reply to a /word no command has: the command it most likely meant, with what was
    typed after it (/checkin read: /done read), and where the list is. /public and /private
    in a group chat mean /visibility public and /visibility private; in a private chat, where
    no group is, they are said to be a group's, set in its chat."""
    typed = request.command or ""
    word = typed.lower()
    if word in VISIBILITY_WORDS and request.chat.is_private:
        return hint(f"/{word} is for a group: {_VISIBILITY_HERE[word]}")
    args = " ".join(request.args.split())
    meant = router.suggest(typed, private=request.chat.is_private)
    if typed.lower() in VISIBILITY_WORDS and not request.chat.is_private:
        meant, args = router.commands.get("visibility", meant), typed.lower()
    text = rich(f"I don't know /{shorten(typed)}. ")
    if meant is not None:
        text += rich(
            "Did you mean\n",
            command(meant.name, shorten(args) if args else ""),
            " – ",
            hint(meant.summary),
            "\n",
        )
    return text + hint("Send /help to see what I can do.")


def without_slash(router: Router, text: str) -> Rich | None:
    """The reply to a private message that is a command without its slash ('done water',
    'Habits'): the command to send, never run; None when its first word is no command that
    works in a private chat."""
    word, _, args = text.strip().partition(" ")
    meant = router.commands.get(word.lower().rstrip(".,!?:"))
    if meant is None or meant.where is Where.GROUP:
        return None
    args = " ".join(args.split())
    return rich(
        "Commands start with a slash: ",
        command(meant.name, shorten(args) if args else ""),
        hint(" (send /help for them all)."),
    )
