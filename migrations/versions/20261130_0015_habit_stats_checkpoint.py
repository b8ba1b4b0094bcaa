"""habit statistics checkpoint: the state of streaks, strength and totals before a day

Revision ID: 0015
Revises: 0006
Create Date: 2026-11-30 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("stats_from", sa.Date()),
    ("stats_start", sa.Date()),
    ("stats_schedule", sa.String(length=24)),
    ("stats_run", sa.Integer()),
    ("stats_best", sa.Integer()),
    ("stats_score", sa.Float()),
    ("stats_done", sa.Integer()),
)


def upgrade() -> None:
    # Existing habits start without a checkpoint: the first read computes it from the history.
    with op.batch_alter_table("habits", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("habits", schema=None) as batch_op:
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)
