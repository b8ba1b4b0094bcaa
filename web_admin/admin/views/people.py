"""Users: search by email, name or platform username; identities, groups and activity; ban and
unban (core.admin.people: a ban silences the bot, takes their posts off the feed and boards)."""

from __future__ import annotations

from typing import Any

from sqladmin import expose
from starlette.requests import Request
from starlette.responses import Response

from core.admin.people import search_people
from core.db.models import User
from web_admin.admin.auth import signed_in
from web_admin.admin.base import AdminView, Button, link_to, unit_of


class UserView(AdminView, model=User):
    name = "User"
    name_plural = "Users"
    icon = "fa-solid fa-user"
    column_list = ["id", "display_name", "email", "role", "banned_at", "created_at"]
    column_details_list = [
        "id", "display_name", "email", "role", "banned_at", "ban_reason", "created_at",
    ]  # fmt: skip
    # Only the columns above: never the password hash or the lifebook (private notes). Export
    # is off (AdminView); refresh tokens and reset or link codes have no view at all.
    column_labels = {
        "id": "Id", "display_name": "Name", "email": "Email", "role": "Role",
        "banned_at": "Banned", "ban_reason": "Ban reason", "created_at": "Joined",
    }  # fmt: skip
    # These name the search box's fields; the search itself is core's (search_query below).
    column_searchable_list = ["email", "display_name", "identities.username"]
    column_sortable_list = ["id", "display_name", "email", "created_at", "banned_at"]
    column_default_sort = [("id", True)]

    def search_query(self, stmt: Any, term: str) -> Any:
        """Core's people search (an EXISTS on the chat accounts, not SQLAdmin's join, which
        counted a person once per matching account)."""
        return search_people(stmt, term)

    def buttons(self, request: Request, model: Any) -> list[Button]:
        if model.banned_at is None:
            return [
                Button(
                    "Ban from HabitLink",
                    self.action_url(request, model, "ban"),
                    "danger",
                    f"Ban {model.display_name}? The bot stops answering them and their "
                    "learnings and proofs leave every feed and board.",
                    field="reason",
                    placeholder="Why (for the audit log)",
                )
            ]
        return [Button("Unban", self.action_url(request, model, "unban"), "success")]

    async def sections(
        self, request: Request, model: Any
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        async with unit_of(self.web) as uow:
            detail = await uow.admin.people.detail(signed_in(request).id, model.id)
        identities = [
            {
                "Platform": i.platform,
                "Username": i.username,
                "Name there": i.display_name,
                "Unreachable since": i.unreachable_at,
                "Since": i.created_at,
            }
            for i in detail.identities
        ]
        groups = [
            {
                "Group": link_to(request, "group", g.group_id, g.group_name),
                "Public": g.is_public,
                "Role": g.role,
                "Joined": g.joined_at,
            }
            for g in detail.groups
        ]
        a = detail.activity
        activity = [
            {
                "Active habits": a.habits,
                "Check-ins": a.checkins,
                "Check-ins, last 7 days": a.checkins_7d,
                "Last check-in": a.last_checkin,
                "Proofs": a.proofs,
                "Learnings": a.learnings,
            }
        ]
        return [("Identities", identities), ("Groups", groups), ("Activity", activity)]

    @expose("/{pk:int}/ban", methods=["POST"])
    async def ban(self, request: Request) -> Response:
        reason = str((await request.form()).get("reason", ""))
        return await self.act(
            request, "Banned.", lambda uow, actor, pk: uow.admin.people.ban(actor, pk, reason)
        )

    @expose("/{pk:int}/unban", methods=["POST"])
    async def unban(self, request: Request) -> Response:
        return await self.act(
            request, "Unbanned.", lambda uow, actor, pk: uow.admin.people.unban(actor, pk)
        )
