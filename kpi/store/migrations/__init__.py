"""Alembic migrations of the jobkpi store (run through kpi.store.upgrade, no alembic.ini needed)."""
