"""Database URLs as people type them: plain postgresql:// is driven by psycopg 3."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from careleaver_app.db.engine import is_sqlite, make_engine, normalise_url, sqlite_url
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgresql://u:secret@db.example:5432/care",
            "postgresql+psycopg://u:secret@db.example:5432/care",
        ),
        ("postgres://u:secret@db.example/care", "postgresql+psycopg://u:secret@db.example/care"),
        ("postgresql+psycopg://u:secret@h/care", "postgresql+psycopg://u:secret@h/care"),
        (
            "postgresql://u:p%40ss@h/care?sslmode=require",
            "postgresql+psycopg://u:p%40ss@h/care?sslmode=require",
        ),
        ("sqlite+pysqlite:////data/care.sqlite3", "sqlite+pysqlite:////data/care.sqlite3"),
    ],
)
def test_plain_postgresql_urls_are_normalised_to_psycopg(given, expected):
    assert normalise_url(given) == expected


def test_normalising_keeps_the_password_usable():
    url = make_url(normalise_url("postgresql://u:p%40ss@h/care"))
    assert url.password == "p@ss"


def test_engine_for_a_plain_postgresql_url_uses_psycopg():
    engine = make_engine("postgresql://u:secret@127.0.0.1:1/care")  # no connection is made
    try:
        assert engine.dialect.name == "postgresql"
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_services_use_the_given_url_or_the_sqlite_file_in_the_data_folder(tmp_path):
    paths = AppPaths(tmp_path)
    assert database_url(paths, "postgresql://u@h/care") == "postgresql+psycopg://u@h/care"
    assert database_url(paths, None) == sqlite_url(paths.database_file)
    assert is_sqlite(database_url(paths, None))


@pytest.mark.postgres
def test_a_plain_postgresql_url_connects(pg_url):
    plain = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    engine = make_engine(plain)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
