"""Alembic environment: always run with a connection handed in by careleaver_app.db.migrate."""

from __future__ import annotations

from alembic import context

from careleaver_app.db.migrate import include_name
from careleaver_app.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through db.migrate
    raise RuntimeError("run migrations with 'careleaver-app migrate'")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
