"""No platform drops a button: replies over a message's limit go on in further messages
(bot/paging.py), Telegram's rows wider than 8 wrap, long lists page."""

from __future__ import annotations

from adapters.telegram.render import MAX_ROW_BUTTONS, keyboard
from bot.messages import Button, Reply, Response
from bot.paging import MORE, fit_buttons, page_of


def _buttons(n: int) -> list[Button]:
    return [Button(f"B{i}", f"st:{i}") for i in range(n)]


def test_a_reply_over_the_limit_goes_on_in_more_replies() -> None:
    rows = [[b] for b in _buttons(30)] + [_buttons(3)]
    reply = Reply.of("Pick one", buttons=rows, edit=True, personal=True)
    replies = fit_buttons(Response([reply]), 25).replies
    assert [sum(len(r) for r in part.buttons) for part in replies] == [25, 8]
    assert replies[0].text.plain() == "Pick one" and replies[0].edit
    assert replies[1].text.plain() == MORE and replies[1].personal and not replies[1].edit
    flat = [b for part in replies for row in part.buttons for b in row]
    assert flat == [b for row in rows for b in row]


def test_a_reply_within_the_limit_or_without_one_is_unchanged() -> None:
    response = Response([Reply.of("x", buttons=[[b] for b in _buttons(25)])])
    assert fit_buttons(response, 25) is response
    assert fit_buttons(Response([Reply.of("x", buttons=[_buttons(60)])]), None).replies[0].buttons


def test_pages_keep_room_for_the_pager_and_find_the_focus() -> None:
    assert not page_of(25, 25).paged and page_of(50, None).stop == 50
    page = page_of(30, 25, focus=26)
    assert (page.start, page.stop, page.number, page.count) == (23, 30, 1, 2)
    assert page_of(30, 25, page=7).number == 1  # a page past the end is the last


def test_telegram_rows_wider_than_eight_wrap() -> None:
    markup = keyboard((tuple(_buttons(10)),))
    assert markup is not None
    sizes = [len(row) for row in markup.inline_keyboard]
    assert sizes == [MAX_ROW_BUTTONS, 2]
