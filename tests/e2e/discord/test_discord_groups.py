"""A channel as a group through the real discord.py: /group new, proofs by /proof with an
attachment and by plain image messages, learnings liked by button and by 👍, /trust user:@Bob."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.dispatcher import HabitLinkBot
from core.db.models import GroupChat, Proof
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_models import EPHEMERAL, FakeUser
from tests.support.discord import DiscordHarness, running, visible
from tests.support.images import jpeg


async def runners(dc: DiscordHarness) -> FakeUser:
    """Alice makes #general the group Runners; Bob (a member of the server) joins it."""
    fake = dc.fake
    bob = fake.new_user("bob", global_name="Bob")
    fake.add_member(fake.default_guild, bob)
    (created,) = await dc.slash("group new", {"name": "Runners", "visibility": "public"})
    assert visible(created.content).startswith("Created the group Runners (public:")
    (welcome,) = await dc.slash("group join", user=bob)
    assert visible(welcome.content) == "Welcome to Runners, Bob!"
    return bob


async def test_group_new_links_the_channel(dc: DiscordHarness, bot: HabitLinkBot) -> None:
    fake = dc.fake
    await runners(dc)
    async with bot.uow.db.session() as session:
        (link,) = (await session.scalars(select(GroupChat))).all()
    assert (link.platform, link.external_chat_id) == ("discord", str(fake.default_channel.id))
    other = fake.default_guild.channel("habits")  # another channel is another chat
    (elsewhere,) = await dc.slash("group info", channel=other)
    assert visible(elsewhere.content).startswith("This chat has no HabitLink group yet.")
    (members,) = await dc.slash("group members")
    assert "Alice (owner)" in visible(members.content) and "Bob" in visible(members.content)


async def test_proof_with_an_attachment(
    dc: DiscordHarness, bot: HabitLinkBot, tmp_path: Path
) -> None:
    fake = dc.fake
    bob = await runners(dc)
    await dc.slash("habit new", {"title": "Run 5k"}, channel=fake.dm_channel())
    photo = ("morning.jpg", jpeg())
    (saved,) = await dc.slash("proof", {"photo": photo, "habit": "run", "note": "morning loop"})
    assert visible(saved.content) == (
        "Proof saved, Alice! That's 1 proof this week in Runners. Run 5k is checked in for today."
    )
    assert len(fake.downloads) == 1
    (second,) = await dc.slash("proof", {"photo": ("evening.png", jpeg(320, 200))})
    assert visible(second.content) == "Proof saved, Alice! That's 2 proofs this week in Runners."
    async with bot.uow.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Proof)) == 2
    assert len(list((tmp_path / "media").rglob("*.jpg"))) >= 2

    stranger = fake.new_user("carol", global_name="Carol")
    fake.add_member(fake.default_guild, stranger)
    (refused,) = await dc.slash("proof", {"photo": ("x.jpg", jpeg())}, user=stranger)
    assert visible(refused.content).startswith("Hi Carol! Photos here count as proofs")
    assert len(fake.downloads) == 2  # nothing fetched for a non-member

    board = await dc.slash("group board", user=bob, count=2)
    (card,) = board[0].embeds  # the week as an embed card: title, then the table
    assert card["title"].startswith("Runners · week of")
    assert "2 proofs this week from 2 members." in visible(card["description"])
    assert board[1].attachments[0].filename == "proofs-2026-03-23.jpg"


async def test_plain_photos_count_with_the_message_content_intent(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    async with running(fake, bot, message_content=True) as adapter:
        dc = DiscordHarness(fake, adapter)
        assert fake.session.has(1 << 15)
        await runners(dc)
        (saved,) = await dc.say("after work", attachments=[("run.jpg", jpeg())])
        assert visible(saved.content) == "Proof saved, Alice! That's 1 proof this week in Runners."
        (hello,) = await dc.say("/groupinfo")  # typed commands work in channels too
        assert "Runners" in visible(hello.content)
    async with running(fake, bot) as adapter:  # without the intent: not seen, not answered
        dc = DiscordHarness(fake, adapter)
        since = len(fake.sent_messages)
        fake.send_message("", attachments=[("run.jpg", jpeg())])
        (probe,) = await dc.slash("group info")
        assert fake.sent_messages[since:] == [probe]


async def test_likes_by_button_and_by_reaction(dc: DiscordHarness) -> None:
    fake = dc.fake
    bob = await runners(dc)
    (card,) = await dc.slash("learn", {"text": "Shoes by the door **&** out by 7"})
    assert visible(card.content) == (
        "💡 Alice shared a learning in Runners:\nShoes by the door **&** out by 7\n👍 0 likes"
    )
    assert not card.flags & EPHEMERAL
    assert [b["label"] for b in card.buttons()] == ["👍 Like", "🗑 Delete"]
    assert card.custom_ids()[0].startswith("lk:")

    await dc.press(card, "👍 Like", user=bob)
    assert visible(card.content).endswith("\n👍 1 like") and len(card.edits) == 1
    assert card.custom_ids()[0].startswith("lk:")

    own = await dc.press(card, "👍 Like")  # Alice, her own learning: a private notice only
    assert own.callback is not None and own.callback.data["flags"] == EPHEMERAL
    assert "your own learning" in visible(own.callback.content) and len(card.edits) == 1

    carol = fake.new_user("carol", global_name="Carol")
    fake.add_member(fake.default_guild, carol)
    await dc.slash("group join", user=carol)
    sent = len(fake.sent_messages)
    fake.add_reaction(card, "👍", user=carol)
    await fake.wait_for(lambda: visible(card.content).endswith("👍 2 likes"), what="a like")
    fake.add_reaction(card, "🔥", user=carol)  # other emoji mean nothing
    fake.add_reaction(card, "👍")  # the author's own: refused, silently
    (listing,) = await dc.slash("learnings", user=bob)
    assert "· 👍 2" in visible(listing.content)
    assert len(card.edits) == 2 and fake.sent_messages[sent:] == [listing]


async def test_learnings_list_likes_fit_discords_rows(dc: DiscordHarness) -> None:
    """A full page of others' learnings: ten Like buttons in two rows of five and Older in a
    third (Discord takes 5 a row, 5 rows); a press likes one and redraws the page in place."""
    bob = await runners(dc)
    for n in range(1, 12):
        await dc.slash("learn", {"text": f"Tip number {n}"}, user=bob)
    (listing,) = await dc.slash("learnings")
    rows = [[b["label"] for b in row["components"]] for row in listing.components]
    assert rows == [
        ["Like 1", "Like 2", "Like 3", "Like 4", "Like 5"],
        ["Like 6", "Like 7", "Like 8", "Like 9", "Like 10"],
        ["Older »"],
    ]
    await dc.press(listing, "Like 3")
    assert "3. Tip number 9 — Bob" in visible(listing.content)
    assert "Tip number 9 — Bob, 23 Mar · 👍 1" in visible(listing.content)
    assert len(listing.edits) == 1 and len(listing.components) == 3
    (own,) = await dc.slash("learnings", user=bob)  # Bob's own page: nothing to like
    assert [[b["label"] for b in row["components"]] for row in own.components] == [["Older »"]]


async def test_trust_a_user_picked_in_the_option(dc: DiscordHarness) -> None:
    fake = dc.fake
    bob = await runners(dc)
    (trusted,) = await dc.slash("trust", {"user": bob})
    assert visible(trusted.content) == (
        "You now trust Bob. Bob's learnings will show up in your weekly summary. "
        "Undo with /untrust."
    )
    (again,) = await dc.slash("trust", {"user": bob})
    assert visible(again.content) == "You already trust Bob. Nothing changed."
    carol = fake.new_user("carol", global_name="Carol")
    fake.add_member(fake.default_guild, carol)
    (unknown,) = await dc.slash("trust", {"user": carol})
    assert visible(unknown.content) == "Carol hasn't used HabitLink yet."
    (overview,) = await dc.slash("trusted", channel=fake.dm_channel())
    assert "You trust 1 person: Bob" in visible(overview.content)
    (untrusted,) = await dc.slash("untrust", {"user": bob})
    assert visible(untrusted.content) == "You no longer trust Bob."


async def test_command_names_in_what_people_wrote_stay_as_typed(dc: DiscordHarness) -> None:
    """No rewriting of users' text: /stats in a title or a learning is not /habit stats."""
    fake = dc.fake
    dm = fake.dm_channel()
    (created,) = await dc.slash("habit new", {"title": "I check /stats daily"}, channel=dm)
    assert visible(created.content).startswith("Created I check /stats daily, every day.")
    (listing,) = await dc.slash("habit list", channel=dm)
    assert "1. ○ I check /stats daily — streak 0 days" in visible(listing.content)
    await runners(dc)
    (card,) = await dc.slash("learn", {"text": "Send /done and /habits daily"})
    assert visible(card.content) == (
        "💡 Alice shared a learning in Runners:\nSend /done and /habits daily\n👍 0 likes"
    )
    # ...while the bot's own words name Discord's commands, clickable:
    (which,) = await dc.slash("habit done", {"habit": "zzz"}, channel=dm)
    assert visible(which.content) == ("I can't find a habit called 'zzz'.")
    await dc.slash("habit new", {"title": "Drink water"}, channel=dm)
    await dc.slash("habit new", {"title": "Water plants"}, channel=dm)
    (ask,) = await dc.slash("habit done", {"habit": "water", "day": "yesterday"}, channel=dm)
    assert (
        visible(ask.content) == "'water' matches 2 habits.\nWhich one: Drink water, Water plants?"
    )
    assert [b["label"] for b in ask.buttons()] == ["Drink water", "Water plants"]
    pressed = await dc.press(ask, "Water plants")
    assert pressed.callback is not None
    assert "✓ Water plants done yesterday." in visible(fake.last_message(dm.id).content)


async def test_a_typed_command_about_someone_mentioned_by_discord(
    fake: FakeDiscord, bot: HabitLinkBot
) -> None:
    """Typed in a channel, '/promote @Bob' reaches the bot as '/promote <@id>' (Discord's
    mention): it was answered 'Whom? ... send /promote @username', which Discord turns into a
    mention again. The person mentioned is whom the command is about."""
    async with running(fake, bot, message_content=True) as adapter:
        dc = DiscordHarness(fake, adapter)
        bob = await runners(dc)
        (promoted,) = await dc.say(f"/promote <@{bob.id}>")
        assert visible(promoted.content) == "Bob is now an admin of Runners."
        (trusted,) = await dc.say(f"/trust <@!{bob.id}>")
        assert visible(trusted.content).startswith("You now trust Bob.")
        (kicked,) = await dc.say(f"/kick <@{bob.id}> spam")
        assert visible(kicked.content).startswith("I didn't expect 'spam' there.")
        # In a learning the mention reads as the name it was typed as, not '<@id>'.
        (card,) = await dc.say(f"/learn <@{bob.id}> says shoes by the door")
        assert "\n@bob says shoes by the door\n" in visible(card.content)
