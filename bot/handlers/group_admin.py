"""Owners and admins manage a group: /rename, /visibility, /kick, /ban, /unban, /promote,
/demote, /transfer."""

from __future__ import annotations

from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.groups import VISIBILITY, chat_group
from bot.messages import Response, bold, hint, shorten
from bot.router import Router
from core.db.models import User
from core.errors import InvalidInput, NotFound

router = Router()
SECTION = "Groups"


async def target_user(ctx: Context, verb: str) -> User:
    """Whom the command is about: the author of the replied-to message, or @username."""
    req = ctx.request
    if req.reply_to is not None:
        user = await ctx.users.find(req.reply_to.platform, external_id=req.reply_to.id)
        if user is None:
            raise NotFound(f"{req.reply_to.display_name} hasn't used HabitLink yet.")
        return user
    name = req.args.strip().split()[0] if req.args.strip() else ""
    if not name.startswith("@") or len(name) < 2:
        raise InvalidInput(f"Whom? Reply to their message with /{verb}, or send /{verb} @username.")
    user = await ctx.users.find(req.chat.platform, username=name)
    if user is None:
        raise NotFound(f"I don't know {shorten(name)} yet; they need to send me a message first.")
    return user


@router.command(
    "rename",
    "Rename this group (owner or admin)",
    Arg.text("name", "The new name", required=True, label="NEW NAME"),
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def rename(ctx: Context) -> Response:
    group = await chat_group(ctx)
    await ctx.groups.rename(ctx.user, group, ctx.request.args)
    return Response.say("The group is now called ", bold(group.name), ".")


@router.command(
    "visibility",
    "Make this group public or private (owner or admin)",
    Arg.choice("visibility", "public or private", VISIBILITY, required=True),
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def visibility(ctx: Context) -> Response:
    group = await chat_group(ctx)
    wanted = ctx.request.args.strip().lower()
    if wanted not in {"public", "private"}:
        return Response.say(hint("Say /visibility public or /visibility private."))
    await ctx.groups.set_public(ctx.user, group, wanted == "public")
    if wanted == "public":
        return Response.say(bold(group.name), hint(" is public: anyone can find it with /groups."))
    return Response.say(bold(group.name), " is private: new members need an invite code.")


@router.command(
    "kick",
    "Remove a member (owner or admin)",
    Arg.member(),
    help="Reply to their message, or name them: /kick @username.",
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def kick(ctx: Context) -> Response:
    group = await chat_group(ctx)
    target = await target_user(ctx, "kick")
    await ctx.groups.remove(ctx.user, group, target)
    return Response.say(
        f"{target.display_name} is no longer in ",
        bold(group.name),
        ". The invite code changed, so older invites no longer work (/invite for the new one).",
    )


@router.command(
    "ban",
    "Remove someone and keep them out (owner or admin)",
    Arg.member(),
    help="Reply to their message, or name them: /ban @username.",
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def ban(ctx: Context) -> Response:
    group = await chat_group(ctx)
    target = await target_user(ctx, "ban")
    was_member = await ctx.groups.ban(ctx.user, group, target)
    removed = "is no longer in" if was_member else "can no longer join"
    return Response.say(
        f"{target.display_name} {removed} ",
        bold(group.name),
        " and can't join again until an owner or admin sends /unban. The invite code changed.",
    )


@router.command(
    "unban",
    "Let a banned person join again (owner or admin)",
    Arg.member(),
    help="Reply to their message, or name them: /unban @username.",
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def unban(ctx: Context) -> Response:
    group = await chat_group(ctx)
    target = await target_user(ctx, "unban")
    await ctx.groups.unban(ctx.user, group, target)
    return Response.say(
        f"{target.display_name} may join ", bold(group.name), " again, with a new invite."
    )


@router.command(
    "promote",
    "Make a member an admin (owner)",
    Arg.member(),
    help="Reply to their message, or name them: /promote @username.",
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def promote(ctx: Context) -> Response:
    group = await chat_group(ctx)
    target = await target_user(ctx, "promote")
    await ctx.groups.set_admin(ctx.user, group, target, True)
    return Response.say(f"{target.display_name} is now an admin of ", bold(group.name), ".")


@router.command(
    "demote",
    "Make an admin a member again (owner)",
    Arg.member(),
    help="Reply to their message, or name them: /demote @username.",
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def demote(ctx: Context) -> Response:
    group = await chat_group(ctx)
    target = await target_user(ctx, "demote")
    await ctx.groups.set_admin(ctx.user, group, target, False)
    return Response.say(f"{target.display_name} is a member of ", bold(group.name), " again.")


@router.command(
    "transfer",
    "Hand the group over to another member (owner)",
    Arg.member(),
    help="Reply to their message, or name them: /transfer @username.",
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def transfer(ctx: Context) -> Response:
    group = await chat_group(ctx)
    target = await target_user(ctx, "transfer")
    await ctx.groups.transfer(ctx.user, group, target)
    return Response.say(
        f"{target.display_name} now owns ", bold(group.name), ". You stay on as an admin."
    )
