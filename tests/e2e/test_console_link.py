"""/link: one person on two platforms. A code from the account to give up, `/link CODE` from
the one to keep, and the two are one profile (the typer keeps its name and settings); the
account given up is told in its own chat. So nobody can take an account with /link: the code
must come from the account that disappears.

The console has one platform, so the cross-platform tests build requests for Telegram and Discord
directly. Every test runs on SQLite and PostgreSQL; the clock starts at Monday 2026-03-23 09:00.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.dispatcher import SORRY_STORAGE, HabitLinkBot
from bot.messages import Person, Request, Response
from core.clock import SettableClock
from core.db.engine import Database
from tests.integration.test_faults import database_fails_on
from tests.support.console import ConsoleSession
from tests.support.requests import plain, private_chat, send

INDENT = "     "
CODE = re.compile(r"Your link code: ([A-HJKMNP-Z2-9]{8})\n")
UNKNOWN = (
    "That code doesn't match any link code. Check it and try again "
    "({left} more wrong {codes} within 10 minutes and linking pauses for a while)."
)


def said(*lines: str) -> str:
    """One reply exactly as the console prints it."""
    return "\n".join(["bot: " + lines[0], *(INDENT + line for line in lines[1:])]) + "\n"


def code_in(out: str) -> str:
    found = CODE.search(out)
    assert found is not None, out
    return found.group(1)


async def new_code(console: ConsoleSession, user: str) -> str:
    return code_in(await console.say(f":user {user}", ":chat dm", "/link"))


# --- the happy path ----------------------------------------------------------------------
async def test_a_code_from_one_account_joins_it_to_the_other(console: ConsoleSession) -> None:
    await console.say(":user Alice", "/newhabit Read", ":chat group Runners", "/newgroup Runners")
    await console.say("/learn Start tiny")
    await console.say(":user Bob", ":chat group Runners", "/join", "/learn Shoes by the door")
    await console.say(":chat group Walkers", "/newgroup Walkers", "/trust @alice")
    await console.say(":chat dm", "/newhabit read", "/newhabit Stretch", "/done read")
    await console.say("/timezone Tokyo")
    out = await console.say("/link")  # Bob gives his account up
    code = code_in(out)
    assert out == said(
        f"Your link code: {code}",
        "Send this to me from your other account, the one to keep, in a private chat, within "
        "15 minutes:",
        f"/link {code}",
        "This account's habits, check-ins, groups and learnings will join that profile, which "
        "keeps its name and settings. Never give this code to anyone else: whoever types it gets "
        "this account. The code works once.",
    )
    # Typed on Alice's account, in lower case, with a dash: still the code.
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    assert await console.say(":user Alice", ":chat dm", f"/link {typed}") == (
        "(you are now Alice)\n(private chat with the bot)\n"
    ) + said(
        "Join the Console account of Bob into this profile? It will see and change everything "
        "here (habits, check-ins, groups, learnings), and what it has moves here. Only join an "
        "account that is yours.",
        "[1] Join accounts  [2] Cancel",
    )
    assert await console.say(":press 1") == said(
        "Linked! This Console account and your other Console account are now one HabitLink "
        "profile.",
        "Moved here: 2 habits (1 renamed to 'read (Console)' because you had one with that "
        "name), 1 check-in, 1 group (Walkers), 1 learning.",
        "Combined: Runners (both accounts were members; kept the owner role).",
        "Dropped: 1 trust between your two accounts (you can't trust yourself).",
        "Your time zone is now Asia/Tokyo, taken from your other Console account, since this "
        "profile still had the default one.",
        "The profile keeps the name Alice and its other settings. Send /habits to see all.",
    )
    # Bob's account is told, in its own chat.
    notice = await console.say(":time 2026-03-23T09:01")
    assert notice == "(clock: Mon 2026-03-23 09:01 UTC)\n(message for bob)\n" + said(
        "Linked. This account is now part of the HabitLink profile of Alice: the link code it "
        "made on 23 Mar at 18:00 was typed on Console. Its habits, check-ins, groups and "
        "learnings are in that profile now, which keeps its name and settings. If you did not "
        "type that code yourself, whoever you gave it to has them."
    )
    habits = said(
        "Today · Mon 23 Mar",
        "1. ○ Read — streak 0 days",
        "2. ✓ read (Console) — streak 1 day",
        "3. ○ Stretch — streak 0 days",
        "",
        "1 of 3 done.",
        "[1] ✓ Read",
        "[2] ↩ Undo read (Console)",
        "[3] ✓ Stretch",
    )
    groups = said(
        "Your groups",
        "Runners · Console · 1 member · public · you: owner",
        "Walkers · Console · 1 member · public · you: owner",
    )
    # Both accounts now see one profile.
    for who in ("Bob", "Alice"):
        assert await console.say(f":user {who}", "/habits") == f"(you are now {who})\n{habits}"
        assert await console.say("/mygroups") == groups
    assert (await console.say("/timezone")).startswith("bot: Your time zone is Asia/Tokyo.")


async def test_telegram_and_discord_become_one_profile(
    bot: HabitLinkBot,
) -> None:
    tg = Person("telegram", "42", "Alice")
    dc = Person("discord", "9001", "alice_dc")

    last: dict[str, Response] = {}

    async def say(who: Person, text: str) -> str:
        last[who.platform] = response = await send(bot, who, private_chat(who, who.id), text)
        return plain(response)

    async def press(who: Person, n: int) -> str:
        button = [b for r in last[who.platform].replies for row in r.buttons for b in row][n]
        chat = private_chat(who, who.id)
        return plain(await bot.handle(Request(sender=who, chat=chat, button=button.payload)))

    await say(tg, "/newhabit Read")
    await say(tg, "/done read")
    await say(dc, "/newhabit Read")
    await say(dc, "/newhabit Journal")
    code = code_in(await say(dc, "/link"))  # the Discord account gives itself up
    assert await say(tg, f"/link {code}") == (
        "Join the Discord account of alice_dc into this profile? It will see and change "
        "everything here (habits, check-ins, groups, learnings), and what it has moves here. "
        "Only join an account that is yours."
    )
    assert await press(tg, 0) == (
        "Linked! This Telegram account and your Discord account are now one HabitLink profile.\n"
        "Moved here: 2 habits (1 renamed to 'Read (Discord)' because you had one with that "
        "name).\n"
        "The profile keeps the name Alice and its settings. Send /habits to see all."
    )
    listing = (
        "Today · Mon 23 Mar\n"
        "1. ✓ Read — streak 1 day\n"
        "2. ○ Read (Discord) — streak 0 days\n"
        "3. ○ Journal — streak 0 days\n\n"
        "1 of 3 done."
    )
    assert await say(dc, "/habits") == listing
    assert await say(tg, "/habits") == listing
    # A check-in from either account is the same profile's.
    assert (await say(dc, "/done journal")).startswith("✓ Journal done today.")
    assert "3. ✓ Journal" in await say(tg, "/habits")
    assert "\nChat accounts: Telegram, Discord · /link\n" in await say(dc, "/settings")
    # Once linked, the code neither links again nor works for its maker.
    assert await say(tg, f"/link {code}") == (
        "This Telegram account is already part of your HabitLink profile. Nothing to do."
    )
    assert await say(dc, f"/link {code}") == (
        "That code was made by this account. Send it to me from your other account, "
        "the one to keep: this account then joins it."
    )


async def test_a_new_account_links_with_nothing_to_move(console: ConsoleSession) -> None:
    code = await new_code(console, "Newbie")
    await console.say(":user Alice", f"/link {code}")
    assert await console.say(":press 1") == said(
        "Linked! This Console account and your other Console account are now one HabitLink "
        "profile.",
        "Your other Console account had nothing to move yet.",
        "The profile keeps the name Alice and its settings. Send /habits to see all.",
    )


async def test_a_forged_link_cannot_take_an_account(bot: HabitLinkBot) -> None:
    """The audit's attack: Mallory makes a code, then sends `/link CODE` "from" the victim (a
    forged update; its answer goes to the victim's chat, which Mallory cannot read). Before,
    that merged the two and Mallory's /habits listed the victim's private habit."""
    mallory = Person("telegram", "666", "Mallory")
    victim = Person("telegram", "42", "Victim")

    async def ask(who: Person, text: str = "", button: str | None = None) -> Response:
        chat = private_chat(who, who.id)
        if button is not None:
            return await bot.handle(Request(sender=who, chat=chat, button=button))
        return await send(bot, who, chat, text)

    await ask(victim, "/newhabit Private diary")
    code = code_in(plain(await ask(mallory, "/link")))
    asked = await ask(victim, f"/link {code}")  # forged: only the victim sees this answer
    assert plain(asked).startswith("Join the Telegram account of Mallory into this profile?")
    join = asked.replies[0].buttons[0][0].payload
    code_id = join.split(":")[1]
    for guess in (f"lj:{code_id}:{code}", f"lj:{code_id}:x", f"lj:{code_id}"):
        assert plain(await ask(victim, button=guess)) == (  # forged presses, guessed tokens
            "That button no longer works. Send /link CODE again to join the accounts."
        )
    assert "That button no longer works." in plain(await ask(mallory, button=join))
    assert "Private diary" not in plain(await ask(mallory, "/habits"))
    assert "1. ○ Private diary" in plain(await ask(victim, "/habits"))
    # Only the victim's own press, from a message only they saw, would have joined them.
    assert plain(await ask(victim, button=join)).startswith("Linked!")


# --- codes that don't work ---------------------------------------------------------------
async def test_codes_expire_after_15_minutes(console: ConsoleSession, clock: SettableClock) -> None:
    code = await new_code(console, "Alice")
    clock.advance(timedelta(minutes=15))
    assert await console.say(":user Bob", f"/link {code}") == "(you are now Bob)\n" + said(
        "That code has expired: codes work for 15 minutes, and only the newest one counts. "
        "Send /link on your other account (the one to join this profile) for a new one."
    )
    code = await new_code(console, "Alice")
    clock.advance(timedelta(minutes=14, seconds=59))
    assert "Linked!" in await console.say(":user Bob", f"/link {code}", ":press 1")


async def test_a_code_works_once_and_not_for_its_maker(console: ConsoleSession) -> None:
    code = await new_code(console, "Alice")
    assert await console.say(f"/link {code}") == said(
        "That code was made by this account. Send it to me from your other account, "
        "the one to keep: this account then joins it."
    )
    assert "Linked!" in await console.say(":user Bob", f"/link {code}", ":press 1")
    assert await console.say(":user Carol", f"/link {code}") == "(you are now Carol)\n" + said(
        "That code has already been used. Send /link on your other account (the one to join "
        "this profile) for a new one."
    )
    assert await console.say(":user Bob", f"/link {code}") == "(you are now Bob)\n" + said(
        "This Console account is already part of your HabitLink profile. Nothing to do."
    )
    # Carol's profile is still her own: a fresh code from her joins it to Bob's (and Alice's).
    code = await new_code(console, "Carol")
    assert "Linked!" in await console.say(":user Bob", f"/link {code}", ":press 1")


async def test_cancel_joins_nothing_and_ends_the_code(console: ConsoleSession) -> None:
    code = await new_code(console, "Bob")
    await console.say(":user Alice", f"/link {code}")
    assert await console.say(":press 2") == said(
        "Cancelled: nothing was joined, and that code no longer works."
    )
    assert "has expired" in await console.say(f"/link {code}")


async def test_a_newer_code_replaces_the_older_one(console: ConsoleSession) -> None:
    old = await new_code(console, "Alice")
    new = await new_code(console, "Alice")
    assert old != new
    assert "has expired" in await console.say(":user Bob", f"/link {old}")
    assert "Linked!" in await console.say(f"/link {new}", ":press 1")


async def test_five_wrong_codes_pause_linking(
    console: ConsoleSession, clock: SettableClock
) -> None:
    code = await new_code(console, "Alice")
    await console.say(":user Bob")
    for left in (4, 3, 2, 1):
        out = await console.say("/link WRNG2345")
        assert out == said(UNKNOWN.format(left=left, codes="code" if left == 1 else "codes"))
        clock.advance(timedelta(minutes=1))
    assert await console.say("/link 2345ABCD") == said(
        "That code doesn't match any link code either, and that makes 5 wrong ones: linking is "
        "paused for you. Try again in 6 minutes."  # the first wrong code was 4 minutes ago
    )
    paused = "Too many wrong codes. To keep profiles safe, linking is paused for you: "
    # Even the right code is refused while paused, and refusals don't extend the pause.
    assert await console.say(f"/link {code}") == said(paused + "try again in 6 minutes.")
    clock.advance(timedelta(minutes=5, seconds=30))
    assert await console.say(f"/link {code}") == said(paused + "try again in 1 minute.")
    # Somebody else is not paused.
    assert "4 more wrong codes" in await console.say(":user Carol", "/link WRNG2345")
    clock.advance(timedelta(seconds=30))  # the first wrong code is 10 minutes old
    assert (await console.say(":user Bob", f"/link {code}", ":press 1")).startswith(
        "(you are now Bob)\nbot: Join the Console account of Alice"
    )


async def test_text_that_cannot_be_a_code_says_so_and_is_no_wrong_try(
    console: ConsoleSession,
) -> None:
    """Half a code, a code with extra words, a letter codes never have (O, 0, 1, I, L): a typo,
    which can match no code, so it says what a code looks like and costs none of the 5 tries."""
    code = await new_code(console, "Alice")
    await console.say(":user Bob")
    malformed = said(
        "That isn't a link code: a link code has 8 letters and digits (never 0, O, 1, I or L), "
        "as /link showed it on your other account. Check it and send /link CODE again; this "
        "one did not count as a wrong code."
    )
    for typo in (code[:4], f"{code} please", "WRONGCODE", "K7PM0QXT", "LINKCODE"):
        assert await console.say(f"/link {typo}") == malformed, typo
    assert await console.say("/link WRNG2345") == said(UNKNOWN.format(left=4, codes="codes"))
    assert (await console.say(f"/link {code}")).startswith("bot: Join the Console account of")


async def test_a_pause_ends_and_the_count_starts_over(
    console: ConsoleSession, clock: SettableClock
) -> None:
    await console.say(":user Bob")
    for _ in range(5):
        await console.say("/link WRNG2345")
    assert "try again in 10 minutes" in await console.say("/link WRNG2345")
    clock.advance(timedelta(minutes=10))
    assert await console.say("/link WRNG2345") == said(UNKNOWN.format(left=4, codes="codes"))


# --- where -------------------------------------------------------------------------------
async def test_codes_stay_out_of_group_chats(console: ConsoleSession) -> None:
    code = await new_code(console, "Alice")
    out = await console.say(":chat group Runners", "/link")
    assert out == "(group chat Runners)\n" + said(
        "Link codes are personal, so I only hand them out in a private chat. "
        "Message me directly and send /link there."
    )
    # A code posted in a group is cancelled: everyone there has seen it.
    assert await console.say(f"/link {code}") == said(
        "Please link in a private chat with me, never in a group: anyone here could use a code "
        "they see. If that code was valid, it no longer works; send /link to me privately for a "
        "new one."
    )
    assert "has expired" in await console.say(":user Bob", ":chat dm", f"/link {code}")
    # A wrong code in a group says the same, and counts nothing.
    await console.say(":chat group Runners")
    for _ in range(6):
        assert "Please link in a private chat" in await console.say("/link WRNG2345")
    code = await new_code(console, "Al")
    assert "Linked!" in await console.say(":user Bob", ":chat dm", f"/link {code}", ":press 1")


async def test_help(console: ConsoleSession) -> None:
    assert await console.say("/help link") == said(
        "/link: Join your accounts on other platforms into one profile",
        "/link [CODE]",
        "CODE (optional): The code /link gave you on your other account",
        "Send /link on the account to give up, then /link CODE on the one to keep.",
    )
    assert INDENT + "/link – Join your accounts on other platforms into one profile\n" in (
        await console.say("/help")
    )


# --- faults ------------------------------------------------------------------------------
async def test_a_failed_merge_changes_nothing_and_the_code_still_works(
    console: ConsoleSession, database: Database
) -> None:
    await console.say(":user Bob", "/newhabit Stretch")
    code = await new_code(console, "Bob")
    await console.say(":user Alice", f"/link {code}")
    with database_fails_on(database, "DELETE FROM users"):
        assert await console.say(":press 1") == said(SORRY_STORAGE)
    assert await console.say("/habits") == said(
        "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages."
    )
    assert "1. ○ Stretch" in await console.say(":user Bob", "/habits")
    assert "Moved here: 1 habit." in await console.say(":user Alice", f"/link {code}", ":press 1")
    assert "1. ○ Stretch" in await console.say(":user Alice", "/habits")


async def test_an_erased_lifebook_takes_the_other_accounts_whole(console: ConsoleSession) -> None:
    await console.say(":user Alice", ":chat dm", "/lifebook goals Run 5 km; Read; Swim")
    await console.say("/newhabit Jog")
    stale = list(console.adapter.buttons)  # "Run 5 km" (g1), still on Alice's screen
    assert console.buttons[0] == "Run 5 km"
    await console.say("/lifebook delete", ":press 1")
    await console.say(":user Bob", ":chat dm", "/lifebook goal Dance", "/newhabit Salsa")
    assert "Salsa serves Dance." in await console.say(":press 1")
    code = await new_code(console, "Bob")
    out = await console.say(":user Alice", ":chat dm", f"/link {code}", ":press 1")
    assert "Linked!" in out
    out = await console.say("/lifebook")
    assert "• Dance ← Salsa" in out
    # Bob's goals get ids past both books': Alice's old button for her first goal (g1, as
    # Dance was) names nothing now.
    console.adapter.buttons = stale
    assert "not in your Lifebook" in await console.say(":press 1")
    out = await console.say("/lifebook goal Sing")
    assert "• Dance ← Salsa" in out and "• Sing\n" in out and "Jog" not in out


async def test_two_lifebooks_become_one_and_every_habit_serves_its_own_goal(
    console: ConsoleSession,
) -> None:
    await console.say(":user Bob", ":chat dm", "/lifebook goals Swim", "/newhabit Pool")
    assert "Pool serves Swim." in await console.say(":press 1")  # Bob's g1, soon gone
    await console.say("/lifebook goals Dance; Read 12 books")  # g2 and g3
    await console.say("/lifebook values family, health", "/newhabit Salsa")
    assert "Salsa serves Dance." in await console.say(":press 1")
    await console.say("/newhabit Library")
    assert "Library serves Read 12 books." in await console.say(":press 2")
    code = await new_code(console, "Bob")
    await console.say(":user Alice", ":chat dm", "/lifebook goals Run 5 km; read 12 BOOKS")
    await console.say("/lifebook values health, courage", "/newhabit Jog")
    assert "Jog serves Run 5 km." in await console.say(":press 1")  # Alice's g1
    assert "Linked!" in await console.say(f"/link {code}", ":press 1")
    out = await console.say("/lifebook")
    # Alice's goals first, Bob's after them; the same goal in both books is one goal; Pool's
    # link to Bob's erased g1 is not taken for Alice's g1
    assert "• Run 5 km ← Jog\n" in out, out
    assert "• read 12 BOOKS ← Library\n" in out, out
    assert "• Dance ← Salsa\n" in out, out
    assert out.index("Run 5 km") < out.index("read 12 BOOKS") < out.index("Dance")
    assert "• health\n     • courage\n     • family\n" in out, out  # the same value once
    # goal ids go on past both books': a new goal is nobody's old one
    out = await console.say("/lifebook goal Sing")
    assert "• Sing\n" in out and "• Dance ← Salsa\n" in out, out
