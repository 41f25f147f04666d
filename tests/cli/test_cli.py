"""The headless `careleaver-app` command: migrate, people list/show, backup and its errors."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from careleaver_app import __version__, cli
from careleaver_app.domain.codes import (
    AccommodationType,
    ContactKind,
    InTouch,
    Role,
    Suitability,
)
from careleaver_app.domain.people import PersonDetails
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import ContactInput, MoveInput

TODAY = date(2026, 11, 26)
LIST_COLUMNS = [
    "reference",
    "name",
    "date_of_birth",
    "age",
    "pa",
    "accommodation",
    "days_in_accommodation",
    "in_touch",
    "flags",
]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """The command reads these; a developer's shell must not change what the tests see."""
    for name in (cli.DATABASE_ENV, cli.USER_ENV, "CARELEAVER_DEBUG"):
        monkeypatch.delenv(name, raising=False)


def run(capsys, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(tmp_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_on_today(capsys, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, tmp_path, "--today", TODAY.isoformat(), *args)


@pytest.fixture
def seeded(tmp_path) -> Path:
    """Through the services, on the same data folder the command will open:

    N-001 Zoë Adams      North, Alex Adviser  W2 since 2026-11-20, in touch
    N-002 Łukasz Nowak   North, Alex Adviser  U1 since 2026-01-01, not in touch
    N-003 Cara Closed    North, closed
    S-001 Sam South      South, Remy Remote   no accommodation
    """
    services = open_services(AppPaths(tmp_path), None, lambda: TODAY)
    try:
        st = services.staffing
        admin = st.ensure_first_administrator("admin")
        north = st.create_team(admin, "North Team")
        south = st.create_team(admin, "South Team")
        st.create_staff(admin, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, north.id)
        st.create_staff(admin, "tm1", "Morgan Manager", Role.TEAM_MANAGER, north.id)
        st.create_staff(admin, "pa9", "Remy Remote", Role.PERSONAL_ADVISER, south.id)
        pa, tm, far = st.actor("pa1"), st.actor("tm1"), st.actor("pa9")
        people, acc, contacts = services.people, services.accommodation, services.contacts

        def person(actor, ref, first, last, dob):
            return people.create(
                actor, PersonDetails(ref, first, last, dob), pa_id=actor.id
            ).entity_id

        zoe = person(pa, "N-001", "Zoë", "Adams", date(2008, 3, 10))
        acc.record_move(
            pa,
            zoe,
            MoveInput(
                AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE
            ),
        )
        contacts.log_contact(pa, zoe, ContactInput(date(2026, 11, 21), ContactKind.VISIT))
        lukasz = person(pa, "N-002", "Łukasz", "Nowak", date(2007, 7, 1))
        acc.record_move(
            pa,
            lukasz,
            MoveInput(AccommodationType.INDEPENDENT_LIVING, date(2026, 1, 1), Suitability.SUITABLE),
        )
        contacts.log_contact(
            pa, lukasz, ContactInput(date(2026, 11, 10), ContactKind.PHONE, InTouch.NO)
        )
        closed = person(pa, "N-003", "Cara", "Closed", date(2004, 4, 4))
        people.close(tm, closed, date(2026, 11, 1), "moved abroad")
        person(far, "S-001", "Sam", "South", date(2006, 2, 2))
    finally:
        services.close()
    return tmp_path


def audit_count(data_dir: Path, action: str) -> int:
    with sqlite3.connect(AppPaths(data_dir).database_file) as conn:
        return conn.execute(
            "SELECT count(*) FROM audit_events WHERE action = ?", (action,)
        ).fetchone()[0]


# -- general ------------------------------------------------------------------------------


def test_version_prints_the_version_and_exits_0(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--data-dir", str(tmp_path), "--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_lists_the_commands_and_exits_0(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--data-dir", str(tmp_path), "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("people", "migrate", "backup"):
        assert command in out


def test_no_sub_command_hands_over_to_the_desktop_app(capsys, tmp_path, monkeypatch):
    """The GUI itself is tested under tests/ui; here only the hand-over: the parsed options
    reach it and its exit code is the command's."""
    import careleaver_app.app

    received = []
    monkeypatch.setattr(careleaver_app.app, "run_gui", lambda args: received.append(args) or 0)
    assert cli.main(["--data-dir", str(tmp_path)]) == 0
    (args,) = received
    assert (args.command, args.data_dir) == (None, str(tmp_path))


def test_a_bad_option_value_is_a_usage_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--data-dir", str(tmp_path), "people", "list", "--limit", "0"])
    assert exc.value.code == 2
    assert "at least 1" in capsys.readouterr().err


# -- migrate ------------------------------------------------------------------------------


def test_migrate_creates_the_schema_then_reports_it_up_to_date(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, "migrate")
    assert (code, err) == (0, "")
    assert "migrated from empty" in out
    assert AppPaths(tmp_path).database_file.is_file()
    code, out, err = run(capsys, tmp_path, "migrate")
    assert (code, err) == (0, "")
    assert "up to date" in out


def test_a_database_from_a_newer_version_is_refused_with_one_line(capsys, tmp_path):
    run(capsys, tmp_path, "migrate")
    with sqlite3.connect(AppPaths(tmp_path).database_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    code, out, err = run(capsys, tmp_path, "people", "list")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "newer version" in err
    assert "Traceback" not in err


# -- people list --------------------------------------------------------------------------


def test_people_list_on_an_empty_database(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, "people", "list")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split() == [c.upper() for c in LIST_COLUMNS]
    assert out.splitlines()[-1] == "0 of 0 young people"


def test_people_list_on_an_empty_database_as_json_is_an_empty_list(capsys, tmp_path):
    code, out, _ = run(capsys, tmp_path, "people", "list", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_people_list_json_has_every_open_record_the_actor_may_see(capsys, seeded):
    code, out, err = run_on_today(capsys, seeded, "people", "list", "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["reference"] for r in rows] == ["N-001", "N-002", "S-001"]  # sorted by name
    zoe = rows[0]
    assert set(zoe) == set(LIST_COLUMNS)
    assert zoe == {
        "reference": "N-001",
        "name": "Zoë Adams",
        "date_of_birth": "2008-03-10",
        "age": 18,
        "pa": "Alex Adviser",
        "accommodation": "W2",
        "days_in_accommodation": 6,
        "in_touch": "YES",
        "flags": "Escalation open; In B&B; Unsuitable accommodation",
    }
    assert (rows[1]["accommodation"], rows[1]["days_in_accommodation"]) == ("U1", 329)
    assert (rows[1]["in_touch"], rows[1]["flags"]) == ("NO", "Not in touch")
    assert (rows[2]["accommodation"], rows[2]["days_in_accommodation"]) == ("", None)


def test_people_list_csv_has_a_header_and_one_line_per_record(capsys, seeded):
    code, out, _ = run_on_today(capsys, seeded, "people", "list", "--format", "csv")
    assert code == 0
    reader = csv.DictReader(io.StringIO(out))
    assert reader.fieldnames == LIST_COLUMNS
    rows = list(reader)
    assert [r["reference"] for r in rows] == ["N-001", "N-002", "S-001"]
    assert (rows[0]["name"], rows[0]["days_in_accommodation"]) == ("Zoë Adams", "6")
    assert rows[2]["days_in_accommodation"] == ""


def test_people_list_table_has_a_header_a_line_per_record_and_a_count(capsys, seeded):
    code, out, _ = run_on_today(capsys, seeded, "people", "list", "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("REFERENCE")
    assert [line.split()[0] for line in lines[1:-1]] == ["N-001", "N-002", "S-001"]
    assert "Zoë Adams" in lines[1] and "W2" in lines[1]
    assert lines[-1] == "3 of 3 young people"


def test_people_list_search_is_accent_insensitive(capsys, seeded):
    code, out, _ = run_on_today(
        capsys, seeded, "people", "list", "--format", "json", "--search", "lukasz"
    )
    assert code == 0
    assert [r["reference"] for r in json.loads(out)] == ["N-002"]


def test_people_list_include_closed_and_limit(capsys, seeded):
    _, out, _ = run_on_today(capsys, seeded, "people", "list", "--include-closed")
    assert out.splitlines()[-1] == "4 of 4 young people"
    _, out, _ = run_on_today(capsys, seeded, "people", "list", "--limit", "1")
    assert out.splitlines()[-1] == "1 of 3 young people"


def test_people_list_as_a_pa_shows_only_their_team(capsys, seeded):
    code, out, _ = run_on_today(
        capsys, seeded, "--user", "pa1", "people", "list", "--format", "json"
    )
    assert code == 0
    assert [r["reference"] for r in json.loads(out)] == ["N-001", "N-002"]


def test_an_unknown_user_is_refused_with_exit_2(capsys, seeded):
    code, out, err = run(capsys, seeded, "--user", "nobody", "people", "list")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "nobody" in err
    assert "Traceback" not in err


def test_the_user_can_come_from_the_environment(capsys, seeded, monkeypatch):
    monkeypatch.setenv(cli.USER_ENV, "pa9")
    code, out, _ = run_on_today(capsys, seeded, "people", "list", "--format", "json")
    assert code == 0
    assert [r["reference"] for r in json.loads(out)] == ["S-001"]


# -- people show --------------------------------------------------------------------------


def test_people_show_prints_the_record(capsys, seeded):
    code, out, err = run_on_today(capsys, seeded, "people", "show", "N-001")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Zoë Adams (N-001)"
    assert "2008-03-10" in out
    assert "W2" in out and "Bed and breakfast" in out
    assert "In B&B" in out
    assert "North Team / Alex Adviser" in out


def test_people_show_json_is_the_whole_record(capsys, seeded):
    code, out, _ = run_on_today(capsys, seeded, "people", "show", "N-001", "--format", "json")
    assert code == 0
    record = json.loads(out)
    assert (record["reference"], record["first_name"], record["last_name"]) == (
        "N-001",
        "Zoë",
        "Adams",
    )
    assert (record["date_of_birth"], record["age"]) == ("2008-03-10", 18)
    assert (record["team_name"], record["pa_name"]) == ("North Team", "Alex Adviser")
    (episode,) = record["episodes"]
    assert (episode["type"], episode["suitability"], episode["start_date"]) == (
        "W",
        "2",
        "2026-11-20",
    )
    assert (episode["end_date"], episode["nights"], episode["opens_escalation"]) == (
        None,
        6,
        True,
    )
    assert [c["contact_date"] for c in record["contacts"]] == ["2026-11-21"]
    assert record["flags"] == ["Escalation open", "In B&B", "Unsuitable accommodation"]
    assert record["category"] in {"eligible", "relevant", "former_relevant", "qualifying", "none"}


def test_people_show_is_audited_as_a_view(capsys, seeded):
    before = audit_count(seeded, "view")
    code, _, _ = run_on_today(capsys, seeded, "people", "show", "N-002")
    assert code == 0
    assert audit_count(seeded, "view") == before + 1


def test_people_show_of_an_unknown_reference_is_one_line_on_stderr_and_exit_2(capsys, seeded):
    code, out, err = run(capsys, seeded, "people", "show", "NOPE-1")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("careleaver-app: ") and "NOPE-1" in err
    assert "Traceback" not in err


def test_people_show_of_another_teams_record_is_refused(capsys, seeded):
    code, out, err = run(capsys, seeded, "--user", "pa9", "people", "show", "N-001")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "may not" in err


# -- backup -------------------------------------------------------------------------------


def test_backup_writes_a_valid_sqlite_copy(capsys, seeded, tmp_path_factory):
    target = tmp_path_factory.mktemp("elsewhere") / "copies" / "backup.sqlite3"
    code, out, err = run(capsys, seeded, "backup", str(target))
    assert (code, err) == (0, "")
    assert str(target) in out
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM young_people").fetchone() == (4,)
        assert conn.execute("SELECT count(*) FROM accommodation_episodes").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM audit_events").fetchone()[0] > 0
    finally:
        conn.close()


def test_backup_into_a_folder_names_the_file(capsys, seeded, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backups")
    code, _, _ = run(capsys, seeded, "backup", str(folder))
    assert code == 0
    (written,) = folder.glob("careleaver-*.sqlite3")
    with sqlite3.connect(written) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_backup_is_refused_to_a_personal_adviser(capsys, seeded, tmp_path_factory):
    """Only a role with the BACKUP grant may copy every record out, even from a shell."""
    target = tmp_path_factory.mktemp("elsewhere") / "backup.sqlite3"
    code, out, err = run(capsys, seeded, "--user", "pa1", "backup", str(target))
    assert code == 2
    assert out == "" and err.count("\n") == 1
    assert not target.exists()


def test_backup_is_audited_as_an_export(capsys, seeded, tmp_path_factory):
    before = audit_count(seeded, "export")
    target = tmp_path_factory.mktemp("elsewhere") / "backup.sqlite3"
    code, _, _ = run(capsys, seeded, "backup", str(target))
    assert code == 0
    assert audit_count(seeded, "export") == before + 1


def test_backup_over_the_database_itself_is_refused(capsys, seeded):
    database = AppPaths(seeded).database_file
    code, out, err = run(capsys, seeded, "backup", str(database))
    assert code == 2
    assert out == "" and err.count("\n") == 1
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM young_people").fetchone() == (4,)
