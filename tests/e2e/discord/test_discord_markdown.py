"""What people typed shows as typed in Discord's Markdown, whatever it looks like."""

from __future__ import annotations

from bot.dispatcher import HabitLinkBot
from tests.e2e.discord.test_discord_groups import runners
from tests.fakes.discord_api import FakeDiscord
from tests.support.discord import DiscordHarness, running, visible


async def test_list_like_lines_show_without_a_stray_backslash(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    """A line " - one" is not a list item, and no backslash shows before it (discord.py's
    escape put one before the space, which Discord shows as is)."""
    async with running(fake, bot, message_content=True) as adapter:
        dc = DiscordHarness(fake, adapter)
        await runners(dc)
        text = "Tips:\n - one\n\t- two\n-three\n> quote\n# head"
        (card,) = await dc.say(f"/learn {text}")
        assert visible(card.content) == (
            f"💡 Alice shared a learning in Runners:\n{text}\n👍 0 likes"
        )
        assert "\n \\- one\n\t\\- two\n\\-three\n\\> quote\n\\# head\n" in card.content


async def test_a_command_in_the_wrong_place_is_named_as_discord_names_it(
    dc: DiscordHarness,
) -> None:
    """/group info in a DM, /link in a channel: the answer names Discord's command, clickable
    (not the neutral /groupinfo, which Discord has not)."""
    fake = dc.fake
    dm = fake.dm_channel()
    (info,) = await dc.slash("group info", channel=dm)
    assert visible(info.content) == "/group info works in a group chat."
    group = fake.find_command("group", dm)["id"]
    assert info.content == f"</group info:{group}> works in a group chat."
    (book,) = await dc.slash("lifebook")  # in #general
    lifebook = fake.find_command("lifebook", dm)["id"]
    assert book.content == f"</lifebook:{lifebook}> works in a private chat with me."
    (link,) = await dc.slash("link")
    assert visible(link.content).endswith("Message me directly and send /link there.")
    assert f"</link:{fake.find_command('link')['id']}>" in link.content
