"""Habit titles through the real discord.py adapter: a title given as the slash command's own
option is taken whole (`title:"Call mom monday"` is no Monday habit), its schedule is an option
of its own, a typed `/newhabit Run 3x` reads its schedule from the end as in any chat, and two
active habits cannot share a title."""

from __future__ import annotations

from tests.support.discord import DiscordHarness, visible


async def titles(dc: DiscordHarness) -> str:
    (listing,) = await dc.slash("habit list", channel=dc.fake.dm_channel())
    return visible(listing.content)


async def test_a_title_option_is_never_cut_for_a_schedule(dc: DiscordHarness) -> None:
    dm = dc.fake.dm_channel()
    (created,) = await dc.slash("habit new", {"title": "Call mom monday"}, channel=dm)
    assert visible(created.content).startswith("Created Call mom monday, every day.")
    (run,) = await dc.slash("habit new", {"title": "Run 3x"}, channel=dm)
    assert visible(run.content).startswith("Created Run 3x, every day.")
    # The schedule has an option of its own, read like the words of a typed one.
    (read,) = await dc.slash("habit new", {"title": "Read", "schedule": "mon wed fri"}, channel=dm)
    assert visible(read.content).startswith("Created Read, on Mon, Wed, Fri.")
    (gym,) = await dc.slash("habit new", {"title": "Gym", "schedule": "on weekdays"}, channel=dm)
    assert visible(gym.content).startswith("Created Gym, on weekdays.")
    listing = await titles(dc)
    assert "1. ○ Call mom monday — streak 0 days" in listing
    assert "2. ○ Run 3x — streak 0 days" in listing
    # A schedule that is none, or one without a title: a friendly reply, nothing created.
    (bad,) = await dc.slash("habit new", {"title": "Swim", "schedule": "sometimes"}, channel=dm)
    assert visible(bad.content).startswith("I can't read 'sometimes' as a schedule.")
    (alone,) = await dc.slash("habit new", {"schedule": "3x"}, channel=dm)
    assert visible(alone.content) == (
        "A schedule needs a title too. Or send /habit new alone for the guided setup."
    )
    assert "Swim" not in await titles(dc) and "5." not in await titles(dc)


async def test_a_typed_newhabit_reads_its_schedule_from_the_end(dc: DiscordHarness) -> None:
    """The text form in a DM is the one-liner of every chat: last words that read wholly as a
    schedule are one."""
    (run,) = await dc.dm("/newhabit Run 3x")
    assert visible(run.content).startswith("Created Run, 3 times a week.")
    (call,) = await dc.dm("/newhabit Call mom monday")
    assert visible(call.content).startswith("Created Call mom, on Mon.")
    (push,) = await dc.dm("/newhabit Push ups 20x")
    assert visible(push.content).startswith("Created Push ups 20x, every day.")


async def test_two_active_habits_cannot_share_a_title(dc: DiscordHarness) -> None:
    dm = dc.fake.dm_channel()
    await dc.slash("habit new", {"title": "Call mom monday"}, channel=dm)
    (again,) = await dc.slash("habit new", {"title": "call MOM  Monday"}, channel=dm)
    assert visible(again.content) == (
        "You already have a habit called “Call mom monday”. Give this one another name."
    )
    (typed,) = await dc.dm("/newhabit CALL mom monday every day")
    assert "You already have a habit called “Call mom monday”." in visible(typed.content)
    assert "2." not in await titles(dc)
