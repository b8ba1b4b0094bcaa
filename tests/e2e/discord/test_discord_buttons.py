"""Buttons through the real discord.py: custom_id is the neutral payload, a press edits its
message in place, every press is answered, and buttons survive a restart (DynamicItem)."""

from __future__ import annotations

from bot.dispatcher import HabitLinkBot
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_models import EPHEMERAL, StoredMessage
from tests.support.discord import DiscordHarness, running, visible

GONE = "That habit isn't on your list (any more). Send /habits for your own list."


def answered_every_press(fake: FakeDiscord) -> None:
    presses = [r for r in fake.interactions.values() if r.type == 3]
    assert presses and all(r.acknowledged for r in presses)


async def make_list(dc: DiscordHarness, *titles: str) -> StoredMessage:
    dm = dc.fake.dm_channel()
    for title in titles:
        await dc.slash("habit new", {"title": title}, channel=dm)
    (listing,) = await dc.slash("habit list", channel=dm)
    return listing


async def test_done_edits_the_list_in_place(dc: DiscordHarness) -> None:
    fake = dc.fake
    listing = await make_list(dc, "Read 10 pages", "Meditate")
    assert listing.custom_ids()[0].startswith("hd:") and len(listing.custom_ids()) == 2
    sent = len(fake.sent_messages)
    press = await dc.press(listing, "✓ Meditate")
    assert press.callback is not None and press.callback.type == 7
    assert press.callback.message is listing and len(listing.edits) == 1
    assert visible(listing.content) == (
        "Today · Mon 23 Mar\n1. ○ Read 10 pages — streak 0 days\n"
        "2. ✓ Meditate — streak 1 day\n\n1 of 2 done."
    )
    assert [b["label"] for b in listing.buttons()] == ["✓ Read 10 pages", "↩ Undo Meditate"]
    await dc.press(listing, "✓ Read 10 pages")
    assert visible(listing.content).endswith("2 of 2 done. Everything done, well played!")
    await dc.press(listing, "↩ Undo Meditate")
    assert visible(listing.content).endswith("1 of 2 done.")
    assert len(listing.edits) == 3 and len(fake.sent_messages) == sent  # nothing new sent
    (done,) = await dc.slash("habit done", {"habit": "read"}, channel=fake.dm_channel())
    assert visible(done.content) == "Read 10 pages was already done today. Streak 1 day."
    answered_every_press(fake)


async def test_a_stale_button_gets_a_private_explanation(dc: DiscordHarness) -> None:
    fake = dc.fake
    listing = await make_list(dc, "Read", "Stretch")
    (confirm,) = await dc.slash("habit delete", {"habit": "stretch"}, channel=fake.dm_channel())
    await dc.press(confirm, "Delete forever")
    press = await dc.press(listing, "✓ Stretch")
    assert press.callback is not None and press.callback.type == 4
    assert press.callback.data["flags"] == EPHEMERAL and visible(press.callback.content) == GONE
    assert len(listing.edits) == 0
    answered_every_press(fake)


async def test_buttons_keep_working_after_a_restart(fake: FakeDiscord, bot: HabitLinkBot) -> None:
    async with running(fake, bot) as adapter:
        dc = DiscordHarness(fake, adapter)
        listing = await make_list(dc, "Read", "Stretch")
    assert fake.sessions[0].connection is None  # the first client is gone
    async with running(fake, bot) as adapter:
        dc = DiscordHarness(fake, adapter)
        assert fake.session is fake.sessions[1]
        press = await dc.press(listing, "✓ Stretch")
        assert press.callback is not None and press.callback.type == 7
        assert "2. ✓ Stretch — streak 1 day" in visible(listing.content)
        assert [b["label"] for b in listing.buttons()] == ["✓ Read", "↩ Undo Stretch"]
    assert fake.identify_count == 2
    answered_every_press(fake)


async def test_more_buttons_than_discord_allows_are_repacked(dc: DiscordHarness) -> None:
    titles = [f"Habit {i}" for i in range(1, 8)]  # one button a row: 7 rows, Discord takes 5
    listing = await make_list(dc, *titles)
    assert len(listing.components) == 2
    assert [len(row["components"]) for row in listing.components] == [5, 2]
    assert [b["label"] for b in listing.buttons()] == [f"✓ {t}" for t in titles]
    await dc.press(listing, "✓ Habit 7")
    assert "7. ✓ Habit 7" in visible(listing.content)


async def test_a_suggestion_button_sets_the_time_zone(dc: DiscordHarness) -> None:
    fake = dc.fake
    (question,) = await dc.slash("timezone", {"zone": "Berln"}, channel=fake.dm_channel())
    labels = [b["label"] for b in question.buttons()]
    assert "Europe/Berlin" in labels
    press = await dc.press(question, "Europe/Berlin")
    assert press.callback is not None
    assert "Time zone set to Europe/Berlin." in visible(fake.last_message().content)


async def test_a_list_longer_than_a_message_pages_its_buttons(dc: DiscordHarness) -> None:
    """30 habits: Discord takes 25 buttons a message, so the buttons page (Previous / Next)
    while the text lists every habit; a press keeps its page. Before, buttons 26-30 were cut."""
    titles = [f"Habit {i}" for i in range(1, 31)]
    listing = await make_list(dc, *titles)
    assert all(f"{i}. ○ Habit {i} —" in visible(listing.content) for i in range(1, 31))
    assert "Buttons for habits 1–23 of 30." in visible(listing.content)
    assert [b["label"] for b in listing.buttons()] == [f"✓ Habit {i}" for i in range(1, 24)] + [
        "Next ▶"
    ]
    await dc.press(listing, "Next ▶")
    assert [b["label"] for b in listing.buttons()] == ["✓ Habit 24", "✓ Habit 25"] + [
        f"✓ Habit {i}" for i in range(26, 31)
    ] + ["◀ Previous"]
    await dc.press(listing, "✓ Habit 27")
    assert "27. ✓ Habit 27 — streak 1 day" in visible(listing.content)
    assert "↩ Undo Habit 27" in [b["label"] for b in listing.buttons()]  # still page 2
    assert "Buttons for habits 24–30 of 30." in visible(listing.content)
    await dc.press(listing, "◀ Previous")
    assert listing.buttons()[0]["label"] == "✓ Habit 1"
    answered_every_press(dc.fake)


async def test_a_pick_list_longer_than_a_message_goes_on_in_another(dc: DiscordHarness) -> None:
    """/stats with 30 habits: a button each, 25 on the list and the rest on a second message;
    none is dropped, and one from the second message works."""
    dm = dc.fake.dm_channel()
    for i in range(1, 31):
        await dc.slash("habit new", {"title": f"Habit {i}"}, channel=dm)
    overview, more = await dc.slash("habit stats", channel=dm, count=2)
    assert "Your habits" in visible(overview.content) and visible(more.content) == "More:"
    labels = [b["label"] for b in overview.buttons() + more.buttons()]
    assert labels == [f"{i}. Habit {i}" for i in range(1, 31)]
    assert len(overview.buttons()) == 25
    await dc.press(more, "30. Habit 30")
    assert "Habit 30" in visible(dc.fake.last_message().content)
