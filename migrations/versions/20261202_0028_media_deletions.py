"""media_deletions: when a proof image file was last deleted, so that a proof whose photo was
stored before its key's lock stores it again if a deleter removed it meanwhile

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_deletions",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_media_deletions")),
    )


def downgrade() -> None:
    op.drop_table("media_deletions")
