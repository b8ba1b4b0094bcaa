"""/export through discord.py against the fake Discord: the JSON arrives as an attachment."""

from __future__ import annotations

import json

from tests.e2e.discord.conftest import DiscordHarness


async def test_export_arrives_as_an_attachment(dc: DiscordHarness) -> None:
    dm = dc.fake.dm_channel()
    await dc.slash("habit new", {"title": "Read"}, channel=dm)
    found = await dc.slash("export", channel=dm, count=2)
    files = [a for m in found for a in m.attachments]
    assert [a.filename for a in files] == ["habitlink-export.json"], files
    exported = json.loads(files[0].data)
    assert exported["identities"][0]["platform"] == "discord"
    assert any("Everything HabitLink holds" in m.content for m in found)
