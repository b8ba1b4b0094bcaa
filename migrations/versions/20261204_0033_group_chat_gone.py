"""group_chats.gone_at: when the bot was removed from the chat (kicked, or the chat refused it
for good); its group's weekly summaries skip the chat until the bot is added back

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-04 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("group_chats", sa.Column("gone_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Not in batch mode: on SQLite (3.35+ drops a column in place) a batch rebuild would write
    # the table's CREATE TABLE in another form than 0032's, which 0032's downgrade reads.
    op.drop_column("group_chats", "gone_at")
