"""No secret in any log line: the real bot at DEBUG against the fake Bot API, logs searched.

python-telegram-bot logs its request URLs, which carry the bot token; a failing database or
Redis connection puts its URL (with the password) in the exception. The log filter configured
by `configure_logging` redacts every secret Settings knows, wherever it appears.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from adapters.telegram.adapter import TelegramAdapter
from bot.config import Settings
from bot.dispatcher import HabitLinkBot
from bot.logs import REDACTED, configure_logging
from tests.fakes.telegram_api import FakeTelegram
from tests.support.telegram import TelegramHarness

SECRETS = {
    "secret_key": "sk-Vb7Qm2Lx9Rt4Hn8Kc3Wd6Pf1Zs5Jg0Ya",
    "telegram_webhook_secret": "wh-Q4mX8pL2vR7tN3kC9sD6fG1hJ5bZ0y",
    "discord_bot_token": "MTA4NzE2.discord-Gx7Lq.Vb9Kp3Rt6Wn2Hs8Jd4Fc",
    "s3_secret_access_key": "s3-wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
    "openai_api_key": "sk-proj-openai-Tq8Lm3Vx7Rb2Nk9Hd4",
    "groq_api_key": "gsk_groq-Pz5Wc1Ks8Yt3Ln7Jm2Qv",
}
DB_PASSWORD = "pg-p@ss:w0rd/Tz8"  # characters that must be escaped in a URL
REDIS_PASSWORD = "redis-Hk4Nw9Bq2Xv7"


@pytest.fixture
def captured_log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    stream = io.StringIO()
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


async def test_no_secret_in_any_log_line_at_debug(
    bot: HabitLinkBot, captured_log: io.StringIO
) -> None:
    async with FakeTelegram() as fake:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.base_url,
            database_url=f"postgresql://habitlink:{quote(DB_PASSWORD, safe='')}@db/habitlink",
            redis_url=f"redis://:{REDIS_PASSWORD}@redis.internal:6379/0",
            telegram_webhook_url="https://bot.example.org/telegram",
            **SECRETS,
        )
        configure_logging("DEBUG", "console", secrets=settings.secret_values(), stream=captured_log)
        adapter = TelegramAdapter(
            bot, token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        stop = asyncio.Event()
        task = asyncio.create_task(adapter.serve(stop, poll_timeout=1))
        await fake.wait_for_calls("getUpdates", 1)
        harness = TelegramHarness(fake, adapter)
        await harness.say("/habits")
        await harness.say("/newhabit Read")
        # A failure whose message carries URLs with passwords, logged with its traceback.
        log = logging.getLogger("habitlink.test")
        try:
            raise ConnectionError(f"cannot reach {settings.database_url} or {settings.redis_url}")
        except ConnectionError:
            log.exception("storage down", extra={"redis": settings.redis_url})
        log.debug("settings %s %r", settings.secret_values(), settings.effective_webhook_secret)
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    text = captured_log.getvalue()
    assert "Set Bot API URL" in text and "sendMessage" in text  # PTB's DEBUG lines are there
    assert "storage down" in text and "ConnectionError" in text and REDACTED in text
    secrets = [*SECRETS.values(), DB_PASSWORD, REDIS_PASSWORD, settings.effective_webhook_secret]
    secrets += [fake.token, fake.token.split(":", 1)[1]]
    for secret in secrets:
        assert secret not in text, f"a secret leaked into the log: {secret[:6]}…"
    assert "p%40ss%3Aw0rd" not in text  # nor its URL-encoded form
