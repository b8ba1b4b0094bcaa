"""The privacy boundary of a private group (core.groups.privacy), through every command.

Secret is a private group: Olive owns it, Mia is a member with a habit, a check-in, a proof
photo and a learning. Nora is in the group's chat but never joined; Sam only talks to the bot
in private and trusts Mia. Every command the bot knows is sent by Nora in the chat and by Sam
in private: no answer may carry anything of Secret (its members, proofs, learnings, invite
code). Members see it all. A public group's content is anyone's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from bot.handlers import build_router
from tests.support.console import ConsoleSession

LEARNING = "Cold showers before dawn"
PROOF_NOTE = "misty lake"


def photo(path: Path) -> Path:
    Image.new("RGB", (64, 48), (40, 120, 200)).save(path, "JPEG")
    return path


async def secret_group(console: ConsoleSession, tmp_path: Path, *, public: bool = False) -> str:
    """Set up Secret; returns its invite code."""
    kind = "public" if public else "private"
    await console.say(":user Olive", ":chat group Secret", f"/newgroup Secret {kind}")
    code = (await console.say("/invite")).split("/join ")[1].split()[0]
    await console.say(":user Mia", ":chat dm", "/newhabit Swim", f"/join {code}")
    await console.say(
        ":chat group Secret", f":photo {photo(tmp_path / 'p.jpg')} /proof swim misty lake"
    )
    await console.say(f"/learn {LEARNING}")
    await console.say(":user Nora", "/help")  # in the chat, never joined
    await console.say(":user Sam", ":chat dm", "/trust @mia", "/timezone UTC")
    return code


def every_command() -> list[str]:
    return sorted(build_router().commands)


ARGS = {  # commands whose bare form does nothing interesting get arguments aimed at Secret
    "kick": "@mia",
    "ban": "@mia",
    "unban": "@mia",
    "promote": "@mia",
    "demote": "@mia",
    "transfer": "@mia",
    "unlearn": "1",
    "rename": "Open Secret",
    "visibility": "public",
    "summarytime": "mon 9",
}


def leaks(out: str, code: str, *, in_its_chat: bool) -> list[str]:
    """What of Secret shows in `out`. In its chat the group's name is no secret; in private
    Sam knows Mia (he trusts her), but not that she is in Secret."""
    markers = [LEARNING, PROOF_NOTE, "Swim", code, "Mia" if in_its_chat else "Secret"]
    return [m for m in markers if m.lower() in out.lower()]


async def test_nothing_of_a_private_group_reaches_a_non_member(
    console: ConsoleSession, tmp_path: Path
) -> None:
    code = await secret_group(console, tmp_path)
    # Members see their group: the boundary is membership, not a wall for them.
    for line, expected in [
        ("/members", "Mia"),
        ("/board", "Mia"),
        ("/summary", "Mia"),
        ("/learnings", LEARNING),
        ("/groupinfo", "owner Olive"),
    ]:
        assert expected in await console.say(":user Olive", ":chat group Secret", line), line
    for command in every_command():
        line = f"/{command} {ARGS.get(command, '')}".strip()
        # Nora, in Secret's own chat: its name is no secret there, nothing else is shown.
        out = await console.say(":user Nora", ":chat group Secret", line)
        assert not leaks(out, code, in_its_chat=True), (line, out)
        # Sam, in private: not even the name.
        out = await console.say(":user Sam", ":chat dm", line)
        assert not leaks(out, code, in_its_chat=False), (line, out)
    # Nothing changed: Mia is still in, her learning still there, the group still private.
    out = await console.say(":user Olive", ":chat group Secret", "/members", "/learnings")
    assert "Mia" in out and LEARNING in out
    assert "Private" in await console.say("/groupinfo")


@pytest.mark.parametrize("line", ["/members", "/board", "/summary", "/learnings", "/groupinfo"])
async def test_a_non_member_in_the_chat_is_told_why(
    console: ConsoleSession, tmp_path: Path, line: str
) -> None:
    await secret_group(console, tmp_path)
    out = await console.say(":user Nora", ":chat group Secret", line)
    assert "Private" in out or "Secret is private: only its members can see that." in out, out


async def test_a_public_groups_content_is_anyones(console: ConsoleSession, tmp_path: Path) -> None:
    await secret_group(console, tmp_path, public=True)
    for line in ("/members", "/board", "/learnings"):
        out = await console.say(":user Nora", ":chat group Secret", line)
        assert "Mia" in out, (line, out)
    out = await console.say(":user Sam", ":chat dm", "/feed")
    assert LEARNING in out


async def test_learnings_shared_in_private_stay_private_when_the_group_goes_public(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """Mia shared her learning in a private group. When its owner made the group public, it
    went to the global feed, to non-members' lists and to the summary of everyone trusting
    her. It stays for the group's members now; what is shared once it is public is anyone's."""
    await secret_group(console, tmp_path)
    out = await console.say(":user Olive", ":chat group Secret", "/visibility public")
    assert "Learnings shared while it was private stay for its members." in out
    await console.say(":user Mia", "/learn Swim with a friend")
    out = await console.say(":user Sam", ":chat dm", "/feed")
    assert "Swim with a friend" in out and LEARNING not in out
    out = await console.say("/feed top")
    assert "Swim with a friend" in out and LEARNING not in out
    out = await console.say("/summary")
    assert "Swim with a friend" in out and LEARNING not in out
    out = await console.say(":user Nora", ":chat group Secret", "/learnings")
    assert "1. Swim with a friend" in out and LEARNING not in out
    out = await console.say(":user Olive", "/learnings")  # a member sees both
    assert "1. Swim with a friend" in out and f"2. {LEARNING}" in out
    # Private and public again: the same (the rule is how each learning was shared).
    await console.say("/visibility private", "/visibility public")
    out = await console.say(":user Sam", ":chat dm", "/feed")
    assert "Swim with a friend" in out and LEARNING not in out


async def test_a_public_groups_listed_code_no_longer_opens_it_once_private(
    console: ConsoleSession,
) -> None:
    """/groups shows every public group's code to anyone. Made private, the group kept that
    code, so anyone who had seen the list joined the 'invite only' group with it. Going
    private gives it a new code, which its members get with /invite."""
    await console.say(":user Olive", ":chat group Open", "/newgroup Open public")
    listed = await console.say(":user Zed", ":chat dm", "/groups")
    old = listed.split("/join ")[1].split()[0]
    out = await console.say(":user Olive", ":chat group Open", "/visibility private")
    assert out == (
        "(you are now Olive)\n(group chat Open)\n"
        "bot: Open is private: new members need an invite code. Its code changed, so the one "
        "anyone saw in /groups no longer works (/invite for the new one).\n"
    )
    new = (await console.say("/invite")).split("/join ")[1].split()[0]
    assert new != old
    out = await console.say(":user Zed", ":chat dm", f"/join {old}")
    assert "That invite code doesn't match any group." in out
    assert "You are not in a group yet." in await console.say("/mygroups")
    assert "You joined Open." in await console.say(f"/join {new}")
    # Private already: nothing changes, the code neither.
    out = await console.say(":user Olive", ":chat group Open", "/visibility private", "/invite")
    assert "Open is private already: new members need an invite code.\n" in out and new in out
