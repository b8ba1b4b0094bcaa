"""reminders.snoozed_day: the day a snoozed reminder is for, so one snoozed past midnight still
checks in (and is held back by) the day it reminded of

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reminders", sa.Column("snoozed_day", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("snoozed_day")
