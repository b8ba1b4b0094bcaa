"""The Lifebook and the Toolbox through the real python-telegram-bot and the fake Bot API: buttons,
guided flows, paging in place, /findtool with the AI's words escaped as HTML, bad input, groups."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.dispatcher import HabitLinkBot
from core.finder.llm import GroqChooser
from core.finder.service import ToolFinder
from tests.fakes.llm_api import SERVER_ERROR, FakeLLM, picks
from tests.support.telegram import TelegramHarness

TELEGRAM_TEXT_MAX = 4096


async def test_lifebook_buttons_flow_and_privacy(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    (empty,) = await telegram.say("/lifebook")
    assert [b["text"] for b in empty.buttons()][:2] == ["Fill it in", "Vision"]
    assert await telegram.press(empty, text="Fill it in") is None
    question = fake.last_message(empty.chat_id)
    assert "1/5 Your vision" in (question.plain_text or "")
    (values_q,) = await telegram.say("<b>Calm</b> & strong")
    assert "2/5 Your core values" in (values_q.plain_text or "")
    await telegram.press(values_q, text="Skip (keep)")
    (goals_q,) = await telegram.say("skip")
    assert "4/5 Your goals" in (goals_q.plain_text or "")
    (domains_q,) = await telegram.say("Run 5 km by 2026-06-30")
    (saved,) = await telegram.say("health")
    text = saved.plain_text or ""
    assert "Your Lifebook is saved." in text
    assert "<b>Calm</b> & strong" in text  # shown as typed: escaped, not bold
    assert "• Run 5 km (by 2026-06-30)" in text
    assert domains_q.plain_text and "5/5" in domains_q.plain_text
    (on,) = await telegram.say("/lifebook ai on")
    assert "may now read your Lifebook" in (on.plain_text or "")
    group = fake.new_group("Runners")
    (refused,) = await telegram.say("/lifebook", chat=group)
    assert refused.plain_text == "/lifebook works in a private chat with me."


async def test_tools_page_in_place_open_and_use(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    await telegram.say("/newhabit Stretch")
    (listing,) = await telegram.say("/tools")
    assert (listing.plain_text or "").startswith("Toolbox · 31 tools · page 1/7")
    await telegram.press(listing, text="Next ▶")
    paged = fake.message(listing.chat_id, listing.message_id)
    assert paged is not None and (paged.plain_text or "").startswith(
        "Toolbox · 31 tools · page 2/7"
    )
    await telegram.press(paged, text="Don't break the chain")
    card = fake.last_message(listing.chat_id)
    assert (card.plain_text or "").startswith("Don't break the chain\n")
    await telegram.press(card, text="Use it for a habit")
    choose = fake.last_message(listing.chat_id)
    await telegram.press(choose, text="1. Stretch")
    used = fake.last_message(listing.chat_id)
    assert (used.plain_text or "").startswith("Stretch now uses Don't break the chain.")
    (edit,) = await telegram.say("/edithabit stretch")
    assert "Techniques: Don't break the chain" in (edit.plain_text or "")
    assert all(
        len(d.encode()) <= 64
        for m in fake.sent_messages
        for d in [b.get("callback_data", "") for b in m.buttons()]
    )


async def test_addtool_and_bad_input(telegram: TelegramHarness) -> None:
    (first,) = await telegram.say("/addtool <i>Walk</i> & talk")
    assert "2/4" in (first.plain_text or "")
    await telegram.say("Take calls while walking, so catching up moves you too.")
    (keywords_q,) = await telegram.say("Pick the calls\nShoes on first\nWalk until you hang up")
    await telegram.press(keywords_q, text="Skip")
    done = telegram.fake.last_message(keywords_q.chat_id)
    assert (done.plain_text or "").startswith("Thank you! <i>Walk</i> & talk is in the Toolbox")
    (empty,) = await telegram.say("/findtool")
    assert "Tell me what gets in your way" in (empty.plain_text or "")
    (unknown,) = await telegram.say("/tool no such tool")
    assert "There is no tool called “no such tool”" in (unknown.plain_text or "")
    (huge,) = await telegram.say("/findtool " + "gym " * ((TELEGRAM_TEXT_MAX - 10) // 4))
    assert "I read the first 500 characters." in (huge.plain_text or "")
    assert "Ranked offline (no AI service is set up)." in (huge.plain_text or "")


@pytest.fixture
async def llm() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


async def test_findtool_through_groq_escapes_and_falls_back(
    telegram: TelegramHarness, bot: HabitLinkBot, llm: FakeLLM
) -> None:
    chooser = GroqChooser(llm.api_key, "llama-test", base_url=llm.groq_base_url, timeout=10)
    bot.finder = ToolFinder(chooser, bot.clock)
    (listing,) = await telegram.say("/tools friction")
    tool_id = int(listing.buttons()[0]["callback_data"].rsplit(":", 1)[1])
    llm.then(picks((tool_id, "<b>Hide</b> the snacks & <a href='x'>win</a>")))
    (found,) = await telegram.say("/findtool I snack all evening")
    text = found.plain_text or ""
    assert "Add friction to a bad habit" in text
    assert "<b>Hide</b> the snacks & <a href='x'>win</a>" in text  # literal, not markup
    assert "Suggested by Groq (llama-test)" in text
    assert [b["text"] for b in found.buttons()][:1] == ["Open Add friction to a bad…"]
    llm.then(SERVER_ERROR)
    (fallback,) = await telegram.say("/findtool I snack all night long")
    await chooser.close()
    assert "Ranked offline (Groq did not answer)." in (fallback.plain_text or "")
    assert (fallback.plain_text or "").count("\n\n") >= 3
    assert llm.requests[-1].path == "/openai/v1/chat/completions"
