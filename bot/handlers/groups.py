"""Groups in chats: /newgroup, /join, /leave, /members, /groupinfo, /invite, /groups, /mygroups."""

from __future__ import annotations

from collections import Counter

from bot.buttons import BUTTON_GONE, GROUPS_PAGE, button_payload
from bot.commands import Arg, Where
from bot.context import Context
from bot.group_names import place_text
from bot.messages import Reply, Response, Rich, Span, bold, command, example, hint, lines, rich
from bot.paging import Page, pager
from bot.router import Router
from bot.views import plural
from core.db.models import Group, GroupRole
from core.errors import InvalidInput, NotFound
from core.groups.service import ChatRef
from core.numbers import parse_int

router = Router()
SECTION = "Groups"
VISIBILITY = ("public", "private")
# Everyday words for them (/newgroup Crew secret): a name ending in one is said with its
# visibility after it (/newgroup Top Secret public), and the reply shows how the word was read.
VISIBILITY_WORDS = {
    "secret": "private",
    "hidden": "private",
    "invite-only": "private",
    "invite_only": "private",
    "inviteonly": "private",
    "open": "public",
}
GROUPS_PER_PAGE = 10  # /groups
MAX_PAGE = 10_000  # a forged page number beyond this is not a page of /groups


def chat_ref(ctx: Context) -> ChatRef:
    chat = ctx.request.chat
    return ChatRef(chat.platform, chat.id, chat.title)


async def group_here(ctx: Context) -> Group | None:
    """The group of the chat this request came from, if any. The request shows the bot is in
    the chat: one marked gone (the bot was removed, core.groups.service.mark_chat) is marked
    back, and a chat renamed since keeps its new title (core.groups.service.heard_from): the
    only write, made only then."""
    chat = chat_ref(ctx)
    found = await ctx.groups.in_chat(chat)
    if found is None:
        return None
    await ctx.groups.heard_from(chat, found)
    return found.group


async def chat_group(ctx: Context) -> Group:
    """The group of the chat this request came from."""
    group = await group_here(ctx)
    if group is None:
        raise InvalidInput(
            "This chat has no HabitLink group yet. Create one with /newgroup NAME [public|private]."
        )
    return group


async def readable_group(ctx: Context) -> Group:
    """The group of this chat, when the sender may see its content (core.groups.privacy)."""
    group = await chat_group(ctx)
    await ctx.groups.require_reader(group, ctx.user)
    return group


def invite_text(ctx: Context, group: Group) -> list[Rich]:
    join = command("join", group.invite_code, as_code=False)
    parts = [rich("In a private chat with me, send ", join)]
    if ctx.request.deep_link:
        parts.append(rich(f"or open {ctx.request.deep_link}{group.invite_code}"))
    return parts


@router.command(
    "newgroup",
    "Make this chat an accountability group",
    Arg.text("name", "The group's name (this chat's name by default)"),
    Arg.choice(
        "visibility",
        "public (or open): anyone can find it; private (or secret, hidden): invite only",
        VISIBILITY,
        aliases=VISIBILITY_WORDS,
    ),
    where=Where.GROUP,
    section=SECTION,
    family="group",
    leaf="new",
)
async def newgroup(ctx: Context) -> Response:
    public = ctx.args.choice("visibility") != "private"
    given = ctx.args.text("name")
    name = given or (ctx.request.chat.title or "")
    group = await ctx.groups.create(ctx.user, chat_ref(ctx), name, public=public)
    kind = hint("public: anyone can find it with /groups") if public else "private: invite only"
    return Response.say(
        "Created the group ",
        bold(group.name),
        " (",
        kind,
        "). You are its owner.\n",
        hint(
            "Everyone here: send /join to take part. Post a photo as proof of your week."
            if public  # a private group takes only its invite code
            else "Members get its invite code with /invite; others join with /join CODE. "
            "Post a photo as proof of your week."
        ),
        *_word_read(ctx, given, public),
    )


def _word_read(ctx: Context, given: str, public: bool) -> list[Rich | Span | str]:
    """How an everyday visibility word was read (`secret` as private), and how to have it in
    the name instead; nothing for `public` or `private`."""
    typed = ctx.args.other_word("visibility")
    if not typed:
        return []
    meant = "public" if public else "private"
    return [
        rich(f"\nI took {typed.lower()!r} to mean {meant}. Part of the name? Send "),
        _rename(given, typed),
        "." if public else hint(" and /visibility public."),  # public is also what none gives
    ]


def _rename(given: str, typed: str) -> Span:
    return example(f"/rename {' '.join([*given.split(), typed])}")


@router.command(
    "join",
    "Join this chat's group, or any group with its code",
    Arg.text("code", "An invite code (needed for a private group)"),
    section=SECTION,
    family="group",
)
async def join(ctx: Context) -> Response:
    code_text = ctx.args.text("code")
    if ctx.request.chat.is_private:
        if not code_text:
            return Response.say(
                hint(
                    "Send /join CODE with an invite code from a member, or find public groups "
                    "with /groups."
                )
            )
        return await join_by_code(ctx, code_text)
    if code_text and await group_here(ctx) is None:
        # Answered here, the code's group (maybe a private one) would be named in this chat.
        return Response.say(
            "Invite codes work in a private chat with me: send ",
            command("join", code_text, as_code=False),
            " there.",
        )
    group = await chat_group(ctx)
    other = await ctx.groups.by_invite(code_text) if code_text else None
    if other is not None and other.id != group.id:
        # Another group's code: joining this chat's group instead (a public one takes anyone)
        # welcomed the person to the wrong group. That group is not named here.
        here: list[str | Span] = (
            ["; to join ", bold(group.name), ", send ", command("join"), " alone here."]
            if group.is_public
            else ["."]
        )
        return Response.say(
            "That invite code is another group's, not this chat's ",
            bold(group.name),
            ". To join that group, send ",
            command("join", code_text, as_code=False),
            " in a private chat with me",
            *here,
        )
    joined = await ctx.groups.join(group, ctx.user, code=code_text or None)
    name = ctx.user.display_name
    if not joined:
        return Response.say(f"{name}, you are already in ", bold(group.name), ".")
    return Response.say("Welcome to ", bold(group.name), f", {name}!")


async def join_by_code(ctx: Context, code_text: str) -> Response:
    group = await ctx.groups.by_invite(code_text)
    if group is None:
        raise NotFound(
            "That invite code doesn't match any group. Check it with the member who sent it."
        )
    joined = await ctx.groups.join(group, ctx.user, code=code_text)
    if not joined:
        return Response.say("You are already in ", bold(group.name), ".")
    return Response.say(
        "You joined ", bold(group.name), ". Post your proofs and learnings in its chat."
    )


@router.command(
    "leave",
    "Leave this chat's group",
    where=Where.GROUP,
    section=SECTION,
    family="group",
)
async def leave(ctx: Context) -> Response:
    group = await chat_group(ctx)
    name = group.name
    closed = await ctx.groups.leave(group, ctx.user)
    if closed:
        return Response.say("You were the last member, so ", bold(name), " is closed.")
    return Response.say(f"{ctx.user.display_name} left ", bold(name), ".")


@router.command(
    "members",
    "Who is in this chat's group",
    where=Where.GROUP,
    section=SECTION,
    family="group",
)
async def members(ctx: Context) -> Response:
    group = await readable_group(ctx)
    people = await ctx.groups.members(group, banned=False)
    badge = {GroupRole.OWNER: " (owner)", GroupRole.ADMIN: " (admin)", GroupRole.MEMBER: ""}
    return Response.say(
        bold(f"{group.name}: {plural(len(people), 'member')}"),
        "\n",
        lines(f"{i}. {m.name}{badge[m.role]}" for i, m in enumerate(people, 1)),
    )


@router.command(
    "groupinfo",
    "About this chat's group",
    where=Where.GROUP,
    section=SECTION,
    family="group",
    leaf="info",
)
async def groupinfo(ctx: Context) -> Response:
    group = await chat_group(ctx)
    if not group.is_public and await ctx.groups.role(group, ctx.user) is None:
        return Response.say(  # its name is no secret here: this is its chat
            bold(group.name),
            "\nPrivate. You are not a member: ask a member for an invite, then send /join CODE.",
        )
    await ctx.groups.require_reader(group, ctx.user)
    people = await ctx.groups.members(group, banned=False)
    owner = next((m.name for m in people if m.role is GroupRole.OWNER), "nobody")
    role = await ctx.groups.role(group, ctx.user)
    status = (
        f"You are {'a member' if role is GroupRole.MEMBER else 'its ' + role.value}."
        if role
        else hint("You are not a member yet: /join")
    )
    return Response.say(
        bold(group.name),
        f"\n{'Public' if group.is_public else 'Private'} · {plural(len(people), 'member')}"
        f" · owner {owner}\n",
        f"Created {group.created_at:%d %b %Y}. ",
        status,
    )


@router.command(
    "invite",
    "An invite code (and link) for this group",
    where=Where.GROUP,
    section=SECTION,
    family="group",
)
async def invite(ctx: Context) -> Response:
    group = await chat_group(ctx)
    if await ctx.groups.role(group, ctx.user) is None:
        return Response.say(hint("Only members can invite. Send /join first."))
    return Response.say(
        "Invite someone to ", bold(group.name), ":\n", lines(invite_text(ctx, group))
    )


@router.command(
    "groups",
    "Public groups you can join",
    where=Where.PRIVATE,
    section=SECTION,
    family="group",
    leaf="list",
)
async def groups(ctx: Context) -> Response:
    return Response([await public_page(ctx, 0)])


async def public_page(ctx: Context, page: int, *, edit: bool = False) -> Reply:
    """Page `page` (from 0) of the public groups, the most members first, with Previous and
    Next: one statement (two when the list shrank under a button and the last page is read)."""
    start = page * GROUPS_PER_PAGE
    found = await ctx.groups.public_groups(limit=GROUPS_PER_PAGE + 1, offset=start)
    if not found and page > 0:  # fewer groups than when the button was made: the first page
        page, start = 0, 0
        found = await ctx.groups.public_groups(limit=GROUPS_PER_PAGE + 1)
    if not found:
        return Reply.of(
            hint("There are no public groups yet. Add me to a group chat and send "),
            hint("/newgroup NAME there."),
            edit=edit,
        )
    more = len(found) > GROUPS_PER_PAGE
    rows = [
        rich(
            f"{n}. ",
            bold(v.group.name),
            *([f" · {place}"] if (place := place_text(v.place, v.group.name)) else []),
            f" · {plural(v.members, 'member')} · ",
            command("join", v.group.invite_code),
        )
        for n, v in enumerate(found[:GROUPS_PER_PAGE], start + 1)
    ]
    title = "Public groups" + (f" · page {page + 1}" if page or more else "")
    shown = Page(start, start + len(rows), page, page + 2 if more else page + 1)
    nav = pager(shown, lambda n: button_payload(GROUPS_PAGE, n))
    return Reply.of(bold(title), "\n", lines(rows), buttons=[nav] if nav else [], edit=edit)


@router.button(GROUPS_PAGE)
async def press_groups_page(ctx: Context, args: list[str]) -> Response:
    """gl:PAGE: another page of /groups."""
    page = parse_int(args[0], 0, MAX_PAGE) if len(args) == 1 else None
    if page is None:
        return Response(notice=BUTTON_GONE)
    return Response([await public_page(ctx, page, edit=True)])


@router.command(
    "mygroups",
    "The groups you are in",
    where=Where.PRIVATE,
    section=SECTION,
    family="group",
    leaf="mine",
)
async def mygroups(ctx: Context) -> Response:
    mine = await ctx.groups.groups_of(ctx.user)
    if not mine:
        return Response.say(hint("You are not in a group yet. Find one with /groups."))
    shown = [(v.group.name, place_text(v.place, v.group.name)) for v in mine]
    alike = Counter((name.casefold(), place) for name, place in shown)
    rows = []
    for v, (name, place) in zip(mine, shown, strict=True):
        # Same name, same chat title: the invite code (a member may see it) tells them apart.
        code = f" · code {v.group.invite_code}" if alike[(name.casefold(), place)] > 1 else ""
        rows.append(
            f"{name}{' · ' + place if place else ''} · {plural(v.members, 'member')} · "
            f"{'public' if v.group.is_public else 'private'}"
            f" · you: {v.role.value if v.role else ''}{code}"
        )
    return Response.say(bold("Your groups"), "\n", lines(rows))
