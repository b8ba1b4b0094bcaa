"""habits.created_on: the day a habit was created, which a backdated check-in does not move

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("habits", sa.Column("created_on", sa.Date(), nullable=True))
    # The best known: a start already moved by a backdated check-in stays where it is.
    op.execute("UPDATE habits SET created_on = start_date")


def downgrade() -> None:
    with op.batch_alter_table("habits") as batch:
        batch.drop_column("created_on")
