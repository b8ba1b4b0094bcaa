"""The `habitlink` command: console, run, scheduler, web, admin, migrate."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.admin_cli import add_parser as add_admin_parser
from bot.config import Settings, WeakSecret
from bot.logs import configure_logging
from core.db.schema import SchemaOutOfDate


def port(text: str) -> int:
    """A TCP port to listen on, 1 to 65535 (argparse shows the refusal and exits 2)."""
    number = int(text) if text.strip().lstrip("-").isdigit() else 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port: give a number from 1 to 65535")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="habitlink",
        description="HabitLink: build habits in chat, alone and in accountability groups.",
        epilog="Settings come from the environment or a .env file; see .env.example.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    console = sub.add_parser(
        "console",
        help="chat with HabitLink in this terminal (no tokens needed)",
        description="Chat with HabitLink in the terminal. Type :help for the meta lines "
        "(:user, :chat, :photo, :press, :time, :quit). When standard input is not a terminal "
        "each line is one input and the output is plain, deterministic text.",
    )
    console.add_argument("--user", default="you", help="whom you act as at first (default: you)")
    run = sub.add_parser(
        "run",
        help="run the configured chat adapters (Telegram, Discord) and the scheduler",
        description="Start every adapter whose token is set (TELEGRAM_BOT_TOKEN, "
        "DISCORD_BOT_TOKEN). With none set it says what to set and exits with status 2.",
    )
    run.add_argument(
        "--no-scheduler",
        action="store_true",
        help="answer chats only; reminders and summaries come from `habitlink scheduler`",
    )
    sub.add_parser(
        "scheduler",
        help="run only the scheduler: reminders and weekly summaries",
        description="Send due reminders and weekly summaries through every configured platform, "
        "without answering chats (`habitlink run` includes the scheduler). Several may run "
        "against one PostgreSQL database; each notification is sent once.",
    )
    health = sub.add_parser(
        "health",
        help="check a running bot, scheduler or web process (exit 0 when ready, 1 when not)",
        description="GET a running instance's /readyz (default: this machine's HEALTH_PORT, "
        "9100 when unset), for container healthchecks.",
    )
    health.add_argument("--url", help="what to ask instead, e.g. http://127.0.0.1:8000/readyz")
    health.add_argument("--timeout", type=float, default=5.0, help="seconds (default: 5)")
    web = sub.add_parser(
        "web",
        help="serve the JSON API (accounts, habits, groups…) with uvicorn",
        description="Serve the HabitLink API on WEB_HOST:WEB_PORT (default 127.0.0.1:8000): "
        "OpenAPI at /openapi.json, its docs at /docs, health at /healthz and /readyz.",
    )
    web.add_argument("--host", help="address to listen on (default: WEB_HOST)")
    web.add_argument("--port", type=port, help="port to listen on (default: WEB_PORT)")
    add_admin_parser(sub)
    migrate = sub.add_parser(
        "migrate",
        help="upgrade the database schema to the newest migration",
        description="Apply Alembic migrations to DATABASE_URL (default: the embedded SQLite file).",
    )
    migrate.add_argument(
        "--check", action="store_true", help="only report whether the schema is current"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"habitlink: the settings are not valid:\n{exc}", file=sys.stderr)
        return 2
    configure_logging(
        settings.log_level, settings.effective_log_format, secrets=settings.secret_values()
    )
    try:
        if args.command == "console":
            from bot.platforms import console_main

            return asyncio.run(console_main()(settings, args.user))
        if args.command == "health":
            return _health(settings, args.url, args.timeout)
        if args.command == "web":
            from bot.platforms import web_main

            return asyncio.run(web_main()(settings, args.host, args.port))
        if args.command == "admin":
            from bot.admin_cli import run_admin

            return asyncio.run(run_admin(settings, args.admin_action, args.email))
        if args.command == "migrate":
            return asyncio.run(_migrate(settings, check=args.check))
        from bot.runner import run_adapters, run_scheduler

        if args.command == "scheduler":
            return asyncio.run(run_scheduler(settings))
        return asyncio.run(run_adapters(settings, with_scheduler=not args.no_scheduler))
    except SchemaOutOfDate as exc:
        print(f"habitlink: {exc}", file=sys.stderr)
        return 3
    except WeakSecret as exc:
        print(f"habitlink: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _health(settings: Settings, url: str | None, timeout: float) -> int:
    from bot.health import DEFAULT_PORT, check

    url = url or f"http://127.0.0.1:{settings.health_port or DEFAULT_PORT}/readyz"
    ok, detail = check(url, timeout)
    print(f"{'ok' if ok else 'not ready'}: {detail}", file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


async def _migrate(settings: Settings, *, check: bool) -> int:
    from core.db.engine import Database
    from core.db.schema import current_revision, head_revision, upgrade

    db = Database(settings.effective_database_url, statement_timeout=None)  # may take a while
    try:
        before = await current_revision(db)
        head = head_revision()
        if check:
            status = "up to date" if before == head else f"behind (head is {head})"
            print(f"Database schema at revision {before or 'none'}: {status}.")
            return 0 if before == head else 1
        await upgrade(db)
        if before == head:
            print(f"Database schema already at the newest revision ({head}).")
        else:
            print(f"Database schema upgraded from {before or 'empty'} to {head}.")
        return 0
    finally:
        await db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
