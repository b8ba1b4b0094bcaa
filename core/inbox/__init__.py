"""The inbox: delivered platform updates kept until handled (no update lost by a crash)."""

from core.inbox.service import Inbox, InboxEntry, mark_handled

__all__ = ["Inbox", "InboxEntry", "mark_handled"]
