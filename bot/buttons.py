"""Every button's payload prefix, in one place. A payload is PREFIX:ARG:ARG… of at most 64
bytes (Telegram's limit); adapters carry it untouched and the router sends a press to the
handler registered for its prefix (`Router.button`)."""

from __future__ import annotations

from typing import Final

HABIT_DONE: Final = "hd"  # /habits: check a habit in for a day
HABIT_UNDO: Final = "hu"  # /habits: take a check-in back
HABITS_PAGE: Final = "hp"  # /habits: another page of buttons (a platform's limit)
HABIT_PICK: Final = "hc"  # "which habit?": run the command with this habit
STATS: Final = "st"  # /stats: one habit's details
EDIT_HABIT: Final = "eh"  # /edithabit: which habit
EDIT_FIELD: Final = "ef"  # /edithabit: which field
DELETE_ASK: Final = "dq"  # /deletehabit: which habit
DELETE_HABIT: Final = "dh"  # /deletehabit: archive, delete or keep
ARCHIVED: Final = "ar"  # /archived: restore a habit, or another page
NEW_HABIT: Final = "nh"  # /newhabit's guided steps
TIMEZONE: Final = "tz"  # /timezone: a suggested zone
REMINDER_DONE: Final = "rd"  # a reminder's Done
REMINDER_SKIP: Final = "rk"  # a reminder's Skip today
REMINDER_SNOOZE: Final = "rz"  # a reminder's Snooze 1 hour
LEARNING_LIKE: Final = "lk"  # a learning's Like
LEARNING_DELETE: Final = "ld"  # a learning's Delete
FEED_PAGE: Final = "fd"  # /feed: another page or order
LEARNINGS_PAGE: Final = "lp"  # /learnings: older or newer learnings of the group
GROUPS_PAGE: Final = "gl"  # /groups: another page of public groups
LINK_JOIN: Final = "lj"  # /link CODE: join the code's account into this profile
LINK_CANCEL: Final = "lx"  # /link CODE: don't
LIFEBOOK: Final = "lb"  # /lifebook: a section, the guided flow, AI consent, erase
SERVES: Final = "sv"  # which Lifebook goal or value a habit serves
TOOLBOX: Final = "tb"  # /tools, /tool, /findtool: a page, open a tool, use it for a habit
ADD_TOOL: Final = "at"  # /addtool's guided steps
ERASE: Final = "er"  # /deleteme: the two questions before erasing

# The answer to a press whose button stopped working (its message is old, or it was forged).
BUTTON_GONE: Final = "That button no longer works."

PREFIXES: Final = frozenset(
    {
        HABIT_DONE,
        HABIT_UNDO,
        HABITS_PAGE,
        HABIT_PICK,
        STATS,
        EDIT_HABIT,
        EDIT_FIELD,
        DELETE_ASK,
        DELETE_HABIT,
        ARCHIVED,
        NEW_HABIT,
        TIMEZONE,
        REMINDER_DONE,
        REMINDER_SKIP,
        REMINDER_SNOOZE,
        LEARNING_LIKE,
        LEARNING_DELETE,
        FEED_PAGE,
        LEARNINGS_PAGE,
        GROUPS_PAGE,
        LINK_JOIN,
        LINK_CANCEL,
        LIFEBOOK,
        SERVES,
        TOOLBOX,
        ADD_TOOL,
        ERASE,
    }
)


def button_payload(prefix: str, *args: object) -> str:
    """'hd', 12, '2026-03-23' -> 'hd:12:2026-03-23'."""
    return ":".join([prefix, *(str(a) for a in args)])
