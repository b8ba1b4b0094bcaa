"""habits.away_days: the days a restored habit spent archived, which its statistics leave out

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("habits", sa.Column("away_days", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("habits") as batch:
        batch.drop_column("away_days")
