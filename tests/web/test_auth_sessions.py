"""When sign-ins end: a new password ends every one of them (access tokens at once), a deleted
account's token never stands for the next account given its id, and guessing the password
through /me counts against the account as failed sign-ins do."""

from __future__ import annotations

import httpx

from tests.web.conftest import PASSWORD, Person, sign_up

NEW = "a new long phrase"


async def me_status(person: Person) -> tuple[int, str]:
    answer = await person.get("/api/v1/me")
    return answer.status_code, answer.json().get("detail", "")


async def test_a_new_password_ends_every_sign_in(api: httpx.AsyncClient, ada: Person) -> None:
    laptop = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    laptop_refresh = laptop.json()["refresh_token"]
    changed = await ada.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert changed.status_code == 204
    status, detail = await me_status(ada)  # the access token of the session that changed it
    assert status == 401 and "Sign in again" in detail
    for refresh in (ada.tokens["refresh_token"], laptop_refresh):
        again = await api.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
        assert again.status_code == 401
    login = await api.post("/api/v1/auth/login", json={"email": ada.email, "password": NEW})
    assert login.status_code == 200
    assert (await me_status(Person(api, login.json(), ada.email)))[0] == 200


async def test_a_deleted_accounts_token_is_nobody_elses(api: httpx.AsyncClient) -> None:
    gina = await sign_up(api, "Gina")
    gina_id = (await gina.get("/api/v1/me")).json()["id"]
    erased = await gina.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code == 204
    hank = await sign_up(api, "Hank")
    hank_id = (await hank.get("/api/v1/me")).json()["id"]
    assert hank_id != gina_id  # ids are never given again (SQLite too: AUTOINCREMENT, 0032)
    status, _ = await me_status(gina)
    assert status == 401
    assert (await gina.post("/api/v1/me/link-code")).status_code == 401
    assert (await me_status(hank))[0] == 200


async def test_guessing_the_password_through_me_is_throttled(ada: Person) -> None:
    for _ in range(3):
        wrong = await ada.post(
            "/api/v1/me/password", json={"current_password": "not it at all", "new_password": NEW}
        )
        assert wrong.status_code == 422
    for _ in range(2):
        wrong = await ada.request("DELETE", "/api/v1/me", json={"password": "not it at all"})
        assert wrong.status_code == 422
    blocked = await ada.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    blocked = await ada.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert blocked.status_code == 429
    assert (await me_status(ada))[0] == 200  # nothing changed, nothing erased
    login = await ada.api.post("/api/v1/auth/login", json={"email": ada.email, "password": NEW})
    assert login.status_code in (401, 429)
