"""groups.invite_code in capitals: invite codes are typed back in any case and compared in
their normalised form (core.groups.invites), so the stored codes are normalised too

Codes made before were `token_urlsafe(9)`, mixed case. Each becomes its capitals and still
opens its group, typed in any case. Two codes that differ only in case (about one chance in
2^64 per pair) cannot both be kept under the unique index: all but the first get a new code,
as /invite would give them.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05 04:50:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # core.users.links.ALPHABET, as of this revision
LENGTH = 15
groups = sa.table("groups", sa.column("id", sa.Integer), sa.column("invite_code", sa.String))


def fresh_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def upgrade() -> None:
    bind = op.get_bind()
    upper = sa.func.upper(groups.c.invite_code)
    clashing = sa.select(upper).group_by(upper).having(sa.func.count() > 1)
    rows = bind.execute(
        sa.select(groups.c.id, upper).where(upper.in_(clashing)).order_by(groups.c.id)
    ).all()
    kept: set[str] = set()
    for group_id, code in rows:
        if code in kept:
            bind.execute(
                groups.update().where(groups.c.id == group_id).values(invite_code=fresh_code())
            )
        else:
            kept.add(code)
    bind.execute(groups.update().where(groups.c.invite_code != upper).values(invite_code=upper))


def downgrade() -> None:
    pass  # capitals are codes too: the case-sensitive lookup of 0033 finds them as shown
