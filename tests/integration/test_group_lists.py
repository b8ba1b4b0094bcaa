"""Groups of one name told apart (where each lives), and /groups in pages of bounded SQL."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatcher import HabitLinkBot
from bot.messages import Chat, ChatKind, Person, Request, Response
from core.db.engine import Database
from tests.support.images import jpeg
from tests.support.requests import person, photo, plain, press, private_chat, send

ANN = person("Ann", "telegram", "100")
BOB = person("Bob", "telegram", "200")
ANN_DM = private_chat(ANN, "100")
BOB_DM = private_chat(BOB, "200")
MORNING = Chat("telegram", "-1001", ChatKind.GROUP, "Morning Crew")
EVENING = Chat("telegram", "-1002", ChatKind.GROUP, "Evening Crew")
SECRET = Chat("telegram", "-1003", ChatKind.GROUP, "Evening Crew")  # a second chat, same title


async def say(bot: HabitLinkBot, who: Person, chat: Chat, text: str) -> Response:
    return await send(bot, who, chat, text)


def invite_code(response: Response) -> str:
    """The code in /invite's reply ('... send /join CODE ...')."""
    text = plain(response)
    return text.split("/join ", 1)[1].split()[0]


async def test_groups_of_one_name_say_which_chat_they_live_in(bot: HabitLinkBot) -> None:
    await say(bot, ANN, MORNING, "/newgroup Runners")
    await say(bot, ANN, EVENING, "/newgroup Runners")
    await say(bot, ANN, SECRET, "/newgroup Runners private")
    secret_code = invite_code(await say(bot, ANN, SECRET, "/invite"))

    public = plain(await say(bot, BOB, BOB_DM, "/groups"))
    assert "Runners · Telegram “Morning Crew” · 1 member · /join" in public
    assert "Runners · Telegram “Evening Crew” · 1 member · /join" in public
    assert secret_code not in public and public.count("Runners") == 2

    mine = plain(await say(bot, ANN, ANN_DM, "/mygroups"))
    assert "Runners · Telegram “Morning Crew” · 1 member · public · you: owner\n" in mine
    # Two of one name in chats of one title: the code (Ann is a member) tells them apart.
    assert "Runners · Telegram “Evening Crew” · 1 member · public · you: owner · code " in mine
    assert (
        f"Runners · Telegram “Evening Crew” · 1 member · private · you: owner · code {secret_code}"
        in mine
    )
    assert "Morning Crew” · 1 member · public · you: owner · code" not in mine

    await say(bot, BOB, BOB_DM, f"/join {secret_code}")
    bobs = plain(await say(bot, BOB, BOB_DM, "/mygroups"))
    assert bobs.endswith("Runners · Telegram “Evening Crew” · 2 members · private · you: member")


async def test_the_weekly_summary_tells_groups_of_one_name_apart(bot: HabitLinkBot) -> None:
    await say(bot, ANN, MORNING, "/newgroup Runners")
    await say(bot, ANN, EVENING, "/newgroup Runners")
    await say(bot, ANN, SECRET, "/newgroup Readers")
    for chat in (MORNING, EVENING, EVENING, SECRET):
        await bot.handle(Request.from_text(ANN, chat, "", photo=photo(jpeg())))
    for chat in (MORNING, EVENING):  # Bob, whom Ann trusts, shares a learning in each
        await say(bot, BOB, chat, "/join")
        bot.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
        await say(bot, BOB, chat, f"/learn Pace yourself in {chat.title}")
    await say(bot, ANN, ANN_DM, "/trust @bob")
    summary = plain(await say(bot, ANN, ANN_DM, "/summary"))
    assert "• Readers: 1 proof\n" in summary  # its name is its own: no more needed
    assert "• Runners (Telegram “Evening Crew”): 2 proofs" in summary
    assert "• Runners (Telegram “Morning Crew”): 1 proof" in summary
    assert "Pace yourself in Morning Crew — Bob, Runners (Telegram “Morning Crew”)" in summary
    assert "Pace yourself in Evening Crew — Bob, Runners (Telegram “Evening Crew”)" in summary


async def test_groups_pages_with_previous_and_next(bot: HabitLinkBot) -> None:
    for i in range(23):
        chat = Chat("telegram", f"-20{i:02d}", ChatKind.GROUP, f"Chat {i:02d}")
        await say(bot, ANN, chat, f"/newgroup Group {i:02d}")
    first = await say(bot, BOB, BOB_DM, "/groups")
    text = plain(first)
    assert text.startswith("Public groups · page 1\n1. Group 00")
    assert "10. Group 09" in text and "Group 10" not in text
    assert [b.label for row in first.replies[0].buttons for b in row] == ["Next ▶"]
    second = await press(bot, BOB, BOB_DM, first, "Next ▶")
    assert second.replies[0].edit
    text = plain(second)
    assert text.startswith("Public groups · page 2\n11. Group 10") and "20. Group 19" in text
    assert [b.label for row in second.replies[0].buttons for b in row] == [
        "◀ Previous",
        "Next ▶",
    ]
    third = plain(await press(bot, BOB, BOB_DM, second, "Next ▶"))
    assert third.startswith("Public groups · page 3\n21. Group 20") and "23. Group 22" in third
    back = await press(bot, BOB, BOB_DM, second, "◀ Previous")
    assert plain(back) == plain(first)
    forged = await bot.handle(Request(sender=BOB, chat=BOB_DM, button="gl:x"))
    assert forged.notice == "That button no longer works."
    gone = await bot.handle(Request(sender=BOB, chat=BOB_DM, button="gl:40"))
    assert plain(gone) == plain(first)  # a page past the end (the list shrank): the first


async def test_a_short_list_has_no_pages(bot: HabitLinkBot) -> None:
    await say(bot, ANN, MORNING, "/newgroup Runners")
    found = await say(bot, BOB, BOB_DM, "/groups")
    assert plain(found).startswith("Public groups\n1. Runners")
    assert not found.replies[0].buttons


async def test_a_page_of_groups_costs_the_same_for_few_and_many(
    bot: HabitLinkBot, database: Database
) -> None:
    async def cost(request: Request) -> int:
        await bot.handle(Request.from_text(BOB, BOB_DM, "/help"))
        before = database.statements
        await bot.handle(request)
        return database.statements - before

    listing = Request.from_text(BOB, BOB_DM, "/groups")
    page_two = Request(sender=BOB, chat=BOB_DM, button="gl:1")
    for i in range(12):
        chat = Chat("telegram", f"-30{i:02d}", ChatKind.GROUP, f"Chat {i:02d}")
        await say(bot, ANN, chat, f"/newgroup Group {i:02d}")
        await say(bot, BOB, chat, "/join")
    few = (await cost(listing), await cost(page_two))
    for i in range(12, 40):
        chat = Chat("telegram", f"-30{i:02d}", ChatKind.GROUP, f"Chat {i:02d}")
        await say(bot, ANN, chat, f"/newgroup Group {i:02d}")
    many = (await cost(listing), await cost(page_two))
    assert few == many == (2, 2)  # who is asking, the page


async def test_a_renamed_chat_is_named_by_its_new_title_once_it_speaks(
    bot: HabitLinkBot, database: Database
) -> None:
    await say(bot, ANN, MORNING, "/newgroup Runners")
    await say(bot, ANN, EVENING, "/newgroup Runners")
    renamed = Chat("telegram", MORNING.id, ChatKind.GROUP, "Dawn Patrol")
    before = database.statements
    await say(bot, ANN, renamed, "/members")
    written = database.statements - before
    public = plain(await say(bot, BOB, BOB_DM, "/groups"))
    assert "Runners · Telegram “Dawn Patrol” · 1 member" in public, public
    assert "Morning Crew" not in public
    before = database.statements
    await say(bot, ANN, renamed, "/members")  # the same title: nothing more to write
    assert database.statements == written - 1 + before
