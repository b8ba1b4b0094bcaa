"""Per-person locks: one request of a person at a time, in this process or across processes."""

from core.locks.base import LockBusy, PersonLocks
from core.locks.memory import MemoryPersonLocks

__all__ = ["LockBusy", "MemoryPersonLocks", "PersonLocks"]
