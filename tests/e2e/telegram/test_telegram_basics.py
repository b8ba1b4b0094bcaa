"""The habit commands through the real python-telegram-bot against the fake Bot API server."""

from __future__ import annotations

from bot.commands import Where
from tests.support.telegram import TelegramHarness


async def test_newhabit_and_the_done_button_edits_the_list(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    (created,) = await telegram.say("/newhabit <b>x</b> & co")
    assert created.plain_text is not None
    assert "Created <b>x</b> & co, every day" in created.plain_text  # shown exactly as typed
    assert created.parse_mode == "HTML"
    (listing,) = await telegram.say("/habits")
    assert "1. ○ <b>x</b> & co — streak 0 days" in (listing.plain_text or "")
    notice = await telegram.press(listing, text="✓ <b>x</b> & co")
    assert notice == "✓ <b>x</b> & co"
    edited = fake.message(listing.chat_id, listing.message_id)
    assert edited is not None
    assert "1. ✓ <b>x</b> & co — streak 1 day" in (edited.plain_text or "")
    assert [b["text"] for b in edited.buttons()] == ["↩ Undo <b>x</b> & co"]


async def test_menus_are_published_once(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    assert len(fake.calls_of("setMyCommands")) == 2  # private chats and group chats
    private = fake.commands_for({"type": "all_private_chats"})
    assert private is not None and "habits" in [c["command"] for c in private]
    # Exactly the declared commands that work there (and are not left out of menus):
    commands = telegram.adapter.bot.router.commands.values()
    for scope, where in (("all_private_chats", Where.PRIVATE), ("all_group_chats", Where.GROUP)):
        assert fake.commands_for({"type": scope}) == [
            {"command": c.name, "description": c.summary}
            for c in commands
            if c.menu and c.where in (Where.ANY, where)
        ]
    group = [c["command"] for c in fake.commands_for({"type": "all_group_chats"}) or []]
    assert "learn" in group and "timezone" not in group and "kick" not in group
    await telegram.adapter.publish_commands()  # a restart with the same commands
    assert len(fake.calls_of("setMyCommands")) == 2
