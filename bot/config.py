"""One Settings object, read from the environment and an optional .env file."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:
    from core.media.storage import MediaStore

SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 12  # "x" * 48 is long, not secret
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
DEFAULT_SECRET_KEY = "dev-secret-change-me"
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", DEFAULT_SECRET_KEY, "password"}
PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "placeholder", "example", "replace-me")
# Telegram's secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")


class WeakSecret(ValueError):
    """A secret that cannot guard a public endpoint; the message says how to make a good one."""


def weak_secret_reason(secret: str) -> str | None:
    """Why `secret` is too weak to guard a public endpoint, or None when it is good enough."""
    value = secret.strip()
    if value.lower() in PLACEHOLDER_SECRETS or any(w in value.lower() for w in PLACEHOLDER_WORDS):
        return "is a placeholder"
    if len(value) < SECRET_MIN_LENGTH:
        return f"is too short ({len(value)} characters; at least {SECRET_MIN_LENGTH})"
    if len(set(value)) < SECRET_MIN_DISTINCT:
        return "is too easy to guess (too few different characters)"
    return None


def require_strong_secret(name: str, secret: SecretStr | str | None, purpose: str = "") -> None:
    """The one check for every secret that guards something public (the Telegram webhook, the
    web API, production): raises WeakSecret, naming the setting and how to generate a value."""
    value = secret.get_secret_value() if isinstance(secret, SecretStr) else (secret or "")
    reason = weak_secret_reason(value)
    if reason is not None:
        why = f" {purpose}" if purpose else ""
        raise WeakSecret(
            f"{name} {reason}.{why} Set it to a long random value, for example the output of: "
            f"{GENERATE_SECRET}"
        )


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        hide_input_in_errors=True,  # a refusal must not print the secrets it refuses
    )

    environment: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="Default: a SQLite file in DATA_DIR (sqlite:///data/habitlink.db)"
    )
    redis_url: str | None = None
    redis_prefix: str = "habitlink"
    media_dir: Path | None = Field(default=None, description="Default: DATA_DIR/media")
    default_timezone: str = "UTC"
    log_level: str = "INFO"
    log_format: Literal["json", "console"] | None = Field(
        default=None, description="Default: json in production, console in development"
    )
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    health_host: str = "127.0.0.1"
    health_port: int | None = Field(default=None, ge=0, le=65535)

    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    public_base_url: str | None = Field(
        default=None,
        description="Where people reach `habitlink web` (default: http://WEB_HOST:WEB_PORT)",
    )
    cors_origins: str = Field(default="", description="Comma-separated; none by default")
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = 8443
    discord_bot_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_message_content: bool = False
    discord_shard_count: int | None = Field(default=None, ge=1)
    discord_shard_ids: Annotated[list[int] | None, NoDecode] = Field(
        default=None, description="The shards this process runs, e.g. 0,1 (needs the count)"
    )

    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_path_style: bool = False

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    groq_api_key: SecretStr | None = None
    groq_base_url: str | None = None
    groq_model: str = "llama-3.1-8b-instant"
    ai_timeout_seconds: float = Field(default=4.0, gt=0, le=60)
    ai_daily_limit: int = Field(default=20, ge=0)
    tools_per_day: int = Field(default=3, ge=0)
    chart_fonts: Annotated[list[Path] | None, NoDecode] = Field(
        default=None,
        description="Font files for text in charts, comma-separated, tried in order for each "
        "character (default: DejaVu Sans, then a CJK font, where Debian installs them)",
    )

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"DEFAULT_TIMEZONE {value!r} is not an IANA time zone") from exc
        return value

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        return value

    @field_validator("chart_fonts", mode="before")
    @classmethod
    def _comma_separated_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()] or None
        return value

    @model_validator(mode="after")
    def _shards_within_the_count(self) -> Settings:
        if self.discord_shard_ids is not None:
            if self.discord_shard_count is None:
                raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT")
            wrong = [i for i in self.discord_shard_ids if not 0 <= i < self.discord_shard_count]
            if wrong or not self.discord_shard_ids:
                raise ValueError(
                    f"DISCORD_SHARD_IDS must be between 0 and {self.discord_shard_count - 1}"
                )
        return self

    @model_validator(mode="after")
    def _no_weak_secret_on_a_public_endpoint(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            require_strong_secret("SECRET_KEY", self.secret_key, "Production needs a real one.")
        if self.telegram_webhook_url:
            self.require_webhook_secret()
        return self

    def require_webhook_secret(self) -> None:
        """Webhook mode accepts updates only with a secret nobody else can know."""
        own = self.telegram_webhook_secret
        if own is not None:
            require_strong_secret(
                "TELEGRAM_WEBHOOK_SECRET", own, "It authenticates every webhook update."
            )
            if not WEBHOOK_SECRET_FORMAT.fullmatch(own.get_secret_value()):
                raise WeakSecret(
                    "TELEGRAM_WEBHOOK_SECRET may only contain A-Z, a-z, 0-9, _ and - "
                    f"(at most 256 characters). For example: {GENERATE_SECRET}"
                )
            return
        require_strong_secret(
            "SECRET_KEY",
            self.secret_key,
            "Webhook mode (TELEGRAM_WEBHOOK_URL) derives its secret from it unless "
            "TELEGRAM_WEBHOOK_SECRET is set, and refuses to start without one.",
        )

    def with_local_secret(self) -> Settings:
        """These settings, with a real SECRET_KEY even when none (or a placeholder) is set: a random
        key made once and kept in DATA_DIR/secret_key (readable by this user only), so tokens and
        sessions survive restarts and no instance signs with a key everyone knows. Production
        never gets here without its own (the validator refuses a weak one)."""
        if self.secret_key.get_secret_value().strip().lower() not in PLACEHOLDER_SECRETS:
            return self
        path = self.data_dir / "secret_key"
        try:
            key = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            key = ""
        if weak_secret_reason(key) is not None:
            key = secrets.token_urlsafe(48)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(key + "\n")
        return self.model_copy(update={"secret_key": SecretStr(key)})

    @property
    def effective_webhook_secret(self) -> str:
        """TELEGRAM_WEBHOOK_SECRET, or one derived from SECRET_KEY (Telegram allows [A-Za-z0-9_-]).
        Only used after require_webhook_secret() passed (the validator runs it in webhook mode)."""
        if self.telegram_webhook_secret is not None:
            return self.telegram_webhook_secret.get_secret_value()
        key = self.secret_key.get_secret_value().encode()
        return hmac.new(key, b"telegram-webhook", hashlib.sha256).hexdigest()

    def secret_values(self) -> list[str]:
        """Every configured secret, for the log filter: tokens, keys, passwords in URLs."""
        found = [
            s.get_secret_value()
            for s in (
                self.secret_key,
                self.telegram_bot_token,
                self.telegram_webhook_secret,
                self.discord_bot_token,
                self.s3_secret_access_key,
                self.openai_api_key,
                self.groq_api_key,
            )
            if s is not None
        ]
        found += [p for p in (url_password(self.database_url), url_password(self.redis_url)) if p]
        if self.telegram_webhook_url:
            found.append(self.effective_webhook_secret)
        return found

    def media_store(self) -> MediaStore:
        """Where proof images live: the S3 bucket when one is set, else the local folder."""
        from core.media.storage import media_store_from_settings  # Pillow only where it is used

        secret = self.s3_secret_access_key
        return media_store_from_settings(
            media_dir=self.effective_media_dir,
            s3_bucket=self.s3_bucket,
            s3_endpoint_url=self.s3_endpoint_url,
            s3_region=self.s3_region,
            s3_access_key_id=self.s3_access_key_id,
            s3_secret_access_key=secret.get_secret_value() if secret else None,
            s3_path_style=self.s3_path_style,
        )

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    @property
    def effective_public_base_url(self) -> str:
        """PUBLIC_BASE_URL, or where `habitlink web` listens (this machine for 0.0.0.0)."""
        if self.public_base_url:
            return self.public_base_url
        host = "127.0.0.1" if self.web_host in ("", "0.0.0.0", "::") else self.web_host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.web_port}"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'habitlink.db'}"

    @property
    def effective_media_dir(self) -> Path:
        return self.media_dir or self.data_dir / "media"

    @property
    def effective_log_format(self) -> str:
        if self.log_format:
            return self.log_format
        return "json" if self.environment is Environment.PRODUCTION else "console"

    @property
    def uses_embedded_database(self) -> bool:
        return self.effective_database_url.startswith("sqlite")


def url_password(url: str | None) -> str | None:
    """The password in postgresql://user:PASSWORD@host/db or redis://:PASSWORD@host."""
    if not url:
        return None
    try:
        password = urlsplit(url).password
    except ValueError:
        return None
    return unquote(password) if password else None
