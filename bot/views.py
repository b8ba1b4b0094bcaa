"""How habit facts read in chat: marks, streaks, progress, dates. Shared by the handlers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date

from bot.messages import Button, Rich, Span, bold, italic, rich
from core.db.models import Habit
from core.habits.history import DayMark
from core.habits.stats import HABIT_FORMATION_TARGET, TYPICAL_RANGE, HabitStats

MARK_SYMBOLS: dict[DayMark, str] = {
    DayMark.DONE: "✓",
    DayMark.SKIPPED: "~",
    DayMark.MISSED: "✗",
    DayMark.PENDING: "○",
    DayMark.OPEN: "·",
    DayMark.NOT_SCHEDULED: "-",
    DayMark.FUTURE: " ",
    DayMark.BEFORE_START: " ",
    DayMark.AWAY: "-",
}
LEGEND = "✓ done  ~ skipped  ✗ missed  ○ due today  · optional  - rest day"
TITLE_WIDTH = 14


def day_stamp(day: date) -> str:
    """A day in a button payload: 20260323."""
    return day.strftime("%Y%m%d")


def parse_day_stamp(text: str) -> date | None:
    """The day of a button payload; None when it is not one."""
    if len(text) != 8 or not text.isdecimal():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def day_label(day: date) -> str:
    return day.strftime("%a %d %b").replace(" 0", " ")


def relative_day(day: date, today: date) -> str:
    if day == today:
        return "today"
    if (today - day).days == 1:
        return "yesterday"
    return day_label(day)


def plural(n: int, unit: str) -> str:
    """'1 day', '3 days', '1 week'."""
    return f"{n} {unit if n == 1 else unit + 's'}"


def streak_text(stats: HabitStats) -> str:
    return f"streak {plural(stats.current_streak, stats.streak_unit.rstrip('s'))}"


def progress_text(done_total: int) -> str:
    """'day 12 of 66'; past the mark it says so rather than 'day 70 of 66'."""
    if done_total > HABIT_FORMATION_TARGET:
        return f"day {done_total}, past the {HABIT_FORMATION_TARGET}-day mark"
    return f"day {done_total} of {HABIT_FORMATION_TARGET}"


def done_text(habit: Habit, day: date, when: str, stats: HabitStats) -> Rich:
    """'✓ Read done today. Streak 3 days, day 12 of 66.', as /done and a reminder's Done say
    it; a rest day's done is kept, but owed nothing ("Streak 0 days" says why)."""
    extra = (
        ""
        if habit.schedule.is_scheduled(day)
        else f", an extra: it is {habit.schedule.phrase()}, so this counts toward 66 but not"
        " the week or the streak"
    )
    return rich(
        "✓ ",
        bold(habit.title),
        f" done {when}{extra}. {streak_text(stats).capitalize()}, "
        f"{progress_text(stats.done_total)}.",
    )


def progress_note() -> Span:
    low, high = TYPICAL_RANGE
    return italic(
        f"66 days is the typical time for a habit to feel automatic; "
        f"for most people it is somewhere between {low} and {high} days."
    )


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def short_title(title: str, width: int = TITLE_WIDTH) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def text_width(text: str) -> int:
    """Columns `text` takes in a monospace font: East Asian wide letters (and emoji) two,
    combining marks and invisible joiners none."""
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def column(text: str, width: int = TITLE_WIDTH) -> str:
    """`text` as a table's first column, `width` columns wide in a monospace font: cut with
    "…" when wider, padded with spaces when narrower (by width, not characters: 李小龙 takes
    six columns, Zoë with a combining mark three)."""
    if text_width(text) > width:
        kept, used = [], 0
        for char in text:
            used += _char_width(char)
            if used > width - 1:
                break
            kept.append(char)
        text = "".join(kept) + "…"
    return text + " " * (width - text_width(text))


def button_title(title: str, width: int = 28) -> str:
    return short_title(title, width)


def numbered_habit_buttons(habits: list[Habit], prefix: str) -> list[list[Button]]:
    return [
        [Button(f"{i}. {button_title(h.title)}", f"{prefix}:{h.id}")]
        for i, h in enumerate(habits, 1)
    ]


def habit_card(habit: Habit, techniques: Sequence[str] = (), serves: str | None = None) -> Rich:
    """Everything the person told us about a habit, the techniques it uses and what it serves."""
    parts: list[Rich | Span | str] = [bold(habit.title), f"\nSchedule: {habit.schedule.describe()}"]
    details = [
        ("Why", habit.why),
        ("Identity", habit.identity_goal),
        ("Minimal dose", habit.minimal_dose),
        ("When and where", habit.implementation_intention),
        ("Cue", habit.loop.get("cue")),
        ("Reward", habit.loop.get("reward")),
    ]
    for label, value in details:
        if value:
            parts += [f"\n{label}: ", str(value)]
    if serves:
        parts += ["\nServes: ", serves]
    if techniques:
        parts += ["\nTechniques: ", ", ".join(techniques)]
    return rich(*parts)
