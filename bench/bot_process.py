"""One bot process for bench_processes: what `habitlink run --no-scheduler` runs for Telegram in
webhook mode, built from the same Settings, minus the rate limiter (Telegram's 30 messages a
second would set the pace otherwise; the benchmark measures the processing).

    python -m bench.bot_process      # settings from the environment, as `habitlink run`
"""

from __future__ import annotations

import asyncio
import signal

from adapters.telegram.adapter import TelegramAdapter
from adapters.telegram.platform import webhook_secret
from bot.app import build_app
from bot.config import Settings
from bot.health import serve_health
from bot.logs import configure_logging


async def serve(settings: Settings) -> None:
    assert settings.telegram_bot_token is not None and settings.telegram_webhook_url
    app = await build_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    adapter = TelegramAdapter(
        app.bot,
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,
        rate_limit=False,
    )
    try:
        async with serve_health(
            app.uow, host=settings.health_host, port=settings.health_port, role="bot"
        ):
            await adapter.serve(
                stop,
                webhook_url=settings.telegram_webhook_url,
                webhook_secret=webhook_secret(settings),
                listen=settings.telegram_webhook_listen,
                port=settings.telegram_webhook_port,
            )
    finally:
        await app.close()


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level, settings.effective_log_format)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
