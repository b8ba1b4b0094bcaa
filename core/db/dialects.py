"""The dialect's own INSERT (with ON CONFLICT), its module imported on first use.

`sqlalchemy.dialects.postgresql` loads every PostgreSQL driver's dialect module, about 4 MB that
a process on the embedded SQLite database never needs (and one on PostgreSQL has loaded anyway).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(session: AsyncSession) -> Any:
    """`insert` of sqlalchemy.dialects.postgresql or .sqlite, for the session's database."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert
    raise NotImplementedError(f"no INSERT ... ON CONFLICT for {name}")  # pragma: no cover
