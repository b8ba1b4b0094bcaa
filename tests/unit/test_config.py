"""Settings: defaults that work with no configuration, and no placeholder secret in production."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings
from core.db.engine import normalise_url

ROOT = Path(__file__).resolve().parents[2]


def test_zero_config_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = Settings()
    assert settings.effective_database_url == "sqlite:///data/habitlink.db"
    assert settings.uses_embedded_database
    assert settings.effective_media_dir == Path("data/media")
    assert settings.effective_log_format == "console"
    assert settings.redis_url is None


def test_production_refuses_a_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="SECRET_KEY is a placeholder"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.effective_log_format == "json"
    assert "xxxx" not in repr(settings)  # secrets never show up in logs or reprs


def test_unknown_default_timezone_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_env_example_documents_every_setting_and_loads() -> None:
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}
    Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
    ],
)
def test_database_urls_pick_the_async_driver(given: str, expected: str) -> None:
    assert normalise_url(given) == expected
