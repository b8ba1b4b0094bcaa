"""Secrets out of text that is kept or shown: log lines (bot.logs) and the outbox's errors.

Two layers. `Redactor(secrets)` replaces every configured secret (and its URL-encoded forms,
and a Telegram token's secret half). `redact_credentials` needs no configuration: it blanks
what looks like a credential wherever it comes from -- the token in a Telegram bot URL
(`/bot<id>:<token>/`), a password in a URL (`scheme://user:password@host`), a `token=`,
`key=`, `secret=` or `password=` query parameter and an `Authorization` header's value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4  # shorter "secrets" would blank out ordinary words

_CREDENTIALS = (
    # Telegram: https://api.telegram.org/bot123456:AAE.../sendMessage (also /file/bot...)
    (re.compile(r"(?i)(/bot\d+)(?::|%3A)[A-Za-z0-9_-]+"), rf"\1:{REDACTED}"),
    # A password in a URL: postgresql://user:password@host, redis://:password@host
    (re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^\s/:@]*):[^\s/@]+@"), rf"\1:{REDACTED}@"),
    # ?token=..., &api_key=..., access_token=..., secret=..., password=..., signature=...
    (
        re.compile(
            r"(?i)\b((?:[a-z_-]*token|[a-z_-]*key|[a-z_-]*secret|password|passwd|signature"
            r"|x-amz-credential|x-amz-signature)=)[^\s&'\"),;]+"
        ),
        rf"\1{REDACTED}",
    ),
    # Authorization: Bearer abc / Bot abc / Basic abc
    (
        re.compile(
            r"(?i)\b(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer|bot|basic)?\s*)[^\s'\",}]+"
        ),
        rf"\1{REDACTED}",
    ),
)


def redact_credentials(text: str) -> str:
    """Blank what looks like a credential (see the module's docstring); needs no settings."""
    for pattern, replacement in _CREDENTIALS:
        text = pattern.sub(replacement, text)
    return text


class Redactor:
    """Replaces each of `secrets` (and its URL-encoded forms) in a text, then any credential
    that `redact_credentials` recognises."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        variants: set[str] = set()
        for secret in secrets:
            forms = {secret, quote(secret, safe=""), quote(secret)}
            if ":" in secret:  # a Telegram token: its secret half on its own too
                forms.add(secret.split(":", 1)[1])
            variants |= {f for f in forms if len(f) >= MIN_SECRET_LENGTH}
        alternatives = sorted(variants, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def secrets_only(self, text: str) -> str:
        return self.pattern.sub(REDACTED, text) if self.pattern is not None else text

    def __call__(self, text: str) -> str:
        return redact_credentials(self.secrets_only(text))
