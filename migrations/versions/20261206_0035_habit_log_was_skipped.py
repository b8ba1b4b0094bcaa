"""habit_logs.was_skipped: a done that replaced the day's skip, so that undoing it brings the
skip back instead of leaving the day open (the skip was lost)

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "habit_logs",
        sa.Column("was_skipped", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # Not in batch mode: on SQLite (3.35+ drops a column in place) a batch rebuild would write
    # the table's CREATE TABLE in another form than 0032's, which 0032's downgrade reads.
    op.drop_column("habit_logs", "was_skipped")
