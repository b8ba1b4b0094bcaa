"""Which habit a person means by what they typed: "/done water" finds "Drink water".

A reference matches, ignoring case and accents: the number from /habits, bare or after a '#'
('3', '#3'; a number no habit has finds a habit whose whole title it is, and "#3" finds a habit
titled "#3" before the third), the whole title, the beginning of a word of the
title (its first word included: a unique beginning), or else any part of a word (three letters
or more). The first of these that matches anything decides (when nothing does, the same again
without a full stop, comma or '!' after it: '/done run.'); more than
one habit there is ambiguous (the person is asked which); none at all gives the closest titles
as suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from core.numbers import parse_int

SUGGESTIONS = 3
CLOSE_ENOUGH = 0.5
TRAILING = ".,;:!?…"  # after the name, as a sentence ends: no part of it unless a title has it
SHORTEST_PART = 3  # "in" is inside too many words to mean one; a word's beginning may be shorter


def fold(text: str) -> str:
    """Lower case, accents dropped, whitespace collapsed: 'Café  Crème' -> 'cafe creme'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class TitleMatch:
    """Positions in the titles given: the one meant, or the candidates to ask about, or the
    closest ones to suggest when nothing matched."""

    found: int | None = None
    ambiguous: list[int] = field(default_factory=list)
    suggestions: list[int] = field(default_factory=list)
    number_out_of_range: bool = False


def match_title(ref: str, titles: Sequence[str]) -> TitleMatch:
    wanted = fold(ref)
    if not wanted:
        return TitleMatch()
    typed = ref.strip()
    folded = [fold(t) for t in titles]
    number = habit_number(typed)
    if number is not None:
        named = [i for i, t in enumerate(folded) if t == wanted]  # a habit called "12345"
        n = parse_int(number, 1, len(titles))  # None past any count, however many digits
        if n is not None and (number == typed or not named):  # one called "#3" is "#3"
            return TitleMatch(found=n - 1)
        if len(named) == 1:
            return TitleMatch(found=named[0])
        if named:
            return TitleMatch(ambiguous=named)
        if number == typed or _by_name(wanted, folded) is None:  # "#9" may be in "Lap #9"
            return TitleMatch(number_out_of_range=True)
    direct = _by_name(wanted, folded)
    if direct is not None:
        return direct
    bare = typed.rstrip(TRAILING)  # '/done run.', '/undo run, yesterday': a sentence's stop
    if bare and bare != typed:
        again = match_title(bare, titles)
        if again.found is not None or again.ambiguous:
            return again
    return TitleMatch(suggestions=_closest(wanted, folded))


def habit_number(typed: str) -> str | None:
    """The digits of a habit's number as typed, bare or after a '#' ('3', '#3'), else None."""
    digits = typed[1:] if typed.startswith("#") else typed
    return digits if digits.isascii() and digits.isdecimal() else None


def _by_name(wanted: str, folded: list[str]) -> TitleMatch | None:
    """The whole title, else a word's beginning, else a part of a word: the first tier that
    matches decides (found, or ambiguous); None when none does."""
    word_start = re.compile(rf"(?<![^\W_]){re.escape(wanted)}")
    tiers = (
        [i for i, t in enumerate(folded) if t == wanted],
        [i for i, t in enumerate(folded) if word_start.search(t)],
        [i for i, t in enumerate(folded) if len(wanted) >= SHORTEST_PART and wanted in t],
    )
    for tier in tiers:
        if len(tier) == 1:
            return TitleMatch(found=tier[0])
        if tier:
            return TitleMatch(ambiguous=tier)
    return None


def _closest(wanted: str, folded: list[str]) -> list[int]:
    """The titles most like `wanted`, as a whole or one of its words (a typo), best first;
    then those `wanted` begins with ('/done run someday': the name and words that are no day);
    failing all, the one its words but the last one to three (or the first one or two) find
    ('run 3/3', 'run march 22', 'run 2 days ago', 'yesterday run')."""
    scores = [(_likeness(wanted, t), i) for i, t in enumerate(folded)]
    found = [i for score, i in sorted(scores, key=lambda s: -s[0]) if score >= CLOSE_ENOUGH]
    found += [i for i, t in enumerate(folded) if wanted.startswith(t + " ") and i not in found]
    if not found:  # '/done run 3/3' with "Morning run": the words but the last (or first) name it
        words = wanted.split()
        heads = [" ".join(words[:-n]) for n in (1, 2, 3) if len(words) > n]
        tails = [" ".join(words[n:]) for n in (1, 2) if len(words) > n]  # '/done yesterday run'
        # By name only, never by its own closest titles: that search, word by word, took
        # time exponential in the words typed (a 40-word photo caption held a bot for minutes).
        for part in [*heads, *tails]:
            name = part.rstrip(TRAILING)
            meant = _by_name(name, folded) if name else None
            if meant is not None and meant.found is not None:
                return [meant.found]
    return found[:SUGGESTIONS]


def _likeness(wanted: str, title: str) -> float:
    parts = [title, *title.split()] if " " not in wanted else [title]
    return max(difflib.SequenceMatcher(None, wanted, p).ratio() for p in parts)


def rank_completions(
    titles: Sequence[str], wanted: str, norm: Callable[[str], str], limit: int
) -> list[str]:
    """Titles whose normalised form starts with `wanted`, then those that contain it."""
    starts = [t for t in titles if norm(t).startswith(wanted)]
    inside = [t for t in titles if wanted in norm(t) and t not in starts]
    return (starts + inside)[:limit]
