"""The admin's pages, in menu order."""

from __future__ import annotations

from web_admin.admin.base import AdminPage, AdminView
from web_admin.admin.views.audit import AuditView
from web_admin.admin.views.dashboard import DashboardPage
from web_admin.admin.views.groups import GroupView
from web_admin.admin.views.moderation import LearningView, ProofView
from web_admin.admin.views.outbox import OutboxPage
from web_admin.admin.views.people import UserView
from web_admin.admin.views.toolbox import ToolView

VIEWS: tuple[type[AdminView] | type[AdminPage], ...] = (
    DashboardPage,
    UserView,
    GroupView,
    LearningView,
    ProofView,
    ToolView,
    OutboxPage,
    AuditView,
)
