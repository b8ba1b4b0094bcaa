"""Who may do what in a group: owner, admin, member, non-member and stranger, every action."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, ChatKind
from core.db.engine import Database
from core.db.models import Group, GroupMember
from tests.support.requests import group_chat, person, plain, press, private_chat, send

CHAT = group_chat("Runners")
PEOPLE = {name: person(name) for name in ("Olive", "Adam", "Mia", "Nora", "Sam", "Tom")}
ROLES = {
    "owner": "Olive",
    "admin": "Adam",
    "member": "Mia",
    "non-member": "Nora",
    "stranger": "Sam",
}


async def say(bot: HabitLinkBot, who: str, text: str, chat: Chat = CHAT) -> str:
    return plain(await send(bot, PEOPLE[who], chat, text))


async def setup_group(bot: HabitLinkBot) -> None:
    assert "Created the group" in await say(bot, "Olive", "/newgroup Runners")
    for name in ("Adam", "Mia", "Tom"):
        await say(bot, name, "/join")
    await say(bot, "Olive", "/promote @adam")
    await say(bot, "Nora", "/help")  # known to the bot, not a member; Sam never wrote


@dataclass(frozen=True)
class Case:
    action: str
    command: str
    allowed: frozenset[str]
    success: str  # text of the successful reply


MANAGERS = frozenset({"owner", "admin"})
MEMBERS = frozenset({"owner", "admin", "member"})
CASES = [
    Case("rename", "/rename Dawn Runners", MANAGERS, "The group is now called Dawn Runners."),
    Case("visibility", "/visibility private", MANAGERS, "Runners is private"),
    Case("kick", "/kick @tom", MANAGERS, "Tom is no longer in Runners."),
    Case("ban", "/ban @tom", MANAGERS, "Tom is no longer in Runners and can't join again"),
    Case("ban a stranger", "/ban @nora", MANAGERS, "Nora can't join Runners until"),
    Case("promote", "/promote @tom", frozenset({"owner"}), "Tom is now an admin of Runners."),
    Case("demote", "/demote @adam", frozenset({"owner"}), "Adam is a member of Runners again."),
    Case("transfer", "/transfer @tom", frozenset({"owner"}), "Tom now owns Runners."),
    Case("invite", "/invite", MEMBERS, "Invite someone to Runners:"),
    Case(
        "summarytime",
        "/summarytime fri 17",
        MANAGERS,
        "The weekly summary of Runners now comes on Fri at 17:00",
    ),
    Case("learn", "/learn Start tiny", MEMBERS, "shared a learning in Runners"),
    Case("board", "/board", MEMBERS | {"non-member", "stranger"}, "Runners · week of"),
]


async def group_state(db: Database) -> tuple[str, bool, dict[int, str]]:
    async with db.session() as session:
        group = (await session.scalars(select(Group))).one()
        roles = dict((await session.execute(select(GroupMember.user_id, GroupMember.role))).all())
        return group.name, group.is_public, roles


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES, ids=[c.action for c in CASES])
async def test_group_action_matrix(
    bot: HabitLinkBot, database: Database, role: str, case: Case
) -> None:
    await setup_group(bot)
    before = await group_state(database)
    reply = await say(bot, ROLES[role], case.command)
    if role in case.allowed:
        assert case.success in reply, reply
    else:
        assert case.success not in reply
        assert reply.startswith(("Only ", "Only members")), reply
        assert await group_state(database) == before  # nothing changed


async def test_a_name_or_visibility_the_group_has_already_says_so(bot: HabitLinkBot) -> None:
    await setup_group(bot)
    assert await say(bot, "Olive", "/rename Runners") == "The group is called Runners already."
    assert await say(bot, "Olive", "/visibility public") == (
        "Runners is public already: anyone can find it with /groups."
    )
    assert await say(bot, "Olive", "/visibility private") == (
        "Runners is private: new members need an invite code. Its code changed, so the one "
        "anyone saw in /groups no longer works (/invite for the new one)."
    )
    assert await say(bot, "Adam", "/visibility private") == (
        "Runners is private already: new members need an invite code."
    )
    assert await say(bot, "Adam", "/rename runners") == "The group is now called runners."


@pytest.mark.parametrize("role", ["admin", "member"])
async def test_only_the_owner_cannot_simply_leave(bot: HabitLinkBot, role: str) -> None:
    await setup_group(bot)
    assert (await say(bot, "Olive", "/leave")).startswith("You own this group.")
    assert await say(bot, ROLES[role], "/leave") == f"{ROLES[role]} left Runners."


async def test_admins_cannot_remove_the_owner_or_each_other(bot: HabitLinkBot) -> None:
    await setup_group(bot)
    await say(bot, "Olive", "/promote @tom")
    assert (await say(bot, "Adam", "/kick @olive")).startswith("Only the owner can remove an admin")
    assert (await say(bot, "Adam", "/kick @tom")).startswith("Only the owner can remove an admin")
    assert (await say(bot, "Olive", "/kick @tom")).startswith("Tom is no longer in Runners.")
    assert (await say(bot, "Adam", "/ban @olive")).startswith("Only the owner can remove an admin")
    assert (await say(bot, "Adam", "/ban @adam")) == "To leave the group yourself, send /leave."


async def test_private_groups_stay_private(bot: HabitLinkBot) -> None:
    await setup_group(bot)
    await say(bot, "Olive", "/visibility private")
    dm = Chat("console", "dm:sam", ChatKind.PRIVATE)
    assert "Runners" not in await say(bot, "Sam", "/groups", dm)
    assert (await say(bot, "Sam", "/join")).startswith("Runners is private.")
    code = (await say(bot, "Mia", "/invite")).split("/join ")[1].split()[0]
    assert await say(bot, "Sam", f"/join {code}", dm) == (
        "You joined Runners. Post your proofs and learnings in its chat."
    )


def invite_code(reply: str) -> str:
    return reply.split("/join ")[1].split()[0]


async def test_a_kicked_member_cannot_rejoin_with_any_older_code(bot: HabitLinkBot) -> None:
    """Kicking rotates the invite code: the code Tom saw, and every code shared before the
    kick, no longer works. A kick is not a ban: with a new invite Tom may come back."""
    await setup_group(bot)
    await say(bot, "Olive", "/visibility private")
    dm = Chat("console", "dm:tom", ChatKind.PRIVATE)
    old = invite_code(await say(bot, "Tom", "/invite"))
    shared = invite_code(await say(bot, "Mia", "/invite"))
    assert old == shared
    assert (await say(bot, "Adam", "/kick @tom")).startswith("Tom is no longer in Runners.")
    assert (await say(bot, "Tom", f"/join {old}", dm)).startswith(
        "That invite code doesn't match any group."
    )
    assert (await say(bot, "Tom", f"/start {old}", dm)).startswith(
        "That invite code doesn't match any group."
    )
    assert (await say(bot, "Tom", f"/join {old}")).startswith("That code doesn't open Runners")
    new = invite_code(await say(bot, "Mia", "/invite"))
    assert new != old and len(new) >= 12
    assert await say(bot, "Tom", f"/join {new}", dm) == (
        "You joined Runners. Post your proofs and learnings in its chat."
    )


@pytest.mark.parametrize("public", [True, False], ids=["public", "private"])
async def test_a_banned_person_stays_out_until_unbanned(bot: HabitLinkBot, public: bool) -> None:
    await setup_group(bot)
    if not public:
        await say(bot, "Olive", "/visibility private")
    dm = Chat("console", "dm:tom", ChatKind.PRIVATE)
    assert await say(bot, "Adam", "/ban @tom") == (
        "Tom is no longer in Runners and can't join again until an owner or admin sends /unban. "
        "The invite code changed."
    )
    refused = "You can't join Runners: its owner or an admin removed you for good."
    current = invite_code(await say(bot, "Mia", "/invite"))
    assert (await say(bot, "Tom", f"/join {current}", dm)).startswith(refused)
    assert (await say(bot, "Tom", f"/join {current}")).startswith(refused)
    if public:
        assert (await say(bot, "Tom", "/join")).startswith(refused)
    assert (await say(bot, "Mia", "/unban @tom")).startswith("Only the owner or an admin")
    assert await say(bot, "Adam", "/unban @tom") == (
        "Tom may join Runners again."
        if public
        else "Tom may join Runners again, with a new invite."
    )
    assert await say(bot, "Adam", "/unban @tom") == "Tom is not banned from Runners."
    assert await say(bot, "Tom", f"/join {current}", dm) == (
        "You joined Runners. Post your proofs and learnings in its chat."
    )


async def test_linking_accounts_does_not_lift_a_ban(bot: HabitLinkBot) -> None:
    """Tom, banned, gives his account up to Zed's profile: the profile is banned now."""
    await setup_group(bot)
    assert (await say(bot, "Olive", "/ban @tom")).startswith("Tom is no longer in Runners")
    zed = PEOPLE["Zed"] = person("Zed")
    zed_dm = private_chat(zed)
    tom_dm = private_chat(PEOPLE["Tom"])
    code = (await say(bot, "Tom", "/link", tom_dm)).split("Your link code: ")[1].split()[0]
    asked = await send(bot, zed, zed_dm, f"/link {code}")
    linked = await press(bot, zed, zed_dm, asked, "Join accounts")
    assert plain(linked).startswith("Linked!")
    refused = "You can't join Runners: its owner or an admin removed you for good."
    assert (await say(bot, "Zed", "/join")).startswith(refused)
    assert (await say(bot, "Tom", "/join")).startswith(refused)
