"""toolbox and lifebook: tool slugs, problems, sources; habit_tools; habits.serves; daily_counters

Revision ID: 0013
Revises: 0007
Create Date: 2026-11-29 22:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Tools so far had no slug; give any existing row one from its id before the column is required.
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slug", sa.String(length=80), nullable=True))
        batch_op.add_column(
            sa.Column("origin", sa.String(length=16), nullable=False, server_default="community")
        )
        batch_op.add_column(sa.Column("problems", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("source", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column("evidence", sa.String(length=16), nullable=False, server_default="community")
        )
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE tools SET slug = 'u-' || CAST(id AS VARCHAR(20)), updated_at = created_at")
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.alter_column("slug", existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column(
            "updated_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.alter_column("origin", server_default=None)
        batch_op.alter_column("problems", server_default=None)
        batch_op.alter_column("source", server_default=None)
        batch_op.alter_column("evidence", server_default=None)
        batch_op.create_unique_constraint(batch_op.f("uq_tools_slug"), ["slug"])
        batch_op.create_check_constraint(op.f("ck_tools_origin"), "origin IN ('seed', 'community')")
        batch_op.create_check_constraint(
            op.f("ck_tools_evidence"), "evidence IN ('research', 'practitioner', 'community')"
        )

    op.create_table(
        "habit_tools",
        sa.Column("habit_id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["habit_id"],
            ["habits.id"],
            name=op.f("fk_habit_tools_habit_id_habits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["tools.id"], name=op.f("fk_habit_tools_tool_id_tools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("habit_id", "tool_id", name=op.f("pk_habit_tools")),
    )
    with op.batch_alter_table("habit_tools", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_habit_tools_tool_id"), ["tool_id"], unique=False)

    with op.batch_alter_table("habits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serves", sa.String(length=80), nullable=True))

    op.create_table(
        "daily_counters",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_daily_counters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "day", name=op.f("pk_daily_counters")),
    )


def downgrade() -> None:
    op.drop_table("daily_counters")
    with op.batch_alter_table("habits", schema=None) as batch_op:
        batch_op.drop_column("serves")
    with op.batch_alter_table("habit_tools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_habit_tools_tool_id"))
    op.drop_table("habit_tools")
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_tools_evidence"), type_="check")
        batch_op.drop_constraint(op.f("ck_tools_origin"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_tools_slug"), type_="unique")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("evidence")
        batch_op.drop_column("source")
        batch_op.drop_column("problems")
        batch_op.drop_column("origin")
        batch_op.drop_column("slug")
