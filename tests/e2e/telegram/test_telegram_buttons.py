"""Inline buttons (callback_data size, answers, edits in place, stale presses) and HTML safety."""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Button, Image, Reply, bold, pre, rich
from core.clock import SettableClock
from tests.fakes.telegram_models import StoredMessage, make_png
from tests.support.telegram import TelegramHarness

GONE = "That habit isn't on your list (any more). Send /habits for your own list."
# 100 code points, most of them in emoji (4 bytes each in UTF-8, several with ZWJ sequences).
EMOJI_TITLE = ("🏃‍♀️🔥📚🧘🏽‍♂️💧 <Läuft> & " * 10)[:99] + "✨"
TRICKY = "<b>x</b> & co"


def all_callback_data(telegram: TelegramHarness) -> list[str]:
    """callback_data of every keyboard the bot sent or edited in."""
    found: list[str] = []
    for call in telegram.fake.calls:
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            found += [b["callback_data"] for b in row if "callback_data" in b]
    return found


def answered_every_press(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    assert len(fake.callback_queries) > 0
    assert all(q.answered for q in fake.callback_queries.values())
    assert len(fake.callback_answers) == len(fake.callback_queries)


async def test_callback_data_fits_64_bytes_whatever_the_title(
    telegram: TelegramHarness,
) -> None:
    assert len(EMOJI_TITLE) == 100 and len(EMOJI_TITLE.encode()) > 200
    (created,) = await telegram.say(f"/newhabit {EMOJI_TITLE}")
    assert (created.plain_text or "").startswith(f"Created {EMOJI_TITLE}, every day.")
    await telegram.say("/newhabit Stretch")
    (listing,) = await telegram.say("/habits")
    assert f"1. ○ {EMOJI_TITLE} — streak 0 days" in (listing.plain_text or "")
    assert await telegram.press(listing, text=listing.buttons()[0]["text"]) == f"✓ {EMOJI_TITLE}"
    (editing,) = await telegram.say("/edithabit")
    await telegram.press(editing, text=editing.buttons()[0]["text"])
    (deleting,) = await telegram.say("/deletehabit")
    await telegram.press(deleting, text=deleting.buttons()[0]["text"])
    (overview,) = await telegram.say("/stats")
    await telegram.say("/newhabit")
    (schedule,) = await telegram.say("✨" + EMOJI_TITLE[:-1])  # a title of its own: no duplicate
    await telegram.press(schedule, text="3× a week")

    data = all_callback_data(telegram)
    assert len(data) >= 20
    assert max(len(d.encode()) for d in data) <= 64
    for message in (listing, editing, deleting, overview):
        label = telegram.fake.message(message.chat_id, message.message_id)
        assert label is not None
        assert all(len(b["text"]) <= 64 for b in label.buttons())
    answered_every_press(telegram)


async def test_done_edits_the_list_in_place(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    await telegram.say("/newhabit Read 10 pages")
    await telegram.say("/newhabit Meditate")
    (listing,) = await telegram.say("/habits")
    sends_before = len(fake.calls_of("sendMessage"))
    assert await telegram.press(listing, text="✓ Meditate") == "✓ Meditate"
    assert len(fake.calls_of("sendMessage")) == sends_before  # no new message
    (edit,) = fake.calls_of("editMessageText", ok_only=True)
    assert edit.params["chat_id"] == listing.chat_id
    assert edit.params["message_id"] == listing.message_id
    updated = fake.message(listing.chat_id, listing.message_id)
    assert updated is not None
    assert updated.plain_text == (
        "Today · Mon 23 Mar\n1. ○ Read 10 pages — streak 0 days\n"
        "2. ✓ Meditate — streak 1 day\n\n1 of 2 done."
    )
    assert [b["text"] for b in updated.buttons()] == ["✓ Read 10 pages", "↩ Undo Meditate"]
    assert await telegram.press(listing, text="✓ Read 10 pages") == "✓ Read 10 pages"
    assert (updated.plain_text or "").endswith("2 of 2 done. Everything done, well played!")
    assert await telegram.press(listing, text="↩ Undo Meditate") == "Undone: Meditate"
    assert (updated.plain_text or "").endswith("1 of 2 done.")
    assert len(updated.edits) == 3
    assert len(fake.calls_of("sendMessage")) == sends_before
    (done,) = await telegram.say("/done read")  # the press was saved like a command
    assert done.plain_text == "Read 10 pages was already done today. Streak 1 day."
    answered_every_press(telegram)


async def test_stale_buttons_get_a_short_explanation(
    telegram: TelegramHarness, clock: SettableClock
) -> None:
    fake = telegram.fake
    await telegram.say("/newhabit Read 10 pages")
    await telegram.say("/newhabit Stretch")
    (listing,) = await telegram.say("/habits")
    (confirm,) = await telegram.say("/deletehabit stretch")
    await telegram.press(confirm, text="Delete forever")
    edits = len(fake.edits)
    # The habit was deleted after the list was sent.
    assert await telegram.press(listing, text="✓ Stretch") == GONE
    assert len(fake.edits) == edits
    # A flow button after /cancel.
    await telegram.say("/newhabit")
    (schedule,) = await telegram.say("Journal")
    await telegram.say("/cancel")
    assert await telegram.press(schedule, text="Every day") == (
        "That setup has ended. Start again with /newhabit."
    )
    # A flow button of an earlier step while the flow goes on.
    await telegram.say("/newhabit")
    (step2,) = await telegram.say("Journal")
    await telegram.say("daily")
    assert await telegram.press(step2, text="Weekdays") == "That button belongs to an earlier step."
    await telegram.say("/cancel")
    since, edits = len(fake.sent_messages), len(fake.edits)
    # A button of a bot version that no longer has it, and a list more than a week old.
    old = await telegram.adapter.application.bot.send_message(
        listing.chat_id,
        "from an older version",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Old", callback_data="zz:1")]]),
    )
    old_message = fake.message(listing.chat_id, old.message_id)
    assert old_message is not None
    assert await telegram.press(old_message, text="Old") == "That button no longer works."
    clock.advance(timedelta(days=8))
    assert await telegram.press(listing, text="✓ Read 10 pages") == (
        "That list is too old to change. Send /habits for today's."
    )
    assert fake.sent_messages[since + 1 :] == []  # only the "older version" message was sent
    assert len(fake.edits) == edits  # and nothing was edited
    answered_every_press(telegram)


async def test_deleted_habits_delete_button_pressed_again(telegram: TelegramHarness) -> None:
    await telegram.say("/newhabit Stretch")
    (first,) = await telegram.say("/deletehabit stretch")
    (second,) = await telegram.say("/deletehabit stretch")
    await telegram.press(first, text="Delete forever")
    assert (
        await telegram.press(second, text="Archive") == "That habit isn't on your list (any more)."
    )
    unchanged = telegram.fake.message(second.chat_id, second.message_id)
    assert unchanged is not None and unchanged.edits == []
    answered_every_press(telegram)


# --- HTML ---------------------------------------------------------------------------------
def visible(message: StoredMessage) -> str:
    return message.plain_text or ""


async def test_markup_in_titles_is_shown_exactly(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    (created,) = await telegram.say(f"/newhabit {TRICKY}")
    assert visible(created).startswith(f"Created {TRICKY}, every day.")
    assert {"type": "bold", "offset": 8, "length": len(TRICKY)} in created.entities
    assert "&lt;b&gt;x&lt;/b&gt; &amp; co" in (created.text or "")  # escaped on the wire
    await telegram.say("/newhabit Stretch")
    (listing,) = await telegram.say("/habits")
    assert visible(listing) == (
        f"Today · Mon 23 Mar\n1. ○ {TRICKY} — streak 0 days\n2. ○ Stretch — streak 0 days"
        "\n\n0 of 2 done."
    )
    assert [b["text"] for b in listing.buttons()] == [f"✓ {TRICKY}", "✓ Stretch"]
    assert await telegram.press(listing, text=f"✓ {TRICKY}") == f"✓ {TRICKY}"
    assert f"1. ✓ {TRICKY} — streak 1 day" in visible(listing)
    grid, _ = await telegram.say("/week", count=2)
    assert f"\n{TRICKY}  ✓\n" in visible(grid)
    (overview,) = await telegram.say("/stats")
    assert f"\n{TRICKY}      1d   1d" in visible(overview)
    assert [b["text"] for b in overview.buttons()] == [f"1. {TRICKY}", "2. Stretch"]
    (confirm,) = await telegram.say("/deletehabit 1")
    assert visible(confirm).startswith(f"Remove {TRICKY}? It has 1 check-in.")
    (done,) = await telegram.say("/done 1")
    assert visible(done) == f"{TRICKY} was already done today. Streak 1 day."
    fake.assert_no_violations()


# --- long replies -------------------------------------------------------------------------
def long_title(i: int) -> str:
    raw = f"Habit {i:02d}: read a chapter & write a <note> about it, " * 3
    return " ".join(raw[:100].split())


def nonblank_lines(texts: list[str]) -> list[str]:
    return [line for t in texts for line in t.split("\n") if line]


async def test_a_list_longer_than_a_message_is_split_at_line_breaks(
    telegram: TelegramHarness,
) -> None:
    fake = telegram.fake
    chat = fake.private_chat()
    titles = [long_title(i) for i in range(1, 41)]
    since = len(fake.sent_messages)
    for title in titles:
        fake.send_text(f"/newhabit {title}")
    await fake.wait_for(lambda: len(telegram.messages_since(since, chat)) >= len(titles))
    pieces = await telegram.say("/habits", count=2)
    await fake.wait_for_calls("sendMessage", len(titles) + 2, ok_only=True)
    assert len(telegram.messages_since(since, chat)) == len(titles) + 2  # exactly two pieces
    expected = [
        "Today · Mon 23 Mar",
        *(f"{i}. ○ {t} — streak 0 days" for i, t in enumerate(titles, 1)),
        "0 of 40 done.",
    ]
    assert sum(len(line) + 1 for line in expected) > 4096
    texts = [visible(p) for p in pieces]
    assert all(0 < len(t) <= 4096 for t in texts)
    assert nonblank_lines(texts) == expected  # whole lines, in order, nothing lost
    assert pieces[0].buttons() == []
    assert len(pieces[1].buttons()) == 40  # the keyboard comes with the last piece
    assert pieces[0].entities[0] == {"type": "bold", "offset": 0, "length": 18}


async def test_any_long_reply_is_split_and_captions_are_cut(telegram: TelegramHarness) -> None:
    fake = telegram.fake
    chat = fake.private_chat()
    lines = [f"line {i:03d} <&> " + "abcdefghij"[i % 10] * (i % 70) for i in range(250)]
    body = "\n".join(lines)
    assert len(body) > 10_000
    ok = Button("OK", "zz:ok")
    since = len(fake.sent_messages)
    await telegram.adapter.send(chat.id, Reply.of(bold("Report"), "\n", body, buttons=[[ok]]))
    pieces = telegram.messages_since(since, chat)
    texts = [visible(p) for p in pieces]
    assert len(pieces) == 3
    assert all(len(t) <= 4096 for t in texts)
    assert nonblank_lines(texts) == ["Report", *lines]  # split between lines, in order
    assert [p.callback_data() for p in pieces] == [[], [], ["zz:ok"]]

    # A monospace block (a /week or /stats table) longer than a message.
    rows = [f"row {i:03d} " + "✓ " * 20 for i in range(150)]
    since = len(fake.sent_messages)
    await telegram.adapter.send(chat.id, Reply.of("Table", "\n", pre("\n".join(rows)), "legend"))
    pieces = telegram.messages_since(since, chat)
    texts = [visible(p) for p in pieces]
    assert len(pieces) == 2 and all(len(t) <= 4096 for t in texts)
    assert [line.rstrip() for line in nonblank_lines(texts)] == [
        "Table",
        *(r.rstrip() for r in rows),
        "legend",
    ]
    assert all(e["type"] == "pre" for p in pieces for e in p.entities)

    # A block that fits alone, after text: the line break before a block counts too.
    since = len(fake.sent_messages)
    await telegram.adapter.send(chat.id, Reply.of("abc", pre("y" * 4093)))
    assert [len(visible(p)) for p in telegram.messages_since(since, chat)] == [3, 4093]

    # One line longer than a whole message is cut hard, still within the limit.
    since = len(fake.sent_messages)
    await telegram.adapter.send(chat.id, Reply.of("x" * 5000))
    assert [len(visible(p)) for p in telegram.messages_since(since, chat)] == [4096, 904]

    # A caption: at most 1024 characters, and it says it was cut.
    caption = "\n".join(f"caption line {i} & more <text>" for i in range(100))
    since = len(fake.sent_messages)
    await telegram.adapter.send(
        chat.id, Reply(image=Image(make_png(60, 40), "chart.png", caption=rich(caption)))
    )
    (photo,) = telegram.messages_since(since, chat)
    shown = photo.plain_caption or ""
    assert 900 < len(shown) <= 1024
    assert shown.endswith("…")
    assert caption.startswith(shown[:-1].rstrip())
    fake.assert_no_violations()
