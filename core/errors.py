"""Errors the domain raises on purpose. Their messages are written for the person in the chat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """One of the things a person may have meant (a habit): its id and its title."""

    id: int
    title: str


class HabitLinkError(Exception):
    """Base for expected failures: the message is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(HabitLinkError):
    """The user typed something we cannot use; nothing was changed."""


class InvalidField(InvalidInput):
    """A value of a named field (of a form or an API body) breaks a rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
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
    ) -> None:
        super().__init__(message)
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
