"""proofs.album: the photos of one album (several sent at once) share it and count as one proof

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("proofs", sa.Column("album", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("proofs") as batch:
        batch.drop_column("album")
