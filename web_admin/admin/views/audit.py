"""The audit log: every admin action, who, when, what, before and after. Read-only: SQLAdmin
offers no create, edit or delete here, and core.admin.audit has no function that would."""

from __future__ import annotations

import json
from typing import Any

from sqladmin.filters import AllUniqueStringValuesFilter

from core.db.models import AuditEntry
from web_admin.admin.base import AdminView


def as_json(model: Any, attribute: Any) -> str:
    value = getattr(model, str(attribute))
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class AuditView(AdminView, model=AuditEntry):
    name = "Audit entry"
    name_plural = "Audit log"
    icon = "fa-solid fa-clipboard-list"
    column_list = ["id", "created_at", "actor_label", "action", "target_type", "target_id"]
    column_details_list = [
        "id", "created_at", "actor_label", "actor_id", "action", "target_type", "target_id",
        "before", "after",
    ]  # fmt: skip
    column_labels = {
        "id": "Id", "actor_label": "Who", "actor_id": "Admin (user id)", "created_at": "When",
        "action": "Action", "target_type": "What", "target_id": "Which", "before": "Before",
        "after": "After",
    }  # fmt: skip
    column_formatters_detail = {"before": as_json, "after": as_json}
    column_searchable_list = ["actor_label", "action"]
    column_sortable_list = ["id", "created_at", "action"]
    column_default_sort = [("id", True)]
    column_filters = [AllUniqueStringValuesFilter(AuditEntry.action, "Action")]
