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
