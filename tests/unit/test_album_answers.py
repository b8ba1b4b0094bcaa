"""The photos of one album are answered once (bot.albums), in memory and for a while only."""

from __future__ import annotations

import time

from bot.albums import AlbumAnswers
from bot.messages import Chat, ChatKind, Person, Request, Response

GROUP = Chat("telegram", "-100", ChatKind.GROUP, "Runners")
BOB = Person("telegram", "7", "Bob")


def photo_of(album: str | None) -> Request:
    return Request(sender=BOB, chat=GROUP, album=album)


def test_a_reply_is_given_once_per_album_and_a_different_one_still_is() -> None:
    answers = AlbumAnswers()
    hello, saved = Response.say("Hi Bob!"), Response.say("Proof saved")
    assert answers.once(photo_of("a"), hello).replies == hello.replies
    assert answers.once(photo_of("a"), hello).replies == []
    assert answers.once(photo_of("a"), saved).replies == saved.replies  # something new
    assert answers.once(photo_of("b"), hello).replies == hello.replies  # another album
    assert answers.once(photo_of(None), hello).replies == hello.replies  # no album: always
    assert answers.once(photo_of(None), hello).replies == hello.replies


def test_albums_are_forgotten_after_a_while_and_beyond_a_number() -> None:
    answers = AlbumAnswers(keep=0.05, most=2)
    hello = Response.say("Hi Bob!")
    answers.said(photo_of("a"), hello)
    time.sleep(0.06)  # past `keep` (a slower machine only sleeps longer)
    assert answers.unsaid(photo_of("a"), hello).replies == hello.replies
    answers = AlbumAnswers(most=2)  # kept long enough that only the number can forget one
    for album in ("b", "c", "d"):
        answers.said(photo_of(album), hello)
    assert answers.unsaid(photo_of("b"), hello).replies == hello.replies  # the oldest went
    assert answers.unsaid(photo_of("d"), hello).replies == []
