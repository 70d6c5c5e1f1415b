"""The register's Alembic migrations, run by `ettervern.db.upgrade()` (no ``env.py``)."""
