"""Every bot-layer command in a private chat, through the real python-telegram-bot stack."""

from __future__ import annotations

import io

from PIL import Image

from tests.fakes.telegram_models import StoredMessage
from tests.support.telegram import TelegramHarness

NO_HABITS = "You have no habits yet. Create one with /newhabit or /newhabit Read 10 pages."


def text(message: StoredMessage) -> str:
    assert message.method == "sendMessage", message.method
    assert message.parse_mode == "HTML"
    return message.plain_text or ""


def styled(message: StoredMessage, kind: str) -> list[str]:
    """The visible text of every entity of this kind (bold, italic, code, pre)."""
    visible = (message.plain_text or "").encode("utf-16-le")
    return [
        visible[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.entities
        if e["type"] == kind
    ]


def labels(message: StoredMessage) -> list[str]:
    return [b["text"] for b in message.buttons()]


async def press_and_collect(
    telegram: TelegramHarness, message: StoredMessage, label: str
) -> tuple[str | None, list[StoredMessage]]:
    """Press a button; returns the callback answer and the new messages sent because of it."""
    since = len(telegram.fake.sent_messages)
    answer = await telegram.press(message, text=label)
    return answer, telegram.messages_since(since, message.chat)


def current(telegram: TelegramHarness, message: StoredMessage) -> StoredMessage:
    found = telegram.fake.message(message.chat_id, message.message_id)
    assert found is not None
    return found


# --- /start, /help, unknown ---------------------------------------------------------------
async def test_start_help_and_unknown_commands(telegram: TelegramHarness) -> None:
    (start,) = await telegram.say("/start")
    assert text(start).startswith(
        "Welcome to HabitLink, Alice!\n"
        "I help you build habits one small day at a time, and keep you honest with friends."
    )
    assert "1. Set your time zone so your days start at your midnight: " in text(start)
    assert text(start).endswith("Send /help for everything else.")
    assert styled(start, "bold") == ["Welcome to HabitLink, Alice!"]
    assert "/timezone Europe/Berlin" in styled(start, "code")
    (again,) = await telegram.say("/start")  # nothing made yet: still a newcomer
    assert text(again).startswith("Welcome to HabitLink, Alice!")
    await telegram.say("/newhabit Read")
    (back,) = await telegram.say("/start")
    assert text(back).startswith("Welcome back, Alice!")

    (help_all,) = await telegram.say("/help")
    body = text(help_all)
    for line in (
        "/start – What HabitLink does and how to begin",
        "/habits – Today's habits, with a button to check each one in",
        "/done – Check a habit in as done",
        "/timezone – Set your time zone, so your day starts at your midnight",
    ):
        assert line in body.split("\n")
    assert body.endswith("Send /help COMMAND for details, for example /help done.")
    assert {"Basics", "Habits", "Settings"} <= set(styled(help_all, "bold"))

    (help_done,) = await telegram.say("/help done")
    assert text(help_done) == (
        "/done: Check a habit in as done\n/done HABIT [DAY]\n"
        "HABIT: The habit: its number in /habits, its name or a word of it\n"
        "DAY (optional): today, yesterday, a weekday, -2 or YYYY-MM-DD (7 days back)"
    )
    (help_tz,) = await telegram.say("/help /timezone")
    assert text(help_tz).startswith("/timezone (private chat): Set your time zone")
    (help_nope,) = await telegram.say("/help nope")
    assert text(help_nope) == "There is no /nope. Send /help for the list."

    (unknown,) = await telegram.say("/frobnicate now")
    assert text(unknown) == "I don't know /frobnicate. Send /help to see what I can do."
    (meant,) = await telegram.say("/checkin read")  # a word people try for /done
    assert text(meant) == (
        "I don't know /checkin. Did you mean\n/done read – Check a habit in as done\n"
        "Send /help to see what I can do."
    )
    assert "/done read" in styled(meant, "code")
    (chatter,) = await telegram.say("hello there")
    assert text(chatter) == "Send /help to see what I can do, or /habits for today's list."


# --- settings -----------------------------------------------------------------------------
async def test_timezone_with_suggestion_buttons_and_daystart(telegram: TelegramHarness) -> None:
    (shown,) = await telegram.say("/timezone")
    assert text(shown) == (
        "Your time zone is UTC. Change it with /timezone Europe/Berlin "
        "(any IANA name, or just a city such as Tokyo)."
    )
    (tokyo,) = await telegram.say("/timezone Tokyo")
    assert text(tokyo) == "Time zone set to Asia/Tokyo. It is 18:00 on Monday there."

    (unsure,) = await telegram.say("/timezone Berlinn")
    assert text(unsure) == "I don't know the time zone 'Berlinn'. Did you mean one of these?"
    assert "Europe/Berlin" in labels(unsure)
    assert unsure.callback_data()[labels(unsure).index("Europe/Berlin")] == "tz:Europe/Berlin"
    answer, new = await press_and_collect(telegram, unsure, "Europe/Berlin")
    assert answer == "Time zone: Europe/Berlin"
    assert new == []  # the suggestion message itself becomes the confirmation
    picked = current(telegram, unsure)
    assert picked.plain_text == "Time zone set to Europe/Berlin. It is 10:00 on Monday there."
    assert picked.buttons() == []
    (now,) = await telegram.say("/timezone")
    assert text(now).startswith("Your time zone is Europe/Berlin.")

    (day,) = await telegram.say("/daystart")
    assert text(day) == (
        "Your day starts at 00:00. Night owls can move it, for example /daystart 3 "
        "counts anything before 03:00 as the day before."
    )
    (bad,) = await telegram.say("/daystart 9")
    assert text(bad) == (
        "Your day can start at midnight or up to 6 in the morning, not at 09:00: for example "
        "/daystart 3."
    )
    (moved,) = await telegram.say("/daystart 3")
    assert text(moved) == "Done: your day now starts at 03:00."
    (day,) = await telegram.say("/daystart")
    assert text(day).startswith("Your day starts at 03:00.")


# --- creating habits ----------------------------------------------------------------------
async def test_newhabit_in_one_line(telegram: TelegramHarness) -> None:
    (created,) = await telegram.say("/newhabit Read 10 pages")
    assert text(created) == (
        "Created Read 10 pages, every day. Check in with /done read or /habits. "
        "Add why, identity and a cue with /edithabit."
    )
    assert styled(created, "bold") == ["Read 10 pages"]
    assert styled(created, "code") == ["/done read", "/edithabit"]
    (listing,) = await telegram.say("/habits")
    assert text(listing) == "Today · Mon 23 Mar\n1. ○ Read 10 pages — streak 0 days\n\n0 of 1 done."


async def test_newhabit_guided_with_typed_answers_and_schedule_buttons(
    telegram: TelegramHarness,
) -> None:
    (intro,) = await telegram.say("/newhabit")
    assert text(intro) == (
        "Let's build a habit. Send /cancel to stop at any time.\n\n"
        "1/8 What habit do you want to build?\nFor example: Read 10 pages"
    )
    assert intro.buttons() == []  # the title is needed: no skip
    (schedule,) = await telegram.say("Stretch")
    assert text(schedule).startswith("2/8 How often? Tap a choice or type days")
    assert labels(schedule) == ["Every day", "Weekdays", "3× a week"]
    answer, (why,) = await press_and_collect(telegram, schedule, "Weekdays")
    assert answer is None
    assert text(why) == "3/8 Why does it matter to you?\nFor example: I want to think more clearly"
    assert labels(why) == ["Skip this", "Save now"]
    (identity,) = await telegram.say("To stay limber")
    assert text(identity).startswith("4/8 Who are you becoming?")
    answer, (dose,) = await press_and_collect(telegram, identity, "Skip this")
    assert text(dose).startswith("5/8 What is the smallest version for a bad day?")
    (intention,) = await telegram.say("one stretch")
    assert text(intention).startswith("6/8 When and where will you do it?")
    answer, (saved,) = await press_and_collect(telegram, intention, "Save now")
    assert text(saved) == (
        "Your new habit is ready:\n\nStretch\nSchedule: Mon, Tue, Wed, Thu, Fri\n"
        "Why: To stay limber\nMinimal dose: one stretch\n\n"
        "Check in with /habits. Small and daily beats big and rare."
    )
    # The flow is over: plain text is chatter again, and a leftover flow button is stale.
    (chatter,) = await telegram.say("Reading")
    assert text(chatter) == "Send /help to see what I can do, or /habits for today's list."
    answer, new = await press_and_collect(telegram, intention, "Save now")
    assert answer == "That setup has ended. Start again with /newhabit."
    assert new == []


async def test_newhabit_guided_with_typed_schedule_and_cancel(telegram: TelegramHarness) -> None:
    await telegram.say("/newhabit")
    (schedule,) = await telegram.say("Walk outside")
    (wrong,) = await telegram.say("sometimes")
    assert "2/8 How often?" in text(wrong)  # asked again, with the reason first
    assert not text(wrong).startswith("2/8")
    (why,) = await telegram.say("mon wed fri")
    assert text(why).startswith("3/8 Why does it matter to you?")
    (cancelled,) = await telegram.say("/cancel")
    assert text(cancelled) == "Cancelled. Nothing was saved."
    (nothing,) = await telegram.say("/cancel")
    assert text(nothing) == "There's nothing to cancel."
    (listing,) = await telegram.say("/habits")
    assert text(listing) == NO_HABITS
    answer = await telegram.press(schedule, text="Every day")
    assert answer == "That setup has ended. Start again with /newhabit."


# --- checking in --------------------------------------------------------------------------
async def test_done_skip_undo_by_name_number_and_day(telegram: TelegramHarness) -> None:
    await telegram.say("/newhabit Read 10 pages")
    await telegram.say("/newhabit Meditate")
    (done,) = await telegram.say("/done read")
    assert text(done) == "✓ Read 10 pages done today. Streak 1 day, day 1 of 66."
    (again,) = await telegram.say("/done 1")
    assert text(again) == "Read 10 pages was already done today. Streak 1 day."
    (yesterday,) = await telegram.say("/done 1 yesterday")
    assert text(yesterday) == "✓ Read 10 pages done yesterday. Streak 2 days, day 2 of 66."
    (skipped,) = await telegram.say("/skip 2")
    assert text(skipped) == "Skipped Meditate today. Streak 0 days, still safe."
    (undone,) = await telegram.say("/undo read yesterday")
    assert text(undone) == "Undone: Read 10 pages yesterday is open again."
    (nothing,) = await telegram.say("/undo read yesterday")
    assert text(nothing) == "There was no check-in for Read 10 pages yesterday."
    (missing,) = await telegram.say("/done juggling")
    assert "juggling" in text(missing)
    (listing,) = await telegram.say("/habits")
    assert text(listing) == (
        "Today · Mon 23 Mar\n1. ✓ Read 10 pages — streak 1 day\n2. ~ Meditate — streak 0 days"
        "\n\n1 of 2 done, 1 skipped. Nothing left to do, well played!"
    )
    assert labels(listing) == ["↩ Undo Read 10 pages", "✓ Meditate"]
    (undo_skip,) = await telegram.say("/undo meditate")
    assert text(undo_skip) == "Undone: Meditate today is open again."

    (bare, hint) = await telegram.say("/done", count=2)
    assert text(bare).startswith("Today · Mon 23 Mar\n1. ✓ Read 10 pages")
    assert text(hint) == "Tap a habit, or send /done HABIT [today|yesterday|mon|YYYY-MM-DD]."


async def test_habits_with_none_yet(telegram: TelegramHarness) -> None:
    (listing,) = await telegram.say("/habits")
    assert text(listing) == NO_HABITS
    assert listing.buttons() == []


# --- progress -----------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


async def test_week_sends_a_text_grid_and_a_png(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    (empty,) = await telegram.say("/week")
    assert text(empty) == "No habits yet, so no week to show. Start with /newhabit."
    await telegram.say("/newhabit Read 10 pages")
    await telegram.say("/done read")
    grid, picture = await telegram.say("/week", count=2)
    assert text(grid) == (
        "Week of Mon 23 Mar\n"
        "               M T W T F S S\n"
        "Read 10 pages  ✓\n"
        "✓ done  ~ skipped  ✗ missed  ○ due today  · optional  - rest day"
    )
    assert styled(grid, "pre") == ["               M T W T F S S\nRead 10 pages  ✓"]
    assert picture.method == "sendPhoto"
    assert picture.plain_caption == "Week of Mon 23 Mar"
    (call,) = fake.calls_of("sendPhoto", ok_only=True)
    upload = call.files["photo"]
    assert upload.filename == "week-2026-03-23.png"
    width, height = png_size(upload.data)
    assert width >= 200 and height >= 100
    assert picture.photo == upload.data
    (last,) = await telegram.say("/week last")
    # Last week: the habit did not exist yet, so it has no row, and no grid is drawn.
    assert text(last) == "None of your habits existed yet that week. Send /week for this week's."
    await telegram.say("/help done")  # updates are handled in order: /week last is finished
    assert len(fake.calls_of("sendPhoto", ok_only=True)) == 1


async def test_stats_overview_details_and_heatmap(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    (none,) = await telegram.say("/stats")
    assert text(none) == "No habits yet. Start with /newhabit."
    await telegram.say("/newhabit Read 10 pages")
    await telegram.say("/done read")
    details, heatmap = await telegram.say("/stats", count=2)  # one habit: straight to details
    assert text(details).startswith(
        "Read 10 pages (every day)\nCurrent streak: 1 day · best: 1 day\nProgress: day 1 of 66\n"
    )
    assert heatmap.method == "sendPhoto"
    assert heatmap.plain_caption == "Your year of Read 10 pages"
    png_size(fake.calls_of("sendPhoto", ok_only=True)[-1].files["photo"].data)

    await telegram.say("/newhabit Meditate")
    (overview,) = await telegram.say("/stats")
    assert text(overview).startswith("Your habits\n")
    assert text(overview).endswith("Tap a habit for its details and heatmap, or send /stats HABIT.")
    assert labels(overview) == ["1. Read 10 pages", "2. Meditate"]
    answer, (detail, photo) = await press_and_collect(telegram, overview, "2. Meditate")
    assert answer is None
    assert text(detail).startswith("Meditate (every day)\nCurrent streak: 0 days")
    assert photo.method == "sendPhoto" and photo.plain_caption == "Your year of Meditate"
    png_size(photo.photo or b"")
    by_name, _ = await telegram.say("/stats medit", count=2)
    assert text(by_name).startswith("Meditate (every day)")


# --- editing and deleting -----------------------------------------------------------------
async def test_edithabit_with_buttons_and_in_one_line(telegram: TelegramHarness) -> None:
    (none,) = await telegram.say("/edithabit")
    assert text(none) == "You have no habits to edit yet. Create one with /newhabit."
    await telegram.say("/newhabit Stretch")
    (choose,) = await telegram.say("/edithabit")
    assert text(choose) == "Which habit do you want to change?"
    assert choose.callback_data() == ["eh:1"]
    answer, new = await press_and_collect(telegram, choose, "1. Stretch")
    assert new == []
    fields = current(telegram, choose)
    assert fields.plain_text == "Stretch\nSchedule: every day\n\nWhat do you want to change?"
    assert [e.method for e in fields.edits] == ["editMessageText"]
    assert "Why it matters" in labels(fields)
    answer, (ask,) = await press_and_collect(telegram, fields, "Why it matters")
    assert answer is None
    assert (
        text(ask)
        == "Send the new why it matters for Stretch. Send - to clear it. (/cancel to stop)"
    )
    (saved,) = await telegram.say("Less back pain")
    assert text(saved) == "Saved.\n\nStretch\nSchedule: every day\nWhy: Less back pain"
    (renamed,) = await telegram.say("/edithabit stretch title Morning stretch")
    assert text(renamed) == "Saved.\n\nMorning stretch\nSchedule: every day\nWhy: Less back pain"
    (scheduled,) = await telegram.say("/edithabit 1 schedule weekdays")
    assert "Schedule: Mon, Tue, Wed, Thu, Fri" in text(scheduled)


async def test_deletehabit_asks_first_with_buttons(telegram: TelegramHarness) -> None:
    await telegram.say("/newhabit Read 10 pages")
    await telegram.say("/newhabit Stretch")
    await telegram.say("/done read")
    (confirm,) = await telegram.say("/deletehabit read")
    assert text(confirm) == (
        "Remove Read 10 pages? It has 1 check-in.\n"
        "Archive hides it and keeps its history; Delete removes it and its check-ins for good."
    )
    assert labels(confirm) == ["Archive", "Delete forever", "Keep it"]
    answer, new = await press_and_collect(telegram, confirm, "Keep it")
    assert new == []
    assert current(telegram, confirm).plain_text == "Kept Read 10 pages. Nothing changed."
    assert current(telegram, confirm).buttons() == []

    (confirm,) = await telegram.say("/deletehabit 1")
    await telegram.press(confirm, text="Archive")
    assert current(telegram, confirm).plain_text == "Archived Read 10 pages. Its history is kept."

    (choose,) = await telegram.say("/deletehabit")
    assert text(choose) == "Which habit do you want to remove?"
    assert labels(choose) == ["1. Stretch"]  # the archived habit is no longer listed
    await telegram.press(choose, text="1. Stretch")
    assert current(telegram, choose).plain_text == (
        "Remove Stretch? It has 0 check-ins.\n"
        "Archive hides it and keeps its history; Delete removes it and its check-ins for good."
    )
    answer, new = await press_and_collect(telegram, choose, "Delete forever")
    assert answer is None and new == []
    assert current(telegram, choose).plain_text == "Deleted Stretch and its check-ins."
    (listing,) = await telegram.say("/habits")
    assert text(listing) == NO_HABITS
    (gone,) = await telegram.say("/deletehabit")
    assert text(gone) == "You have no habits to delete."
