"""Every reply fits Telegram's limits, counted in UTF-16 code units, whatever people typed."""

from __future__ import annotations

import asyncio

from adapters.telegram.render import CAPTION_LIMIT, MESSAGE_LIMIT, caption, split, to_html
from bot.handlers.learnings import PREVIEW_UNITS
from bot.messages import Rich, Span, Style, rich, shorten
from tests.fakes.changes import WAIT
from tests.fakes.telegram_markup import parse_entities
from tests.fakes.telegram_models import utf16_len
from tests.support.telegram import TelegramHarness

RUNNER = "🏃"  # outside the BMP: two UTF-16 code units each
LONG = RUNNER * 1000


def units(html: str) -> int:
    return utf16_len(parse_entities(html, "HTML")[0])


async def test_learnings_of_a_thousand_emoji_fit_in_feed_and_learnings(
    telegram: TelegramHarness,
) -> None:
    """Each learning's card carries all of it; the lists show the beginning of each."""
    fake = telegram.fake
    group = fake.new_group("Runners")
    await telegram.say("/newgroup Runners", chat=group)
    for n in range(5):  # five different ones (the same learning again is refused)
        long = LONG[:-1] + str(n)
        (learned,) = await telegram.say(f"/learn {long}", chat=group)
        assert long in (learned.plain_text or "")
    since = len(fake.sent_messages)
    fake.send_command("learnings", chat=group)
    fake.send_command("feed")
    preview = shorten(LONG, PREVIEW_UNITS)
    await fake.wait_for(
        lambda: [(m.plain_text or "").count(preview) for m in fake.sent_messages[since:]] == [5, 5],
        what="the beginning of every learning in /learnings and /feed",
    )
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)
    assert all(c.status == 200 for c in fake.calls[since:] if c.method == "sendMessage")
    fake.assert_no_violations()


async def test_a_done_with_2040_emoji_is_answered(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    await telegram.say("/newhabit Run")
    since = len(fake.sent_messages)
    fake.send_command("done", RUNNER * 2040)
    await fake.wait_for(lambda: fake.sent_messages[since:], what="an answer")
    await asyncio.wait_for(telegram.adapter.settled(), WAIT)
    fake.assert_no_violations()


def test_split_counts_utf16_and_cuts_between_words() -> None:
    words = " ".join([RUNNER * 7] * 700)  # one line of 700 words, 11,199 code units
    pieces = split(rich(words))
    assert len(pieces) > 2
    for piece in pieces:
        html = to_html(piece)
        assert units(html) <= MESSAGE_LIMIT
        assert not html.startswith(" ") and RUNNER * 8 not in html
        assert all(len(word) == 7 for word in html.split(" "))  # whole words only
    assert " ".join(to_html(p) for p in pieces) == words


def test_split_never_cuts_a_pair_or_an_entity() -> None:
    text = Rich((Span("a" + RUNNER * 3000, Style.BOLD), Span("&<>" * 2000)))
    pieces = split(text)
    joined = "".join(parse_entities(to_html(p), "HTML")[0] for p in pieces)
    assert joined == "a" + RUNNER * 3000 + "&<>" * 2000
    for piece in pieces:
        html = to_html(piece)
        assert units(html) <= MESSAGE_LIMIT  # parses: no entity or tag cut in half
        html.encode("utf-8")  # a lone surrogate would not encode


def test_a_caption_fits_in_utf16() -> None:
    html = caption(rich(RUNNER * 2000))
    assert units(html) <= CAPTION_LIMIT
