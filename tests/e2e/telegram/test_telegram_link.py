"""/link through the real python-telegram-bot against the fake Bot API: a Telegram account joins
a Discord account's profile (the Discord side is played by requests handed to the bot directly).
The Telegram account makes the code (it is the one given up), the Discord account types it and
confirms; the Telegram account is then told in its own chat.
"""

from __future__ import annotations

import re

from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from bot.messages import Person
from tests.fakes.telegram_models import StoredMessage
from tests.support.requests import plain, press, private_chat, send
from tests.support.telegram import TelegramHarness

DISCORD = Person("discord", "314159", "Alice D", username="alice_d")
DISCORD_DM = private_chat(DISCORD, "dm-314159")


async def on_discord(bot: HabitLinkBot, text: str, *, pressing: str | None = None) -> str:
    """Discord's message; with `pressing`, then presses the button with that label."""
    response = await send(bot, DISCORD, DISCORD_DM, text)
    if pressing is not None:
        response = await press(bot, DISCORD, DISCORD_DM, response, pressing)
    return plain(response)


def text(message: StoredMessage) -> str:
    assert message.method == "sendMessage", message.method
    assert message.parse_mode == "HTML"
    return message.plain_text or ""


def styled(message: StoredMessage, kind: str) -> list[str]:
    visible = (message.plain_text or "").encode("utf-16-le")
    return [
        visible[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.entities
        if e["type"] == kind
    ]


def code_in(reply: str) -> str:
    found = re.search(r"Your link code: ([A-Z0-9]{8})\n", reply)
    assert found is not None, reply
    return found.group(1)


async def test_telegram_joins_a_discord_profile(
    telegram: TelegramHarness, bot: HabitLinkBot
) -> None:
    await on_discord(bot, "/newhabit Meditate")
    await on_discord(bot, "/newhabit Read")
    await on_discord(bot, "/done meditate")

    (created,) = await telegram.say("/newhabit Read")
    assert text(created).startswith("Created Read, every day.")
    (made,) = await telegram.say("/link")
    code = code_in(text(made))
    assert await on_discord(bot, f"/link {code}", pressing="Join accounts") == (
        "Linked! This Discord account and your Telegram account are now one HabitLink profile.\n"
        "Moved here: 1 habit (1 renamed to 'Read (Telegram)' because you had one with that "
        "name).\n"
        "The profile keeps the name Alice D and its settings. Send /habits to see all."
    )
    # The Telegram account hears about it in its own chat, through the outbox.
    since = len(telegram.fake.sent_messages)
    assert await Notifier(bot, {"telegram": telegram.adapter}).dispatch_all() == 1
    (notice,) = telegram.messages_since(since, telegram.fake.private_chat())
    assert text(notice).startswith(
        "Linked. This account is now part of the HabitLink profile of Alice D: the link code it "
        "made on 23 Mar at 09:00 was typed on Discord."
    )
    assert styled(notice, "bold") == ["Linked."]

    (listing,) = await telegram.say("/habits")
    assert text(listing) == (
        "Today · Mon 23 Mar\n"
        "1. ✓ Meditate — streak 1 day\n"
        "2. ○ Read — streak 0 days\n"
        "3. ○ Read (Telegram) — streak 0 days\n\n"
        "1 of 3 done."
    )
    assert [b["text"] for b in listing.buttons()] == [
        "↩ Undo Meditate",
        "✓ Read",
        "✓ Read (Telegram)",
    ]
    # A check-in by button in Telegram is the Discord account's too.
    assert await telegram.press(listing, text="✓ Read") == "✓ Read"
    assert "2. ✓ Read — streak 1 day" in await on_discord(bot, "/habits")
    # And the code is spent.
    assert await on_discord(bot, f"/link {code}") == (
        "This Discord account is already part of your HabitLink profile. Nothing to do."
    )


async def test_a_code_made_in_telegram_and_kept_out_of_groups(
    telegram: TelegramHarness, bot: HabitLinkBot
) -> None:
    (made,) = await telegram.say("/link")
    code = code_in(text(made))
    assert styled(made, "bold") == [code]
    assert styled(made, "code") == [f"/link {code}"]

    group = telegram.fake.new_group("Runners")
    (refused,) = await telegram.say("/link", chat=group)
    assert text(refused) == (
        "Link codes are personal, so I only hand them out in a private chat. "
        "Message me directly and send /link there."
    )
    (cancelled,) = await telegram.say(f"/link {code}", chat=group)
    assert text(cancelled).startswith("Please link in a private chat with me, never in a group")
    assert await on_discord(bot, f"/link {code}") == (
        "That code has expired: codes work for 15 minutes, and only the newest one counts. "
        "Send /link on your other account (the one to join this profile) for a new one."
    )

    (fresh,) = await telegram.say("/link")
    assert await on_discord(bot, f"/link {code_in(text(fresh))}", pressing="Join accounts") == (
        "Linked! This Discord account and your Telegram account are now one HabitLink profile.\n"
        "Your Telegram account had nothing to move yet.\n"
        "The profile keeps the name Alice D and its settings. Send /habits to see all."
    )
