"""`habitlink run`: start every configured chat adapter and keep them running."""

from __future__ import annotations

import sys

from bot.settings import Settings


async def run_adapters(settings: Settings) -> int:
    configured = [
        name
        for name, token in (
            ("Telegram", settings.telegram_bot_token),
            ("Discord", settings.discord_bot_token),
        )
        if token is not None
    ]
    if not configured:
        print(
            "habitlink run: no chat platform is configured.\n"
            "Set TELEGRAM_BOT_TOKEN (from @BotFather) and/or DISCORD_BOT_TOKEN, in the "
            "environment or in .env (see .env.example).\n"
            "To try HabitLink without a token: habitlink console",
            file=sys.stderr,
        )
        return 2
    print(
        f"habitlink run: {', '.join(configured)} configured, but this build has no adapter for "
        "it yet. Use `habitlink console` meanwhile.",
        file=sys.stderr,
    )
    return 2
