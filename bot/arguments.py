"""A command's arguments, read by its declaration (bot/commands.py) before its handler runs.

Telegram and the console send words (`/done drink water yesterday`); Discord sends one value per
option (`habit:Drink water day:yesterday`). Both end up as the same `Args`: a habit or tool as the
words that name it (the handler looks it up), a day as a date, a number as an int, a choice as
its word, a time of day as a time, a schedule as a Schedule, a member as the person replied to
or an @name, free text as typed. Words that do not fit the declaration get one reply, derived
from it, and the handler never runs.

How words are split between parameters, in the declaration's order:
- one-word parameters (a choice, a number, a day, a time, an @member) take one word that looks
  like them; an optional one that is left out ends the arguments (positional, as in a shell);
- a schedule takes the longest run of words that reads wholly as one, and the text before it
  keeps at least one word (`/newhabit Read mon wed fri`, but `/newhabit 3x` is a title and
  `/newhabit Push ups 20x` all title). Only typed words are cut so: an option given on its own
  (Discord's title) is never split; the schedule is an option of its own there;
- a habit, a tool or free text takes words up to the first place where the next parameter fits
  (`/remind drink water 07:30 mon`: the habit is "drink water"); the last one takes the rest;
  an optional one followed only by one-word parameters is left out when they take every word
  (`/newgroup private`: a private group with the chat's name);
- two word parameters in a row (`/usetool habit stacking morning run`, `/proof run 5k rainy`)
  are split where the first one names a known tool or habit (`Lookup`), the longest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from bot.commands import MAX_DIGITS, BadArgument, Command, Kind, Param
from bot.messages import Person, Photo, Request, Response
from bot.misread import misread_day_option, short_minutes, time_first
from core.days import day_words, looks_like_day, parse_day
from core.errors import InvalidInput
from core.habits.schedule import (
    MAX_SCHEDULE_WORDS,
    Schedule,
    ScheduleError,
    is_said_schedule,
    parse_said,
)
from core.habits.service import match_habit
from core.reminders.service import (
    MERIDIEMS,
    is_bare_hour,
    looks_like_time,
    parse_time,
    reads_as_days,
    spaced_time,
)
from core.text import shorten
from core.toolbox.service import match_tool

if TYPE_CHECKING:
    from bot.context import Context

WORDY: Final = (Kind.HABIT, Kind.TOOL, Kind.TEXT)  # parameters of any number of words
SPOKEN: Final = (*WORDY, Kind.CHOICE, Kind.NUMBER, Kind.DAY, Kind.TIME, Kind.SCHEDULE, Kind.MEMBER)
MAX_NAME_WORDS: Final = 16  # the most words a habit or tool name is tried with
_WORD = re.compile(r"\S+")
_USERNAME = re.compile(r"\w{1,32}")  # a word that may be a username given without its @
_BEFORE_SCHEDULE: Final = " ,;:-–—"  # what parts a text from the schedule after it

# Whether these words name something known of this kind (a habit of the person, a tool).
Lookup = Callable[[Kind, str], bool]


@dataclass(frozen=True)
class Member:
    """Whom a command is about: the person replied to (or picked on Discord), or an @name."""

    person: Person | None = None
    username: str = ""


@dataclass(frozen=True)
class Args:
    """Typed values by parameter name; a parameter left out is absent."""

    values: Mapping[str, object] = field(default_factory=dict)
    # A choice said with another word for it (/newgroup Crew secret): the word, as typed.
    other_words: Mapping[str, str] = field(default_factory=dict)
    # Said in one typed line (/newhabit Walk 8x), not in fields of their own (Discord's options).
    typed: bool = field(default=True, compare=False)

    def __bool__(self) -> bool:
        return any(v is not None and v != "" for v in self.values.values())

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return value if isinstance(value, str) else ""

    def habit(self, name: str = "habit") -> str:
        """The words naming a habit ("" when none): `ctx.habits.find` looks it up."""
        return self.text(name)

    def tool(self, name: str = "tool") -> str:
        return self.text(name)

    def choice(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def other_word(self, name: str) -> str:
        """The word typed for a choice when it was one of its aliases ('secret'), else ''."""
        return self.other_words.get(name, "")

    def number(self, name: str) -> int | None:
        value = self.values.get(name)
        return value if isinstance(value, int) else None

    def day(self, name: str = "day") -> date | None:
        value = self.values.get(name)
        return value if isinstance(value, date) else None

    def time(self, name: str = "time") -> time | None:
        value = self.values.get(name)
        return value if isinstance(value, time) else None

    def schedule(self, name: str = "schedule") -> Schedule | None:
        value = self.values.get(name)
        return value if isinstance(value, Schedule) else None

    def member(self, name: str = "user") -> Member | None:
        value = self.values.get(name)
        return value if isinstance(value, Member) else None

    def photo(self, name: str = "photo") -> Photo | None:
        value = self.values.get(name)
        return value if isinstance(value, Photo) else None


def needs_lookup(command: Command) -> set[Kind]:
    """The kinds `parse` must be able to look up to split this command's words."""
    spoken = [p for p in command.params if p.kind in SPOKEN]
    pairs = pairwise(spoken)
    return {a.kind for a, b in pairs if a.kind in (Kind.HABIT, Kind.TOOL) and b.kind in WORDY}


def parse(command: Command, request: Request, today: date, lookup: Lookup | None = None) -> Args:
    """The command's typed arguments from the request, or BadArgument with the reply."""
    spoken = [p for p in command.params if p.kind in SPOKEN]
    photos = {p.name: request.photo for p in command.params if p.kind is Kind.PHOTO}
    if request.options is not None:
        texts = {p.name: " ".join(str(request.options.get(p.name) or "").split()) for p in spoken}
    else:
        texts = {"": request.args.strip()}
    replied = request.reply_to if not _names_someone(spoken, request) else None
    if command.bare and replied is None and not any(texts.values()):
        # the handler answers a bare command (a list, a setting, a question)
        return Args(photos, typed=request.options is None)
    if request.options is None:
        texts = _split(command, spoken, request.args, replied is not None, lookup)
    values: dict[str, object] = dict(photos)
    for param in spoken:
        words = texts.get(param.name, "")
        if param.kind is Kind.MEMBER and replied is not None:
            values[param.name] = Member(person=replied)
        elif words:
            try:
                values[param.name] = _convert(command, param, words, today)
            except BadArgument:  # Discord's day:--3 gets the help typed words get
                told = misread_day_option(command, param, texts) if request.options else None
                if told is None:
                    raise
                raise BadArgument(told) from None
        elif param.required:
            raise BadArgument(_missing(command, param))
    others = {
        p.name: said
        for p in spoken
        if p.kind is Kind.CHOICE and (said := texts.get(p.name, "")).lower() in p.aliases
    }
    return Args(values, others, typed=request.options is None)


def _names_someone(spoken: list[Param], request: Request) -> bool:
    """Whether the typed words start with an @name for the command's person: `/ban @carol` sent
    as a reply to Bob's message is about Carol, as said (the reply's author used to win, and the
    name was dropped without a word)."""
    if request.options is not None or not any(p.kind is Kind.MEMBER for p in spoken):
        return False
    first = request.args.split(maxsplit=1)
    return bool(first) and first[0].startswith("@") and len(first[0]) > 1


async def run_command(ctx: Context, command: Command) -> Response:
    """Read the request's arguments by the command's declaration, then run its handler; words
    that do not fit get the usage reply and the handler never runs."""
    lookup = await lookup_for(ctx, needs_lookup(command)) if ctx.request.options is None else None
    try:
        ctx.args = parse(command, ctx.request, ctx.today, lookup)
    except BadArgument as exc:
        return Response.say(exc.reply)
    return await command.handler(ctx)


async def lookup_for(ctx: Context, kinds: set[Kind]) -> Lookup | None:
    """Whether words name one of the person's habits or a tool, for splitting TOOL HABIT."""
    if not kinds:
        return None
    habits = await ctx.habits.active(ctx.user) if Kind.HABIT in kinds else []
    tools = await ctx.toolbox.all() if Kind.TOOL in kinds else []

    def known(kind: Kind, words: str) -> bool:
        if kind is Kind.HABIT:
            return match_habit(habits, words) is not None
        return kind is Kind.TOOL and match_tool(tools, words) is not None

    return known


def usage_reply(command: Command, lead: str) -> str:
    """`lead`, then the command's usage line and what each of its parameters is."""
    lines = [lead, f"Usage: {command.usage}"]
    lines += [f"  {p.shown}: {p.description}" for p in command.params if p.kind in SPOKEN]
    return "\n".join(lines)


# --- splitting words between parameters --------------------------------------------------
@dataclass
class _Miss:
    at: int = -1  # the word where the best attempt stopped
    param: Param | None = None  # the parameter that word did not fit (None: one word too many)


def split_words(command: Command, text: str, lookup: Lookup | None = None) -> dict[str, str]:
    """How `text` divides between the command's parameters (their words, unconverted)."""
    spoken = [p for p in command.params if p.kind in SPOKEN]
    return _split(command, spoken, text, False, lookup)


def _split(
    command: Command, spoken: list[Param], text: str, replied: bool, lookup: Lookup | None
) -> dict[str, str]:
    matches = list(_WORD.finditer(text))
    words = [m.group() for m in matches]
    # A member given by replying to their message takes no word.
    params = [p for p in spoken if not (p.kind is Kind.MEMBER and replied)]
    if replied and not params:
        return {}  # `/trust thanks!` as a reply: the reply names the person; words are chat
    miss = _Miss()
    spans = _fit(params, words, 0, 0, lookup, miss)
    if spans is None:
        raise BadArgument(_unfit(command, words, miss))
    out: dict[str, str] = {}
    for at, (param, (start, end)) in enumerate(zip(params, spans, strict=True)):
        if start == end:
            continue
        if param.kind is Kind.TEXT:  # free text keeps its inner spacing and lines
            said = text[matches[start].start() : matches[end - 1].end()]
            if _schedule_after(params, spans, at):  # 'Read, mon wed fri': the comma parts
                said = said.rstrip(_BEFORE_SCHEDULE) or said
            out[param.name] = said
        else:
            out[param.name] = " ".join(words[start:end])
    return out


def _schedule_after(params: list[Param], spans: list[tuple[int, int]], at: int) -> bool:
    """Whether words were read as a schedule right after params[at]."""
    nxt = at + 1
    return nxt < len(params) and params[nxt].kind is Kind.SCHEDULE and spans[nxt][1] > spans[nxt][0]


def _fit(
    params: list[Param], words: list[str], i: int, j: int, lookup: Lookup | None, miss: _Miss
) -> list[tuple[int, int]] | None:
    """Spans of words[j:] for params[i:], or None (noting in `miss` how far it got)."""
    n = len(words)
    if i == len(params):
        if j == n:
            return []
        if j > miss.at:
            miss.at, miss.param = j, None
        return None
    param = params[i]
    if param.kind not in WORDY:
        for k in _counts(param, words, j, last=i == len(params) - 1):
            rest = _fit(params, words, i + 1, j + k, lookup, miss)
            if rest is not None:
                return [(j, j + k), *rest]
        if not param.required and j == n:  # left out: nothing may follow (positional)
            return [(j, j)] * (len(params) - i)
        if j >= miss.at:
            miss.at, miss.param = j, param
        return None
    for k in _lengths(params, words, i, j, lookup):
        rest = _fit(params, words, i + 1, j + k, lookup, miss)
        if rest is not None:
            return [(j, j + k), *rest]
    if j > miss.at:
        miss.at, miss.param = j, param
    return None


def _counts(param: Param, words: list[str], j: int, *, last: bool) -> list[int]:
    """How many words from words[j] a parameter of a set shape may take: one word that looks
    like it, or a schedule's runs of words that read wholly as one, the longest first (the last
    parameter takes every word left, so only that run is read)."""
    if param.kind is Kind.TIME:
        return _time_words(words, j)
    if param.kind is Kind.DAY:  # 'monday', or 'on monday' / 'last tue' as two words
        n = day_words(words[j : j + 2])
        return [n] if n else []
    if param.kind is not Kind.SCHEDULE:
        return [1] if j < len(words) and _looks(param, words[j]) else []
    left = len(words) - j
    runs = [left] if last else range(min(left, MAX_SCHEDULE_WORDS), 0, -1)
    return [
        k
        for k in runs
        if 0 < k <= MAX_SCHEDULE_WORDS and is_said_schedule(" ".join(words[j : j + k]))
    ]


def _time_words(words: list[str], j: int) -> list[int]:
    """A time is one word (`7pm`, `19:30`, `noon`, `7`), or `7 pm` / `7:30 p.m.` as two, or an
    hour and its minutes with a space for the colon (`12 30`, `7 30pm`, `7 30 pm`), after an
    `at` if they like (`at 7am`, `at 7 pm`)."""
    start = j + 1 if j < len(words) and words[j].lower() == "at" else j
    spaced = spaced_time(words[start : start + 3])
    # '12 30' only where the words after it name days or there are none, as a bare hour.
    if spaced and reads_as_days(words[start + spaced :]):
        return [start - j + spaced]
    ahead = words[start : start + 2]
    if len(ahead) == 2 and ahead[1].lower() in MERIDIEMS and looks_like_time("".join(ahead)):
        return [start - j + 2]
    if ahead and looks_like_time(ahead[0]):
        return [start - j + 1]
    # A whole hour ('7', as /quiethours reads it) only where the words after it name days or
    # there are none: '/remind read 20 pages 7:30' keeps the 20 in the habit's name.
    if ahead and is_bare_hour(ahead[0]) and reads_as_days(words[start + 1 :]):
        return [start - j + 1]
    return []


def _lengths(
    params: list[Param], words: list[str], i: int, j: int, lookup: Lookup | None
) -> list[int]:
    """How many words params[i] (a word parameter) may take, the likeliest first."""
    left = len(words) - j
    param = params[i]
    if i == len(params) - 1:
        return [left] if left or not param.required else []
    shortest = list(range(1, left + 1))
    if params[i + 1].kind is Kind.SCHEDULE:  # '/newhabit 3x' is a title: the text keeps a word
        return shortest if left or param.required else [0]
    if params[i + 1].kind not in WORDY:
        if param.required:
            return shortest
        if all(p.kind not in WORDY for p in params[i + 1 :]):
            return [0, *shortest]  # `/newgroup private`: the words are the options, if they fit
        return [*shortest, 0]
    # Two word parameters in a row: split where the first names something known.
    known: list[int] = []
    if lookup is not None:
        known = [
            k
            for k in range(min(left, MAX_NAME_WORDS), 0, -1)
            if lookup(param.kind, " ".join(words[j : j + k]))
        ]
    if known:
        return known
    return [0] if not param.required else [left]


def _looks(param: Param, word: str) -> bool:
    """Whether a word may be this one-word parameter (its value is checked afterwards)."""
    match param.kind:
        case Kind.CHOICE:
            folded = word.lower()
            return folded in param.choices or folded in param.aliases
        case Kind.DAY:
            return looks_like_day(word)
        case Kind.TIME:
            return looks_like_time(word)
        case Kind.MEMBER:
            return word.startswith("@") and len(word) > 1
        case _:
            return True  # a number: any word, so that a wrong one gets the number's reply


# --- converting and explaining -----------------------------------------------------------
def _convert(command: Command, param: Param, words: str, today: date) -> object:
    match param.kind:
        case Kind.CHOICE:
            chosen = param.aliases.get(words.lower(), words.lower())
            if chosen not in param.choices:
                raise BadArgument(_invalid(command, param, words))
            return chosen
        case Kind.NUMBER:
            return _number(command, param, words)
        case Kind.DAY:
            try:
                return parse_day(words, today)
            except InvalidInput as exc:
                raise BadArgument(param.invalid or exc.message) from None  # says it all
        case Kind.TIME:
            at = parse_time(words)
            if at is None:
                raise BadArgument(_invalid(command, param, words))
            return at
        case Kind.MEMBER:
            return Member(username=words)
        case Kind.SCHEDULE:
            try:
                return parse_said(words)
            except ScheduleError as exc:
                raise BadArgument(param.invalid or str(exc)) from None  # says what fits
        case _:
            return words


def _number(command: Command, param: Param, word: str) -> int:
    digits = word.lstrip("-")
    value = (
        int(word)
        if digits.isdecimal() and word.count("-") <= 1 and len(word) <= MAX_DIGITS
        else None
    )
    if (
        value is None
        or (param.low is not None and value < param.low)
        or (param.high is not None and value > param.high)
    ):
        raise BadArgument(_invalid(command, param, word))
    return value


def _invalid(command: Command, param: Param, words: str) -> str:
    if param.invalid:
        return param.invalid.replace("{word}", shorten(words, 30))
    if param.kind is Kind.CHOICE:
        options = " or ".join(f"/{command.name} {c}" for c in param.choices)
        return usage_reply(command, f"Say {options}.")
    if param.kind is Kind.NUMBER:
        return usage_reply(command, f"{param.shown} is a whole number{_range(param)}.")
    if param.kind is Kind.TIME:
        return usage_reply(
            command, f"{shorten(words)} is not a time of day. Use HH:MM, like 07:30 or 19:00."
        )
    return usage_reply(command, f"I can't read {shorten(words)!r} as {param.shown}.")


def _missing(command: Command, param: Param) -> str:
    if param.invalid:
        return param.invalid
    if param.kind is Kind.MEMBER:
        name = command.name
        return f"Whom? Reply to their message with /{name}, or send /{name} @username."
    return usage_reply(command, f"/{command.name} needs {param.shown}.")


def _unfit(command: Command, words: list[str], miss: _Miss) -> str:
    spoken = [p for p in command.params if p.kind in SPOKEN]
    if miss.param is None and len(spoken) == 1 and spoken[0].invalid:
        return _invalid(command, spoken[0], " ".join(words))  # `/daystart 3 am`
    if miss.param is None:
        extra = " ".join(words[miss.at :])
        return usage_reply(command, f"I didn't expect {shorten(extra)!r} there.")
    if miss.param.kind is Kind.TIME and any(p.kind is Kind.HABIT for p in command.params):
        said = (_time_words(words, 0) or [0])[0]  # how many words begin with a time
        # '/remind run 7.5': read into the name; '/remind 7pm run': the time before it
        if short := short_minutes(command.name, words) or time_first(command, words, said):
            return short
    if miss.at >= len(words):
        return _missing(command, miss.param)
    if miss.param.kind in WORDY:
        return usage_reply(command, f"/{command.name} needs {miss.param.shown}.")
    return _convert_error(command, miss.param, words[miss.at])


def _convert_error(command: Command, param: Param, word: str) -> str:
    if param.kind is Kind.MEMBER:
        if _USERNAME.fullmatch(word):  # `/kick bob`: a name without its @
            name = command.name
            return (
                f"Whom? Reply to their message with /{name}, or send /{name} @{word}: "
                "a username starts with @."
            )
        return _missing(command, param)
    return _invalid(command, param, word)


def _range(param: Param) -> str:
    if param.low is not None and param.high is not None:
        return f" from {param.low} to {param.high}"
    if param.low is not None:
        return f" from {param.low} up"
    if param.high is not None:
        return f" up to {param.high}"
    return ""
