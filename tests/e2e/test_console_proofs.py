"""Proof photos in a group chat through the console: members only, cleaned images, check-ins."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from core.media.storage import LocalMediaStore
from tests.support.console import ConsoleSession

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_gps(path: Path) -> Path:
    """A landscape JPEG whose EXIF says 'rotate 90°' and carries a GPS position."""
    image = Image.new("RGB", (400, 200), (200, 40, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 0.0)})
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


async def start_group(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Run 5k", ":chat group Runners", "/newgroup Runners")


async def test_a_members_photo_is_a_proof_and_checks_in_the_named_habit(
    console: ConsoleSession, media: LocalMediaStore, tmp_path: Path
) -> None:
    await start_group(console)
    out = await console.say(f":photo {photo_with_gps(tmp_path / 'run.jpg')} /proof run rainy one")
    assert "Proof saved, Alice! That's 1 proof this week in Runners." in out
    assert "Run 5k is checked in for today." in out
    assert "1. ✓ Run 5k" in await console.say(":chat dm", "/habits")
    stored = sorted((tmp_path / "media").rglob("*.jpg"))
    assert len(stored) == 2  # the image and its thumbnail, content-addressed
    full = next(p for p in stored if not p.name.endswith("-thumb.jpg"))
    with Image.open(io.BytesIO(full.read_bytes())) as image:
        assert image.size == (200, 400)  # the EXIF rotation was applied
        assert not image.getexif()  # and every bit of metadata, GPS included, is gone


async def test_non_members_and_non_images_store_nothing(
    console: ConsoleSession, tmp_path: Path
) -> None:
    await start_group(console)
    photo = photo_with_gps(tmp_path / "a.jpg")
    out = await console.say(":user Bob", f":photo {photo}")
    assert "Hi Bob! Photos here count as proofs for members of Runners. Send /join" in out
    fake = tmp_path / "notes.jpg"
    fake.write_text("not a picture")
    out = await console.say(":user Alice", f":photo {fake}")
    assert "That doesn't look like a photo." in out
    assert not list((tmp_path / "media").rglob("*.jpg"))
    board = await console.say("/board")
    assert "0 proofs this week from 1 member." in board


async def test_a_non_members_photo_in_a_private_group_asks_for_an_invite_code(
    console: ConsoleSession, tmp_path: Path
) -> None:
    out = await console.say(":user Alice", ":chat group Secret", "/newgroup Secret private")
    assert "Members get its invite code with /invite; others join with /join CODE." in out
    assert "send /join to take part" not in out
    await console.say(":user Bob")
    out = await console.say(f":photo {photo_with_gps(tmp_path / 'a.jpg')}")
    assert out == (
        "bot: Hi Bob! Photos here count as proofs for members of Secret, a private group: ask a "
        "member for its invite code (/invite), send /join CODE, then post it again.\n"
    )
    code = (await console.say(":user Alice", "/invite")).split("/join ")[1].split()[0]
    out = await console.say(":user Bob", f"/join {code}")  # what the reply said works
    assert "bot: Welcome to Secret, Bob!" in out


async def test_board_shows_proofs_and_a_collage(console: ConsoleSession, tmp_path: Path) -> None:
    await start_group(console)
    photo = photo_with_gps(tmp_path / "a.jpg")
    await console.say(f":photo {photo}", ":user Bob", "/join", f":photo {photo}", f":photo {photo}")
    out = await console.say("/board")
    assert "Bob                 2" in out and "Alice               1" in out
    assert "3 proofs this week from 2 members." in out
    collage = next(line for line in out.splitlines() if "[image " in line)
    path = Path(collage.split("[image ")[1].split("]")[0])
    with Image.open(path) as image:
        assert image.format == "JPEG"


async def test_a_photo_in_a_private_chat_explains_where_proofs_go(
    console: ConsoleSession, tmp_path: Path
) -> None:
    out = await console.say(f":photo {photo_with_gps(tmp_path / 'a.jpg')}")
    assert "Nice photo! Send a photo in your group's chat" in out


async def test_the_board_is_the_groups_week_for_members_in_every_zone(
    console: ConsoleSession,
) -> None:
    """Sunday 22:00 in the Berlin group is Monday morning for Bob in Tokyo: the board still
    shows the group's week, with Bob's Sunday run in it, whoever asks. (Bob used to see next
    week, with his Sunday left out, and Alice the week before, with his Monday.)"""
    await console.say(":user Alice", "/timezone Berlin", "/newhabit Read")
    await console.say(":user Bob", "/timezone Tokyo", "/newhabit Run")
    await console.say(":time 2026-03-29T03:00", "/done run")  # noon on Bob's Sunday
    await console.say(":chat group Club", ":user Alice", "/newgroup Club", ":user Bob", "/join")
    await console.say(":time 2026-03-29T20:00")
    board = (
        "bot: Club · week of Mon 23 Mar\n"
        "                    proofs  check-ins  streak\n"
        "     Bob                 0        1/7       1\n"
        "     Alice               0        0/7       0\n"
        "     0 proofs this week from 2 members.\n"
    )
    assert await console.say("/board") == board
    assert await console.say("/summary") == board
    assert await console.say(":user Alice", "/board") == "(you are now Alice)\n" + board


async def test_a_photo_captioned_with_a_command(
    console: ConsoleSession, media: LocalMediaStore, tmp_path: Path
) -> None:
    """`/done HABIT` under a photo in the group is its proof; any other command runs and says
    its photo was not kept (it used to vanish without a word)."""
    await start_group(console)
    photo = photo_with_gps(tmp_path / "run.jpg")
    out = await console.say(f":photo {photo} /done run")
    assert "Proof saved, Alice! That's 1 proof this week in Runners." in out
    assert "Run 5k is checked in for today." in out
    out = await console.say(f":photo {photo} /learn Lay out the shoes")
    assert "💡 Alice shared a learning in Runners" in out
    assert "The photo was not kept: /learn takes none." in out
    assert "1 proof this week" in await console.say("/board")
    out = await console.say(":chat dm", f":photo {photo} /done run")
    assert "Run 5k was already done today." in out
    assert "The photo was not kept: /done takes none." in out
    assert "in your group's chat with /proof HABIT" in out


async def test_a_proof_counts_in_the_groups_week_whatever_the_members_zone(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """Sunday evening in the Berlin group is Monday in Tokyo, and Monday morning in Berlin is
    still Sunday in Los Angeles. A proof was counted in the poster's own week: "That's 1 proof
    this week" while the group's board showed none, and the weekly board never had it. It
    counts in the group's week now, as the board and its check-ins do; the poster's own
    summary counts it in the week they posted it in, as their check-ins."""
    photo = photo_with_gps(tmp_path / "a.jpg")
    await console.say(":user Alice", "/timezone Berlin", ":chat group Club", "/newgroup Club")
    await console.say(":user Tokyo Bob", ":chat dm", "/timezone Tokyo", ":chat group Club")
    await console.say("/join", ":user LA Cy", ":chat dm", "/timezone Los Angeles")
    await console.say(":chat group Club", "/join")

    await console.say(":time 2026-03-29T17:00", ":user Tokyo Bob")  # Berlin 19:00, Tokyo Mon
    out = await console.say(f":photo {photo}")
    assert "That's 1 proof this week in Club." in out
    board = await console.say("/board")
    assert "Club · week of Mon 23 Mar" in board and "Tokyo Bob           1" in board
    assert "1 proof this week from 3 members." in board
    summary = await console.say(":chat dm", "/summary")  # Bob's week began on his Monday
    assert "Your week · Mon 30 Mar to Sun 5 Apr" in summary and "• Club: 1 proof" in summary

    await console.say(":time 2026-03-30T06:00", ":user LA Cy", ":chat group Club")  # LA Sun
    out = await console.say(f":photo {photo}")
    assert "That's 1 proof this week in Club." in out
    board = await console.say("/board")
    assert "Club · week of Mon 30 Mar" in board and "LA Cy               1" in board
    assert "1 proof this week from 3 members." in board
    summary = await console.say(":chat dm", "/summary")
    assert "Your week · Mon 23 Mar to Sun 29 Mar" in summary and "• Club: 1 proof" in summary
