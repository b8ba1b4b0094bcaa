"""/resetpassword: a one-time code to set a new web password, for a person whose chat account
is linked to a web account (there is no email sending: the chat is the second factor)."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Response, bold, code
from bot.router import Router, Where
from core.accounts.passwords import Passwords
from core.accounts.service import AccountService

router = Router()


@router.command(
    "resetpassword",
    "A code to set a new password for your web account",
    usage="/resetpassword",
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
    accounts = AccountService(ctx.session, ctx.clock, Passwords())
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
