"""The admin dashboard's numbers, and the admin pages' SQL: the same number of statements for
a few people and for many (grouped queries, never one per day, person or group)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, text

from bot.dispatcher import HabitLinkBot
from core.clock import SettableClock
from core.db.engine import Database
from core.habits.history import week_start
from tests.support.admin import console_user_id, make_admin
from tests.support.bots import make_bot
from tests.support.images import jpeg
from tests.support.requests import group_chat, person, private_chat, send


async def someone(bot: HabitLinkBot, i: int, *, group: int | None = None) -> None:
    """Person i makes a habit and checks in; with `group`, joins it and posts a proof there."""
    who = person(f"P{i}")
    dm = private_chat(who)
    await send(bot, who, dm, f"/newhabit Habit {i}")
    await send(bot, who, dm, "/done 1")
    if group is not None:
        chat = group_chat(f"G{group}")
        await send(bot, who, chat, "/join")
        await send(bot, who, chat, "/proof", image=jpeg(32, 24, (i * 7 % 255, 90, 90)))


async def test_the_dashboard_counts_people_check_ins_groups_and_proofs(
    bot: HabitLinkBot, clock: SettableClock
) -> None:
    start = clock.now()  # Monday 23 March 2026
    await send(bot, person("P0"), group_chat("G0"), "/newgroup G0")
    await someone(bot, 0, group=0)
    p0_dm = private_chat(person("P0"))
    await send(bot, person("P0"), p0_dm, "/undo 1")  # a skip never replaces a done: undo first
    await send(bot, person("P0"), p0_dm, "/skip 1")  # today: skipped
    clock.advance(timedelta(days=8))  # Tuesday of the next week
    await send(bot, person("P1"), group_chat("G1"), "/newgroup G1")
    await send(bot, person("P2"), group_chat("G2"), "/newgroup G2")
    await someone(bot, 1, group=1)
    await someone(bot, 2)
    admin = await make_admin(bot.uow)
    async with bot.uow() as uow:
        view = await uow.admin.dashboard.overview(admin, days=90, weeks=4)
    today = clock.now().date()
    assert (view.people, view.groups) == (4, 3)  # three chat people and the admin
    assert view.active_this_week == 2  # P0 was last active eight days ago
    assert len(view.checkins) == 90 and view.checkins[-1].day == today
    by_day = {d.day: (d.done, d.skipped) for d in view.checkins if d.done or d.skipped}
    assert by_day == {start.date(): (0, 1), today: (2, 0)}
    this_week = week_start(today)
    weeks = [this_week - timedelta(weeks=n) for n in (3, 2, 1, 0)]
    assert [(w.week, w.count) for w in view.new_groups] == list(
        zip(weeks, [0, 0, 1, 2], strict=True)
    )
    assert [(w.week, w.count) for w in view.proofs] == list(zip(weeks, [0, 0, 1, 1], strict=True))
    assert view.new_groups[-2].week == date(2026, 3, 23)


async def admin_statements(
    bot: HabitLinkBot, db: Database, admin: int, someone_id: int
) -> list[int]:
    counts = []
    for call in ("overview", "search", "detail", "learnings", "proofs", "outbox", "audit"):
        before = db.statements
        async with bot.uow() as uow:
            if call == "overview":
                await uow.admin.dashboard.overview(admin)
            elif call == "search":
                await uow.admin.people.search(admin, "p")
            elif call == "detail":
                await uow.admin.people.detail(admin, someone_id)
            elif call == "learnings":
                await uow.admin.moderation.learnings(admin)
            elif call == "proofs":
                await uow.admin.moderation.proofs(admin)
            elif call == "outbox":
                await uow.admin.outbox.counts(admin)
                await uow.admin.outbox.list(admin, "failed")
            else:
                await uow.admin.audit_log(admin)
        counts.append(db.statements - before)
    return counts


async def test_admin_pages_cost_the_same_statements_for_3_people_and_for_30(
    bot: HabitLinkBot, database: Database, clock: SettableClock
) -> None:
    await send(bot, person("P0"), group_chat("G0"), "/newgroup G0")
    for i in range(3):
        await someone(bot, i, group=0)
    admin = await make_admin(bot.uow)
    p0 = await console_user_id(bot.uow, "P0")
    small = await admin_statements(bot, database, admin, p0)
    for day in range(1, 10):  # many days, groups and weeks
        clock.advance(timedelta(days=3))
        await send(bot, person(f"P{day}"), group_chat(f"G{day}"), f"/newgroup G{day}")
        for i in range(3 * day, 3 * day + 3):
            await someone(bot, i, group=day)
        await send(bot, person("P0"), private_chat(person("P0")), "/done 1")
    large = await admin_statements(bot, database, admin, p0)
    assert large == small, f"3 people: {small}; 30 people: {large}"
    assert max(small) <= 6, small


async def test_the_dashboard_reads_habit_logs_through_its_indexes_on_postgres(
    pg_database: Database, clock: SettableClock
) -> None:
    """With years of check-ins, PostgreSQL's plans for "check-ins per day" and "active this
    week" are range scans of the two habit_logs indexes (migration 0023) and of the proofs
    index (0024), not a scan of every check-in or proof ever made. The statements are the
    ones the dashboard really sends."""
    bot = make_bot(pg_database, clock)
    for i in range(3):
        await someone(bot, i)
    admin = await make_admin(bot.uow)
    # five years of history for each habit
    history = (
        "INSERT INTO habit_logs (habit_id, date, status, created_at) "
        "SELECT h.id, d::date, 'done', d FROM habits h, {days}"
    )
    await fill(pg_database, history.format(days=DAYS.format(last="1 day")), "habit_logs", clock)
    await send(bot, person("P0"), group_chat("G0"), "/newgroup G0")
    proofs = (  # and years of proofs (0024)
        "INSERT INTO proofs (group_id, user_id, date, week_start, image_key, thumb_key, created_at)"
        " SELECT g.id, u.id, d::date, d::date, 'k', 't', d FROM groups g, users u, {days}"
    )
    await fill(pg_database, proofs.format(days=DAYS.format(last="8 days")), "proofs", clock)
    reads: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "habit_logs" in statement:
            reads.append((statement, params))

    event.listen(pg_database.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with bot.uow() as uow:
            view = await uow.admin.dashboard.overview(admin)
    finally:
        event.remove(pg_database.engine.sync_engine, "before_cursor_execute", record)
    assert sum(d.done for d in view.checkins) == 3 * 89 + 3  # the last 90 days, today's too
    assert view.active_this_week == 3
    plans = []
    async with pg_database.engine.connect() as conn:
        for statement, params in reads:
            rows = await conn.exec_driver_sql(f"EXPLAIN {statement}", params)
            plans.append("\n".join(row[0] for row in rows))
    assert len(plans) == 2, plans  # the active-people union and the check-ins per day
    assert any("ix_habit_logs_date_status" in p for p in plans), plans
    assert any("ix_habit_logs_created_at_habit_id" in p for p in plans), plans
    assert not any("Seq Scan on habit_logs" in p for p in plans), plans
    assert any("ix_proofs_created_at_user_id" in p for p in plans), plans
    assert not any("Seq Scan on proofs" in p for p in plans), plans


# Every day of five years up to `last` before the clock's now (PostgreSQL).
DAYS = (
    "generate_series(CAST(:today AS timestamptz) - interval '1825 days',"
    " CAST(:today AS timestamptz) - interval '{last}', interval '1 day') AS d"
)


async def fill(database: Database, insert: str, table: str, clock: SettableClock) -> None:
    """Run an INSERT … SELECT over DAYS, then ANALYZE the table so the planner knows its size."""
    async with database.engine.begin() as conn:
        await conn.execute(text(insert), {"today": clock.now()})
        await conn.execute(text(f"ANALYZE {table}"))
