"""/start, /help and /cancel."""

from __future__ import annotations

from bot.commands import Arg, Command, Where
from bot.context import Context
from bot.handlers.groups import group_here, join_by_code
from bot.messages import (
    Response,
    Rich,
    Span,
    Style,
    bold,
    command,
    example,
    hint,
    lines,
    rich,
    shorten,
)
from bot.router import Router
from core.timezones import zone_label

router = Router()

SECTIONS = (
    "Basics",
    "Habits",
    "Lifebook",
    "Toolbox",
    "Groups",
    "Learnings",
    "Summary",
    "Reminders",
    "Settings",
)


@router.command(
    "start",
    "What HabitLink does and how to begin",
    Arg.text("code", "An invite code"),
    section="Basics",
)
async def start(ctx: Context) -> Response:
    name = ctx.user.display_name
    code_text = ctx.args.text("code")
    if code_text and ctx.request.chat.is_private:  # a deep link carrying an invite code
        return await join_by_code(ctx, code_text)
    if not ctx.request.chat.is_private:
        return await _start_in_group(ctx, name)
    # Back: someone who made something here, not whoever wrote "hi" before /start.
    back = not ctx.is_new_user and await ctx.habits.has_any(ctx.user)
    greeting = "Welcome back" if back else "Welcome to HabitLink"
    return Response.say(
        bold(f"{greeting}, {name}!"),
        "\nI help you build habits one small day at a time, and keep you honest with friends.\n\n",
        "1. Set your time zone so your days start at your midnight: ",
        example("/timezone Europe/Berlin"),
        f" (now: {zone_label(ctx.user.settings.timezone)})\n",
        "2. Create a habit: ",
        example("/newhabit"),
        " (guided) or ",
        example("/newhabit Read 10 pages"),
        "\n3. Check in every day with ",
        example("/habits"),
        " or ",
        example("/done read"),
        hint("\n\nSend /help for everything else."),
    )


async def _start_in_group(ctx: Context, name: str) -> Response:
    """/start in a group chat: what there is to do here, with or without a group yet."""
    group = await group_here(ctx)
    if group is None:
        return Response.say(
            f"Hi {name}! This chat has no accountability group yet. ",
            hint("Make one with /newgroup NAME, then everyone sends /join. "),
            hint("Send /help to see the group commands."),
        )
    if await ctx.groups.role(group, ctx.user) is None:
        how = (
            "Send /join to take part. "
            if group.is_public
            else "It is private: ask a member for an invite, then send /join CODE. "
        )
        return Response.say(
            f"Hi {name}! This chat's accountability group is ",
            bold(group.name),
            ". ",
            hint(how),
            hint("Send /help to see the group commands."),
        )
    return Response.say(
        f"Hi {name}! This chat's accountability group is ",
        bold(group.name),
        ", and you are in it. ",
        hint("Send /help to see the group commands."),
    )


@router.command(
    "help",
    "All commands, or /help COMMAND",
    Arg.text("command", "A command"),
    section="Basics",
    tried=("commands", "menu", "about"),
)
async def help_(ctx: Context) -> Response:
    wanted = ctx.args.text("command").lstrip("/").lower()
    commands = ctx.router.commands
    if wanted:
        cmd = commands.get(wanted)
        if cmd is None:
            meant = ctx.router.suggest(wanted, private=ctx.request.chat.is_private)
            if meant is not None:
                return Response.say(
                    f"There is no /{shorten(wanted)}; here is /{meant.name}.\n\n", describe(meant)
                )
            return Response.say(
                f"There is no /{shorten(wanted)}. ", hint("Send /help for the list.")
            )
        return Response.say(describe(cmd))
    here = Where.PRIVATE if ctx.request.chat.is_private else Where.GROUP
    blocks = []
    for section in SECTIONS:
        items = [
            c for c in commands.values() if c.section == section and c.where in (Where.ANY, here)
        ]
        if items:
            listed = [rich(command(c.name), " – ", hint(c.summary)) for c in items]
            if section == "Groups" and here is Where.PRIVATE:  # the group commands aren't here
                listed.append(GROUP_POINTER)
            blocks.append(rich(bold(section), "\n", lines(listed)))
    footer = hint("Send /help COMMAND for details, for example /help done.")
    return Response.say(*_between(blocks, "\n\n"), "\n\n", footer)


# In a private chat /help lists only what works there: it says how a group begins.
GROUP_POINTER = rich(
    "In a group chat: ",
    command("newgroup"),
    " makes it a group, then ",
    command("learn"),
    ", ",
    command("board"),
    " and a photo as proof (/help there lists them all).",
)


def describe(cmd: Command) -> Rich:
    """/help CMD: what it does, where, how to call it, and each of its parameters."""
    where = {Where.PRIVATE: " (private chat)", Where.GROUP: " (group chat)"}.get(cmd.where, "")
    parts: list[Rich | Span | str] = [
        Span(f"/{cmd.name}", Style.BOLD, cmd.name),
        f"{where}: ",
        hint(cmd.summary),
        "\n",
        Span(cmd.usage, Style.CODE, cmd.name),
    ]
    for param in cmd.params:
        optional = "" if param.required else " (optional)"
        parts += ["\n", param.shown, f"{optional}: ", hint(param.description)]
    if cmd.help:
        parts += ["\n", hint(cmd.help)]
    return rich(*parts)


def _between(blocks: list[Rich], separator: str) -> list[Rich | str]:
    out: list[Rich | str] = []
    for i, block in enumerate(blocks):
        out += [separator, block] if i else [block]
    return out


@router.command(
    "cancel",
    "Stop what we're in the middle of",
    section="Basics",
    tried=("stop", "quit", "exit", "abort"),
)
async def cancel(ctx: Context) -> Response:
    if ctx.flow is None:
        return Response.say("There's nothing to cancel.")
    ctx.end_flow()
    return Response.say("Cancelled. Nothing was saved.")
