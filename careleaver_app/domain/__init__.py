"""Pure rules: standard library only. No Qt, no SQLAlchemy."""
