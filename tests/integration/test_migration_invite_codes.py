"""Migration 0034 stores invite codes in capitals (they are compared in that form): a code
made before, mixed case, still opens its group typed as it was shown, and two codes that differ
only in case keep the unique index (the second gets a new code)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from core.clock import SettableClock
from core.db.engine import Database
from core.db.schema import upgrade
from core.groups.invites import INVITE_LENGTH
from core.groups.service import GroupService
from tests.integration.test_migration_ids import empty_db  # noqa: F401  (the fixture)

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
CODES = ["SrrGjSoma_ce", "aB-9xYz_Q2kL", "SRRGJSOMA_CE"]  # the first and last clash in capitals


async def test_0034_puts_old_codes_in_capitals_and_keeps_them_unique(
    empty_db: Database,  # noqa: F811
) -> None:
    await upgrade(empty_db, "0033")
    async with empty_db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (display_name, lifebook, created_at) VALUES ('Alice', '{}', :t)"
            ),
            {"t": NOW},
        )
        for n, code in enumerate(CODES, 1):
            await conn.execute(
                text(
                    "INSERT INTO groups (name, is_public, owner_id, invite_code, timezone, "
                    "summary_weekday, summary_hour, created_at) "
                    "VALUES (:name, false, 1, :code, 'UTC', 6, 18, :t)"
                ),
                {"name": f"Group {n}", "code": code, "t": NOW},
            )
    await upgrade(empty_db)
    async with empty_db.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT name, invite_code FROM groups ORDER BY id"))).all()
    codes = dict(rows)
    assert codes["Group 1"] == "SRRGJSOMA_CE" and codes["Group 2"] == "AB-9XYZ_Q2KL"
    assert len(codes["Group 3"]) == INVITE_LENGTH and codes["Group 3"].isupper()
    async with empty_db.session() as session:
        groups = GroupService(session, SettableClock(NOW))
        for typed, name in [("srrGJsoma_CE", "Group 1"), (" ab-9xyz_q2kl", "Group 2")]:
            found = await groups.by_invite(typed)
            assert found is not None and found.name == name, typed
