"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored only as hashes).

Access token: HS256 over SECRET_KEY with `sub` (user id), `acc` (the account's fingerprint),
`iat`, `exp`, `jti` and `type: access`; decoding names the one algorithm it accepts. The times are
checked against the injected clock. The fingerprint ties a token to the account as it is: a new
password, or another account given a deleted account's id (SQLite reuses ids), ends it.

Refresh tokens come in families: a login starts one, and every refresh marks the token used and
issues its successor in the same transaction. A token presented again after it was used means
two parties hold it: the whole family is revoked (and logged), so the thief and the owner both
have to sign in again. Logout revokes the family; a password reset revokes every family.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from core.clock import Clock
from core.db.models import RefreshToken

log = logging.getLogger("habitlink.accounts")

ALGORITHM = "HS256"
ACCESS = "access"
NO_SYNC = {"synchronize_session": False}
KEEP_EXPIRED = timedelta(days=7)  # expired refresh tokens are deleted after this


class InvalidToken(Exception):
    """The token is malformed, forged, expired or of the wrong type (the reason is not shown)."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def fingerprint(user_id: int, password_hash: str | None) -> str:
    """What an access token is bound to: the account and its password (every hash has its own
    salt, so a new password, or a new account with a freed id, gives another fingerprint)."""
    return hashlib.sha256(f"access:{user_id}:{password_hash or ''}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    fingerprint: str

    def matches(self, user_id: int, password_hash: str | None) -> bool:
        expected = fingerprint(user_id, password_hash)
        return user_id == self.user_id and hmac.compare_digest(expected, self.fingerprint)


@dataclass(frozen=True)
class AccessTokens:
    secret_key: str
    lifetime: timedelta
    clock: Clock

    def issue(self, user_id: int, password_hash: str | None) -> str:
        now = self.clock.now()
        claims = {
            "sub": str(user_id),
            "acc": fingerprint(user_id, password_hash),
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": uuid.uuid4().hex,
            "type": ACCESS,
        }
        import jwt  # PyJWT and cryptography: the web API's, not every bot process's (~1.3 MB)

        return jwt.encode(claims, self.secret_key, algorithm=ALGORITHM)

    def read(self, token: str) -> AccessClaims:
        """Who a valid access token stands for; raises InvalidToken."""
        import jwt

        try:
            claims = jwt.decode(
                token,
                self.secret_key,
                algorithms=[ALGORITHM],
                options={
                    "require": ["sub", "acc", "iat", "exp", "jti", "type"],
                    "verify_exp": False,  # checked below against the injected clock
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(type(exc).__name__) from None
        now = self.clock.now().timestamp()
        exp, iat, sub = claims.get("exp"), claims.get("iat"), claims.get("sub")
        if not isinstance(exp, int) or not isinstance(iat, int) or now >= exp or iat > now + 60:
            raise InvalidToken("expired")
        if claims.get("type") != ACCESS or not isinstance(sub, str) or not sub.isdecimal():
            raise InvalidToken("wrong type")
        account = claims.get("acc")
        if not isinstance(account, str):
            raise InvalidToken("wrong type")
        return AccessClaims(int(sub), account)


class Refusal(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REUSED = "reused"  # a used token came back: the family is revoked now


@dataclass(frozen=True)
class Rotated:
    user_id: int
    token: str


class RefreshTokens:
    """Issue, rotate and revoke refresh tokens in the caller's transaction."""

    def __init__(self, session: AsyncSession, clock: Clock, lifetime: timedelta) -> None:
        self.session = session
        self.clock = clock
        self.lifetime = lifetime

    async def issue(self, user_id: int, family: str | None = None) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        await self.session.execute(  # tidy: tokens expired a while ago can go
            delete(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.expires_at < now - KEEP_EXPIRED)
            .execution_options(**NO_SYNC)
        )
        self.session.add(
            RefreshToken(
                user_id=user_id,
                family=family or uuid.uuid4().hex,
                token_hash=digest(token),
                created_at=now,
                expires_at=now + self.lifetime,
            )
        )
        await self.session.flush()
        return token

    async def rotate(self, token: str) -> Rotated | Refusal:
        """Use a token once: its successor, or why not. Commit a refusal too (REUSED revokes)."""
        now = self.clock.now()
        row = await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == digest(token))
        )
        if row is None:
            return Refusal.UNKNOWN
        if row.revoked_at is not None:
            return Refusal.REVOKED
        taken = await self.session.scalar(  # of two racing refreshes, one wins, one is a reuse
            update(RefreshToken)
            .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
            .returning(RefreshToken.id)
            .execution_options(**NO_SYNC)
        )
        if taken is None:
            await self._revoke(RefreshToken.family == row.family)
            log.warning(
                "refresh token reused; its family is revoked",
                extra={"user_id": row.user_id, "family": row.family},
            )
            return Refusal.REUSED
        if now >= row.expires_at:
            return Refusal.EXPIRED
        return Rotated(row.user_id, await self.issue(row.user_id, row.family))

    async def revoke_family_of(self, token: str) -> bool:
        family = await self.session.scalar(
            select(RefreshToken.family).where(RefreshToken.token_hash == digest(token))
        )
        if family is None:
            return False
        await self._revoke(RefreshToken.family == family)
        return True

    async def revoke_all(self, user_id: int) -> None:
        await self._revoke(RefreshToken.user_id == user_id)

    async def _revoke(self, where: ColumnElement[bool]) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(where, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=self.clock.now())
            .execution_options(**NO_SYNC)
        )
