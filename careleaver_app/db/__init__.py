"""Storage: SQLAlchemy models, engines, migrations and repositories (which never commit)."""
