"""The Lifebook and the Toolbox through the real discord.py: slash commands with typed options,
tool-name autocomplete, buttons, the model's words escaped, and nothing of it in a guild channel."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.dispatcher import HabitLinkBot
from core.finder.llm import OpenAIChooser
from core.finder.service import ToolFinder
from tests.fakes.llm_api import FakeLLM, picks
from tests.support.discord import DiscordHarness, visible


async def test_tool_autocomplete_and_tool_card(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    answer = await fake.wait_for_interaction_response(fake.autocomplete("tool", "tool", "temp"))
    assert [c["name"] for c in answer.choices] == ["Temptation bundling"]
    inside = await fake.wait_for_interaction_response(fake.autocomplete("usetool", "tool", "two"))
    assert [c["value"] for c in inside.choices] == ["The two-minute version"]
    everything = await fake.wait_for_interaction_response(fake.autocomplete("tool", "tool"))
    assert len(everything.choices) == 25  # Discord's most
    (card,) = await dc.slash("tool", {"tool": "Temptation bundling"}, channel=dm)
    text = visible(card.content)
    assert text.startswith("Temptation bundling\n")
    assert "Milkman, K. L., Minson, J. A. and Volpp, K. G. M. (2014)" in text
    (missing,) = await dc.slash("tool", {"tool": "nonexistent thing"}, channel=dm)
    assert "There is no tool called “nonexistent thing”" in visible(missing.content)


async def test_browse_and_use_a_tool_for_a_habit(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    await dc.slash("habit new", {"title": "Evening walk"}, channel=dm)
    (listing,) = await dc.slash("tools", {"keyword": "phone"}, channel=dm)
    assert "Phone out of sight" in visible(listing.content)
    await dc.press(listing, "Phone out of sight")
    card = fake.last_message(dm.id)
    assert visible(card.content).startswith("Phone out of sight\n")
    await dc.press(card, "Use it for a habit")
    choose = fake.last_message(dm.id)
    await dc.press(choose, "1. Evening walk")
    used = fake.last_message(dm.id)
    assert visible(used.content).startswith("Evening walk now uses Phone out of sight.")
    (again,) = await dc.slash(
        "usetool", {"tool": "WOOP (mental contrasting)", "habit": "Evening walk"}, channel=dm
    )
    assert visible(again.content).startswith("Evening walk now uses WOOP (mental contrasting).")
    (off,) = await dc.slash(
        "usetool", {"tool": "woop", "habit": "evening", "off": "off"}, channel=dm
    )
    assert visible(off.content) == "Evening walk no longer uses WOOP (mental contrasting)."
    stats, *_ = await dc.slash("habit stats", {"habit": "evening"}, channel=dm, count=2)
    assert "Techniques: Phone out of sight" in visible(stats.content)


async def test_lifebook_by_slash_command(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    (empty,) = await dc.slash("lifebook", channel=dm)
    assert "A private page" in visible(empty.content)
    (saved,) = await dc.slash(
        "lifebook", {"part": "vision", "text": "*Calm* and _strong_ <3"}, channel=dm
    )
    assert "*Calm* and _strong_ <3" in visible(saved.content)  # shown as typed, not as Markdown
    (values,) = await dc.slash("lifebook", {"part": "values", "text": "health, family"}, channel=dm)
    assert "• family" in visible(values.content)
    (shown,) = await dc.slash("lifebook", channel=dm)
    await dc.press(shown, "Identity")
    question = fake.last_message(dm.id)
    assert "Who are you becoming?" in visible(question.content)
    (after,) = await dc.dm("I am someone who walks every day")
    assert "• I am someone who walks every day" in visible(after.content)
    channel = fake.default_channel
    (refused,) = await dc.slash("lifebook", channel=channel)
    assert visible(refused.content) == "/lifebook works in a private chat with me."
    assert "Calm" not in refused.content


@pytest.fixture
async def llm() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


async def test_findtool_with_the_ai_escapes_its_words(
    dc: DiscordHarness, bot: HabitLinkBot, llm: FakeLLM
) -> None:
    chooser = OpenAIChooser(llm.api_key, "gpt-test", base_url=llm.openai_base_url, timeout=10)
    bot.finder = ToolFinder(chooser, bot.clock)
    fake = dc.fake
    dm = fake.dm_channel()
    (empty_state,) = await dc.slash("tools", channel=dm)
    woop_id = int(
        next(b for b in empty_state.buttons() if b["label"].startswith("A cue"))[
            "custom_id"
        ].rsplit(":", 1)[1]
    )
    llm.then(picks((woop_id, "**Loud** claims & <@everyone> — try it @here")))
    (found,) = await dc.slash("findtool", {"problem": "I ignore reminders"}, channel=dm)
    await chooser.close()
    assert "A cue in your day, not an alarm" in visible(found.content)
    assert "**Loud** claims & <@everyone> — try it @here" in visible(found.content)
    assert "@everyone" not in found.content and "@here" not in found.content  # no pings
    assert "\\*\\*Loud\\*\\*" in found.content  # the model's Markdown shown, not applied
    assert "Suggested by OpenAI (gpt-test); 2 added by the offline ranking." in visible(
        found.content
    )
    assert llm.requests[0].user == "I ignore reminders"


async def test_addtool_guided_in_the_dm(dc: DiscordHarness) -> None:
    dm = dc.fake.dm_channel()
    (asked,) = await dc.slash("addtool", {"title": "Walk-and-talk calls"}, channel=dm)
    assert "2/4" in visible(asked.content)
    (short,) = await dc.dm("too short")
    assert "Keep it between 20 and 600 characters." in visible(short.content)
    await dc.dm("Take phone calls while walking, so catching up also gets you moving.")
    (steps,) = await dc.dm("Pick the calls; Put on shoes")
    assert "Send the next one (1 more at least)." in visible(steps.content)
    # All of them sent again: the two kept are not doubled.
    (more,) = await dc.dm("Pick the calls; Put on shoes; Walk until you hang up")
    assert "3. Walk until you hang up\n\nSend another" in visible(more.content)
    await dc.dm("done")
    (done,) = await dc.dm("skip")
    assert visible(done.content).startswith("Thank you! Walk-and-talk calls is in the Toolbox")
    (card,) = await dc.slash("tool", {"tool": "Walk-and-talk calls"}, channel=dm)
    assert "Shared by " in visible(card.content)


async def test_findtool_offline_reasons_and_bad_input(dc: DiscordHarness) -> None:
    dm = dc.fake.dm_channel()
    (blank,) = await dc.slash("findtool", {"problem": "   "}, channel=dm)
    assert "Tell me what gets in your way" in visible(blank.content)
    (huge,) = await dc.slash("findtool", {"problem": "gym " * 1500}, channel=dm)  # Discord's most
    assert visible(huge.content).startswith("That's too long for me: I read messages of up to")
    (long,) = await dc.slash("findtool", {"problem": "gym " * 1000}, channel=dm)
    assert "I read the first 500 characters." in visible(long.content)
    (found,) = await dc.slash(
        "findtool", {"problem": "I keep skipping the gym after work"}, channel=dm
    )
    text = visible(found.content)
    assert "Design your environment" in text
    assert "You wrote “skipping”, “gym”, “after” and “work”" in text
    assert "Ranked offline (no AI service is set up)." in text
