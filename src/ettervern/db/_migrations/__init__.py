"""The register's Alembic migrations, run by :func:`ettervern.db.upgrade` (no ``env.py``)."""
