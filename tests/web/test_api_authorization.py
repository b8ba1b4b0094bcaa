"""The group authorization matrix through the API: owner, admin, member, non-member and stranger,
in a public and a private group. What a person may not see is a 404, like in the chat."""

from __future__ import annotations

import httpx
import pytest

from tests.support.console import ConsoleSession
from tests.web.conftest import Person, link_console_user, sign_up

MEMBERS = {"owner", "admin", "member"}
# action -> (method, path, body, who may in a public group, who may in a private one)
ACTIONS = {
    "details": ("GET", "", None, MEMBERS | {"non-member", "stranger"}, MEMBERS),
    "learnings": ("GET", "/learnings", None, MEMBERS | {"non-member", "stranger"}, MEMBERS),
    "learn": ("POST", "/learnings", {"content": "Start tiny"}, MEMBERS, MEMBERS),
    "proofs": ("GET", "/proofs", None, MEMBERS, MEMBERS),
}


async def setup(
    api: httpx.AsyncClient, console: ConsoleSession, visibility: str
) -> tuple[int, dict[str, Person]]:
    people: dict[str, Person] = {}
    for role, name in (
        ("owner", "Olive"),
        ("admin", "Adam"),
        ("member", "Mia"),
        ("non-member", "Nora"),
    ):
        person = await sign_up(api, name)
        await link_console_user(person, console, name)
        people[role] = person
    await console.say(":user Olive", ":chat group Runners", f"/newgroup Runners {visibility}")
    invite = (await people["owner"].get("/api/v1/groups/mine")).json()[0]
    gid = invite["id"]
    code = (await people["owner"].get(f"/api/v1/groups/{gid}")).json()["invite_code"]
    for role in ("admin", "member"):
        joined = await people[role].post("/api/v1/groups/join", json={"invite_code": code})
        assert joined.status_code == 200
    await console.say(":user Olive", ":chat group Runners", "/promote @adam")
    people["stranger"] = await sign_up(api, "Sam")
    return gid, people


@pytest.mark.parametrize("visibility", ["public", "private"])
async def test_group_matrix(
    api: httpx.AsyncClient, console: ConsoleSession, visibility: str
) -> None:
    gid, people = await setup(api, console, visibility)
    roles = (await people["owner"].get(f"/api/v1/groups/{gid}")).json()["member_list"]
    assert [m["role"] for m in roles] == ["owner", "admin", "member"]
    for action, (method, path, body, public, private) in ACTIONS.items():
        allowed = public if visibility == "public" else private
        for role, person in people.items():
            answer = await person.request(method, f"/api/v1/groups/{gid}{path}", json=body)
            if role in allowed:
                assert answer.status_code in {200, 201}, (action, role, answer.text)
            elif visibility == "private":
                assert answer.status_code == 404, (action, role, answer.text)
            else:
                assert answer.status_code == 403, (action, role, answer.text)
    invite = {
        role: (await p.get(f"/api/v1/groups/{gid}")).json().get("invite_code")
        for role, p in people.items()
    }
    assert {r for r, c in invite.items() if c} == MEMBERS


@pytest.mark.parametrize("visibility", ["public", "private"])
async def test_deleting_someone_elses_learning(
    api: httpx.AsyncClient, console: ConsoleSession, visibility: str
) -> None:
    """Like liking it: a learning in a private group one is not in is a 404 (it said 403 "Only
    its author can delete that learning.", telling a stranger that such a learning exists);
    one that can be read but is someone else's is a 403."""
    gid, people = await setup(api, console, visibility)
    posted = await people["member"].post(
        f"/api/v1/groups/{gid}/learnings", json={"content": "Start tiny"}
    )
    lid = posted.json()["id"]
    for role in ("owner", "non-member", "stranger"):
        liked = await people[role].post(f"/api/v1/learnings/{lid}/like")
        deleted = await people[role].request("DELETE", f"/api/v1/learnings/{lid}")
        if role == "owner" or visibility == "public":
            assert liked.status_code == 200, (role, liked.text)
            assert deleted.status_code == 403, (role, deleted.text)
            assert deleted.json()["detail"] == "Only Mia can delete this learning."
        else:
            assert liked.status_code == deleted.status_code == 404, (role, deleted.text)
            assert deleted.json()["detail"] == liked.json()["detail"]
            assert deleted.json()["code"] == liked.json()["code"] == "not_found"
    assert (await people["member"].request("DELETE", f"/api/v1/learnings/{lid}")).status_code == 204
