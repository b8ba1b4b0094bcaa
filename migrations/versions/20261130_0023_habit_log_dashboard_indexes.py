"""habit log indexes for the admin dashboard: check-ins per day by date, activity by created_at

Revision ID: 0023
Revises: 0016
Create Date: 2026-11-30 03:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# "Check-ins per day over the last 90 days" reads (date, status) of a date range; "active this
# week" reads habit_id of the check-ins recorded since a moment. Both become index-only range
# scans instead of reading every check-in ever made.
BY_DAY = "ix_habit_logs_date_status"
BY_CREATED = "ix_habit_logs_created_at_habit_id"


def upgrade() -> None:
    with op.batch_alter_table("habit_logs", schema=None) as batch_op:
        batch_op.create_index(BY_DAY, ["date", "status"], unique=False)
        batch_op.create_index(BY_CREATED, ["created_at", "habit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("habit_logs", schema=None) as batch_op:
        batch_op.drop_index(BY_CREATED)
        batch_op.drop_index(BY_DAY)
