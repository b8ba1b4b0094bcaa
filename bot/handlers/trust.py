"""Trust: /trust and /untrust someone (reply to them or @username), /trusted lists both ways."""

from __future__ import annotations

from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.group_admin import target_user
from bot.messages import Response, bold, command, hint, rich
from bot.router import Router
from core.social.trust import PersonRef, TrustService

router = Router()
SECTION = "Groups"
NAMES_SHOWN = 30


def service(ctx: Context) -> TrustService:
    return ctx.trust


@router.command(
    "trust",
    "Read someone's learnings in your weekly summary",
    Arg.member(),
    help="Reply to their message, or name them: /trust @username.",
    section=SECTION,
)
async def trust(ctx: Context) -> Response:
    target = await target_user(ctx)
    added = await service(ctx).trust(ctx.user.id, target.id)
    name = target.display_name
    if not added:
        return Response.say(f"You already trust {name}. Nothing changed.")
    return Response.say(
        "You now trust ",
        bold(name),
        f". {name}'s learnings will show up in your weekly summary. Undo with ",
        command("untrust"),
        ".",
    )


@router.command(
    "untrust",
    "Stop reading someone's learnings in your summary",
    Arg.member(),
    help="Reply to their message, or name them: /untrust @username.",
    section=SECTION,
)
async def untrust(ctx: Context) -> Response:
    target = await target_user(ctx)
    removed = await service(ctx).untrust(ctx.user.id, target.id)
    name = target.display_name
    if not removed:
        return Response.say(f"You don't trust {name} at the moment, so nothing changed.")
    return Response.say(f"You no longer trust {name}.")


def people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def names(people: tuple[PersonRef, ...]) -> str:
    shown = ", ".join(p.name for p in people[:NAMES_SHOWN])
    more = len(people) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


@router.command(
    "trusted",
    "Whom you trust and who trusts you",
    where=Where.PRIVATE,
    section=SECTION,
)
async def trusted(ctx: Context) -> Response:
    view = await service(ctx).overview(ctx.user.id)
    mine = (
        rich(f"You trust {people(len(view.trusted))}: ", names(view.trusted))
        if view.trusted
        else rich(
            hint("You don't trust anyone yet. Reply to someone's message with /trust, or send ")
        )
        + rich(hint("/trust @username."))
    )
    count = len(view.trusted_by)
    theirs = (
        rich(f"{people(count)} {'trusts' if count == 1 else 'trust'} you: ")
        + rich(names(view.trusted_by))
        if view.trusted_by
        else rich("Nobody trusts you yet.")
    )
    return Response.say(
        bold("Trust"),
        "\n",
        mine,
        "\n",
        theirs,
        "\nThe learnings of the people you trust show up in your weekly summary.",
    )
