"""Password rules and hashing: Argon2id through pwdlib, always off the event loop.

Parameters are OWASP's recommendation for Argon2id (19 MiB of memory, 2 iterations, 1 lane).
A hash made with other parameters still verifies, and is replaced by a current one on the next
successful sign-in (`verify_and_update`).
"""

from __future__ import annotations

import asyncio
from functools import cache
from importlib import resources

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from core.errors import InvalidField

MIN_LENGTH = 8
MIN_DISTINCT = 4  # eight spaces or "abababab" are as easy to guess as a common password
MAX_LENGTH = 128
# OWASP-parameter hash of a random string that was thrown away.
DUMMY_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$UXQvuttXujvwDcSzXfSp8g$"
    "k0+YNiP1cZEroapr/ib4aXDmXo2bKXl+MIf3wBbl9eA"
)


def owasp_argon2id() -> Argon2Hasher:
    """OWASP's Argon2id: 19 MiB, 2 iterations, 1 lane."""
    return Argon2Hasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("core.accounts").joinpath("common_passwords.txt").read_text()
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password(
    password: str, *, email: str | None, display_name: str | None, field: str = "password"
) -> None:
    """Raise InvalidField (naming `field`) when the password breaks a rule."""
    if len(password) < MIN_LENGTH:
        raise InvalidField(field, f"The password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidField(field, f"The password can have at most {MAX_LENGTH} characters.")
    if len(set(password)) < MIN_DISTINCT:
        raise InvalidField(
            field,
            f"That password is too easy to guess: use at least {MIN_DISTINCT} different "
            "characters, such as a few words.",
        )
    lowered = password.strip().lower()
    if email and lowered in {email.lower(), email.split("@")[0].lower()}:
        raise InvalidField(field, "The password must not be your email address.")
    if display_name and lowered == display_name.strip().lower():
        raise InvalidField(field, "The password must not be your name.")
    if lowered in common_passwords():
        raise InvalidField(field, "That password is one of the most common ones; choose another.")


class Passwords:
    """Hash and verify passwords in a worker thread, so hashing never stalls the event loop."""

    def __init__(self, hasher: Argon2Hasher | None = None) -> None:
        self._hash = PasswordHash((hasher or owasp_argon2id(),))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, hashed: str) -> tuple[bool, str | None]:
        """(valid, a new hash when the stored one should be upgraded)."""
        return await asyncio.to_thread(self._hash.verify_and_update, password, hashed)

    async def waste_time(self, password: str) -> None:
        """As long as a real check, for an unknown email (no timing difference to learn from):
        a verification against a hash with the same parameters, of a password nobody knows."""
        await asyncio.to_thread(self._hash.verify, password, DUMMY_HASH)
