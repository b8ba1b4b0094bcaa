"""notifications.parts_sent: how many messages of a notification arrived, so a retry after a
temporary failure sends only the rest

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "notifications",
        sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("parts_sent")
