"""Fixtures that run a storage test on SQLite and, where a server is given, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from careleaver_app.db.engine import make_engine, sqlite_url

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, paths) -> str:
    """An empty database: a SQLite file in the data folder, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        paths.ensure()
        return sqlite_url(paths.database_file)
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """An engine on `db_url`, not yet migrated."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def either_services(request):  # type: ignore[no-untyped-def]
    """The `services` fixture on SQLite, or `pg_services` on PostgreSQL."""
    return request.getfixturevalue("services" if request.param == "sqlite" else "pg_services")


@pytest.fixture
def either_staff(request, either_services):  # type: ignore[no-untyped-def]
    """The `staff` fixture on whichever database `either_services` opened."""
    sqlite = either_services.db.dialect == "sqlite"
    return request.getfixturevalue("staff" if sqlite else "pg_staff")
