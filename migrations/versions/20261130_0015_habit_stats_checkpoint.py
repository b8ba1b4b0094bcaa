"""habit statistics checkpoint: the state of streaks, strength and totals before a day

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing habits start without a checkpoint: the first read computes it from the history.
    with op.batch_alter_table("habits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stats_checkpoint", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("habits", schema=None) as batch_op:
        batch_op.drop_column("stats_checkpoint")
