"""Errors the domain raises on purpose. Their messages are written for the person in the chat."""

from __future__ import annotations


class HabitLinkError(Exception):
    """Base for expected failures: the message is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(HabitLinkError):
    """The user typed something we cannot use; nothing was changed."""


class NotFound(HabitLinkError):
    """The thing the user named does not exist (for them)."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class Ambiguous(HabitLinkError):
    """The user's words match more than one thing."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class Forbidden(HabitLinkError):
    """The user may not do this."""


class StorageError(Exception):
    """The database failed (unreachable, timed out, refused the write). Nothing was saved.

    The unit of work raises it in place of the driver's own exception, so callers outside core/
    handle storage faults without knowing the database library.
    """


class StorageConflict(StorageError):
    """A write collided with another one (a unique key taken meanwhile): worth trying once more."""
