"""A group chat renamed in Telegram: the service message `new_chat_title` keeps the title the
bot shows for the group's chat (/groups, /mygroups, summaries) current, with no command needed."""

from __future__ import annotations

from tests.e2e.telegram.test_telegram_group_chat_gone import handled
from tests.support.telegram import TelegramHarness


async def test_a_renamed_group_chat_is_called_by_its_new_title(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    group = fake.new_group("Morning Crew", bot_admin=False)  # privacy mode: service messages come
    await telegram.say("/newgroup Runners", chat=group)
    (before,) = await telegram.say("/mygroups")
    assert "Runners · Telegram “Morning Crew”" in (before.plain_text or "")
    sent = len(fake.sent_messages)
    await handled(telegram, [fake.rename_chat(group, "Dawn Patrol")])
    assert fake.sent_messages[sent:] == []  # nothing said in the chat about it
    (after,) = await telegram.say("/mygroups")
    assert "Runners · Telegram “Dawn Patrol”" in (after.plain_text or ""), after.plain_text
