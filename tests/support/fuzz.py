"""Random and malformed chat input for the fuzz test: commands, flows, buttons and photos.

A seeded `random.Random` drives everything, so a failing run is reproduced by its seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from PIL import Image

from bot.messages import Chat, ChatKind, Person, Photo, Request

PLATFORM = "console"
PEOPLE = (
    Person(PLATFORM, "ana", "Ana", "ana"),
    Person(PLATFORM, "ben", "Ben", "ben"),
    Person(PLATFORM, "cy", "Cy 🌵", None),
)
GROUPS = (
    Chat(PLATFORM, "group:runners", ChatKind.GROUP, "Runners"),
    Chat(PLATFORM, "group:readers", ChatKind.GROUP, "Readers"),
)

NUMBERS = (
    "0",
    "1",
    "2",
    "7",
    "-1",
    "-2",
    "-9999",
    "23",
    "24",
    "99",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 30,
    "9" * 4301,
    "１２",  # full-width digits are decimal to Python
    "٣",  # an Arabic-Indic digit
    "1e9",
    "0x10",
    "NaN",
    "1.5",
)
DAYS = (
    "today",
    "yesterday",
    "tomorrow",
    "mon",
    "sunday",
    "-3",
    "-999",
    "2026-03-22",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "last",
)
TIMES = ("07:30", "7", "23:59", "24:00", "25:99", "00:00", "7pm", "12:60", "99999999999:00")
WORDS = (
    "read",
    "Read",
    "run",
    "run 5k",
    "1",
    "2",
    "public",
    "private",
    "top",
    "off",
    "mon wed fri",
    "weekdays",
    "3x",
    "daily",
    "skip",
    "save",
    "Europe/Berlin",
    "Tokyo",
    "Mars/Olympus",
    "sun 18",
    "22-7",
    "@ana",
    "@ben",
    "@nobody",
    "a",
    "yes",
    "no",
)
ODD = (
    "\x00",
    "a\x00b",
    "\x00" * 50,
    "\u200b",
    "\u202e",
    "e\u0301",
    "🏃‍♀️",
    "👍🏽",
    "\ud7ff",
    "\uffff",
    "𝕳𝖊𝖑𝖑𝖔",
    "<b>bold</b>",
    "*md* _x_ `c`",
    "@everyone",
    "'; DROP TABLE habits; --",
    "%s %d {0}",
    "\t\r\n",
    "\x1b[31m",
    " ",
    "",
)


def long_text(rnd: random.Random) -> str:
    unit = rnd.choice(("a", "é", "😀", "word ", "👨‍👩‍👧‍👦", "\x00", "9"))
    return unit * rnd.choice((101, 300, 1001, 1025, 2049, 4097, 5000))


def fragment(rnd: random.Random) -> str:
    kind = rnd.random()
    if kind < 0.25:
        return rnd.choice(NUMBERS)
    if kind < 0.4:
        return rnd.choice(DAYS)
    if kind < 0.5:
        return rnd.choice(TIMES)
    if kind < 0.75:
        return rnd.choice(WORDS)
    if kind < 0.93:
        return rnd.choice(ODD)
    if kind < 0.97:
        return long_text(rnd)
    return "".join(chr(rnd.randrange(1, 0x10FFFF)) for _ in range(rnd.randrange(1, 12)))


def text_args(rnd: random.Random) -> str:
    return " ".join(fragment(rnd) for _ in range(rnd.choice((0, 1, 1, 2, 2, 3, 5))))


def clean_surrogates(text: str) -> str:
    """Chat platforms deliver valid UTF-8 only: no lone surrogates."""
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@dataclass
class Inputs:
    """Makes one random request at a time, from the commands and buttons the bot has."""

    rnd: random.Random
    commands: Sequence[str]
    button_prefixes: Sequence[str]
    png: bytes

    @classmethod
    def new(cls, seed: int, commands: Sequence[str], button_prefixes: Sequence[str]) -> Inputs:
        out = BytesIO()
        Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
        return cls(random.Random(seed), sorted(commands), sorted(button_prefixes), out.getvalue())

    def sender(self) -> Person:
        if self.rnd.random() < 0.9:
            return self.rnd.choice(PEOPLE)
        # Someone new, with whatever a platform lets people put in their names.
        name = clean_surrogates(self.rnd.choice((fragment(self.rnd), long_text(self.rnd))))
        handle = clean_surrogates(fragment(self.rnd)) if self.rnd.random() < 0.5 else None
        return Person(PLATFORM, f"new{self.rnd.randrange(5)}", name, handle)

    def chat(self, sender: Person) -> Chat:
        if self.rnd.random() < 0.5:
            return Chat(PLATFORM, f"dm:{sender.id}", ChatKind.PRIVATE)
        if self.rnd.random() < 0.9:
            return self.rnd.choice(GROUPS)
        title = clean_surrogates(self.rnd.choice((fragment(self.rnd), long_text(self.rnd))))
        return Chat(PLATFORM, "group:odd", ChatKind.GROUP, title)

    def request(self) -> Request:
        sender = self.sender()
        chat = self.chat(sender)
        kind = self.rnd.random()
        if kind < 0.55:
            name = self.rnd.choice(self.commands) if self.rnd.random() < 0.95 else "nosuch"
            text = clean_surrogates(f"/{name} {text_args(self.rnd)}".rstrip())
            return Request.from_text(sender, chat, text)
        if kind < 0.8:
            return Request(sender, chat, button=clean_surrogates(self.button()))
        if kind < 0.93:
            return Request.from_text(sender, chat, clean_surrogates(text_args(self.rnd)))
        return self.photo(sender, chat)

    def button(self) -> str:
        prefix = self.rnd.choice(self.button_prefixes)
        if self.rnd.random() < 0.05:
            prefix = self.rnd.choice(("", "zz", "lk" * 40))
        args = [
            self.rnd.choice((fragment(self.rnd), self.rnd.choice(NUMBERS), "20260323", "newest"))
            for _ in range(self.rnd.choice((0, 1, 2, 3, 4)))
        ]
        return ":".join([prefix, *args])

    def photo(self, sender: Person, chat: Chat) -> Request:
        data = self.png if self.rnd.random() < 0.7 else self.rnd.randbytes(64)

        async def load() -> bytes:
            return data

        caption = self.rnd.choice(("", "/proof", "/proof " + text_args(self.rnd)))
        photo = Photo(load=load, file_name="p.png", size=len(data))
        return Request.from_text(sender, chat, clean_surrogates(caption), photo=photo)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
