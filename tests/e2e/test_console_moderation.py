"""Moderation seen from the chat: an admin (core.admin) hides learnings and proofs and bans a
person; the console shows what members see at once. Both databases."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from bot.dispatcher import BANNED, HabitLinkBot
from core.media.storage import LocalMediaStore
from tests.support.admin import console_user_id, make_admin
from tests.support.console import ConsoleSession


def photo(path: Path, colour: tuple[int, int, int] = (200, 40, 40)) -> Path:
    Image.new("RGB", (120, 90), colour).save(path, "JPEG")
    return path


async def runners(console: ConsoleSession) -> None:
    """Alice runs the public Runners; Bob joins and shares a learning; we stay in that chat."""
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    await console.say(":user Bob", "/join", "/learn Lay out the shoes the night before")
    await console.say(":user Alice", "/learn Run with a friend")


async def learning_id(bot: HabitLinkBot, admin: int, text: str) -> int:
    async with bot.uow() as uow:
        rows = await uow.admin.moderation.learnings(admin)
    return next(r.id for r in rows if r.content == text)


async def test_a_hidden_learning_vanishes_from_feed_list_and_insights_at_once(
    bot: HabitLinkBot, console: ConsoleSession
) -> None:
    await runners(console)
    await console.say(":chat dm", "/trust @bob")
    assert "Lay out the shoes the night before — Bob" in await console.say("/summary")
    admin = await make_admin(bot.uow)
    target = await learning_id(bot, admin, "Lay out the shoes the night before")
    async with bot.uow() as uow:
        assert await uow.admin.moderation.hide_learning(admin, target)
        await uow.commit()
    assert "Lay out the shoes" not in await console.say("/summary")  # Alice's insights
    out = await console.say(":user Carol", "/feed")
    assert "Run with a friend" in out and "Lay out the shoes" not in out
    out = await console.say(":chat group Runners", "/learnings")
    assert "Run with a friend" in out and "Lay out the shoes" not in out
    async with bot.uow() as uow:
        assert await uow.admin.moderation.unhide_learning(admin, target)
        await uow.commit()
    assert "Lay out the shoes" in await console.say("/learnings")


async def test_a_banned_person_gets_one_notice_then_silence_and_leaves_feed_and_board(
    bot: HabitLinkBot, console: ConsoleSession, tmp_path: Path
) -> None:
    await runners(console)
    await console.say(":user Bob", f":photo {photo(tmp_path / 'b.jpg')}")
    admin = await make_admin(bot.uow)
    bob = await console_user_id(bot.uow, "Bob")
    async with bot.uow() as uow:
        assert await uow.admin.people.ban(admin, bob, "spam")
        await uow.commit()

    out = await console.say(":user Carol", ":chat dm", "/feed")
    assert "Run with a friend" in out and "Lay out the shoes" not in out
    out = await console.say(":user Alice", ":chat group Runners", "/board")
    assert "Bob" not in out and "0 proofs this week from 1 member." in out
    # Nor is Bob in its lists or counts (they said 2 members beside the board's 1).
    assert await console.say("/members") == "bot: Runners: 1 member\n     1. Alice (owner)\n"
    assert "Public · 1 member · owner Alice" in await console.say("/groupinfo")
    await console.say(":chat dm")
    assert "Runners · Console · 1 member · public" in await console.say("/mygroups")
    assert "1. Runners · Console · 1 member · /join" in await console.say("/groups")
    await console.say(":chat group Runners")

    await console.say(":user Bob", ":chat dm")
    assert await console.say("/habits") == f"bot: {BANNED}\n"
    assert await console.say("/habits", "/learn Still here") == ""  # silence from now on
    await console.say(":chat group Runners")
    assert await console.say("/board") == ""

    async with bot.uow() as uow:
        assert await uow.admin.people.unban(admin, bob)
        await uow.commit()
    out = await console.say(":user Alice", "/board")
    assert "Bob" in out and "1 proof this week from 2 members." in out
    assert "Lay out the shoes" in await console.say(":user Carol", ":chat dm", "/feed")
    out = await console.say(":user Bob", "/habits")
    assert BANNED not in out and "bot:" in out


async def test_plain_group_talk_of_a_banned_person_gets_no_notice(
    bot: HabitLinkBot, console: ConsoleSession
) -> None:
    await runners(console)
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        await uow.admin.people.ban(admin, await console_user_id(bot.uow, "Bob"))
        await uow.commit()
    await console.say(":user Bob")
    assert await console.say("hello everyone") == ""
    assert await console.say("/board") == f"bot: {BANNED}\n"  # a command: the one notice
    await console.say(":chat dm")
    assert await console.say("hi") == ""


async def test_hidden_and_deleted_proofs_leave_the_board_and_the_store(
    bot: HabitLinkBot, console: ConsoleSession, media: LocalMediaStore, tmp_path: Path
) -> None:
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    same = photo(tmp_path / "same.jpg")
    other = photo(tmp_path / "other.jpg", (10, 200, 30))
    await console.say(f":photo {same}", f":photo {same}", f":photo {other}")
    assert "3 proofs this week from 1 member." in await console.say("/board")
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        first, second, third = sorted(
            (p for p in await uow.admin.moderation.proofs(admin)), key=lambda p: p.id
        )
        assert await uow.admin.moderation.hide_proof(admin, third.id)
        await uow.commit()
    assert "2 proofs this week from 1 member." in await console.say("/board")

    async with bot.uow() as uow:  # the same photo twice is one file: kept while one uses it
        assert await uow.admin.moderation.delete_proof_image(admin, first.id) == []
        await uow.commit()
    assert await media.exists(first.image_key) and await media.exists(first.thumb_key)
    assert "1 proof this week from 1 member." in await console.say("/board")
    async with bot.uow() as uow:
        removed = await uow.admin.moderation.delete_proof_image(admin, second.id)
        await uow.commit()
    assert sorted(removed) == sorted([second.image_key, second.thumb_key])
    assert not await media.exists(second.image_key)
    out = await console.say("/board")
    assert "0 proofs this week from 1 member." in out and "[image" not in out
    async with bot.uow() as uow:
        assert await uow.admin.moderation.unhide_proof(admin, third.id)
        await uow.commit()
    assert "1 proof this week from 1 member." in await console.say("/board")


async def test_groupinfo_invites_a_non_member_of_a_public_group_in_words(
    console: ConsoleSession,
) -> None:
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    out = await console.say(":user Zed", "/groupinfo")
    assert out.endswith("Created 23 Mar 2026. You are not a member yet: /join\n"), out
    assert "Span(" not in out and "Rich(" not in out


async def test_promote_and_demote_say_when_nothing_changed(console: ConsoleSession) -> None:
    await runners(console)
    assert await console.say("/demote @bob") == (
        "bot: Bob is not an admin of Runners. Nothing changed.\n"
    )
    assert await console.say("/promote @bob") == "bot: Bob is now an admin of Runners.\n"
    assert await console.say("/promote @bob") == (
        "bot: Bob is already an admin of Runners. Nothing changed.\n"
    )
    assert await console.say("/demote @bob") == "bot: Bob is a member of Runners again.\n"
    assert "Bob (admin)" not in await console.say("/members")
