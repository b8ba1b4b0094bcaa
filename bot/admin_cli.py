"""`habitlink admin create|promote|demote --email E`: roles from the command line.

`create` asks for the password twice without echoing it when standard input is a terminal, and
otherwise reads it from the first line of standard input (for scripts: `echo "$PW" | habitlink
admin create --email ops@example.com`). The password rules are those of the web accounts.
Exit status: 0 done (or nothing to do), 1 refused (unknown email, weak password...), 3 the
database schema is out of date.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from bot.config import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = sub.add_parser(
        "admin",
        help="make the first admin, promote or demote admins",
        description="Manage who may use the web admin at /admin. `create` makes a new account "
        "with the admin role (the password is asked for, or read from standard input when it "
        "is not a terminal); `promote` and `demote` change an existing account's role.",
    )
    actions = admin.add_subparsers(dest="admin_action", required=True, metavar="ACTION")
    for name, text in (
        ("create", "create a new admin account with this email"),
        ("promote", "give an existing account the admin role"),
        ("demote", "take the admin role away (never from the last admin)"),
    ):
        action = actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        action.add_argument("--email", required=True, help="the account's email address")


def read_password(stdin: TextIO | None = None) -> str | None:
    """The new password: asked twice on a terminal, else the first line of standard input
    (`sys.stdin` as it is when asked, not when this module was imported)."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("Password for the new admin: ")
        if getpass.getpass("The same password again: ") != first:
            print("habitlink: the two passwords differ; nothing was changed.", file=sys.stderr)
            return None
        return first
    line = stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


# A banned admin is refused at /admin (web_admin.admin.access): said when promoting one.
BANNED = (
    ", but is banned: they can use /admin once unbanned (an admin can unban them on their page "
    "under Users)."
)


async def run_admin(settings: Settings, action: str, email: str) -> int:
    password = read_password() if action == "create" else None
    if action == "create" and password is None:
        return 1
    from core.accounts.passwords import Passwords
    from core.accounts.service import normalise_email
    from core.clock import SystemClock
    from core.db.engine import Database
    from core.db.schema import ensure_schema
    from core.errors import HabitLinkError
    from core.uow import UnitOfWorkFactory

    db = Database(settings.effective_database_url)
    try:
        await ensure_schema(db, auto_upgrade=settings.uses_embedded_database)
        units = UnitOfWorkFactory(db, SystemClock(), default_timezone=settings.default_timezone)
        async with units() as uow:
            try:
                if action == "create":
                    assert password is not None
                    user = await uow.admin.roles.create_admin(
                        uow.accounts(Passwords()), email, password
                    )
                    message = f"Admin account {user.email} created: sign in at /admin."
                elif action == "promote":
                    address = normalise_email(email)
                    changed = await uow.admin.roles.promote_by_email(address)
                    message = (
                        f"{address} is now an admin."
                        if changed
                        else f"{address} was an admin already; nothing changed."
                    )
                    promoted = await uow.accounts(Passwords()).by_email(address)
                    if promoted is not None and promoted.banned_at is not None:
                        message = message.removesuffix(".") + BANNED
                else:
                    address = normalise_email(email)
                    changed = await uow.admin.roles.demote_by_email(address)
                    message = (
                        f"{address} is no longer an admin."
                        if changed
                        else f"{address} was not an admin; nothing changed."
                    )
            except HabitLinkError as exc:
                print(f"habitlink: {exc.message}", file=sys.stderr)
                return 1
            await uow.commit()
        print(message)
        return 0
    finally:
        await db.dispose()
