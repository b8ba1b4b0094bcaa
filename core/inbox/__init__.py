"""The inbox: delivered platform updates kept until handled (no update lost by a crash)."""

from core.inbox.service import KEEP_HANDLED, InboxEntry, InboxStore, PendingReply

__all__ = ["KEEP_HANDLED", "InboxEntry", "InboxStore", "PendingReply"]
