"""Owners and admins manage a group: /rename, /visibility, /kick, /ban, /unban, /promote,
/demote, /transfer."""

from __future__ import annotations

from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.groups import VISIBILITY, VISIBILITY_WORDS, chat_group
from bot.messages import Response, bold, hint, shorten
from bot.router import Router
from core.db.models import User
from core.errors import InvalidInput, NotFound
from core.groups.service import Ban

router = Router()
SECTION = "Groups"


async def target_user(ctx: Context) -> User:
    """Whom the command is about: the author of the replied-to message, or @username (the
    declaration's member parameter; bot/arguments.py asks "Whom?" when there is none)."""
    member = ctx.args.member()
    if member is None:
        raise InvalidInput("Whom? Reply to their message, or name them: @username.")
    if member.person is not None:
        who = member.person
        user = await ctx.users.find(who.platform, external_id=who.id)
        if user is None:
            raise NotFound(f"{who.display_name} hasn't used HabitLink yet.")
        return user
    name = member.username
    user = await ctx.users.find(ctx.request.chat.platform, username=name)
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
    if not await ctx.groups.rename(ctx.user, group, ctx.args.text("name")):
        return Response.say("The group is called ", bold(group.name), " already.")
    return Response.say("The group is now called ", bold(group.name), ".")


@router.command(
    "visibility",
    "Make this group public or private (owner or admin)",
    Arg.choice(
        "visibility", "public or private", VISIBILITY, required=True, aliases=VISIBILITY_WORDS
    ),
    where=Where.GROUP,
    section=SECTION,
    menu=False,
    family="group",
)
async def visibility(ctx: Context) -> Response:
    group = await chat_group(ctx)
    wanted = ctx.args.choice("visibility")
    changed = await ctx.groups.set_public(ctx.user, group, wanted == "public")
    still = "" if changed else " already"
    if wanted == "public":
        kept = " Learnings shared while it was private stay for its members." if changed else ""
        return Response.say(
            bold(group.name), hint(f" is public{still}: anyone can find it with /groups."), kept
        )
    return Response.say(
        bold(group.name),
        f" is private{still}: new members need an invite code.",
        hint(
            " Its code changed, so the one anyone saw in /groups no longer works (/invite for "
            "the new one)."
        )
        if changed
        else "",
    )


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
    target = await target_user(ctx)
    await ctx.groups.remove(ctx.user, group, target)
    if group.is_public:  # anyone may join a public group: a kick alone doesn't keep them out
        return Response.say(
            f"{target.display_name} is no longer in ",
            bold(group.name),
            hint(". It is public, so they can /join again; /ban keeps someone out."),
        )
    return Response.say(
        f"{target.display_name} is no longer in ",
        bold(group.name),
        hint(". The invite code changed, so older invites no longer work (/invite for the new "),
        hint("one)."),
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
    target = await target_user(ctx)
    banned = await ctx.groups.ban(ctx.user, group, target)
    if banned is Ban.ALREADY:
        return Response.say(
            f"{target.display_name} is already banned from ", bold(group.name), ". Nothing changed."
        )
    if banned is Ban.MEMBER:
        return Response.say(
            f"{target.display_name} is no longer in ",
            bold(group.name),
            hint(" and can't join again until an owner or admin sends /unban. "),
            "The invite code changed.",
        )
    return Response.say(
        f"{target.display_name} can't join ",
        bold(group.name),
        hint(" until an owner or admin sends /unban. "),
        "The invite code changed.",
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
    target = await target_user(ctx)
    await ctx.groups.unban(ctx.user, group, target)
    if group.is_public:
        return Response.say(f"{target.display_name} may join ", bold(group.name), " again.")
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
    target = await target_user(ctx)
    if not await ctx.groups.set_admin(ctx.user, group, target, True):
        return Response.say(
            f"{target.display_name} is already an admin of ", bold(group.name), ". Nothing changed."
        )
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
    target = await target_user(ctx)
    if not await ctx.groups.set_admin(ctx.user, group, target, False):
        return Response.say(
            f"{target.display_name} is not an admin of ", bold(group.name), ". Nothing changed."
        )
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
    target = await target_user(ctx)
    await ctx.groups.transfer(ctx.user, group, target)
    return Response.say(
        f"{target.display_name} now owns ", bold(group.name), ". You stay on as an admin."
    )
