"""The headless command signs in like the app: a password where the account has one, the
passphrase of an encrypted database, and every CSV/JSON export checked and audited."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from careleaver_app import cli
from careleaver_app.domain.codes import Role
from careleaver_app.domain.people import PersonDetails
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import open_services

TODAY = date(2026, 11, 26)
PASSWORD = "a long password here"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in (cli.DATABASE_ENV, cli.USER_ENV, cli.PASSWORD_ENV, cli.PASSPHRASE_ENV):
        monkeypatch.delenv(name, raising=False)


def _seed(tmp_path: Path, passphrase: str | None = None) -> None:
    services = open_services(AppPaths(tmp_path), None, lambda: TODAY, passphrase=passphrase)
    try:
        st = services.staffing
        admin = st.ensure_first_administrator("admin")
        team = st.create_team(admin, "North Team")
        st.create_staff(admin, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, team.id, PASSWORD)
        st.create_staff(admin, "pa2", "Sam Second", Role.PERSONAL_ADVISER, team.id, PASSWORD)
        pa, pa2 = st.actor("pa1"), st.actor("pa2")
        services.people.create(
            pa, PersonDetails("N-001", "Zoë", "Adams", date(2008, 3, 10)), pa_id=pa.id
        )
        services.people.create(
            pa2, PersonDetails("N-002", "Łukasz", "Nowak", date(2007, 7, 1)), pa_id=pa2.id
        )
    finally:
        services.close()


def run(capsys, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(tmp_path), "--today", TODAY.isoformat(), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _events(tmp_path: Path, action: str) -> list[tuple]:
    with sqlite3.connect(AppPaths(tmp_path).database_file) as conn:
        return conn.execute(
            "SELECT entity, entity_id, detail FROM audit_events WHERE action = ?", (action,)
        ).fetchall()


def test_an_account_with_a_password_needs_it_when_no_terminal_can_ask(capsys, tmp_path):
    _seed(tmp_path)
    code, _, err = run(capsys, tmp_path, "--user", "pa1", "people", "list")
    assert code == 2 and "CARELEAVER_PASSWORD" in err


def test_the_right_password_signs_in_and_is_audited(capsys, tmp_path, monkeypatch):
    _seed(tmp_path)
    monkeypatch.setenv(cli.PASSWORD_ENV, PASSWORD)
    code, out, _ = run(capsys, tmp_path, "--user", "pa1", "people", "list")
    assert code == 0 and "Adams" in out
    assert len(_events(tmp_path, "sign_in")) == 1


def test_a_wrong_password_is_refused_and_counts_as_a_failure(capsys, tmp_path, monkeypatch):
    _seed(tmp_path)
    monkeypatch.setenv(cli.PASSWORD_ENV, "not the password")
    code, out, err = run(capsys, tmp_path, "--user", "pa1", "people", "list")
    assert code == 2 and out == "" and "not right" in err
    assert len(_events(tmp_path, "sign_in_failed")) == 1


def test_csv_export_is_audited_per_young_person(capsys, tmp_path, monkeypatch):
    _seed(tmp_path)
    monkeypatch.setenv(cli.PASSWORD_ENV, PASSWORD)
    code, out, _ = run(
        capsys, tmp_path, "--user", "pa1", "people", "show", "N-001", "--format", "json"
    )
    assert code == 0 and json.loads(out)["last_name"] == "Adams"
    exports = _events(tmp_path, "export")
    assert [(e[0], "young person record" in e[2]) for e in exports] == [("young_person", True)]


def test_a_pa_cannot_export_a_team_mates_record(capsys, tmp_path, monkeypatch):
    _seed(tmp_path)
    monkeypatch.setenv(cli.PASSWORD_ENV, PASSWORD)
    code, out, err = run(
        capsys, tmp_path, "--user", "pa1", "people", "show", "N-002", "--format", "json"
    )
    assert code == 2 and out == "" and "export" in err
    assert _events(tmp_path, "export") == []
    # Viewing it on screen is a view, which a PA may do for the team.
    code, out, _ = run(capsys, tmp_path, "--user", "pa1", "people", "show", "N-002")
    assert code == 0 and "Nowak" in out


def test_an_encrypted_database_needs_its_passphrase(capsys, tmp_path, monkeypatch):
    _seed(tmp_path, passphrase="the database passphrase")
    monkeypatch.setenv(cli.PASSWORD_ENV, PASSWORD)
    code, _, err = run(capsys, tmp_path, "--user", "pa1", "people", "list")
    assert code == 2 and "CARELEAVER_PASSPHRASE" in err
    monkeypatch.setenv(cli.PASSPHRASE_ENV, "wrong passphrase")
    code, _, err = run(capsys, tmp_path, "--user", "pa1", "people", "list")
    assert code == 2 and "passphrase" in err.lower()
    monkeypatch.setenv(cli.PASSPHRASE_ENV, "the database passphrase")
    code, out, _ = run(capsys, tmp_path, "--user", "pa1", "people", "list")
    assert code == 0 and "Adams" in out
