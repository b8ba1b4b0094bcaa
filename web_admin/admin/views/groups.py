"""Groups: members and their roles, visibility, and the group's proofs and learnings."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from core.db.models import Group
from web_admin.admin.auth import signed_in
from web_admin.admin.base import AdminView, link_to, name_of, unit_of


class GroupView(AdminView, model=Group):
    name = "Group"
    name_plural = "Groups"
    icon = "fa-solid fa-people-group"
    # The invite code is a key to a private group: not shown.
    column_list = ["id", "name", "is_public", "owner", "timezone", "created_at"]
    column_details_list = ["id", "name", "is_public", "owner", "timezone", "created_at"]
    column_labels = {
        "id": "Id", "name": "Name", "is_public": "Public", "owner": "Owner",
        "timezone": "Time zone", "created_at": "Created",
    }  # fmt: skip
    column_formatters = column_formatters_detail = {"owner": name_of}
    column_searchable_list = ["name"]
    column_sortable_list = ["id", "name", "created_at"]
    column_default_sort = [("id", True)]

    async def sections(
        self, request: Request, model: Any
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        actor = signed_in(request).id
        async with unit_of(self.web) as uow:
            members = await uow.groups.members(model)
            learnings = await uow.admin.moderation.learnings(actor, group_id=model.id)
            proofs = await uow.admin.moderation.proofs(actor, group_id=model.id)
        return [
            (
                "Members",
                [
                    {"Name": link_to(request, "user", m.user_id, m.name), "Role": m.role.value}
                    for m in members
                ],
            ),
            (
                "Learnings",
                [
                    {
                        "Id": link_to(request, "learning", x.id),
                        "By": link_to(request, "user", x.author_id, x.author_name),
                        "Text": x.content,
                        "Hidden": x.hidden_at,
                        "Posted": x.created_at,
                    }
                    for x in learnings
                ],
            ),
            (
                "Proofs",
                [
                    {
                        "Id": link_to(request, "proof", p.id),
                        "By": link_to(request, "user", p.author_id, p.author_name),
                        "Day": p.day,
                        "Hidden": p.hidden_at,
                        "Image deleted": p.image_deleted_at,
                    }
                    for p in proofs
                ],
            ),
        ]
