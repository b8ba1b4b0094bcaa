"""Every chat command, one module per feature; `build_router` puts them together."""

from __future__ import annotations

from bot.handlers import (
    account,
    basics,
    checkin,
    edit,
    group_admin,
    groups,
    learnings,
    link,
    newhabit,
    progress,
    proofs,
    reminders,
    settings,
    summary,
    today,
    trust,
)
from bot.router import Router


def build_router() -> Router:
    return Router().include(
        basics.router,
        today.router,
        checkin.router,
        newhabit.router,
        edit.router,
        progress.router,
        settings.router,
        groups.router,
        group_admin.router,
        learnings.router,
        trust.router,
        proofs.router,
        reminders.router,
        summary.router,
        link.router,
        account.router,
    )
