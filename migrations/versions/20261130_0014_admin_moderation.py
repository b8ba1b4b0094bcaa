"""admin: user roles and bans, hidden learnings and proofs, tool review status, the audit log

Revision ID: 0014
Revises: 0006
Create Date: 2026-11-30 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=8), nullable=False, server_default="member")
        )
        batch_op.add_column(sa.Column("banned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("banned_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ban_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("ban_notified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_users_banned_by_users"),
            "users",
            ["banned_by"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), "role IN ('member', 'admin')")
    # The old flag becomes the role, then goes.
    op.execute("UPDATE users SET role = 'admin' WHERE is_admin")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("is_admin")

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_messages_hidden_by_users"),
            "users",
            ["hidden_by"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("proofs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("image_deleted_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_proofs_hidden_by_users"),
            "users",
            ["hidden_by"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=12), nullable=False, server_default="new")
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_tools_status"), "status IN ('new', 'approved', 'hidden')"
        )
    op.execute("UPDATE tools SET status = 'approved' WHERE origin = 'seed'")

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=24), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_audit_log_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_created_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))
    op.drop_table("audit_log")
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_tools_status"), type_="check")
        batch_op.drop_column("status")
    with op.batch_alter_table("proofs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_proofs_hidden_by_users"), type_="foreignkey")
        batch_op.drop_column("image_deleted_at")
        batch_op.drop_column("hidden_by")
        batch_op.drop_column("hidden_at")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_messages_hidden_by_users"), type_="foreignkey")
        batch_op.drop_column("hidden_by")
        batch_op.drop_column("hidden_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE users SET is_admin = (role = 'admin')")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_users_banned_by_users"), type_="foreignkey")
        batch_op.drop_column("ban_notified_at")
        batch_op.drop_column("ban_reason")
        batch_op.drop_column("banned_by")
        batch_op.drop_column("banned_at")
        batch_op.drop_column("role")
