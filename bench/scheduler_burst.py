"""bench.bench_scheduler's burst: `--users` reminders (100,000) due in one minute, PostgreSQL.

The data, built with bulk SQL; the subject, `Producer.reminders` + `Outbox.claim`; its baseline,
the same work as hand-written SQL on the same engine; and the measuring of both, rounds in
rotating order, checked to leave identical outbox rows (see bench/bench_scheduler.py).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import time as dt_time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import DateTime, bindparam, text

from bench.common import BENCH_NOW, scratch_database
from bench.run_costs import cpu_spent, peak_growth_mb, reset_peak, server_cpu
from bench.scheduler_common import TELEGRAM, WORKER
from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.notify.due_reminders import DROP_AFTER, LATE_AFTER
from core.notify.outbox import DEFAULT_LEASE, Outbox
from core.notify.producer import Producer, ProduceReport

PRODUCE_BATCH = 1000  # Producer's default, as Notifier.produce calls it
PRODUCE_GOAL = 2.0  # issue 15: producing at most 2x the one hand-written statement
CLAIM_BATCH = 500
# The burst's minute (a Monday, 09:00 UTC); the producer runs 20 s into it, as the scheduler
# (every 20 s) would.
MINUTE = BENCH_NOW
NOW = MINUTE + timedelta(seconds=20)
# Users live in these zones; each one's reminder is set to the local time of MINUTE there.
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
)


# --- the burst: data -------------------------------------------------------------------------
@dataclass(frozen=True)
class Mix:
    """What the producer must decide for user g (1..n), by g % 100 (residues never overlap)."""

    users: int

    @staticmethod
    def checked_in(g: int) -> bool:  # 5 %: already checked in today, no reminder
        return g % 100 < 5

    @staticmethod
    def quiet(g: int) -> bool:  # 2 %: the reminder's local hour is in their quiet hours
        return g % 100 in (5, 6)

    @staticmethod
    def unreachable(g: int) -> bool:  # 1 %: no private chat known
        return g % 100 == 7

    def count(self, rule: Callable[[int], bool]) -> int:
        return sum(1 for g in range(1, self.users + 1) if rule(g))

    @property
    def expected(self) -> dict[str, int]:
        checked = self.count(self.checked_in)
        quiet = self.count(self.quiet)
        unreachable = self.count(self.unreachable)
        return {
            "queued": self.users - checked - quiet - unreachable,
            "already_checked_in": checked,
            "quiet": quiet,
            "unreachable": unreachable,
        }


# $1 n, $2 zones, $3 local times, $4 local hours, $5 minute (timestamptz), $6 next summary.
# Zone of user g: $2[1 + g % k]; night owls (g % 10 = 9) start their day at 03:00.
BUILD_SQL = (
    "INSERT INTO users (id, display_name, lifebook, created_at) "
    "SELECT g, 'User ' || g, '{}', $2 FROM generate_series(1, $1) g",
    "INSERT INTO user_settings (user_id, timezone, day_start_hour, quiet_start, quiet_end, "
    "summary_enabled, summary_weekday, summary_hour, next_summary_at) "
    "SELECT g, ($2::text[])[1 + g % cardinality($2::text[])], "
    "CASE WHEN g % 10 = 9 THEN 3 ELSE 0 END, "
    "CASE WHEN g % 100 IN (5, 6) THEN ($3::int[])[1 + g % cardinality($3::int[])] END, "
    "CASE WHEN g % 100 IN (5, 6) THEN (($3::int[])[1 + g % cardinality($3::int[])] + 1) % 24 END, "
    "true, 6, 18, $4 FROM generate_series(1, $1) g",
    "INSERT INTO identities (user_id, platform, external_id, username, display_name, dm_chat_id, "
    "created_at) SELECT g, 'telegram', (1000000000 + g)::text, 'user' || g, 'User ' || g, "
    "CASE WHEN g % 100 <> 7 THEN (1000000000 + g)::text END, $2 FROM generate_series(1, $1) g",
    "INSERT INTO habits (id, user_id, title, loop, schedule_kind, weekday_mask, times_per_week, "
    "start_date, position, created_at) "
    "SELECT g, g, 'Read 10 pages', '{}', 'daily', 0, 7, $3, 0, $2 "
    "FROM generate_series(1, $1) g",
    "INSERT INTO reminders (id, habit_id, local_time, weekday_mask, next_due_at, created_at) "
    "SELECT g, g, ($3::time[])[1 + g % cardinality($3::time[])], 127, $2, $2 "
    "FROM generate_series(1, $1) g",
    "INSERT INTO habit_logs (habit_id, date, status, created_at) "
    "SELECT h.id, (($1::timestamptz AT TIME ZONE s.timezone) "
    "- make_interval(hours => s.day_start_hour))::date, 'done', $1 "
    "FROM habits h JOIN user_settings s ON s.user_id = h.user_id WHERE h.id % 100 < 5",
)


def zone_columns() -> tuple[list[str], list[dt_time], list[int]]:
    """Per zone: its name, the local time of MINUTE there and that local hour."""
    local = [MINUTE.astimezone(ZoneInfo(z)) for z in ZONES]
    return list(ZONES), [t.time().replace(tzinfo=None) for t in local], [t.hour for t in local]


async def build_burst(conn: asyncpg.Connection, users: int) -> float:
    """Fill the database with bulk SQL; returns the seconds it took."""
    zones, times, hours = zone_columns()
    began = time.perf_counter()
    async with conn.transaction():
        await conn.execute(BUILD_SQL[0], users, MINUTE)
        await conn.execute(BUILD_SQL[1], users, zones, hours, MINUTE + timedelta(days=6))
        await conn.execute(BUILD_SQL[2], users, MINUTE)
        await conn.execute(BUILD_SQL[3], users, MINUTE, MINUTE.date() - timedelta(days=30))
        await conn.execute(BUILD_SQL[4], users, MINUTE, times)
        await conn.execute(BUILD_SQL[5], MINUTE)
        for seq in ("users", "habits", "reminders"):
            await conn.execute(f"SELECT setval('{seq}_id_seq', (SELECT max(id) FROM {seq}))")
    await conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - began


async def reset_burst(conn: asyncpg.Connection) -> None:
    """Untimed, before every run: an empty outbox, every reminder due again, clean tables."""
    await conn.execute("TRUNCATE notifications RESTART IDENTITY")
    await conn.execute("UPDATE reminders SET next_due_at = $1, snoozed_until = NULL", MINUTE)
    await conn.execute("VACUUM ANALYZE reminders, notifications")
    await conn.execute("CHECKPOINT")


# --- the burst: the two sides -----------------------------------------------------------------
@dataclass
class Claimed:
    rows: int
    batches: list[float]  # seconds per claim transaction


async def produce_bot(db: Database, clock: SettableClock) -> dict[str, int]:
    """What Notifier.produce does for reminders: one session, Producer.reminders, commit."""
    async with db.session() as session:
        report = ProduceReport()
        await Producer(session, clock, [TELEGRAM]).reminders(report, PRODUCE_BATCH)
        await session.commit()
    return {
        "queued": report.queued,
        "already_checked_in": report.already_checked_in,
        "quiet": report.quiet,
        "unreachable": report.unreachable,
        "dropped": report.dropped,
    }


async def claim_bot(db: Database, clock: SettableClock) -> Claimed:
    """What Notifier.dispatch does before sending: claim a batch in its own transaction."""
    batches: list[float] = []
    total = 0
    while True:
        began = time.perf_counter()
        async with db.session() as session:
            claimed = await Outbox(session, clock).claim(WORKER, CLAIM_BATCH)
            await session.commit()
        batches.append(time.perf_counter() - began)
        total += len(claimed)
        if len(claimed) < CLAIM_BATCH:
            return Claimed(total, batches)


def _ts(name: str) -> Any:
    return bindparam(name, type_=DateTime(timezone=True))


LOCAL = "(d.at AT TIME ZONE s.timezone)"
LOCAL_DAY = f"({LOCAL} - make_interval(hours => s.day_start_hour))::date"
LOCAL_HOUR = f"extract(hour FROM {LOCAL})::int"
# The hand-written producer: advance every due reminder (daily reminders: the same local time
# tomorrow) and queue what should go out, in one statement.
PRODUCE_SQL = text(
    f"""
WITH due AS (
    UPDATE reminders r SET next_due_at = r.next_due_at + interval '1 day'
    FROM habits h
    WHERE h.id = r.habit_id AND h.archived_at IS NULL AND r.next_due_at <= :now
    RETURNING r.id, r.habit_id, h.user_id, r.next_due_at - interval '1 day' AS at
)
INSERT INTO notifications (dedupe_key, kind, user_id, platform, chat_id, payload, due_at,
                           status, attempts, next_attempt_at, created_at)
SELECT 'reminder:' || d.id || ':'
           || to_char(d.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
       'reminder', d.user_id, i.platform, i.dm_chat_id,
       json_build_object('reminder_id', d.id, 'habit_id', d.habit_id, 'day', {LOCAL_DAY},
                         'late', :now - d.at > :late_after, 'snoozed', false,
                         'local_time', to_char({LOCAL}, 'HH24:MI')),
       d.at, 'pending', 0, :now, :now
FROM due d
JOIN user_settings s ON s.user_id = d.user_id
JOIN LATERAL (
    SELECT platform, dm_chat_id FROM identities
    WHERE user_id = d.user_id AND dm_chat_id IS NOT NULL AND unreachable_at IS NULL
      AND platform = :platform
    ORDER BY id LIMIT 1
) i ON true
WHERE :now - d.at <= :drop_after
  AND NOT EXISTS (SELECT 1 FROM habit_logs l WHERE l.habit_id = d.habit_id AND l.date = {LOCAL_DAY})
  AND NOT coalesce(s.quiet_start <> s.quiet_end AND CASE
        WHEN s.quiet_start < s.quiet_end
            THEN {LOCAL_HOUR} >= s.quiet_start AND {LOCAL_HOUR} < s.quiet_end
        ELSE {LOCAL_HOUR} >= s.quiet_start OR {LOCAL_HOUR} < s.quiet_end END, false)
ON CONFLICT (dedupe_key) DO NOTHING
"""
).bindparams(_ts("now"))
CLAIM_SQL = text(
    """
UPDATE notifications
SET status = 'sending', claimed_by = :worker, claimed_until = :until, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM notifications
    WHERE (status = 'pending' AND next_attempt_at <= :now)
       OR (status = 'sending' AND claimed_until < :now)
    ORDER BY next_attempt_at, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
RETURNING *
"""
).bindparams(_ts("now"), _ts("until"))


async def produce_sql(db: Database, clock: SettableClock) -> dict[str, int]:
    params = {
        "now": clock.now(),
        "late_after": LATE_AFTER,
        "drop_after": DROP_AFTER,
        "platform": TELEGRAM,
    }
    async with db.engine.begin() as conn:
        result = await conn.execute(PRODUCE_SQL, params)
    return {"queued": result.rowcount}


async def claim_sql(db: Database, clock: SettableClock) -> Claimed:
    now = clock.now()
    params = {"worker": WORKER, "now": now, "until": now + DEFAULT_LEASE, "limit": CLAIM_BATCH}
    batches: list[float] = []
    total = 0
    while True:
        began = time.perf_counter()
        async with db.engine.begin() as conn:
            n = len((await conn.execute(CLAIM_SQL, params)).all())
        batches.append(time.perf_counter() - began)
        total += n
        if n < CLAIM_BATCH:
            return Claimed(total, batches)


@dataclass(frozen=True)
class BurstSide:
    name: str
    produce: Callable[[Database, SettableClock], Awaitable[dict[str, int]]]
    claim: Callable[[Database, SettableClock], Awaitable[Claimed]]


BOT_SIDE = BurstSide("Producer.reminders + Outbox.claim", produce_bot, claim_bot)
SQL_SIDE = BurstSide("hand-written SQL", produce_sql, claim_sql)

FINGERPRINT_SQL = (
    "SELECT count(*) AS n, md5(string_agg(concat_ws('|', dedupe_key, kind, user_id, platform, "
    "chat_id, payload::jsonb::text, due_at, status, attempts, next_attempt_at), ',' "
    "ORDER BY dedupe_key)) AS digest FROM notifications"
)


async def check_produced(conn: asyncpg.Connection, users: int, expected: int) -> str:
    """The outbox holds what the decisions leave, and every reminder moved to tomorrow."""
    row = await conn.fetchrow(FINGERPRINT_SQL)
    if row["n"] != expected:
        raise RuntimeError(f"the outbox holds {row['n']} notifications, not {expected}")
    moved = await conn.fetchval(
        "SELECT count(*) FROM reminders WHERE next_due_at = $1", MINUTE + timedelta(days=1)
    )
    if moved != users:
        raise RuntimeError(f"{moved} of {users} reminders moved to tomorrow's minute")
    digest: str = row["digest"]
    return digest


async def check_claimed(conn: asyncpg.Connection, claimed: Claimed, expected: int) -> None:
    sending = await conn.fetchval(
        "SELECT count(*) FROM notifications WHERE status = 'sending' AND claimed_by = $1", WORKER
    )
    if not claimed.rows == sending == expected:
        raise RuntimeError(f"claimed {claimed.rows} ({sending} marked), not {expected}")


# --- the burst: measuring ------------------------------------------------------------------
async def run_burst(admin_url: str, users: int, rounds: int) -> dict[str, Any]:
    """In a fresh database habitlink_bench_sched_<pid>, dropped at the end whatever happens."""
    async with scratch_database(admin_url, "habitlink_bench_sched") as (url, version):
        # No statement timeout: the baseline is one statement over every row, which outlasts
        # the production bound (3 s) on a loaded machine.
        db = Database(url, statement_timeout=None)
        conn = await asyncpg.connect(url, timeout=10)
        try:
            await upgrade(db)
            result = await measure_burst(db, conn, users, rounds)
        finally:
            await conn.close()
            await db.dispose()
    return {"server_version": version, **result}


async def measure_burst(
    db: Database, conn: asyncpg.Connection, users: int, rounds: int
) -> dict[str, Any]:
    mix = Mix(users)
    expected = mix.expected
    build_s = await build_burst(conn, users)
    print(f"burst: {users:,} users built in {build_s:.1f} s; expecting {expected}")
    clock = SettableClock(NOW)
    sides = (BOT_SIDE, SQL_SIDE)
    runs: dict[str, list[dict[str, Any]]] = {s.name: [] for s in sides}
    digests: set[str] = set()
    for r in range(rounds):
        k = r % len(sides)
        for side in (*sides[k:], *sides[:k]):
            await reset_burst(conn)
            start_kb = reset_peak()
            statements = db.statements
            server = await server_cpu(conn)
            began, cpu = time.perf_counter(), time.process_time()
            report = await side.produce(db, clock)
            produce_s = time.perf_counter() - began
            produce_cpu_s = time.process_time() - cpu  # this process only
            server_s = cpu_spent(server, await server_cpu(conn))
            statements = db.statements - statements
            peak_mb = peak_growth_mb(start_kb)
            want = (
                {**expected, "dropped": 0} if side is BOT_SIDE else {"queued": expected["queued"]}
            )
            if report != want:
                raise RuntimeError(f"{side.name} reported {report}, expected {want}")
            digests.add(await check_produced(conn, users, expected["queued"]))
            began = time.perf_counter()
            claimed = await side.claim(db, clock)
            claim_s = time.perf_counter() - began
            await check_claimed(conn, claimed, expected["queued"])
            runs[side.name].append(
                {
                    "produce_s": round(produce_s, 3),
                    "produce_cpu_s": round(produce_cpu_s, 3),
                    "produce_server_cpu_s": None if server_s is None else round(server_s, 3),
                    "produce_statements": statements,
                    "claim_s": round(claim_s, 3),
                    "claim_batches": len(claimed.batches),
                    "claim_batch_ms_first10": _median_ms(claimed.batches[:10]),
                    "claim_batch_ms_last10": _median_ms(claimed.batches[-11:-1]),
                    "produce_peak_rss_growth_mb": peak_mb,
                }
            )
            print(
                f"  round {r + 1} {side.name}: produce {produce_s:.2f} s "
                f"(CPU here {produce_cpu_s:.2f} s, server {server_s or 0:.2f} s), "
                f"claim {claim_s:.2f} s"
                + (f", peak RSS +{peak_mb} MB" if peak_mb is not None else "")
            )
    if len(digests) != 1:  # the baseline must do exactly the producer's work
        raise RuntimeError("the two sides left different outbox rows")
    bot, sql = (_burst_summary(runs[s.name], users, expected["queued"]) for s in sides)
    produce_ratio = round(bot["produce_s"] / sql["produce_s"], 2)
    both = bot["produce_both_cpu_s"], sql["produce_both_cpu_s"]
    cpu_ratio = round(both[0] / both[1], 2) if both[0] and both[1] else None
    return {
        "users": users,
        "expected": expected,
        "build_s": round(build_s, 2),
        "rounds": rounds,
        "produce_batch": PRODUCE_BATCH,
        "claim_batch": CLAIM_BATCH,
        "subject": {"name": BOT_SIDE.name, **bot, "runs": runs[BOT_SIDE.name]},
        "baseline": {"name": SQL_SIDE.name, **sql, "runs": runs[SQL_SIDE.name]},
        "ratio": {
            key: round(bot[f"{key}_s"] / sql[f"{key}_s"], 2)
            for key in ("produce", "claim", "total")
        },
        "identical_outbox": True,
        "goal": {
            "produce_ratio_at_most": PRODUCE_GOAL,
            "produce_ratio": produce_ratio,
            "met": produce_ratio <= PRODUCE_GOAL,
            # the same in CPU seconds, this process's plus the server backends' (a check on
            # the wall-time ratio, which a loaded machine shakes)
            "produce_cpu_ratio": cpu_ratio,
        },
    }


def _median_ms(seconds: Sequence[float]) -> float | None:
    return round(statistics.median(seconds) * 1000, 2) if seconds else None


def _burst_summary(runs: list[dict[str, Any]], users: int, queued: int) -> dict[str, Any]:
    produce = statistics.median(r["produce_s"] for r in runs)
    cpu = statistics.median(r["produce_cpu_s"] for r in runs)
    server = [r["produce_server_cpu_s"] for r in runs if r["produce_server_cpu_s"] is not None]
    both = [r["produce_cpu_s"] + (r["produce_server_cpu_s"] or 0) for r in runs]
    claim = statistics.median(r["claim_s"] for r in runs)
    total = statistics.median(r["produce_s"] + r["claim_s"] for r in runs)
    return {
        "produce_s": round(produce, 3),
        "produce_cpu_s": round(cpu, 3),
        "produce_server_cpu_s": round(statistics.median(server), 3) if server else None,
        "produce_both_cpu_s": (
            round(statistics.median(both), 3) if len(server) == len(runs) else None
        ),
        "claim_s": round(claim, 3),
        "total_s": round(total, 3),
        "reminders_per_s": round(users / produce),
        "claimed_per_s": round(queued / claim),
        "produce_statements": max(r["produce_statements"] for r in runs),
        # only a run that starts the process's growth says much: freed memory is kept for reuse
        "produce_peak_rss_growth_mb": max(
            (r["produce_peak_rss_growth_mb"] for r in runs if r["produce_peak_rss_growth_mb"]),
            default=None,
        ),
    }
