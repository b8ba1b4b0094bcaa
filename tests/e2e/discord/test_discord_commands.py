"""Slash commands through the real discord.py: the command table, typed options, autocomplete,
the guided /habit new flow in a DM, ephemeral personal replies, Markdown escaping."""

from __future__ import annotations

from adapters.discord.commands import args_of
from adapters.discord.render import split
from bot.dispatcher import HabitLinkBot
from bot.handlers import build_router
from bot.messages import Rich, Span, Style, bold, pre, rich
from tests.fakes.discord_models import EPHEMERAL, StoredMessage
from tests.support.admin import make_admin
from tests.support.discord import DiscordHarness, visible


def test_slash_options_become_the_neutral_argument_string() -> None:
    commands = build_router().commands
    done = commands["done"]
    assert args_of(done, {"habit": "read", "day": "yesterday"}) == "read yesterday"
    assert args_of(done, {"habit": " Read  10 pages ", "day": None}) == "Read 10 pages"
    assert args_of(commands["newgroup"], {"name": "Runners", "visibility": "private"}) == (
        "Runners private"
    )
    assert args_of(commands["trust"], {"user": object()}) == ""


async def test_slash_commands_with_options_in_a_dm(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    (created,) = await dc.slash("habit new", {"title": "Read 10 pages"}, channel=dm)
    assert visible(created.content).startswith("Created Read 10 pages, every day.")
    assert created.content.startswith("Created **Read 10 pages**, every day.")
    # Replies name Discord's slash commands (/done read, /habits are the bot layer's names),
    # a command as a clickable mention with the id the sync gave it, an example as code:
    habit_id = fake.find_command("habit", dm)["id"]
    assert f"Check in with `/habit done read` or </habit list:{habit_id}>." in created.content
    (done,) = await dc.slash("habit done", {"habit": "read", "day": "yesterday"}, channel=dm)
    assert visible(done.content) == "✓ Read 10 pages done yesterday. Streak 1 day, day 1 of 66."
    (skipped,) = await dc.slash("habit skip", {"habit": "Read 10 pages"}, channel=dm)
    assert visible(skipped.content).startswith("Skipped Read 10 pages today.")
    (undone,) = await dc.slash("habit undo", {"habit": "1", "day": "yesterday"}, channel=dm)
    assert visible(undone.content) == "Undone: Read 10 pages yesterday is open again."
    (zone,) = await dc.slash("timezone", {"zone": "Tokyo"}, channel=dm)
    assert visible(zone.content).startswith("Time zone set to Asia/Tokyo.")
    (reminder,) = await dc.slash(
        "remind", {"habit": "read", "time": "07:30", "days": "mon wed"}, channel=dm
    )
    assert visible(reminder.content).startswith("I'll remind you of Read 10 pages at 07:30")
    (missing,) = await dc.slash("habit stats", {"habit": "guitar"}, channel=dm)
    assert "guitar" in visible(missing.content)
    # In a DM nothing needs hiding: no ephemeral flags.
    assert not any(r.original and r.original.flags & EPHEMERAL for r in dc.records)


async def test_daystart_offers_the_hours_it_accepts(dc: DiscordHarness) -> None:
    """/daystart's hour was a free-text option: Discord took '7pm' or 'soon' and the bot
    refused it after sending. It is now a choice of the whole hours /daystart accepts, 0 to 6
    (typed in Telegram or the console, '3am' and '03:00' are still read)."""
    dm = dc.fake.dm_channel()
    (hour,) = dc.fake.find_command("daystart", dm)["options"]
    assert hour["type"] == 4  # an integer
    assert [(c["name"], c["value"]) for c in hour["choices"]] == [
        ("00:00 (midnight)", 0),
        *((f"{h:02d}:00", h) for h in range(1, 7)),
    ]
    (moved,) = await dc.slash("daystart", {"hour": 3}, channel=dm)
    assert visible(moved.content) == "Done: your day now starts at 03:00."
    (back,) = await dc.slash("daystart", {"hour": 0}, channel=dm)
    assert visible(back.content) == "Done: your day now starts at 00:00."
    (shown,) = await dc.slash("daystart", channel=dm)
    assert visible(shown.content).startswith("Your day starts at 00:00.")


async def test_options_are_read_as_given_and_checked_like_words(dc: DiscordHarness) -> None:
    """An option is one parameter, whatever words it holds (a habit called "Call mom monday"
    is not a habit and a day), and a bad option gets the same reply as bad words."""
    dm = dc.fake.dm_channel()
    await dc.slash("habit new", {"title": "Call mom monday"}, channel=dm)
    (done,) = await dc.slash("habit done", {"habit": "Call mom monday"}, channel=dm)
    assert visible(done.content).startswith("✓ Call mom monday done today.")
    (bad,) = await dc.slash("habit done", {"habit": "call", "day": "2026-02-30"}, channel=dm)
    assert visible(bad.content) == "2026-02-30 is not a real date. Use YYYY-MM-DD."
    (late,) = await dc.slash("remind", {"habit": "call", "time": "25:61"}, channel=dm)
    assert visible(late.content).startswith("25:61 is not a time of day.")
    remind = dc.fake.find_command("remind", dm)["id"]  # the usage names it as a mention
    assert f"Usage: </remind:{remind}> HABIT HH:MM [mon wed fri]" in late.content
    (none,) = await dc.slash("reminders", {}, channel=dm)
    assert "No reminders yet" in visible(none.content)


async def test_autocomplete_offers_the_persons_habits(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    for title in ("Read 10 pages", "Run 5k", "Meditate", "Bread baking"):
        await dc.slash("habit new", {"title": title}, channel=dm)
    record = fake.autocomplete("habit done", "habit", "re")
    answer = await fake.wait_for_interaction_response(record)
    assert answer.type == 8
    assert [c["name"] for c in answer.choices] == ["Read 10 pages", "Bread baking"]
    assert [c["value"] for c in answer.choices] == ["Read 10 pages", "Bread baking"]
    everything = await fake.wait_for_interaction_response(fake.autocomplete("habit stats", "habit"))
    assert len(everything.choices) == 4
    bob = fake.new_user("bob")
    fake.add_member(fake.default_guild, bob)
    strangers = fake.autocomplete("proof", "habit", "r", user=bob)
    assert (await fake.wait_for_interaction_response(strangers)).choices == []


async def test_habit_archived_and_restore_offer_the_archived_habits(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    for title in ("Read 10 pages", "Run 5k", "Bread baking"):
        await dc.slash("habit new", {"title": title}, channel=dm)
    for title in ("read", "bread"):
        (confirm,) = await dc.slash("habit delete", {"habit": title}, channel=dm)
        await dc.press(confirm, "Archive")
    (listing,) = await dc.slash("habit archived", {}, channel=dm)
    assert "1. Bread baking — 0 done" in visible(listing.content)
    assert [b["label"] for b in listing.buttons()] == [
        "↺ Restore Bread baking",
        "↺ Restore Read 10 pages",
    ]
    # /habit restore's habit option offers the archived habits, the others' offer the active.
    offered = fake.autocomplete("habit restore", "habit")
    archived = await fake.wait_for_interaction_response(offered)
    assert [c["name"] for c in archived.choices] == ["Bread baking", "Read 10 pages"]
    active = await fake.wait_for_interaction_response(fake.autocomplete("habit done", "habit"))
    assert [c["name"] for c in active.choices] == ["Run 5k"]
    (restored,) = await dc.slash("habit restore", {"habit": "Read 10 pages"}, channel=dm)
    assert visible(restored.content) == (
        "Restored Read 10 pages. It's back in /habit list with its history: 0 done, best streak "
        "0 days."
    )
    active = await fake.wait_for_interaction_response(fake.autocomplete("habit done", "habit"))
    assert [c["name"] for c in active.choices] == ["Run 5k", "Read 10 pages"]


async def test_autocomplete_answers_nobody_banned(dc: DiscordHarness, bot: HabitLinkBot) -> None:
    """A person banned platform-wide gets no habit or tool suggestions (core decides), and gets
    them again once unbanned."""
    fake = dc.fake
    dm = fake.dm_channel()
    await dc.slash("habit new", {"title": "Read 10 pages"}, channel=dm)

    async def offered() -> tuple[list[str], list[str]]:
        habits = await fake.wait_for_interaction_response(fake.autocomplete("habit done", "habit"))
        tools = await fake.wait_for_interaction_response(fake.autocomplete("tool", "tool", "temp"))
        return [c["name"] for c in habits.choices], [c["name"] for c in tools.choices]

    assert await offered() == (["Read 10 pages"], ["Temptation bundling"])
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        found = await uow.users.find("discord", external_id=str(fake.default_user.id))
        assert found is not None
        person = found.id
        assert await uow.admin.people.ban(admin, person, "spam")
        await uow.commit()
    assert await offered() == ([], [])
    async with bot.uow() as uow:
        assert await uow.admin.people.unban(admin, person)
        await uow.commit()
    assert await offered() == (["Read 10 pages"], ["Temptation bundling"])


async def test_guided_new_habit_in_a_dm(dc: DiscordHarness) -> None:
    fake = dc.fake
    dm = fake.dm_channel()
    (intro,) = await dc.slash("habit new", channel=dm)
    assert visible(intro.content) == (
        "Let's build a habit. Send /cancel to stop at any time.\n\n"
        "1/8 What habit do you want to build?\nFor example: Read 10 pages"
    )
    # Typed answers: message content is available in DMs without the privileged intent.
    assert not fake.session.has(1 << 15)
    (schedule,) = await dc.dm("Read 10 pages")
    assert visible(schedule.content).startswith("2/8 How often?")
    assert [b["label"] for b in schedule.buttons()] == ["Every day", "Weekdays", "3× a week"]
    pressed = await dc.press(schedule, "Weekdays")
    assert pressed.callback is not None and pressed.callback.type in (4, 7)
    why = fake.last_message(dm.id)
    assert visible(why.content).startswith("3/8 Why does it matter to you?")
    (identity,) = await dc.dm("I want to think more clearly")
    assert visible(identity.content).startswith("4/8 Who are you becoming?")
    await dc.press(identity, "Save now")
    saved = fake.last_message(dm.id)
    assert visible(saved.content).startswith("Your new habit is ready:\n\nRead 10 pages\n")
    assert "Schedule: Mon, Tue, Wed, Thu, Fri" in visible(saved.content)
    assert "Why: I want to think more clearly" in visible(saved.content)
    (listing,) = await dc.slash("habit list", channel=dm)
    assert "1. ○ Read 10 pages" in visible(listing.content)


async def test_personal_replies_are_ephemeral_in_a_channel(dc: DiscordHarness) -> None:
    fake = dc.fake
    await dc.slash("habit new", {"title": "Journal"})
    (listing,) = await dc.slash("habit list")  # in #general
    assert listing.flags & EPHEMERAL and dc.last.callback is not None
    assert dc.last.callback.data["flags"] == 64
    assert "1. ○ Journal" in visible(listing.content)
    week = await dc.slash("habit week", count=2)
    assert all(m.flags & EPHEMERAL for m in week)
    assert any(a.content_type == "image/png" for m in week for a in m.attachments)
    (info,) = await dc.slash("group info")  # not personal: everyone sees it
    assert not info.flags & EPHEMERAL
    (dm_listing,) = await dc.slash("habit list", channel=fake.dm_channel())
    assert not dm_listing.flags & EPHEMERAL


async def test_slow_answers_are_deferred_and_stay_private(dc: DiscordHarness) -> None:
    fake = dc.fake
    dc.adapter.defer_after = 0.0  # every answer counts as slow
    await dc.slash("habit new", {"title": "Journal"})
    (listing,) = await dc.slash("habit list")
    assert dc.last.callback is not None and dc.last.callback.type == 5
    assert listing.flags & EPHEMERAL and "Journal" in visible(listing.content)
    await dc.slash("group new", {"name": "Writers"})
    shared = await dc.slash("group info", count=2)
    assert shared[0].flags & EPHEMERAL and shared[0].content == "Shared in the channel."
    assert not shared[1].flags & EPHEMERAL and "Writers" in visible(shared[1].content)
    pressed = await dc.press(listing, "✓ Journal")
    assert pressed.callback is not None and pressed.callback.type == 6
    await fake.wait_for(lambda: "✓ Journal" in visible(listing.content), what="the edit")


async def test_user_text_is_escaped_and_pings_nobody(dc: DiscordHarness) -> None:
    fake = dc.fake
    title = "**x** @everyone <@1> _y_"
    (created,) = await dc.slash("habit new", {"title": title}, channel=fake.dm_channel())
    assert visible(created.content).startswith(f"Created {title}, every day.")
    assert "\\*\\*x\\*\\*" in created.content and "@\u200beveryone" in created.content
    (listing,) = await dc.slash("habit list")
    assert f"1. ○ {title} — streak 0 days" in visible(listing.content)
    callbacks = fake.calls_to("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
    assert callbacks and all(c.body["data"]["allowed_mentions"] == {"parse": []} for c in callbacks)
    assert all(not m.mentions for m in fake.sent_messages)


def test_long_text_is_split_at_line_breaks_within_2000_characters() -> None:
    lines_of_text = [f"line {i} " + "*" * 30 for i in range(200)]
    text = rich(bold("Title"), "\n", "\n".join(lines_of_text), "\n", pre("a  b\n" * 10))
    pieces = split(text)
    assert len(pieces) > 3 and all(len(p) <= 2000 for p in pieces)
    assert pieces[0].startswith("**Title**\nline 0 \\*")
    assert all(p.endswith(("\\*", "```")) for p in pieces)  # cut after whole lines
    joined = "\n".join(visible(p) for p in pieces)
    assert joined.count("line ") == 200 and joined.count("a  b") == 10
    huge = split(Rich((Span("x" * 5000, Style.PLAIN),)))
    assert [len(p) for p in huge] and all(len(p) <= 2000 for p in huge)


def messages_text(messages: list[StoredMessage]) -> str:
    return "\n".join(visible(m.content) for m in messages)
