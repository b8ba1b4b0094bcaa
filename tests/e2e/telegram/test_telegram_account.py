"""/export through the real python-telegram-bot: the JSON arrives as a document (sendDocument),
validated against the Bot API spec by the fake server."""

from __future__ import annotations

import json

from tests.e2e.telegram.conftest import TelegramHarness


async def test_export_arrives_as_a_document(telegram: TelegramHarness) -> None:
    await telegram.say("/newhabit Read")
    document, text = await telegram.say("/export", count=2)
    assert document.method == "sendDocument"
    assert document.document is not None
    assert document.document["file_name"] == "habitlink-export.json"
    assert document.document_data is not None
    exported = json.loads(document.document_data)
    assert exported["identities"][0]["platform"] == "telegram"
    assert [h["title"] for h in exported["habits"]] == ["Read"]
    assert text.method == "sendMessage" and "Everything HabitLink holds" in (text.plain_text or "")
