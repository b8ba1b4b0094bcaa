"""Try HabitLink in a terminal, no tokens needed; scriptable from stdin."""

from adapters.console.adapter import ConsoleAdapter

__all__ = ["ConsoleAdapter"]
