"""proofs index for the admin dashboard's "active this week": who posted since a moment

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 05:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The dashboard counts people active since a moment: check-ins (ix_habit_logs_created_at_habit_id),
# learnings (messages.created_at) and proofs, which read every proof ever posted without this.
BY_CREATED = "ix_proofs_created_at_user_id"


def upgrade() -> None:
    with op.batch_alter_table("proofs", schema=None) as batch_op:
        batch_op.create_index(BY_CREATED, ["created_at", "user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proofs", schema=None) as batch_op:
        batch_op.drop_index(BY_CREATED)
