"""Errors the domain raises on purpose. Their messages are written for the person in the chat;
those that name a chat command also carry what happened, as a `code` and its `facts`, so that
another surface (the web API, web_admin/error_words.py) can say it in its own terms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Code(StrEnum):
    """What happened, for a surface that words it itself (and for a program: the web API's
    problem `code`); the facts each one carries."""

    HABIT_LIMIT = "habit_limit"  # limit; title when it was a restore
    SKIP_BEFORE_START = "skip_before_start"  # title, start, day
    SKIP_REST_DAY = "skip_rest_day"  # title, day, schedule (in words)
    ALREADY_ACTIVE = "already_active"  # title
    RESTORE_TITLE_TAKEN = "restore_title_taken"  # title, same
    GROUP_BANNED = "group_banned"  # group
    GROUP_WRONG_CODE = "group_wrong_code"  # group
    GROUP_PRIVATE = "group_private"  # group, group_id
    GROUP_LIMIT = "group_limit"  # limit
    OWNER_LEAVING = "owner_leaving"  # group
    MEMBERS_ONLY = "members_only"  # group, group_id
    LEARNING_TWICE = "learning_twice"  # group, group_id
    TOOL_GONE = "tool_gone"
    TOOL_UNNAMED = "tool_unnamed"
    TOOL_UNKNOWN = "tool_unknown"  # typed (a name), or id (one that never was a tool)
    TOOL_TITLE_TAKEN = "tool_title_taken"  # title
    HABIT_TOOLS_FULL = "habit_tools_full"  # habit, limit
    NOT_IN_LIFEBOOK = "not_in_lifebook"
    EMAIL_TAKEN = "email_taken"
    LEARNING_EMPTY = "learning_empty"
    DAY_IN_FUTURE = "day_in_future"  # day
    DAY_TOO_FAR_BACK = "day_too_far_back"  # day, limit (days)


@dataclass(frozen=True)
class Choice:
    """One of the things a person may have meant (a habit): its id and its title."""

    id: int
    title: str


class HabitLinkError(Exception):
    """Base for expected failures: the message is shown to the user as is."""

    def __init__(
        self, message: str, *, code: Code | None = None, facts: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # what happened, for surfaces that word it themselves
        self.facts: Mapping[str, Any] = dict(facts or {})


class InvalidInput(HabitLinkError):
    """The user typed something we cannot use; nothing was changed."""


class InvalidField(InvalidInput):
    """A value of a named field (of a form or an API body) breaks a rule."""

    def __init__(
        self,
        field: str,
        message: str,
        *,
        code: Code | None = None,
        facts: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, facts=facts)
        self.field = field


class LimitReached(InvalidInput):
    """A person's daily allowance (e.g. tools shared a day) is used up; nothing was changed."""


class NotFound(HabitLinkError):
    """The thing the user named does not exist (for them)."""

    def __init__(
        self,
        message: str,
        suggestions: list[str] | None = None,
        *,
        choices: Sequence[Choice] = (),
        typed: str = "",
        code: Code | None = None,
        facts: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, facts=facts)
        self.suggestions = suggestions or []
        self.choices = tuple(choices)  # the suggestions as things to pick (buttons)
        self.typed = typed  # the words that matched nothing


class Ambiguous(HabitLinkError):
    """The user's words match more than one thing."""

    def __init__(
        self,
        message: str,
        candidates: list[str],
        *,
        choices: Sequence[Choice] = (),
        typed: str = "",
    ) -> None:
        super().__init__(message)
        self.candidates = candidates
        self.choices = tuple(choices)  # the candidates as things to pick (buttons)
        self.typed = typed  # the words that matched more than one


class Forbidden(HabitLinkError):
    """The user may not do this."""


class StorageError(Exception):
    """The database failed (unreachable, timed out, refused the write). Nothing was saved.

    The unit of work raises it in place of the driver's own exception, so callers outside core/
    handle storage faults without knowing the database library.
    """


class StorageConflict(StorageError):
    """A write collided with another one (a unique key taken meanwhile): worth trying once more."""
