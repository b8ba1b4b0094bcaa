"""A platform that is off imports nothing: `habitlink run` with only Telegram never loads discord.py
(about 17 MB of an idle process), and with only Discord never loads python-telegram-bot.

Each case runs in a fresh interpreter: what `habitlink run` does up to serving (settings, the
configured platforms, the app, the configured platform's adapter), then a look at sys.modules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import asyncio, json, sys
from bot.app import build_app
from bot.config import Settings
from bot.runner import _configured

async def main():
    settings = Settings()
    chosen = _configured(settings, "run")
    app = await build_app(settings)
    for platform in chosen:
        platform._adapter(app)  # what serve() builds first
    await app.close()
    tops = {m.split(".")[0] for m in sys.modules}
    loaded = sorted(tops & {"discord", "telegram"})
    heavy = sorted(tops & {"alembic", "PIL", "bm25s", "numpy", "redis", "openai", "groq",
                           "boto3", "fastapi", "sqladmin", "matplotlib"})
    adapters = sorted(m for m in sys.modules if m.startswith("adapters.") and m.count(".") == 2)
    print(json.dumps({"chosen": [p.name for p in chosen], "libraries": loaded,
                      "adapters": adapters, "heavy": heavy}))

asyncio.run(main())
"""


def run_with(tmp_path: Path, **tokens: str) -> dict[str, list[str]]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DISCORD_", "REDIS_", "OPENAI_", "GROQ_", "S3_"))
    }
    env.update(tokens, DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'h.db'}")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=tmp_path,  # no .env of the developer's
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize(
    ("tokens", "platform", "off"),
    [
        ({"TELEGRAM_BOT_TOKEN": "123456:ABC-telegram-test"}, "telegram", "discord"),
        ({"DISCORD_BOT_TOKEN": "discord-test-token"}, "discord", "telegram"),
    ],
)
def test_a_platform_that_is_off_is_not_imported(
    tmp_path: Path, tokens: dict[str, str], platform: str, off: str
) -> None:
    found = run_with(tmp_path, **tokens)
    assert found["chosen"] == [platform]
    assert found["libraries"] == [platform]  # its library is loaded, the other's is not
    assert f"adapters.{off}.adapter" not in found["adapters"]
    assert f"adapters.{platform}.adapter" in found["adapters"]


def test_an_idle_bot_loads_only_what_idling_needs(tmp_path: Path) -> None:
    """Pillow (first picture), bm25s and numpy (first /findtool), redis-py (REDIS_URL), the AI
    SDKs and the web stack stay out of `habitlink run`; Alembic too once the schema is current
    (the first start migrates the embedded database with it)."""
    token = {"TELEGRAM_BOT_TOKEN": "123456:ABC-telegram-test"}
    first = run_with(tmp_path, **token)
    assert first["heavy"] == ["alembic"]  # it migrated the new database
    again = run_with(tmp_path, **token)
    assert again["chosen"] == ["telegram"]
    assert again["heavy"] == []
