"""Weekly summary production at scale (PostgreSQL): linear in groups and people.

Two data sets in two fresh databases (dropped at the end, even on errors), built with bulk SQL:
`--groups` groups (10,000) with three members each (30,000 people), and a tenth of that (the
baseline). Every person has a habit, a Telegram private chat and their summary due now; every
group has one Telegram chat and its summary due now. The subject is what `Notifier.produce` does
for summaries: one session, `Producer.summaries`, commit. Before every run (untimed) the outbox
is emptied and every summary made due again. Rounds alternate the two sizes.

Linear production costs 10x for 10x the groups and people: **per-group ratio** = (big seconds /
big groups) / (small seconds / small groups), 1.0 when linear (it was about 8.7 before:
1.05 s for 1,000 groups, 91 s for 10,000). SQL statements are counted for both sizes.

    .venv/bin/python -m bench.bench_summaries            # ~1 min
    .venv/bin/python -m bench.bench_summaries --quick    # seconds (tests/bench)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from typing import Any

import asyncpg

from bench.common import (
    BENCH_NOW,
    DEFAULT_PG_URL,
    base_parser,
    environment,
    pg_admin,
    sibling_url,
    write_results,
)
from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.notify.producer import Producer, ProduceReport

GROUPS, QUICK_GROUPS = 10_000, 200
MEMBERS_PER_GROUP = 3
ROUNDS, QUICK_ROUNDS = 3, 1
TELEGRAM = "telegram"

DUE = f"{BENCH_NOW.weekday()}, {BENCH_NOW.hour}"  # summary weekday and hour: due at BENCH_NOW
# $1 groups, $2 now (timestamptz). Person g is a member of group 1 + (g - 1) / 3.
BUILD_SQL = (
    "INSERT INTO users (id, display_name, lifebook, created_at) "
    "SELECT g, 'User ' || g, '{}', $2 FROM generate_series(1, $1 * 3) g",
    "INSERT INTO user_settings (user_id, timezone, day_start_hour, summary_enabled, "
    "summary_weekday, summary_hour, next_summary_at) "
    f"SELECT g, 'UTC', 0, true, {DUE}, $2 "
    "FROM generate_series(1, $1 * 3) g",
    "INSERT INTO identities (user_id, platform, external_id, username, display_name, dm_chat_id, "
    "created_at) SELECT g, 'telegram', (1000000000 + g)::text, 'user' || g, 'User ' || g, "
    "(1000000000 + g)::text, $2 FROM generate_series(1, $1 * 3) g",
    "INSERT INTO habits (id, user_id, title, loop, schedule_kind, weekday_mask, times_per_week, "
    "start_date, position, created_at) "
    "SELECT g, g, 'Read 10 pages', '{}', 'daily', 0, 7, "
    "($2::timestamptz - interval '30 days')::date, 0, $2 "
    "FROM generate_series(1, $1 * 3) g",
    "INSERT INTO groups (id, name, is_public, owner_id, invite_code, timezone, summary_weekday, "
    "summary_hour, next_summary_at, created_at) "
    "SELECT g, 'Group ' || g, true, 3 * g - 2, 'code' || g, 'UTC', "
    f"{DUE}, $2, $2 "
    "FROM generate_series(1, $1) g",
    "INSERT INTO group_members (group_id, user_id, role, created_at) "
    "SELECT 1 + (g - 1) / 3, g, CASE WHEN g % 3 = 1 THEN 'owner' ELSE 'member' END, $2 "
    "FROM generate_series(1, $1 * 3) g",
    "INSERT INTO group_chats (group_id, platform, external_chat_id, title, created_at) "
    "SELECT g, 'telegram', (-1000000000000 - g)::text, 'Group ' || g, $2 "
    "FROM generate_series(1, $1) g",
)


async def build(conn: asyncpg.Connection, groups: int) -> float:
    began = time.perf_counter()
    async with conn.transaction():
        for statement in BUILD_SQL:
            await conn.execute(statement, groups, BENCH_NOW)
        for seq in ("users", "habits", "groups"):
            await conn.execute(f"SELECT setval('{seq}_id_seq', (SELECT max(id) FROM {seq}))")
    await conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - began


async def reset(conn: asyncpg.Connection) -> None:
    """Untimed, before every run: an empty outbox, every summary due again."""
    await conn.execute("TRUNCATE notifications RESTART IDENTITY")
    await conn.execute("UPDATE user_settings SET next_summary_at = $1", BENCH_NOW)
    await conn.execute("UPDATE groups SET next_summary_at = $1", BENCH_NOW)
    await conn.execute("VACUUM ANALYZE user_settings, groups, notifications")


async def produce(db: Database, clock: SettableClock) -> int:
    """What Notifier.produce does for summaries: one session, Producer.summaries, commit."""
    async with db.session() as session:
        report = ProduceReport()
        await Producer(session, clock, [TELEGRAM]).summaries(report)
        await session.commit()
    return report.queued


class DataSet:
    def __init__(self, admin_dsn: str, groups: int) -> None:
        self.admin_dsn = admin_dsn
        self.groups = groups
        self.name = f"habitlink_bench_sum_{groups}_{os.getpid()}"
        self.db: Database | None = None
        self.conn: asyncpg.Connection | None = None
        self.seconds: list[float] = []
        self.statements: list[int] = []

    @property
    def drop(self) -> str:
        return f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'

    async def open(self) -> str:
        version = await pg_admin(self.admin_dsn, self.drop, f'CREATE DATABASE "{self.name}"')
        url = sibling_url(self.admin_dsn, self.name)
        self.db = Database(url)
        self.conn = await asyncpg.connect(url, timeout=10)
        await upgrade(self.db)
        built = await build(self.conn, self.groups)
        print(f"{self.groups:,} groups, {self.groups * 3:,} people built in {built:.1f} s")
        return version

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()
        if self.db is not None:
            await self.db.dispose()
        await pg_admin(self.admin_dsn, self.drop)

    async def run(self, clock: SettableClock) -> None:
        assert self.db is not None and self.conn is not None
        await reset(self.conn)
        before = self.db.statements
        began = time.perf_counter()
        queued = await produce(self.db, clock)
        seconds = time.perf_counter() - began
        expected = self.groups + self.groups * MEMBERS_PER_GROUP
        if queued != expected:
            raise RuntimeError(f"{queued} summaries queued, not {expected}")
        self.seconds.append(seconds)
        self.statements.append(self.db.statements - before)
        print(f"  {self.groups:,} groups: {seconds:.2f} s, {self.statements[-1]} statements")

    def result(self) -> dict[str, Any]:
        median = statistics.median(self.seconds)
        return {
            "groups": self.groups,
            "people": self.groups * MEMBERS_PER_GROUP,
            "median_s": round(median, 3),
            "runs_s": [round(s, 3) for s in self.seconds],
            "statements": max(self.statements),
            "ms_per_group": round(median / self.groups * 1000, 4),
        }


async def run(admin_url: str, groups: int, rounds: int) -> dict[str, Any]:
    admin_dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    sets = [DataSet(admin_dsn, max(1, groups // 10)), DataSet(admin_dsn, groups)]
    clock = SettableClock(BENCH_NOW)
    try:
        version = ""
        for data in sets:
            version = await data.open()
        for r in range(rounds):
            for data in sets[r % 2 :] + sets[: r % 2]:
                await data.run(clock)
    finally:
        for data in sets:
            await data.close()
    small, big = (d.result() for d in sets)
    return {
        "server_version": version,
        "rounds": rounds,
        "small": small,
        "big": big,
        "per_group_ratio": round(big["ms_per_group"] / small["ms_per_group"], 2),
        "size_ratio": round(big["groups"] / small["groups"], 2),
        "time_ratio": round(big["median_s"] / small["median_s"], 2),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--groups", type=int, help=f"groups in the big run ({GROUPS:,})")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="the admin database")
    args = parser.parse_args(argv)
    groups = args.groups or (QUICK_GROUPS if args.quick else GROUPS)
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    result = asyncio.run(run(args.pg_url, groups, rounds))
    data = {"environment": environment(), "summaries": result}
    write_results(args.out, "bench_summaries", data)
    small, big = result["small"], result["big"]
    print(
        f"\n{big['groups']:,} groups / {big['people']:,} people: {big['median_s']:.2f} s "
        f"({big['statements']} statements); {small['groups']:,} / {small['people']:,}: "
        f"{small['median_s']:.2f} s ({small['statements']} statements)\n"
        f"time ratio {result['time_ratio']}x for {result['size_ratio']}x the size: "
        f"per-group ratio {result['per_group_ratio']}x (1.0 = linear)"
    )
    return data


if __name__ == "__main__":
    main()
