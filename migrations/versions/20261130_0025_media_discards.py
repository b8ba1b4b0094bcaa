"""media_discards: proof image files to delete, kept until they are

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_discards",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_media_discards")),
    )
    op.create_index(
        "ix_media_discards_next_attempt_at", "media_discards", ["next_attempt_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_media_discards_next_attempt_at", table_name="media_discards")
    op.drop_table("media_discards")
