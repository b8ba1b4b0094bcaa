"""Habit commands cost the same with five years of history as with a month (issue 15).

For 1 and 30 habits, with 30 days and with five years of check-ins, every habit command sends
exactly the same statements (the /habits buttons too; /archived, /restore and its button for
archived habits), and the rows it reads from habit_logs do not grow with the past: each such
SELECT is re-run as a count with the very parameters it was sent with.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, select, update

from bot.dispatcher import HabitLinkBot
from bot.messages import Person, Response
from core.clock import SettableClock
from core.db.engine import Database
from core.db.models import Group, Habit, HabitLog, Identity, Message, MessageKind, Trust, User
from core.habits.aggregate import WINDOW_DAYS
from core.habits.history import CheckinStatus
from core.habits.service import HabitDraft, HabitService
from tests.support.requests import person, press, private_chat, send

MONTH, YEAR, FIVE_YEARS = 30, 365, 5 * 365


def entries(start: date, today: date, k: int) -> dict[date, CheckinStatus]:
    """A long but irregular past from `start` to yesterday: most days done, some skipped,
    some missed. The pattern depends on the date only, so recent weeks look alike whatever
    the length of the past."""
    out: dict[date, CheckinStatus] = {}
    day = start
    while day < today:
        n = day.toordinal() + k
        if n % 11 == 0:
            out[day] = CheckinStatus.SKIPPED
        elif n % 5 != 0:
            out[day] = CheckinStatus.DONE
        day += timedelta(days=1)
    return out


async def seed(
    bot: HabitLinkBot, db: Database, clock: SettableClock, who: Person, habits: int, days: int
) -> None:
    """Someone with `habits` daily habits holding `days` of history (inserted like the rows of
    a database from before migration 0015: no checkpoints), then one /habits that makes them."""
    await say(bot, who, "/start")
    today = clock.now().date()
    start = today - timedelta(days=days)
    async with db.session() as session:
        user = await session.scalar(
            select(User)
            .join(Identity, Identity.user_id == User.id)
            .where(Identity.platform == who.platform, Identity.external_id == who.id)
        )
        assert user is not None
        service = HabitService(session, clock)
        for k in range(habits):
            habit = await service.create(user, HabitDraft.build(title=f"Habit {k:02d}"), start)
            habit.stats_checkpoint = None
            rows: list[dict[str, Any]] = [
                {"habit_id": habit.id, "day": d, "status": s.value, "created_at": clock.now()}
                for d, s in entries(start, today, k).items()
            ]
            await session.execute(insert(HabitLog), rows)  # a habit at a time: under the timeout
            await session.commit()
    await say(bot, who, "/habits")  # computes and keeps every habit's checkpoint


async def say(bot: HabitLinkBot, who: Person, text: str) -> Response:
    response = await send(bot, who, private_chat(who), text)
    assert response.replies, text
    return response


@contextmanager
def habit_log_reads(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs on habit_logs sent meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM habit_logs" in statement:
            seen.append((statement, params))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def rows_read(db: Database, reads: list[tuple[str, Any]]) -> int:
    total = 0
    async with db.engine.connect() as conn:
        for statement, params in reads:
            counted = f"SELECT count(*) FROM ({statement}) AS read"
            total += (await conn.exec_driver_sql(counted, params)).scalar_one()
    return total


COMMANDS = (
    "/habits",
    "/done Habit 00",
    "/done Habit 00",  # already done: nothing changes
    "/skip Habit 00 yesterday",
    "/undo Habit 00 yesterday",
    "/done Habit 00 -3",
    "/week",
    "/week last",
    "/stats",
    "/stats Habit 00",
    "/summary",
)


async def costs(
    bot: HabitLinkBot, db: Database, clock: SettableClock, habits: int, days: int
) -> dict[str, tuple[int, int]]:
    """(statements, habit_logs rows read) per command for a new person with that past."""
    who = person(f"P{habits}x{days}")
    await seed(bot, db, clock, who, habits, days)
    out: dict[str, tuple[int, int]] = {}
    for i, command in enumerate(COMMANDS):
        with habit_log_reads(db) as reads:
            before = db.statements
            await say(bot, who, command)
            statements = db.statements - before
        out[f"{i:02d} {command}"] = (statements, await rows_read(db, reads))
    listing = await say(bot, who, "/habits")  # Habit 00 is done today: its button undoes
    for j, label in enumerate(("↩ Undo Habit 00", "✓ Habit 00"), len(COMMANDS)):
        with habit_log_reads(db) as reads:
            before = db.statements
            listing = await press(bot, who, private_chat(who), listing, label)
            assert listing.replies, label
            statements = db.statements - before
        out[f"{j:02d} press {label[0]}"] = (statements, await rows_read(db, reads))
    return out


# Exact statements per command: the same for a month or five years of history, and for 1
# or 30 habits (/stats shows one habit's details when there is only one).
STATEMENTS = {
    "/habits": 3,
    "/done Habit 00": 4,
    "/skip Habit 00 yesterday": 4,
    "/undo Habit 00 yesterday": 3,
    "/done Habit 00 -3": 4,
    "/week": 3,
    "/week last": 3,
    "/stats": 3,
    "/stats Habit 00": 4,
    "/summary": 5,
    "press ↩": 5,  # the /habits buttons: the list is redrawn in place
    "press ✓": 5,
}


@pytest.mark.parametrize("habits", [1, 30])
async def test_commands_cost_the_same_for_five_years_as_for_a_month(
    bot: HabitLinkBot, database: Database, clock: SettableClock, habits: int
) -> None:
    month = await costs(bot, database, clock, habits, MONTH)
    year = await costs(bot, database, clock, habits, YEAR)
    years = await costs(bot, database, clock, habits, FIVE_YEARS)
    for key, (statements, rows) in years.items():
        command = key[3:]
        expected = STATEMENTS["/stats Habit 00" if key == "08 /stats" and habits == 1 else command]
        assert statements == month[key][0] == year[key][0] == expected, key
        # The rows read do not grow with the past: a year and five years read the same.
        assert rows == year[key][1], key
        if not command.startswith("/stats") or (habits > 1 and command == "/stats"):
            assert rows <= habits * WINDOW_DAYS, key
    # The heatmap shows a year: /stats HABIT reads that, never the five years.
    assert years["09 /stats Habit 00"][1] <= 53 * 7 + WINDOW_DAYS


async def trusted_people(db: Database, clock: SettableClock, who: Person, n: int) -> None:
    """`n` people `who` trusts, each with a learning this week in a public group."""
    now = clock.now()
    async with db.session() as session:
        me = await session.scalar(
            select(User.id)
            .join(Identity, Identity.user_id == User.id)
            .where(Identity.platform == who.platform, Identity.external_id == who.id)
        )
        assert me is not None
        others = [User(display_name=f"{who.id} friend {i}", created_at=now) for i in range(n)]
        session.add_all(others)
        await session.flush()
        group = Group(name=f"{who.id} circle", owner_id=me, invite_code=who.id, created_at=now)
        session.add(group)
        await session.flush()
        session.add_all(Trust(truster_id=me, trustee_id=u.id, created_at=now) for u in others)
        session.add_all(
            Message(
                group_id=group.id,
                user_id=u.id,
                content=f"learning {i}",
                type=MessageKind.LEARNING.value,
                created_at=now,
            )
            for i, u in enumerate(others)
        )
        await session.commit()


@pytest.mark.parametrize("habits", [1, 30])
async def test_summary_costs_the_same_for_2_and_50_trusted_people(
    bot: HabitLinkBot, database: Database, clock: SettableClock, habits: int
) -> None:
    counts: dict[int, int] = {}
    for trusted in (2, 50):
        who = person(f"T{habits}x{trusted}")
        await seed(bot, database, clock, who, habits, FIVE_YEARS)
        await trusted_people(database, clock, who, trusted)
        before = database.statements
        response = await say(bot, who, "/summary")
        counts[trusted] = database.statements - before
        text = " ".join(r.text.plain() for r in response.replies)
        assert f"{who.id} friend" in text  # the insights are there
        assert text.count("• Habit") == habits
    assert counts == {2: STATEMENTS["/summary"], 50: STATEMENTS["/summary"]}


async def archived_costs(
    bot: HabitLinkBot, db: Database, clock: SettableClock, habits: int, days: int
) -> dict[str, tuple[int, int]]:
    """(statements, habit_logs rows read) of /archived, /restore and the Restore button for a
    new person whose habits, with that past, are all archived."""
    who = person(f"A{habits}x{days}")
    chat = private_chat(who)
    await seed(bot, db, clock, who, habits, days)
    for k in range(habits):
        confirm = await say(bot, who, f"/deletehabit Habit {k:02d}")
        await press(bot, who, chat, confirm, "Archive")
    out: dict[str, tuple[int, int]] = {}
    listing: Response | None = None
    steps = ["/archived", "/restore Habit 00"] + (["press"] if habits > 1 else [])
    for step in steps:
        with habit_log_reads(db) as reads:
            before = db.statements
            if step == "press":
                assert listing is not None
                answer = await press(bot, who, chat, listing, f"↺ Restore Habit {habits - 1:02d}")
            else:
                answer = await say(bot, who, step)
            statements = db.statements - before
        assert "Restored" in answer.replies[0].text.plain() or step == "/archived", step
        listing = listing or answer
        out[step] = (statements, await rows_read(db, reads))
    return out


ARCHIVED_STATEMENTS = {"/archived": 3, "/restore Habit 00": 7, "press": 9}


@pytest.mark.parametrize("habits", [1, 30])
async def test_archived_and_restore_cost_the_same_for_five_years_as_for_a_month(
    bot: HabitLinkBot, database: Database, clock: SettableClock, habits: int
) -> None:
    """/archived reads a page (10) of habits' recent logs, whatever their number and past."""
    month = await archived_costs(bot, database, clock, habits, MONTH)
    years = await archived_costs(bot, database, clock, habits, FIVE_YEARS)
    assert {k: s for k, (s, _) in years.items()} == {k: s for k, (s, _) in month.items()}
    for step, (statements, rows) in years.items():
        assert statements == ARCHIVED_STATEMENTS[step], step
        assert rows <= min(habits, 10) * WINDOW_DAYS * 2, step  # /archived's page, twice at most


@pytest.mark.parametrize("legacy", [False, True])
async def test_a_restore_after_weeks_away_costs_as_any(
    bot: HabitLinkBot, database: Database, clock: SettableClock, legacy: bool
) -> None:
    """Archived three weeks, /archived looked at meanwhile (which moves its checkpoint on,
    counting the open range of days away as neutral): the restore sends the statements of any
    restore and reads the window. A habit archived before the days away were kept (`legacy`)
    has a checkpoint that counted them as missed: its restore drops it, so its one read takes
    the whole past, once, and one more UPDATE keeps the new checkpoint; the commands after it
    read the window again."""
    who = person(f"Away{legacy}")
    chat = private_chat(who)
    await seed(bot, database, clock, who, 1, YEAR)
    confirm = await say(bot, who, "/deletehabit Habit 00")
    await press(bot, who, chat, confirm, "Archive")
    if legacy:
        async with database.session() as session:
            await session.execute(update(Habit).values(away_days=None))
            await session.commit()
    clock.advance(timedelta(days=21))
    await say(bot, who, "/archived")
    out: dict[str, tuple[int, int]] = {}
    for step in ("/restore Habit 00", "/habits"):
        with habit_log_reads(database) as reads:
            before = database.statements
            answer = await say(bot, who, step)
            statements = database.statements - before
        out[step] = (statements, await rows_read(database, reads))
        assert "Habit 00" in answer.replies[0].text.plain(), step
    restore, habits = out["/restore Habit 00"], out["/habits"]
    assert habits[0] == STATEMENTS["/habits"] and habits[1] <= WINDOW_DAYS
    if legacy:
        assert restore[0] == ARCHIVED_STATEMENTS["/restore Habit 00"] + 1
        assert restore[1] > YEAR * 3 // 4  # the whole past, once
    else:
        assert restore == (ARCHIVED_STATEMENTS["/restore Habit 00"], habits[1])
