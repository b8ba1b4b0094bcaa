"""GET groups/{id}/learnings pages by cursor, as the feed and every other list does: a group's
older learnings are reachable, as the chat's /learnings reaches them with Older."""

from __future__ import annotations

import httpx

from tests.support.console import ConsoleSession
from tests.web.conftest import olives_group


async def test_a_groups_learnings_page_by_cursor_newest_first(
    api: httpx.AsyncClient, console: ConsoleSession
) -> None:
    olive, gid = await olives_group(api, console)
    for n in range(5):
        posted = await olive.post(f"/api/v1/groups/{gid}/learnings", json={"content": f"L{n}"})
        assert posted.status_code == 201, posted.text
    pages: list[list[str]] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        answer = await olive.get(f"/api/v1/groups/{gid}/learnings", params=params)
        assert answer.status_code == 200, answer.text
        pages.append([i["content"] for i in answer.json()["items"]])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break
    assert pages == [["L4", "L3"], ["L2", "L1"], ["L0"]]
    whole = (await olive.get(f"/api/v1/groups/{gid}/learnings")).json()
    assert [i["content"] for i in whole["items"]] == ["L4", "L3", "L2", "L1", "L0"]
    assert whole["next_cursor"] is None
    forged = await olive.get(f"/api/v1/groups/{gid}/learnings", params={"cursor": "nope"})
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "cursor"
