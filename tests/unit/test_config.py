"""Settings: defaults that work with no configuration, and no placeholder secret in production."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.config import (
    DEFAULT_SECRET_KEY,
    GENERATE_SECRET,
    Settings,
    WeakSecret,
    require_strong_secret,
)
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


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"WEB_PORT": "8631"}, "http://127.0.0.1:8631"),
        ({"WEB_HOST": "0.0.0.0", "WEB_PORT": "9000"}, "http://127.0.0.1:9000"),
        ({"WEB_HOST": "::1"}, "http://[::1]:8000"),
        (
            {"WEB_PORT": "8631", "PUBLIC_BASE_URL": "https://habits.example"},
            "https://habits.example",
        ),
    ],
)
def test_photo_links_start_where_the_api_listens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], url: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("WEB_HOST", "WEB_PORT", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Settings().effective_public_base_url == url


STRONG = "pP3v8Qk1_Zr7TnYw-Lx2Hc5Jd9Fb4Ms6Ag0Ue"  # 38 characters, many different


def test_development_without_a_secret_key_makes_and_keeps_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    first = Settings(data_dir=tmp_path / "data").with_local_secret()
    key = first.secret_key.get_secret_value()
    assert key != DEFAULT_SECRET_KEY and len(key) >= 32
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600
    again = Settings(data_dir=tmp_path / "data").with_local_secret()
    assert again.secret_key.get_secret_value() == key  # tokens survive a restart
    own = Settings(data_dir=tmp_path / "other", secret_key=STRONG).with_local_secret()
    assert own.secret_key.get_secret_value() == STRONG and not (tmp_path / "other").exists()


def test_production_refuses_a_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="SECRET_KEY is a placeholder"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("SECRET_KEY", STRONG)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.effective_log_format == "json"
    assert STRONG not in repr(settings)  # secrets never show up in logs or reprs


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("x", "too short"),
        ("password", "a placeholder"),
        ("12345678", "too short"),
        ("correct-horse-battery-staple", "too short"),  # 28 characters
        ("x" * 48, "too easy to guess"),
        ("01234567890123456789012345678901", "too easy to guess"),
        ("please-change-me-before-going-live-now", "a placeholder"),
        (DEFAULT_SECRET_KEY, "a placeholder"),
    ],
)
def test_production_refuses_weak_secrets(
    monkeypatch: pytest.MonkeyPatch, key: str, why: str
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None)  # type: ignore[call-arg]
    message = str(refused.value)
    assert f"SECRET_KEY is {why}" in message
    assert GENERATE_SECRET in message  # says how to make a good one
    if len(key) >= 4:
        assert key not in message  # and never repeats the secret


def test_one_check_for_every_public_endpoint() -> None:
    """The web API calls the same function for its own secrets."""
    require_strong_secret("SECRET_KEY", STRONG)
    with pytest.raises(WeakSecret, match=r"JWT_SECRET is too short \(6 characters; at least 32\)"):
        require_strong_secret("JWT_SECRET", "abc123")


def test_webhook_mode_needs_a_secret_nobody_else_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the default SECRET_KEY the webhook secret was derived from a public placeholder, so
    anyone could post updates "from" anyone. Development included: the endpoint is public."""
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None)  # type: ignore[call-arg]
    message = str(refused.value)
    assert "SECRET_KEY is a placeholder" in message
    assert "TELEGRAM_WEBHOOK_SECRET" in message and GENERATE_SECRET in message
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "hunter2")
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET is too short"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", STRONG.replace("_", "!"))
    with pytest.raises(ValidationError, match="may only contain A-Z, a-z, 0-9, _ and -"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", STRONG)
    assert Settings(_env_file=None).effective_webhook_secret == STRONG  # type: ignore[call-arg]
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    derived = Settings(_env_file=None).effective_webhook_secret  # type: ignore[call-arg]
    assert len(derived) == 64 and STRONG not in derived


def test_run_in_webhook_mode_refuses_to_start_and_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "SECRET_KEY is a placeholder" in err and "TELEGRAM_WEBHOOK_SECRET" in err
    assert GENERATE_SECRET in err
    assert not (tmp_path / "data").exists()  # refused before touching anything


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
