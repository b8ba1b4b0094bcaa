"""/link: one person on several platforms. /link gives a code on the account to give up;
`/link CODE` on the account to keep joins the first into it (the typer keeps its name and
settings). The joined account is told in its own chat (`linked_notice`, sent via the outbox)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from bot.buttons import BUTTON_GONE, LINK_CANCEL, LINK_JOIN, button_payload
from bot.choices import CANCEL
from bot.commands import Arg
from bot.context import Context
from bot.messages import Button, Reply, Response, Rich, bold, code, command, hint, rich
from bot.router import Router
from core.db.models import Identity, User
from core.lifebook.model import MAX_GOALS
from core.numbers import parse_int
from core.users.links import (
    CODE_LENGTH,
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
from core.users.service import user_zone

router = Router()

IN_GROUP = (
    "Link codes are personal, so I only hand them out in a private chat. "
    "Message me directly and send /link there."
)
CODE_IN_GROUP = (
    "Please link in a private chat with me, never in a group: anyone here could use a code they "
    "see. If that code was valid, it no longer works; send /link to me privately for a new one."
)
NEW_CODE = "Send /link on your other account (the one to join this profile) for a new one."


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
    help="Send /link on the account to give up, then /link CODE on the one to keep.",
    section="Settings",
)
async def link(ctx: Context) -> Response:
    typed = ctx.args.text("code")
    if not ctx.request.chat.is_private:
        if not typed:
            return Response.say(hint(IN_GROUP))
        await service(ctx).void(typed)
        return Response.say(hint(CODE_IN_GROUP))
    identity = await sender_identity(ctx)
    if not typed:
        issued = await service(ctx).issue(ctx.user.id, identity.id)
        return Response.say(
            "Your link code: ",
            bold(issued.code),
            "\nSend this to me from your other account, the one to keep, in a private chat, "
            f"within {minutes(CODE_LIFETIME)}:\n",
            code(f"/link {issued.code}"),
            "\nThis account's habits, check-ins, groups and learnings will join that profile, "
            "which keeps its name and settings. Never give this code to anyone else: whoever "
            "types it gets this account. The code works once.",
            personal=True,
        )
    outcome = await service(ctx).claim(ctx.user.id, identity.id, typed)
    if isinstance(outcome, Refused):
        return Response.say(refusal_text(outcome, platform_label(identity.platform)))
    there = platform_label(outcome.owner_platform)
    return ctx.ask(
        Response.say(
            f"Join the {there} account of {outcome.owner_name} into this profile? It will see and "
            "change everything here (habits, check-ins, groups, learnings), and what it has moves "
            "here. Only join an account that is yours.",
            buttons=[
                [
                    Button(
                        "Join accounts", button_payload(LINK_JOIN, outcome.code_id, outcome.token)
                    ),
                    Button(CANCEL, button_payload(LINK_CANCEL, outcome.code_id, outcome.token)),
                ]
            ],
            personal=True,
        ),
        numbers=False,  # joining two accounts is for good: its words typed, never a number
    )


def confirmation(args: list[str]) -> tuple[int, str] | None:
    code_id = parse_int(args[0]) if len(args) == 2 else None
    if code_id is None:  # not ours (a forged press): ids are bounded like every other number
        return None
    return code_id, args[1]


@router.button(LINK_JOIN)
async def press_join(ctx: Context, args: list[str]) -> Response:
    found = confirmation(args)
    identity = await sender_identity(ctx)
    here = platform_label(identity.platform)
    if found is None or not ctx.request.chat.is_private:
        return Response.say(refusal_text(Refused(Refusal.NOT_CLAIMED), here))
    outcome = await service(ctx).confirm(ctx.user.id, identity.id, *found)
    if isinstance(outcome, Refused):
        return Response.say(refusal_text(outcome, here))
    return Response.say(await linked_text(ctx, outcome, here), personal=True)


@router.button(LINK_CANCEL)
async def press_cancel(ctx: Context, args: list[str]) -> Response:
    found = confirmation(args)
    identity = await sender_identity(ctx)
    if found is not None and await service(ctx).cancel(identity.id, *found):
        return Response.say(
            "Cancelled: nothing was joined, and that code no longer works.", personal=True
        )
    return Response(notice=BUTTON_GONE)


def linked_notice(profile: User, typed_on: str, payload: dict[str, Any]) -> Reply:
    """To the account that was joined into another profile, in its own private chat."""
    made = datetime.fromisoformat(payload["code_made_at"]).astimezone(user_zone(profile))
    where = platform_label(payload.get("platform") or typed_on)
    return Reply(
        text=rich(
            bold("Linked."),
            f" This account is now part of the HabitLink profile of {profile.display_name}: "
            f"the link code it made on {made:%d %b at %H:%M} was typed on {where}. Its habits, "
            "check-ins, groups and learnings are in that profile now, which keeps its name and "
            "settings. If you did not type that code yourself, whoever you gave it to has them.",
        )
    )


def minutes(wait: timedelta) -> str:
    n = max(math.ceil(wait.total_seconds() / 60), 1)
    return f"{n} minute{'' if n == 1 else 's'}"


CODE_USED = "That code has already been used"


def refusal_text(refused: Refused, here: str, new_code: str = NEW_CODE) -> str:
    """Why a link code was refused; `new_code` says where a new one comes from."""
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
        case Refusal.MALFORMED:
            return (
                f"That isn't a link code: a link code has {CODE_LENGTH} letters and digits "
                "(never 0, O, 1, I or L), as /link showed it on your other account. Check it "
                "and send /link CODE again; this one did not count as a wrong code."
            )
        case Refusal.EXPIRED:
            return (
                f"That code has expired: codes work for {minutes(CODE_LIFETIME)}, and only the "
                f"newest one counts. {new_code}"
            )
        case Refusal.USED:
            return f"{CODE_USED}. {new_code}"
        case Refusal.OWN_CODE:
            return (
                "That code was made by this account. Send it to me from your other account, "
                "the one to keep: this account then joins it."
            )
        case Refusal.WEB_ACCOUNTS:  # never in a chat: only a web account types as None
            return "That code was made by another web account. Send it from a chat account."
        case Refusal.NOT_CLAIMED:
            return "That button no longer works. Send /link CODE again to join the accounts."
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
        text += rich("\nMoved here: ", ", ".join(moved), ".")
    else:
        text += rich(f"\n{other[0].upper()}{other[1:]} account had nothing to move yet.")
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
            f"\nYour time zone is now {report.timezone_taken}, taken from {other} account, "
            "since this profile still had the default one."
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
    if report.email_dropped:
        parts.append(
            f"the web sign-in {report.email_dropped} (a profile has one web account, and this "
            "one keeps its own email and password)"
        )
    if report.own_likes_dropped:
        parts.append(
            f"{plural(report.own_likes_dropped, 'like')} of your own learnings "
            "(nobody can like their own)"
        )
    if report.self_trusts_dropped:
        n = report.self_trusts_dropped
        parts.append(f"{plural(n, 'trust')} between your two accounts (you can't trust yourself)")
    if report.goals_left_out:
        names = ", ".join(f"'{text}'" for text in report.goals_left_out)
        parts.append(
            f"{plural(len(report.goals_left_out), 'Lifebook goal')} over the limit of "
            f"{MAX_GOALS}: {names} (the habits serving them serve no goal now)"
        )
    return parts
