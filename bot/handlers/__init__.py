"""Every chat command, one module per feature; `build_router` puts them together."""

from __future__ import annotations

from bot.handlers import (
    addtool,
    basics,
    checkin,
    edit,
    findtool,
    group_admin,
    groups,
    learnings,
    lifebook,
    link,
    newhabit,
    progress,
    proofs,
    reminders,
    settings,
    summary,
    today,
    toolbox,
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
        lifebook.router,
        toolbox.router,
        addtool.router,
        findtool.router,
    )
