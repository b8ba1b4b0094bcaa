"""Who may do what with a person's Lifebook and the techniques of their habits, through the API:
the owner, another signed-in person and someone not signed in. A Lifebook is only ever its
owner's; another person's habit is a 404, as in the chat. The Lifebook never shows in a group,
the feed or the summary another member reads."""

from __future__ import annotations

import httpx

from tests.support.console import ConsoleSession
from tests.web.conftest import Person, link_console_user, sign_up

VISION = "A calm grandmother who swims"
# action -> (method, path, body); {habit} and {tool} are the owner's habit and a Toolbox tool.
ACTIONS = {
    "habit serves (read)": ("GET", "/habits/{habit}/serves", None),
    "habit serves (set)": ("PUT", "/habits/{habit}/serves", {"serves": "value:health"}),
    "habit tools (read)": ("GET", "/habits/{habit}/tools", None),
    "habit tools (attach)": ("PUT", "/habits/{habit}/tools/{tool}", None),
    "habit tools (detach)": ("DELETE", "/habits/{habit}/tools/{tool}", None),
}
OWN = [  # every route that works on "your" Lifebook: 401 without a token
    ("GET", "/lifebook", None),
    ("PATCH", "/lifebook", {"vision": "x"}),
    ("DELETE", "/lifebook", None),
    ("POST", "/lifebook/goals", {"text": "x"}),
    ("DELETE", "/lifebook/goals/g1", None),
    ("GET", "/tools", None),
    ("GET", "/tools/1", None),
    ("GET", "/tools/by-name/woop", None),
    ("POST", "/tools", {"title": "x", "summary": "y", "steps": []}),
    ("POST", "/tools/find", {"problem": "gym"}),
]


async def owner_with_a_lifebook(api: httpx.AsyncClient) -> tuple[Person, int, int]:
    ada = await sign_up(api, "Ada")
    answer = await ada.request(
        "PATCH", "/api/v1/lifebook", json={"vision": VISION, "values": ["health"]}
    )
    assert answer.status_code == 200
    habit = (await ada.post("/api/v1/habits", json={"title": "Swim"})).json()["id"]
    tool = (await ada.get("/api/v1/tools/by-name/woop")).json()["id"]
    return ada, habit, tool


async def test_habit_routes_matrix(api: httpx.AsyncClient) -> None:
    ada, habit, tool = await owner_with_a_lifebook(api)
    bob = await sign_up(api, "Bob")
    for action, (method, template, body) in ACTIONS.items():
        path = "/api/v1" + template.format(habit=habit, tool=tool)
        anonymous = await api.request(method, path, json=body)
        assert anonymous.status_code == 401, (action, anonymous.text)
        stranger = await bob.request(method, path, json=body)
        assert stranger.status_code == 404, (action, stranger.text)
        assert "no such habit" in stranger.json()["detail"]
        if action == "habit tools (detach)":
            await ada.request("PUT", f"/api/v1/habits/{habit}/tools/{tool}")
        own = await ada.request(method, path, json=body)
        assert own.status_code in {200, 204}, (action, own.text)
    assert (await ada.get(f"/api/v1/habits/{habit}/serves")).json()["label"] == "health"


async def test_without_a_token_nothing_opens(api: httpx.AsyncClient) -> None:
    for method, path, body in OWN:
        answer = await api.request(method, "/api/v1" + path, json=body)
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    bad = await api.get("/api/v1/lifebook", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


async def test_each_person_sees_only_their_own_lifebook(api: httpx.AsyncClient) -> None:
    ada, habit, tool = await owner_with_a_lifebook(api)
    await ada.request("PUT", f"/api/v1/habits/{habit}/serves", json={"serves": "value:health"})
    await ada.request("PUT", f"/api/v1/habits/{habit}/tools/{tool}")
    bob = await sign_up(api, "Bob")
    theirs = (await bob.get("/api/v1/lifebook")).json()
    assert theirs["vision"] is None and theirs["values"] == []
    await bob.request("PATCH", "/api/v1/lifebook", json={"vision": "Bob's own"})
    assert (await bob.request("DELETE", "/api/v1/lifebook")).status_code == 204
    assert (await bob.request("DELETE", "/api/v1/lifebook/goals/g1")).status_code == 404
    mine = (await ada.get("/api/v1/lifebook")).json()
    assert mine["vision"] == VISION
    assert mine["values"][0]["habits"] == [{"id": habit, "title": "Swim"}]
    card = (await bob.get(f"/api/v1/tools/{tool}")).json()
    assert card["used_by"] == []  # Ada's habit using it is not Bob's business


async def test_the_lifebook_stays_out_of_groups_the_feed_and_others_summaries(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    ada, habit, _ = await owner_with_a_lifebook(api)
    await ada.request("PUT", f"/api/v1/habits/{habit}/serves", json={"serves": "value:health"})
    bob = await sign_up(api, "Bob")
    await link_console_user(ada, console, "Ada")
    await console.say(":user Ada", ":chat group Swimmers", "/newgroup Swimmers public")
    group = (await ada.get("/api/v1/groups/mine")).json()[0]["id"]
    assert (await bob.post(f"/api/v1/groups/{group}/join")).status_code == 200
    await ada.post(f"/api/v1/groups/{group}/learnings", json={"content": "Start tiny"})
    seen = [
        await bob.get(path)
        for path in (
            f"/api/v1/groups/{group}",
            f"/api/v1/groups/{group}/learnings",
            "/api/v1/groups/public",
            "/api/v1/learnings",
            "/api/v1/summary",
        )
    ]
    assert all(answer.status_code == 200 for answer in seen), [a.text for a in seen]
    assert "Ada" in seen[0].text  # Bob does see Ada as a member …
    for answer in seen:
        assert VISION not in answer.text and "grandmother" not in answer.text  # … never her book
    out = await console.say(":user Ada", ":chat group Swimmers", "/lifebook")
    assert VISION not in out
