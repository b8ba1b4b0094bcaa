"""Learnings, likes, the feed and trust through the console adapter, on both databases."""

from __future__ import annotations

from datetime import timedelta

from core.clock import SettableClock
from tests.support.console import ConsoleSession


async def runners(console: ConsoleSession) -> None:
    """Alice creates the public Runners in its chat and Bob joins; we stay in that chat."""
    await console.say(":user Alice", ":chat group Runners", "/newgroup Runners")
    out = await console.say(":user Bob", "/join")
    assert "Welcome to Runners, Bob!" in out


async def test_learn_like_and_list_in_a_group(console: ConsoleSession) -> None:
    await runners(console)
    out = await console.say("/learn Lay out the shoes the night before")
    assert out == (
        "bot: 💡 Bob shared a learning in Runners:\n"
        "     Lay out the shoes the night before\n"
        "     👍 0 likes\n"
        "     [1] 👍 Like  [2] 🗑 Delete\n"
    )
    out = await console.say(":press 1")
    assert "(notice: That's your own learning, so you can't like it. Others can!)" in out
    assert "bot" not in out  # nothing edited
    out = await console.say(":user Alice", ":press 1")
    assert "(notice: 👍 You like Bob's learning.)" in out
    assert "bot (edited): 💡 Bob shared a learning in Runners:" in out
    assert "     👍 1 like\n" in out
    out = await console.say(":press 1")
    assert "(notice: You took your like back.)" in out
    assert "     👍 0 likes\n" in out
    await console.say(":press 1")  # like it again
    await console.say(":user Carol")
    out = await console.say("/learn Me too")
    assert out == "bot: Only members of Runners can share learnings. Send /join first.\n"
    out = await console.say("/learnings")
    assert out == (
        "bot: Latest learnings in Runners\n"
        "     1. Lay out the shoes the night before — Bob, 23 Mar · 👍 1\n"
        "     Delete one of your own with /unlearn N.\n"
        "     [1] Like 1\n"
    )


async def test_learnings_list_has_like_buttons_as_the_cards_do(console: ConsoleSession) -> None:
    """A page of /learnings showing others' learnings has a Like per learning (five a row);
    a press likes it and redraws that page; a page of only your own has none."""
    await runners(console)
    for n in range(1, 13):
        await console.say(f"/learn Tip number {n}")
    out = await console.say("/learnings")  # Bob's own: nothing to like
    assert console.buttons == ["Older »"]
    await console.say(":user Alice", "/learn Alice's tip")
    out = await console.say(":user Carol", "/learnings")  # in the chat, not a member
    assert console.buttons == [*(f"Like {n}" for n in range(1, 11)), "Older »"]
    assert "     [1] Like 1  [2] Like 2  [3] Like 3  [4] Like 4  [5] Like 5\n" in out
    out = await console.say(":press 2")  # a public group's learning: anyone may like it
    assert out.startswith("(notice: 👍 You like Bob's learning.)\nbot (edited): Latest learnings")
    assert "2. Tip number 12 — Bob, 23 Mar · 👍 1" in out
    out = await console.say(":user Alice", "/learnings", ":press 11")  # Older: page 2
    assert "bot (edited): Learnings 11–13 in Runners" in out
    assert console.buttons == ["Like 11", "Like 12", "Like 13", "« Newer"]
    out = await console.say(":press 2")  # Like 12: Tip number 2, from page 2
    assert out.startswith("(notice: 👍 You like Bob's learning.)\nbot (edited): Learnings 11–13")
    assert "12. Tip number 2 — Bob, 23 Mar · 👍 1" in out
    out = await console.say(":press 2")
    assert (
        "(notice: You took your like back.)" in out
        and "12. Tip number 2 — Bob, 23 Mar · 👍 0" in out
    )
    out = await console.say("/learnings", ":press 1")  # her own: refused, as on its card
    assert "(notice: That's your own learning, so you can't like it. Others can!)" in out


async def test_authors_delete_their_own_learnings(console: ConsoleSession) -> None:
    await runners(console)
    await console.say("/learn Bob's tip")
    await console.say(":user Alice")
    out = await console.say(":press 2")
    assert out == "(notice: Only Bob can delete this learning.)\n"
    await console.say("/learn Alice's tip")
    out = await console.say("/unlearn 2")
    assert out == "bot: Learning 2 is Bob's; only its author can delete it.\n"
    out = await console.say("/unlearn 7")
    assert out == "bot: There is no learning 7: see the numbers in /learnings.\n"
    out = await console.say("/unlearn 1")
    assert out == "bot: Deleted your learning: Alice's tip\n"
    out = await console.say(":user Bob", "/learnings")
    assert "1. Bob's tip — Bob" in out and "Alice's tip" not in out
    out = await console.say("/learn Another one", ":press 2")
    assert out.endswith("(notice: Deleted.)\nbot (edited): 🗑 Bob deleted this learning.\n")
    out = await console.say("/learnings")
    assert "Another one" not in out


async def test_learnings_page_through_them_all(console: ConsoleSession) -> None:
    """More than a page: Older and Newer reach every learning, and /unlearn takes the numbers
    any page shows (a group's older learnings used to be out of reach)."""
    await runners(console)
    for n in range(1, 13):
        await console.say(f"/learn Tip number {n}")
    out = await console.say("/learnings")
    assert "1. Tip number 12 — Bob" in out and "10. Tip number 3 — Bob" in out
    assert "Tip number 2 " not in out and "[1] Older »" in out
    out = await console.say(":press 1")
    assert "bot (edited): Learnings 11–12 in Runners" in out
    assert "11. Tip number 2 — Bob" in out and "12. Tip number 1 — Bob" in out
    assert "[1] « Newer" in out and "Older" not in out
    assert await console.say("/unlearn 12") == "bot: Deleted your learning: Tip number 1\n"
    out = await console.say("/unlearn 12")
    assert out == "bot: There is no learning 12: see the numbers in /learnings.\n"
    out = await console.say("/learnings")
    assert "[1] Older »" in out
    out = await console.say(":press 1")
    assert "11. Tip number 2 — Bob" in out and "12." not in out


async def test_feed_pages_through_public_learnings(
    console: ConsoleSession, clock: SettableClock
) -> None:
    await runners(console)
    for i in range(1, 8):
        await console.say(f"/learn Tip {i}")
        clock.advance(timedelta(minutes=1))
    await console.say(":chat group Secret", ":user Alice", "/newgroup Secret private")
    await console.say("/learn The secret tip")
    await console.say(":user Carol", ":chat group Runners")
    out = await console.say("/learnings")  # another chat's list never shows Secret's learnings
    assert "1. Tip 7 — Bob, 23 Mar · 👍 0" in out and "secret" not in out.lower()
    await console.say(":user Carol", ":chat dm")
    out = await console.say("/feed")
    assert out == (
        "bot: Newest learnings from public groups · page 1\n"
        "     1. Tip 7 — Bob in Runners, 23 Mar · 👍 0\n"
        "     2. Tip 6 — Bob in Runners, 23 Mar · 👍 0\n"
        "     3. Tip 5 — Bob in Runners, 23 Mar · 👍 0\n"
        "     4. Tip 4 — Bob in Runners, 23 Mar · 👍 0\n"
        "     5. Tip 3 — Bob in Runners, 23 Mar · 👍 0\n"
        "     [1] Like 1  [2] Like 2  [3] Like 3  [4] Like 4  [5] Like 5\n"
        "     [6] Older »  [7] Most liked\n"
    )
    out = await console.say(":press 6")
    assert out == (
        "bot (edited): Newest learnings from public groups · page 2\n"
        "     1. Tip 2 — Bob in Runners, 23 Mar · 👍 0\n"
        "     2. Tip 1 — Bob in Runners, 23 Mar · 👍 0\n"
        "     [1] Like 1  [2] Like 2\n"
        "     [3] « Newer  [4] Most liked\n"
    )
    out = await console.say(":press 2")  # like Tip 1 from page 2: the page is redrawn
    assert out.startswith("(notice: 👍 You like Bob's learning.)\nbot (edited): Newest learnings")
    assert "2. Tip 1 — Bob in Runners, 23 Mar · 👍 1" in out
    assert console.buttons == ["Like 1", "Unlike 2", "« Newer", "Most liked"]
    out = await console.say(":press 4")
    assert out.startswith("bot (edited): Most liked learnings from public groups · page 1\n")
    assert "     1. Tip 1 — Bob in Runners, 23 Mar · 👍 1\n" in out
    assert console.buttons[0] == "Unlike 1" and console.buttons[-2:] == ["Next page »", "Newest"]
    out = await console.say("/feed top", ":press 6", ":press 6")
    assert "Most liked learnings from public groups · page 2" in out
    assert "(notice: That button no longer works.)" not in out
    assert console.buttons[-2:] == ["« Back", "Newest"]
    out = await console.say("/feed sideways")
    assert out == "bot: Say /feed for the newest learnings, or /feed top for the most liked.\n"
    # The private group's learning reaches nobody's feed, not even its own members'.
    for who in ("Carol", "Alice"):
        out = await console.say(f":user {who}", "/feed")
        assert "secret" not in out.lower()


async def test_the_feed_has_no_like_on_the_persons_own_learnings(
    console: ConsoleSession, clock: SettableClock
) -> None:
    """Pressing Like on one's own learning is refused, so the feed leaves it off."""
    await runners(console)
    await console.say("/learn Shoes by the door")
    clock.advance(timedelta(minutes=1))
    out = await console.say(":chat dm", "/feed")
    assert "1. Shoes by the door — Bob in Runners" in out
    assert console.buttons == ["Most liked"]
    await console.say(":user Alice", ":chat group Runners", "/learn Start tiny")
    out = await console.say(":user Bob", ":chat dm", "/feed")
    assert "1. Start tiny — Alice" in out and "2. Shoes by the door — Bob" in out
    assert console.buttons == ["Like 1", "Most liked"]
    out = await console.say(":press 1")
    assert "👍 You like Alice's learning." in out
    assert console.buttons == ["Unlike 1", "Most liked"]


async def test_private_group_learnings_stay_inside(console: ConsoleSession) -> None:
    await console.say(":user Alice", ":chat group Secret", "/newgroup Secret private")
    out = await console.say("/learn Only for us")
    assert "Alice shared a learning in Secret" in out
    await console.say(":user Carol")
    out = await console.say(":press 1")  # Carol, in the chat but not a member, presses Like
    assert out == "(notice: That learning isn't available to you (it may have been deleted).)\n"
    out = await console.say(":press 2")  # and Delete: refused truthfully, not "already gone"
    assert out == "(notice: Only its author can delete that learning.)\n"
    out = await console.say("/learnings")
    assert out == (
        "bot: Secret is private: only its members can see that. To take part, ask a member for "
        "an invite and send /join CODE.\n"
    )
    await console.say(":chat dm")
    out = await console.say("/feed")
    assert out == (
        "bot: Newest learnings from public groups · page 1\n"
        "     Nothing here yet. Share one in your group's chat with /learn.\n"
    )
    out = await console.say(":user Alice", ":chat group Secret", "/learnings")
    assert "1. Only for us — Alice" in out  # still there


async def test_trust_someone_and_see_both_directions(console: ConsoleSession) -> None:
    await runners(console)  # Alice and Bob have both written to the bot
    await console.say(":user Alice", ":chat dm")
    out = await console.say("/trust @bob")
    assert out == (
        "bot: You now trust Bob. Bob's learnings will show up in your weekly summary. "
        "Undo with /untrust.\n"
    )
    out = await console.say("/trust @bob")
    assert out == "bot: You already trust Bob. Nothing changed.\n"
    out = await console.say("/trust @alice")
    assert out.startswith("bot: You can't trust yourself here")
    out = await console.say("/trust @nobody")
    assert out == "bot: I don't know @nobody yet; they need to send me a message first.\n"
    out = await console.say("/trust")
    assert out == "bot: Whom? Reply to their message with /trust, or send /trust @username.\n"
    await console.say(":user Bob", "/trust @alice")
    await console.say(":user Alice")
    out = await console.say("/trusted")
    assert out == (
        "bot: Trust\n"
        "     You trust 1 person: Bob\n"
        "     1 person trusts you: Bob\n"
        "     The learnings of the people you trust show up in your weekly summary.\n"
    )
    out = await console.say("/untrust @bob")
    assert out == "bot: You no longer trust Bob.\n"
    out = await console.say("/untrust @bob")
    assert out == "bot: You don't trust Bob at the moment, so nothing changed.\n"
    out = await console.say("/trusted")
    assert "You don't trust anyone yet." in out
    await console.say(":chat group Runners")
    out = await console.say("/trusted")
    assert out == "bot: /trusted works in a private chat with me.\n"
