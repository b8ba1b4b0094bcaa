"""/link: one person on several platforms. /link gives a code; `/link CODE` on the other account
joins both into one profile (the account that gave the code keeps its name and settings)."""

from __future__ import annotations

import math
from datetime import timedelta

from bot.commands import Arg
from bot.context import Context
from bot.messages import Response, Rich, bold, code, command, rich
from bot.router import Router
from core.db.models import Identity
from core.users.links import (
    CODE_LIFETIME,
    MAX_WRONG,
    WRONG_WINDOW,
    Linked,
    LinkService,
    Refusal,
    Refused,
)
from core.users.merge import platform_label
from core.users.merge_report import MergeReport

router = Router()

IN_GROUP = (
    "Link codes are personal, so I only hand them out in a private chat. "
    "Message me directly and send /link there."
)
CODE_IN_GROUP = (
    "Please link in a private chat with me, never in a group: anyone here could use a code they "
    "see. If that code was valid, it no longer works; send /link to me privately for a new one."
)
NEW_CODE = "Send /link on your other account for a new one."


def service(ctx: Context) -> LinkService:
    return ctx.links


async def sender_identity(ctx: Context) -> Identity:
    sender = ctx.request.sender
    identity = await ctx.users.identity(sender.platform, sender.id)
    assert identity is not None  # the dispatcher made it before the handler ran
    return identity


@router.command(
    "link",
    "Join your accounts on other platforms into one profile",
    Arg.text("code", "The code /link gave you on your other account"),
    help="Send /link here, then /link CODE on your other account.",
    section="Settings",
)
async def link(ctx: Context) -> Response:
    typed = ctx.request.args.strip()
    if not ctx.request.chat.is_private:
        if not typed:
            return Response.say(IN_GROUP)
        await service(ctx).void(typed)
        return Response.say(CODE_IN_GROUP)
    identity = await sender_identity(ctx)
    if not typed:
        issued = await service(ctx).issue(ctx.user.id, identity.id)
        return Response.say(
            "Your link code: ",
            bold(issued.code),
            "\nSend this to me from your other account, in a private chat, within "
            f"{minutes(CODE_LIFETIME)}:\n",
            code(f"/link {issued.code}"),
            "\nThat account's habits, check-ins, groups and learnings will join this profile, "
            "which keeps its name and settings. The code works once.",
            personal=True,
        )
    here = platform_label(identity.platform)
    outcome = await service(ctx).redeem(ctx.user.id, identity.id, typed)
    if isinstance(outcome, Refused):
        return Response.say(refusal_text(outcome, here))
    return Response.say(await linked_text(ctx, outcome, here), personal=True)


def minutes(wait: timedelta) -> str:
    n = max(math.ceil(wait.total_seconds() / 60), 1)
    return f"{n} minute{'' if n == 1 else 's'}"


def refusal_text(refused: Refused, here: str) -> str:
    window = minutes(WRONG_WINDOW)
    match refused.reason:
        case Refusal.PAUSED:
            return (
                f"Too many wrong codes. To keep profiles safe, linking is paused for you: "
                f"try again in {minutes(refused.wait)}."
            )
        case Refusal.UNKNOWN if refused.tries_left == 0:
            return (
                f"That code doesn't match any link code either, and that makes {MAX_WRONG} "
                f"wrong ones: linking is paused for you. Try again in {minutes(refused.wait)}."
            )
        case Refusal.UNKNOWN:
            left = refused.tries_left
            return (
                "That code doesn't match any link code. Check it and try again "
                f"({left} more wrong {'code' if left == 1 else 'codes'} within {window} "
                "and linking pauses for a while)."
            )
        case Refusal.EXPIRED:
            return (
                f"That code has expired: codes work for {minutes(CODE_LIFETIME)}, and only the "
                f"newest one counts. {NEW_CODE}"
            )
        case Refusal.USED:
            return f"That code has already been used. {NEW_CODE}"
        case Refusal.OWN_CODE:
            return (
                "That code was made by this account. Send it to me from your other account, "
                "the one you want to join to this profile."
            )
        case Refusal.ALREADY_LINKED:
            return f"This {here} account is already part of your HabitLink profile. Nothing to do."


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


async def linked_text(ctx: Context, linked: Linked, here: str) -> Rich:
    """The merge in plain words: what moved, what was combined, what was dropped."""
    report = linked.report
    there = platform_label(linked.owner_platform)
    other = f"your other {there}" if there == here else f"your {there}"
    text = rich(
        bold("Linked!"),
        f" This {here} account and {other} account are now one HabitLink profile.",
    )
    moved = moved_parts(report)
    if moved:
        text += rich("\nMoved: ", ", ".join(moved), ".")
    else:
        text += rich("\nThis account had nothing to move yet.")
    combined = combined_parts(report)
    if combined:
        text += rich("\nCombined: ", "; ".join(combined), ".")
    dropped = dropped_parts(report)
    if dropped:
        text += rich("\nDropped: ", "; ".join(dropped), ".")
    survivor = await ctx.users.get(report.survivor_id)
    name = survivor.display_name if survivor is not None else "your profile"
    if report.timezone_taken:
        text += rich(
            f"\nYour time zone is now {report.timezone_taken}, taken from this account, "
            "since the profile still had the default one."
        )
    settings = "other settings" if report.timezone_taken else "settings"
    text += rich(
        f"\nThe profile keeps the name {name} and its {settings}. Send ",
        command("habits"),
        " to see all.",
    )
    return text


def moved_parts(report: MergeReport) -> list[str]:
    parts: list[str] = []
    if report.identities > 1:
        parts.append(plural(report.identities, "chat account"))
    if report.habits:
        habits = plural(report.habits, "habit")
        renamed = report.renamed
        if len(renamed) == 1:
            habits += f" (1 renamed to '{renamed[0].new_title}' because you had one with that name)"
        elif renamed:
            names = ", ".join(f"'{r.new_title}'" for r in renamed)
            habits += f" ({len(renamed)} renamed because you had ones with those names: {names})"
        parts.append(habits)
    parts += [
        plural(n, word)
        for n, word in ((report.checkins, "check-in"), (report.reminders, "reminder"))
        if n
    ]
    if report.groups:
        parts.append(plural(len(report.groups), "group") + f" ({', '.join(report.groups)})")
    counts = (
        (report.proofs, "proof"),
        (report.learnings, "learning"),
        (report.chat_messages, "group message"),
        (report.likes, "like"),
        (report.trusts, "trust"),
        (report.tools, "toolbox tool"),
    )
    parts += [plural(n, word) for n, word in counts if n]
    return parts


def combined_parts(report: MergeReport) -> list[str]:
    parts = [
        f"{g.name} (both accounts were members; kept the {g.role} role)"
        for g in report.shared_groups
    ]
    if report.likes_combined:
        n = report.likes_combined
        parts.append(
            f"{plural(n, 'learning')} both accounts had liked ({'its like' if n == 1 else 'likes'}"
            " counted once)"
        )
    if report.trusts_combined:
        parts.append(f"{plural(report.trusts_combined, 'trust')} both accounts had (kept once)")
    return parts


def dropped_parts(report: MergeReport) -> list[str]:
    parts = []
    if report.own_likes_dropped:
        parts.append(
            f"{plural(report.own_likes_dropped, 'like')} of your own learnings "
            "(nobody can like their own)"
        )
    if report.self_trusts_dropped:
        n = report.self_trusts_dropped
        parts.append(f"{plural(n, 'trust')} between your two accounts (you can't trust yourself)")
    return parts
