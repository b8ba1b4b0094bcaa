"""Structured logs: one JSON object per line in production, readable lines in development.

Every line passes RedactSecrets first: no configured token, key or password reaches a log, at
any level and from any library (python-telegram-bot puts the bot token in its request URLs).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

from core.redaction import REDACTED as REDACTED  # re-exported: the log tests look for it
from core.redaction import Redactor

# Not extra fields: the record's own, and uvicorn's `color_message` (its message again, with
# terminal colour codes, which every start-up line would otherwise repeat).
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
}


class RedactSecrets(logging.Filter):
    """Replaces every secret (and its URL-encoded form) in a record's message, arguments,
    extra fields, exception and stack text. Exceptions are rendered here, redacted, into
    `exc_text`, so no handler formats the raw traceback afterwards."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.redactor = Redactor(secrets)
        self.pattern = self.redactor.pattern

    def redact(self, text: str) -> str:
        return self.redactor.secrets_only(text)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.pattern is None:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that don't fit the format
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = self.redact(text), None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(vars(record).items()):
            if key in _RESERVED or key.startswith("_"):
                continue
            shown = value if isinstance(value, str) else repr(value)
            if self.pattern.search(shown):
                setattr(record, key, self.redact(shown))
        return True


def exception_text(formatter: logging.Formatter, record: logging.LogRecord) -> str | None:
    if record.exc_info:
        return formatter.formatException(record.exc_info)
    return record.exc_text or None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                payload[key] = value
        if exc := exception_text(self, record):
            payload["exc"] = exc
        return json.dumps(payload, default=str, ensure_ascii=False)


# Line breaks, terminal escapes and other control characters, written as \n, \r, \x1b...: what
# a client sent (a request path, a name) can neither start a forged line nor drive the terminal.
_CONTROLS = {i: f"\\x{i:02x}" for i in (*range(0x20), 0x7F, 0x85)}
_CONTROLS.update({0x2028: "\\u2028", 0x2029: "\\u2029"})
_CONTROLS.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def one_line(text: object) -> str:
    return str(text).translate(_CONTROLS)


class ConsoleFormatter(logging.Formatter):
    """One record a line (its traceback, if any, on the lines after it)."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{k}={one_line(v)}"
            for k, v in vars(record).items()
            if k not in _RESERVED and not k.startswith("_")
        )
        line = f"{record.levelname.lower():7} {record.name}: {one_line(record.getMessage())}"
        if extras:
            line += f"  [{extras}]"
        if exc := exception_text(self, record):
            line += "\n" + exc
        return line


def configure_logging(
    level: str = "INFO",
    fmt: str = "console",
    *,
    secrets: Iterable[str] = (),
    stream: IO[str] | None = None,
) -> None:
    """Log to stderr (or `stream`); every one of `secrets` (Settings.secret_values) redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactSecrets(secrets))
    handler.setFormatter(JsonFormatter() if fmt == "json" else ConsoleFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # The AI SDKs log whole requests at DEBUG (a person's text, their Lifebook): WARNING at least.
    noisy_loggers = ("httpx", "httpcore", "aiosqlite", "alembic.runtime", "apscheduler")
    for noisy in (*noisy_loggers, "bm25s", "openai", "groq"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
