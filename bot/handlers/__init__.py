"""Every chat command, one module per feature; `build_router` puts them together."""

from __future__ import annotations

from bot.handlers import (
    account,
    addtool,
    archive,
    basics,
    checkin,
    choose,
    edit,
    findtool,
    group_admin,
    groups,
    habits,
    learnings,
    lifebook,
    link,
    newhabit,
    pick,
    proofs,
    reminders,
    settings,
    stats,
    summary,
    summarytime,
    toolbox,
    trust,
    week,
)
from bot.router import Router


def build_router() -> Router:
    return Router().include(
        basics.router,
        habits.router,
        checkin.router,
        newhabit.router,
        edit.router,
        archive.router,
        week.router,
        stats.router,
        settings.router,
        groups.router,
        group_admin.router,
        learnings.router,
        trust.router,
        proofs.router,
        reminders.router,
        summarytime.router,
        summary.router,
        link.router,
        pick.router,
        lifebook.router,
        toolbox.router,
        addtool.router,
        findtool.router,
        account.router,
        choose.router,
    )
