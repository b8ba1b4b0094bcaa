"""One Settings object, read from the environment and an optional .env file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev-secret-change-me"}


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
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
    secret_key: SecretStr = SecretStr("dev-secret-change-me")
    health_host: str = "127.0.0.1"
    health_port: int | None = Field(default=None, ge=0, le=65535)

    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Where people reach `habitlink web`"
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
    def _no_placeholder_secret_in_production(self) -> Settings:
        secret = self.secret_key.get_secret_value().strip().lower()
        if self.environment is Environment.PRODUCTION and secret in PLACEHOLDER_SECRETS:
            raise ValueError(
                "SECRET_KEY is a placeholder; set a long random value in production "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

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
