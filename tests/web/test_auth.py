"""Accounts through the API: register, login, tokens, refresh rotation and reuse, logout,
throttling, password rules, hash upgrades."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import httpx
import jwt
import pytest
from pwdlib import PasswordHash
from sqlalchemy import select

from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import RefreshToken, User
from tests.web.conftest import PASSWORD, SECRET, Person, cheap_hasher, sign_up


async def test_register_login_and_me(api: httpx.AsyncClient) -> None:
    created = await api.post(
        "/api/v1/auth/register",
        json={"email": "  Ada@Example.COM ", "password": PASSWORD, "display_name": "Ada"},
    )
    assert created.status_code == 201
    assert created.json()["email"] == "ada@example.com"
    login = await api.post(
        "/api/v1/auth/login", json={"email": "ADA@example.com", "password": PASSWORD}
    )
    body = login.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    claims = jwt.decode(
        body["access_token"], SECRET, algorithms=["HS256"], options={"verify_exp": False}
    )
    assert set(claims) == {"sub", "acc", "iat", "exp", "jti", "type"} and claims["type"] == "access"
    me = await api.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["display_name"] == "Ada"
    again = await api.post(
        "/api/v1/auth/register",
        json={"email": "ada@example.com", "password": PASSWORD, "display_name": "Ada 2"},
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "email"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 8"),
        ("x" * 129, "at most 128"),
        ("grace@example.com", "email"),
        ("Grace Hopper", "your name"),
        ("Password123", "most common"),
        # Eight spaces, or one key held down, passed every rule above.
        (" " * 8, "different characters"),
        ("a" * 12, "different characters"),
        ("abababab", "different characters"),
    ],
)
async def test_password_rules(api: httpx.AsyncClient, password: str, why: str) -> None:
    answer = await api.post(
        "/api/v1/auth/register",
        json={"email": "grace@example.com", "password": password, "display_name": "Grace Hopper"},
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["errors"] == [
        {"field": "password", "message": problem["detail"], "code": "invalid_value"}
    ]
    assert why in problem["detail"]


async def test_wrong_password_and_unknown_email_look_the_same(
    api: httpx.AsyncClient, ada: Person
) -> None:
    wrong = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": "nope" * 3})
    unknown = await api.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "nope" * 3}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_access_token_expires(
    api: httpx.AsyncClient, ada: Person, clock: SettableClock
) -> None:
    assert (await ada.get("/api/v1/me")).status_code == 200
    clock.advance(timedelta(minutes=15))
    expired = await ada.get("/api/v1/me")
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"].startswith("Bearer")
    forged = jwt.encode(
        {"sub": "1", "type": "access"},
        "another key, just as long as ours 0123456789",
        algorithm="HS256",
    )
    none_alg = jwt.encode({"sub": "1"}, key=None, algorithm="none")
    for token in (forged, none_alg, "not-a-token"):
        answer = await api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(
    api: httpx.AsyncClient, ada: Person, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    first = ada.tokens["refresh_token"]
    rotated = await api.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    with caplog.at_level(logging.WARNING, logger="habitlink.accounts"):
        reused = await api.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert "refresh token reused" in caplog.text
    # The thief's copy killed the family: the legitimate newest token is revoked too.
    after = await api.post("/api/v1/auth/refresh", json={"refresh_token": second})
    assert after.status_code == 401
    async with database.session() as session:
        rows = list(await session.scalars(select(RefreshToken)))
    assert len(rows) == 2 and all(r.revoked_at is not None for r in rows)
    assert all(first not in (r.token_hash) for r in rows)  # stored only as hashes


async def test_refresh_token_expires_after_30_days(
    api: httpx.AsyncClient, ada: Person, clock: SettableClock
) -> None:
    clock.advance(timedelta(days=30))
    answer = await api.post(
        "/api/v1/auth/refresh", json={"refresh_token": ada.tokens["refresh_token"]}
    )
    assert answer.status_code == 401


async def test_logout_ends_the_family(api: httpx.AsyncClient, ada: Person) -> None:
    token = ada.tokens["refresh_token"]
    assert (await api.post("/api/v1/auth/logout", json={"refresh_token": token})).status_code == 204
    answer = await api.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert answer.status_code == 401


async def test_login_throttled_per_account(api: httpx.AsyncClient, ada: Person) -> None:
    for _ in range(5):
        answer = await api.post(
            "/api/v1/auth/login", json={"email": ada.email, "password": "wrong password"}
        )
        assert answer.status_code == 401
    blocked = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    other = await sign_up(api, "Bob")  # another account from the same address still works
    assert (await other.get("/api/v1/me")).status_code == 200


async def test_login_throttled_per_address(api: httpx.AsyncClient) -> None:
    for i in range(20):
        await api.post(
            "/api/v1/auth/login", json={"email": f"n{i}@example.com", "password": "whatever1"}
        )
    blocked = await api.post(
        "/api/v1/auth/login", json={"email": "new@example.com", "password": "whatever1"}
    )
    assert blocked.status_code == 429


async def test_old_hash_is_upgraded_on_login(
    api: httpx.AsyncClient, ada: Person, database: Database
) -> None:
    old = PasswordHash((cheap_hasher(),)).hash(PASSWORD)
    async with database.session() as session:
        user = (await session.scalars(select(User))).one()
        user.password_hash = old
        await session.commit()
    answer = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert answer.status_code == 200
    async with database.session() as session:
        stored = (await session.scalars(select(User.password_hash))).one()
    assert stored != old
    assert stored is not None and stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_change_password(api: httpx.AsyncClient, ada: Person) -> None:
    wrong = await ada.post(
        "/api/v1/me/password",
        json={"current_password": "not it at all", "new_password": "a new long phrase"},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    same = await ada.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": PASSWORD}
    )
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "new_password"
    assert "current password" in same.json()["errors"][0]["message"]
    assert (await ada.get("/api/v1/me")).status_code == 200  # still signed in
    ok = await ada.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a new long phrase"},
    )
    assert ok.status_code == 204
    login = await api.post(
        "/api/v1/auth/login", json={"email": ada.email, "password": "a new long phrase"}
    )
    assert login.status_code == 200


async def test_two_racing_refreshes_one_wins_and_the_family_ends(
    api: httpx.AsyncClient, ada: Person
) -> None:
    token = ada.tokens["refresh_token"]
    answers = await asyncio.gather(
        *(api.post("/api/v1/auth/refresh", json={"refresh_token": token}) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [200, 401]
    winner = next(a for a in answers if a.status_code == 200).json()["refresh_token"]
    again = await api.post("/api/v1/auth/refresh", json={"refresh_token": winner})
    assert again.status_code == 401  # a second holder showed up: everyone signs in again


async def test_two_registrations_of_one_email_at_once(api: httpx.AsyncClient) -> None:
    body = {"email": "twin@example.com", "password": PASSWORD, "display_name": "Twin"}
    answers = await asyncio.gather(
        *(api.post("/api/v1/auth/register", json=body) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [201, 422]


async def test_a_throttled_sign_in_says_when_to_try_again(
    api: httpx.AsyncClient, ada: Person
) -> None:
    for _ in range(5):
        await api.post("/api/v1/auth/login", json={"email": ada.email, "password": "wrong one"})
    blocked = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 14 * 60
    assert blocked.json()["detail"] == (
        "Too many failed attempts. To keep the account safe, try again in 15 minutes."
    )


async def test_an_expired_token_says_how_to_get_a_new_one(
    api: httpx.AsyncClient, ada: Person, clock: SettableClock
) -> None:
    signed_out = await api.get("/api/v1/me")  # no token at all: no error code (RFC 6750)
    assert signed_out.headers["www-authenticate"] == 'Bearer realm="habitlink"'
    clock.advance(timedelta(minutes=15))
    for headers in (ada.headers, {"Authorization": "Bearer not-a-token"}):
        answer = await api.get("/api/v1/me", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == (
            'Bearer realm="habitlink", error="invalid_token"'
        )
        assert answer.json()["detail"] == (
            "The access token is not valid or has expired. Get a new one from "
            "/api/v1/auth/refresh with your refresh token, or sign in again."
        )
    refreshed = await api.post(
        "/api/v1/auth/refresh", json={"refresh_token": ada.tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200  # as the message says
