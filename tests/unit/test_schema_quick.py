"""The start-up schema check that needs no Alembic reads the same head as Alembic."""

from __future__ import annotations

from core.db.schema import head_revision, quick_head


def test_the_migration_files_give_alembics_head() -> None:
    assert quick_head() == head_revision()
