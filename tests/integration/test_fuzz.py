"""Thousands of random and malformed inputs through the bot layer, on SQLite and PostgreSQL.

Whatever people type or forge (huge numbers, NUL bytes, long text, random button payloads),
the bot answers in words: no traceback in the log, no generic apology, and every reply fits
the strictest platform (Telegram: 4096 UTF-16 code units of text, 1024 of a caption, 200 of
a button's answer) once rendered as plain text.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.dispatcher import SORRY_BUG, SORRY_STORAGE, HabitLinkBot
from bot.messages import Chat, ChatKind, Request, Response
from core.clock import SettableClock
from tests.support.fuzz import GROUPS, PEOPLE, Inputs, utf16_units

REQUESTS = 2500
SEEDS = (20261129,)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
NOTICE_LIMIT = 200


def problems(request: Request, response: Response) -> list[str]:
    found: list[str] = []
    what = f"{request.text or request.button!r:.200}"
    if response.notice is not None and utf16_units(response.notice) > NOTICE_LIMIT:
        found.append(f"{what}: notice of {utf16_units(response.notice)} units")
    for reply in response.replies:
        text = reply.text.plain()
        if text in (SORRY_BUG, SORRY_STORAGE):
            found.append(f"{what}: {text}")
        limit = CAPTION_LIMIT if reply.image is not None else TEXT_LIMIT
        if utf16_units(text) > limit:
            found.append(f"{what}: reply of {utf16_units(text)} units")
        if reply.image is not None and utf16_units(reply.image.caption.plain()) > CAPTION_LIMIT:
            found.append(f"{what}: caption of {utf16_units(reply.image.caption.plain())} units")
    return found


async def set_the_scene(bot: HabitLinkBot) -> None:
    """Habits, groups, a reminder and learnings, so random input reaches deep into handlers."""
    ana, ben, cy = PEOPLE
    runners, readers = GROUPS
    script = [
        (ana, None, "/newhabit Read"),
        (ana, None, "/newhabit Run 5k"),
        (ana, None, "/remind read 07:30"),
        (ben, None, "/newhabit Meditate"),
        (ana, runners, "/newgroup Runners public"),
        (ben, runners, "/join"),
        (cy, runners, "/join"),
        (ben, readers, "/newgroup Readers public"),
        (ana, runners, "/learn Warm up first"),
    ]
    script += [(person, runners, "/learn " + "😀" * 1000) for person in (ana, ben, cy, ana, ben)]
    for person, group, text in script:
        chat = group or Chat(person.platform, f"dm:{person.id}", ChatKind.PRIVATE)
        await bot.handle(Request.from_text(person, chat, text))


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_input_gets_answers_in_words_that_fit(
    bot: HabitLinkBot, clock: SettableClock, caplog: pytest.LogCaptureFixture, seed: int
) -> None:
    await set_the_scene(bot)
    inputs = Inputs.new(seed, list(bot.router.commands), list(bot.router.buttons))
    found: list[str] = []
    with caplog.at_level(logging.ERROR, logger="habitlink"):
        for i in range(REQUESTS):
            request = inputs.request()
            response = await bot.handle(request)
            found += problems(request, response)
            if i % 100 == 99:
                clock.advance(timedelta(hours=7))
    errors = sorted(
        {f"{r.getMessage()}: {r.exc_info[1]!r:.300}" for r in caplog.records if r.exc_info}
    )
    errors += [r.getMessage() for r in caplog.records if not r.exc_info]
    assert not errors, errors[:10]
    assert not found, found[:20]
