"""Proof photos posted as message attachments through the real discord.py: several images in
one message are one proof (an album, every image kept), answered once."""

from __future__ import annotations

from sqlalchemy import select

from bot.dispatcher import HabitLinkBot
from core.db.models import Proof
from tests.e2e.discord.test_discord_groups import runners
from tests.fakes.discord_api import FakeDiscord
from tests.support.discord import DiscordHarness, running, visible
from tests.support.images import jpeg


async def proofs(bot: HabitLinkBot) -> list[Proof]:
    async with bot.uow.db.session() as session:
        return list((await session.scalars(select(Proof).order_by(Proof.id))).all())


async def test_several_images_in_one_message_are_one_proof(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    async with running(fake, bot, message_content=True) as adapter:
        dc = DiscordHarness(fake, adapter)
        await runners(dc)
        await dc.slash("habit new", {"title": "Run 5k"}, channel=fake.dm_channel())
        images = [
            ("a.jpg", jpeg(320, 240, (200, 0, 0))),
            ("b.png", jpeg(320, 240, (0, 200, 0))),
            ("notes.txt", b"not a photo"),
            ("c.jpg", jpeg(320, 240, (0, 0, 200))),
        ]
        since = len(fake.sent_messages)
        (saved,) = await dc.say("/proof run morning loop", attachments=images)
        assert visible(saved.content) == (
            "Proof saved, Alice! That's 1 proof this week in Runners. Run 5k is checked in for "
            "today."
        )
        # A message is handled after the one before it in the channel: once this one is
        # answered, the album's other images are in.
        (alone,) = await dc.say("", attachments=[("d.jpg", jpeg(320, 240, (90, 90, 90)))])
        assert visible(alone.content) == "Proof saved, Alice! That's 2 proofs this week in Runners."
        assert fake.sent_messages[since:] == [saved, alone]  # the album answered once
        album = (await proofs(bot))[:-1]
        assert len(album) == 3 and len({p.image_key for p in album}) == 3  # every image kept
        assert len({p.album for p in album}) == 1 and album[0].album is not None
        assert [p.note for p in album] == ["morning loop", None, None]
        assert {p.habit_id for p in album} == {album[0].habit_id} and album[0].habit_id
        assert len(fake.downloads) == 4  # the text file is not fetched
