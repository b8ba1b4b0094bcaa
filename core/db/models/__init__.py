"""Every table of HabitLink. Importing this package registers them all on Base.metadata."""

from core.db.base import Base
from core.db.models.accounts import RefreshToken, ResetCode
from core.db.models.audit import AuditEntry
from core.db.models.counters import DailyCounter
from core.db.models.flows import FlowRecord
from core.db.models.groups import Group, GroupBan, GroupChat, GroupMember, GroupRole, Proof
from core.db.models.habits import Habit, HabitLog, Reminder
from core.db.models.inbox import InboxUpdate
from core.db.models.links import LinkAttempt, LinkCode
from core.db.models.media import MediaDeletion, MediaDiscard
from core.db.models.notifications import Notification, NotificationStatus
from core.db.models.social import (
    HabitTool,
    Message,
    MessageKind,
    MessageLike,
    Tool,
    ToolOrigin,
    ToolStatus,
    Trust,
)
from core.db.models.state import BotState
from core.db.models.users import Identity, User, UserRole, UserSettings

__all__ = [
    "AuditEntry",
    "Base",
    "BotState",
    "DailyCounter",
    "FlowRecord",
    "Group",
    "GroupBan",
    "GroupChat",
    "GroupMember",
    "GroupRole",
    "Habit",
    "HabitLog",
    "HabitTool",
    "Identity",
    "InboxUpdate",
    "LinkAttempt",
    "LinkCode",
    "MediaDeletion",
    "MediaDiscard",
    "Message",
    "MessageKind",
    "MessageLike",
    "Notification",
    "NotificationStatus",
    "Proof",
    "RefreshToken",
    "Reminder",
    "ResetCode",
    "Tool",
    "ToolOrigin",
    "ToolStatus",
    "Trust",
    "User",
    "UserRole",
    "UserSettings",
]
