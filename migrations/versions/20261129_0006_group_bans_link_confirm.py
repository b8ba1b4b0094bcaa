"""group bans, and link codes confirmed by the account that types them

Revision ID: 0006
Revises: 0010
Create Date: 2026-11-29 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_bans",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("banned_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["banned_by"],
            ["users.id"],
            name=op.f("fk_group_bans_banned_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_bans_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_bans_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_group_bans")),
    )
    with op.batch_alter_table("group_bans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_bans_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirm_token", sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_link_codes_claimed_by_identities"),
            "identities",
            ["claimed_by"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_link_codes_claimed_by_identities"), type_="foreignkey"
        )
        batch_op.drop_column("confirm_token")
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("group_bans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_bans_user_id"))
    op.drop_table("group_bans")
