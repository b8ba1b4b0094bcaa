"""Your account from chat: /resetpassword (a one-time code to set a new web password: there is
no email sending, the chat is the second factor), /export (your data as a JSON file) and
/deleteme (erase everything, after asking twice)."""

from __future__ import annotations

import json
from typing import Any

from bot.buttons import BUTTON_GONE, ERASE
from bot.choices import KEEP_PROFILE, NO_KEEP_IT
from bot.commands import Where
from bot.context import Context
from bot.messages import Button, Document, Reply, Response, bold, code, rich
from bot.router import Router
from bot.views import plural
from core.db.models import MessageKind
from core.lifebook.model import upgrade

router = Router()
EXPORT_LINKS = 24 * 3600  # seconds the photo links in an export work


@router.command(
    "resetpassword",
    "A code to set a new password for your web account",
    section="Settings",
    where=Where.PRIVATE,
)
async def resetpassword(ctx: Context) -> Response:
    user = ctx.user
    if user.email is None:
        return Response.say(
            "This profile has no web account yet. Register on the web, then join the two: "
            "get a code there (link code) and send it here as ",
            code("/link CODE"),
            ".",
        )
    from core.accounts.passwords import Passwords  # argon2 and pwdlib: loaded when first used

    accounts = ctx.uow.accounts(Passwords())
    issued = await accounts.issue_reset_code(user)
    minutes = int(issued.lifetime.total_seconds() // 60)
    return Response.say(
        "Your password reset code: ",
        bold(issued.code),
        f"\nUse it within {minutes} minutes, once, with your email ({user.email}) and a new "
        "password to reset it. Every device signed in to the web account is signed out. "
        "If you did not ask for this, ignore it: nothing changes without the code.",
        personal=True,
    )


@router.command(
    "export",
    "Everything HabitLink holds about you, as a JSON file",
    section="Settings",
    where=Where.PRIVATE,
)
async def export(ctx: Context) -> Response:
    async def link(key: str) -> str:
        return await ctx.media.url(key, expires=EXPORT_LINKS)

    document = await ctx.uow.export(ctx.user, link)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return Response(
        [
            Reply(
                text=rich(f"Everything HabitLink holds about you: {export_contents(document)}."),
                document=Document(data, "habitlink-export.json", "application/json"),
                personal=True,
            )
        ]
    )


def export_contents(document: dict[str, Any]) -> str:
    """What the exported file holds, said with its counts ("your profile and settings, 1 account,
    2 habits with 5 check-ins, your Lifebook, 1 tool you shared"); parts with nothing are left
    out (the file has them, empty)."""

    def count(key: str) -> int:
        value = document.get(key)
        return len(value) if isinstance(value, list | dict) else 0

    habits: list[dict[str, Any]] = document.get("habits") or []
    checkins = sum(len(h.get("checkins") or []) for h in habits)
    reminders = sum(len(h.get("reminders") or []) for h in habits)
    techniques = sum(len(h.get("tools") or []) for h in habits)
    messages: list[dict[str, Any]] = document.get("messages") or []
    learnings = sum(1 for m in messages if m.get("type") == MessageKind.LEARNING.value)
    trusts = document.get("trusts") or {}
    lifebook = upgrade((document.get("profile") or {}).get("lifebook"))
    parts = ["your profile and settings"]
    if count("identities"):
        parts.append(plural(count("identities"), "account"))
    if habits:
        done = plural(checkins, "check-in") if checkins else "no check-ins"
        parts.append(f"{plural(len(habits), 'habit')} with {done}")
    if reminders:
        parts.append(plural(reminders, "reminder"))
    if techniques:
        parts.append(f"the {plural(techniques, 'technique')} your habits use")
    if not lifebook.is_empty:
        parts.append("your Lifebook")
    if count("memberships"):
        parts.append(plural(count("memberships"), "group"))
    if count("proofs"):
        parts.append(f"{plural(count('proofs'), 'proof')} (photos as links)")
    if learnings:
        parts.append(plural(learnings, "learning"))
    if len(messages) > learnings:
        parts.append(plural(len(messages) - learnings, "message"))
    if count("liked_messages"):
        parts.append(plural(count("liked_messages"), "like"))
    trusted, trusted_by = len(trusts.get("trusted", [])), len(trusts.get("trusted_by", []))
    if trusted or trusted_by:
        parts.append(f"whom you trust ({trusted}) and who trusts you ({trusted_by})")
    if count("shared_tools"):
        parts.append(f"{plural(count('shared_tools'), 'tool')} you shared in the Toolbox")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@router.command(
    "deleteme",
    "Erase your profile and everything only yours (asks twice)",
    section="Settings",
    where=Where.PRIVATE,
)
async def deleteme(ctx: Context) -> Response:
    return ctx.ask(
        Response.say(
            bold("Erase your HabitLink profile?"),
            " Your habits and check-ins, Lifebook, reminders, proofs, learnings, likes and trusts "
            "are deleted, on every linked account and the web. Tools you shared stay in the "
            "Toolbox, without your name. Groups you own pass to another member. "
            "Send /export first to keep a copy.",
            buttons=[
                [Button("Yes, erase it", f"{ERASE}:1:{ctx.user.id}")],
                [Button(NO_KEEP_IT, f"{ERASE}:0:{ctx.user.id}")],
            ],
        )
    )


@router.button(ERASE)
async def press_erase(ctx: Context, args: list[str]) -> Response:
    step, owner = [*args, "", ""][:2]
    if owner != str(ctx.user.id) or step not in {"0", "1", "2"}:
        return Response(notice=BUTTON_GONE)
    if step == "0":
        return Response.say("Nothing was erased. Your profile stays as it is.", edit=True)
    if step == "1":
        return ctx.ask(
            Response.say(
                bold("Really erase everything?"),
                " This cannot be undone.",
                buttons=[
                    [Button("Erase for good", f"{ERASE}:2:{ctx.user.id}")],
                    [Button(KEEP_PROFILE, f"{ERASE}:0:{ctx.user.id}")],
                ],
                edit=True,
            ),
            numbers=False,  # for good: "1" typed twice must not erase a profile
        )
    await ctx.uow.erase(ctx.user.id)
    return Response.say(
        "Your profile is erased. If you write to me again, you start afresh.", edit=True
    )
