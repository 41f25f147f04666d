"""Shared fixtures: a fixed 'today', a migrated database per test and a small team of staff."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from careleaver_app.domain.codes import Role
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import Services, open_services

TODAY = date(2026, 11, 26)


def sqlite_page_size(path: Path, passphrase: str | None = None) -> int:
    """The page size of a SQLite file, asked of SQLite: tests that damage a file page by page
    must not read it from the header, which in an encrypted file is ciphertext after the salt
    (a random "page size" that sometimes put the damage over the schema page)."""
    from careleaver_app.db.engine import connect_file

    conn = connect_file(path, passphrase)
    try:
        return int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def corrupt(path: Path, passphrase: str | None = None) -> bytes:
    """Garbage over page 3 onwards (all but the last page), keeping page 1 and its header, so
    SQLite still opens the file and only a check finds the damage. Returns the damaged bytes."""
    page = sqlite_page_size(path, passphrase)
    data = bytearray(path.read_bytes())
    pages = len(data) // page
    assert pages > 4, "the database is too small to damage in the middle"
    garbage = bytes((i * 37 + 11) % 256 for i in range((pages - 3) * page))
    data[2 * page : (pages - 1) * page] = garbage
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "data")


@pytest.fixture
def services(paths) -> Services:
    s = open_services(paths, None, lambda: TODAY)
    yield s
    s.close()


class Staff:
    """The acting users most tests need: an administrator, a team, two PAs and a manager."""

    def __init__(self, services: Services) -> None:
        self.admin = services.staffing.ensure_first_administrator("admin")
        st = services.staffing
        self.team = st.create_team(self.admin, "North Team")
        self.other_team = st.create_team(self.admin, "South Team")
        pa = st.create_staff(self.admin, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, self.team.id)
        pa2 = st.create_staff(self.admin, "pa2", "Sam Second", Role.PERSONAL_ADVISER, self.team.id)
        tm = st.create_staff(self.admin, "tm1", "Morgan Manager", Role.TEAM_MANAGER, self.team.id)
        far = st.create_staff(
            self.admin, "pa9", "Remy Remote", Role.PERSONAL_ADVISER, self.other_team.id
        )
        self.pa = st.actor(pa.username)
        self.pa2 = st.actor(pa2.username)
        self.manager = st.actor(tm.username)
        self.other_pa = st.actor(far.username)


@pytest.fixture
def staff(services) -> Staff:
    return Staff(services)


# -- PostgreSQL ----------------------------------------------------------------------------
# CARELEAVER_TEST_POSTGRES_URL names a server and a role that may create databases; each test
# gets its own database there, so tests never see each other's rows.

POSTGRES_ENV = "CARELEAVER_TEST_POSTGRES_URL"


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _pg_connect(url):  # type: ignore[no-untyped-def]
    import psycopg

    params = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database or "postgres",
        **{k: v for k, v in url.query.items() if isinstance(v, str)},
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True)


@pytest.fixture
def pg_url() -> str:
    """A new, empty PostgreSQL database for this test (SQLAlchemy URL), dropped afterwards."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        reason = f"{POSTGRES_ENV} is not set: PostgreSQL tests need a server (.ci/run starts one)"
        if _under_ci():
            pytest.fail(f"{reason}; under CI they must run, not be skipped", pytrace=False)
        pytest.skip(reason)

    import uuid

    from psycopg import sql
    from sqlalchemy.engine import make_url

    from careleaver_app.db.engine import normalise_url

    url = make_url(normalise_url(server))
    name = f"careleaver_test_{uuid.uuid4().hex[:16]}"
    with _pg_connect(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE: a test that failed may still hold connections to it.
        with _pg_connect(url) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def pg_services(paths, pg_url) -> Services:
    s = open_services(paths, pg_url, lambda: TODAY)
    yield s
    s.close()


@pytest.fixture
def pg_staff(pg_services) -> Staff:
    return Staff(pg_services)
