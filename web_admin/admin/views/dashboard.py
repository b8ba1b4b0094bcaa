"""The dashboard, the admin's first page: people active this week, check-ins per day over the
last 90 days as a chart, new groups and proofs per week (core.admin.dashboard)."""

from __future__ import annotations

from markupsafe import Markup
from sqladmin import expose
from starlette.requests import Request
from starlette.responses import Response

from web_admin.admin.auth import signed_in
from web_admin.admin.base import AdminPage, unit_of
from web_admin.admin.chart import ONE, Series, bars

WEEKLY = 450  # half as wide: these charts sit side by side
CHECKINS = Series(("done", "skipped"), ("#2fb344", "#f59f00"))


class DashboardPage(AdminPage):
    name = "Dashboard"
    icon = "fa-solid fa-chart-line"

    @expose("/dashboard", methods=["GET"], identity="dashboard")
    async def dashboard(self, request: Request) -> Response:
        async with unit_of(self.web) as uow:
            overview = await uow.admin.dashboard.overview(signed_in(request).id)
        checkins = [(d.day.isoformat(), (d.done, d.skipped)) for d in overview.checkins]
        groups = [(f"week of {w.week.isoformat()}", (w.count,)) for w in overview.new_groups]
        proofs = [(f"week of {w.week.isoformat()}", (w.count,)) for w in overview.proofs]
        total = sum(d.done + d.skipped for d in overview.checkins)
        return await self.templates.TemplateResponse(
            request,
            "habitlink/dashboard.html",
            {
                "title": "Dashboard",
                "overview": overview,
                "checkins_total": total,
                "checkins_chart": Markup(bars(checkins, CHECKINS, label="Check-ins per day")),
                "groups_chart": Markup(
                    bars(groups, ONE, label="New groups per week", width=WEEKLY)
                ),
                "proofs_chart": Markup(bars(proofs, ONE, label="Proofs per week", width=WEEKLY)),
            },
        )
