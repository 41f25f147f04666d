"""The maintenance commands: `backups`, `check`, `restore` and `transfer --to URL`.

They run through cli.main once cli.py adds them; until then, through a parser with the same
global options, as cli.main would call them.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from careleaver_app import cli, cli_maintenance
from careleaver_app.domain.codes import Role
from careleaver_app.domain.people import PersonDetails
from careleaver_app.paths import AppPaths
from careleaver_app.services.backups import Backups
from careleaver_app.services.container import open_services, sqlite_url
from careleaver_app.services.people import PeopleQuery
from tests.conftest import sqlite_page_size

TODAY = date(2026, 11, 26)
PASSPHRASE = "cli maintenance passphrase"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in (
        cli.DATABASE_ENV,
        cli.USER_ENV,
        cli.PASSWORD_ENV,
        cli.PASSPHRASE_ENV,
        cli_maintenance.TARGET_PASSPHRASE_ENV,
        "CARELEAVER_DEBUG",
    ):
        monkeypatch.delenv(name, raising=False)


def _wired() -> bool:
    """cli.py knows the maintenance commands (argparse exits on an unknown one)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            cli.build_parser().parse_args(["backups"])
    except SystemExit:
        return False
    return True


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careleaver-app")
    parser.add_argument("--data-dir")
    parser.add_argument("--database")
    parser.add_argument("--user")
    parser.add_argument("--today", type=date.fromisoformat)
    cli_maintenance.add_parsers(parser.add_subparsers(dest="command", metavar="COMMAND"))
    return parser


def main(argv: list[str]) -> int:
    if _wired():
        return cli.main(argv)
    args = _parser().parse_args(argv)
    try:
        return cli_maintenance.run(args, cli.open_from_args, cli.acting_user)
    except Exception as exc:  # as cli.main reports them: one line, exit code 2 or 1
        return cli._report(exc)


def run(capsys, data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), "--today", TODAY.isoformat(), *args])
    out, err = capsys.readouterr()
    return code, out, err


def people(data: Path, passphrase: str | None = None) -> int:
    services = open_services(AppPaths(data), None, lambda: TODAY, passphrase=passphrase)
    try:
        admin = services.staffing.actor("admin")
        return services.people.list(admin, PeopleQuery(include_closed=True, limit=1)).total
    finally:
        services.close()


@pytest.fixture
def data(tmp_path) -> Path:
    """A local database with an administrator, a PA, and two automatic backups: the older
    holds one young person, the newer two (as does the database)."""
    folder = tmp_path / "data"
    seed(folder)
    return folder


def seed(folder: Path, passphrase: str | None = None) -> None:
    moments = iter(datetime(2026, 11, 20, 9, 0, tzinfo=UTC) + timedelta(days=d) for d in range(9))
    paths = AppPaths(folder)
    services = open_services(paths, None, lambda: TODAY, passphrase=passphrase)
    try:
        st = services.staffing
        admin = st.ensure_first_administrator("admin")
        team = st.create_team(admin, "North Team")
        st.create_staff(admin, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, team.id)
        pa = st.actor("pa1")
        backups = Backups(services.db, paths.backups_dir, lambda: next(moments))
        for n in (1, 2):
            services.people.create(
                pa, PersonDetails(f"CL-{n}", "Jo", f"Smith{n}", date(2007, 1, n))
            )
            backups.take_if_changed()
    finally:
        services.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path, passphrase: str | None = None) -> None:
    page = sqlite_page_size(path, passphrase)
    data = bytearray(path.read_bytes())
    data[2 * page : len(data) - page] = bytes(len(data) - 3 * page)
    path.write_bytes(bytes(data))


def test_backups_lists_newest_first(capsys, data):
    code, out, err = run(capsys, data, "backups")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["TAKEN", "KIND", "SIZE", "ENCRYPTED", "FILE"]
    assert "careleaver-auto-20261121T090000Z-" in lines[1]
    assert "careleaver-auto-20261120T090000Z-" in lines[2]
    assert "Automatic" in lines[1] and " no " in lines[1]
    assert lines[-1].startswith("2 backups in ")
    code, out, _ = run(capsys, data, "backups", "--format", "json")
    listed = json.loads(out)
    assert [b["kind"] for b in listed] == ["auto", "auto"]
    assert listed[0]["taken_at"] == "2026-11-21T09:00:00+00:00"
    assert all(b["size_bytes"] > 0 and b["encrypted"] is False for b in listed)


def test_check_passes_a_healthy_database_without_writing(capsys, data):
    file = AppPaths(data).database_file
    before = digest(file)
    code, out, _ = run(capsys, data, "check")
    assert code == 0
    assert "passed its check" in out
    assert digest(file) == before
    code, out, _ = run(capsys, data, "check", "--full")
    assert code == 0


def test_check_finds_damage_and_restores_the_newest_good_backup_when_asked(capsys, data):
    file = AppPaths(data).database_file
    damage(file)
    damaged = digest(file)
    code, out, err = run(capsys, data, "check")
    assert code == cli_maintenance.DAMAGED
    assert "is damaged" in err
    assert "Newest good backup: the automatic backup of" in out
    assert digest(file) == damaged  # reported, not touched

    code, out, err = run(capsys, data, "check", "--restore-newest")
    assert code == 0, err
    moved = next(data.glob("careleaver.damaged-*.sqlite3"))
    assert digest(moved) == damaged
    assert f"moved to {moved}" in out
    assert "Restored the automatic backup" in out
    assert run(capsys, data, "check")[0] == 0
    assert people(data) == 2


def test_restore_as_an_administrator(capsys, data):
    older = sorted((data / "backups").glob("careleaver-auto-*"))[0]
    code, out, err = run(capsys, data, "--user", "admin", "restore", older.name)
    assert code == 0, err
    assert "Restored the automatic backup of" in out and older.name in out
    assert "careleaver-before-restore-" in out
    assert people(data) == 1


def test_restore_is_refused_to_a_personal_adviser(capsys, data):
    older = sorted((data / "backups").glob("careleaver-auto-*"))[0]
    code, _, err = run(capsys, data, "--user", "pa1", "restore", str(older))
    assert code == 2
    assert err.startswith("careleaver-app: ") and "may not backup" in err
    assert people(data) == 2


def test_restore_of_a_missing_file_says_so(capsys, data):
    code, _, err = run(capsys, data, "--user", "admin", "restore", "no-such-backup.sqlite3")
    assert code == 2
    assert "there is no backup at" in err


def test_transfer_to_an_empty_sqlite_file(capsys, data, tmp_path):
    target = tmp_path / "team.sqlite3"
    code, out, err = run(capsys, data, "--user", "admin", "transfer", "--to", sqlite_url(target))
    assert code == 0, err
    assert "every table's row count matches" in out
    assert any(line.split()[:2] == ["young_people", "2"] for line in out.splitlines())
    code, _, err = run(capsys, data, "--user", "admin", "transfer", "--to", sqlite_url(target))
    assert code == 2
    assert "is not empty: table 'teams'" in err


def test_transfer_is_refused_to_a_personal_adviser(capsys, data, tmp_path):
    target = tmp_path / "team.sqlite3"
    code, _, err = run(capsys, data, "--user", "pa1", "transfer", "--to", sqlite_url(target))
    assert code == 2 and "may not backup" in err
    assert not target.exists()


def test_transfer_to_a_postgresql_server(capsys, data, pg_url):
    code, out, err = run(capsys, data, "--user", "admin", "transfer", "--to", pg_url)
    assert code == 0, err
    assert "(postgresql)" in out
    server = open_services(AppPaths(data), pg_url, lambda: TODAY)
    try:
        admin = server.staffing.actor("admin")
        assert server.people.list(admin, PeopleQuery(include_closed=True)).total == 2
    finally:
        server.close()


def test_check_and_backups_are_for_the_local_database(capsys, data):
    url = "postgresql://someone@server.invalid/careleavers"
    for command in ("check", "backups"):
        code, _, err = run(capsys, data, "--database", url, command)
        assert code == 2
        assert "local SQLite database" in err


def test_check_an_encrypted_database_with_its_passphrase(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "secret"
    seed(folder, PASSPHRASE)
    code, _, err = run(capsys, folder, "check")
    assert code == 2 and "CARELEAVER_PASSPHRASE" in err
    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    code, out, _ = run(capsys, folder, "check")
    assert code == 0 and "passed its check" in out
    damage(AppPaths(folder).database_file, PASSPHRASE)
    code, out, err = run(capsys, folder, "check", "--restore-newest")
    assert code == 0, err
    assert people(folder, PASSPHRASE) == 2
    code, out, _ = run(capsys, folder, "backups")
    assert "  yes  " in out.splitlines()[1]
