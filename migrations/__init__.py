"""Alembic migrations for HabitLink's schema; run them with `habitlink migrate`."""
