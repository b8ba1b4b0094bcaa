"""messages.members_only: a learning shared while its group was private stays for the group's
members when the group is made public (it went to the global feed and to non-members' insights)

Learnings of groups private now are marked so: whatever their past, they were members-only
until now, and stay so should the group be made public.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "messages",
        sa.Column("members_only", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(
        "UPDATE messages SET members_only = TRUE"
        " WHERE group_id IN (SELECT id FROM groups WHERE NOT is_public)"
    )


def downgrade() -> None:
    # Not in batch mode: on SQLite (3.35+ drops a column in place) a batch rebuild would write
    # the table's CREATE TABLE in another form than 0032's, which 0032's downgrade reads.
    op.drop_column("messages", "members_only")
