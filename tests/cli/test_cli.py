"""The headless `careleaver-app` command: migrate, people list/show, backup, offer balance and
takeup, and its errors."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from decimal import Decimal
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
    for name in (
        cli.DATABASE_ENV,
        cli.USER_ENV,
        cli.PASSWORD_ENV,
        cli.PASSPHRASE_ENV,
        "CARELEAVER_DEBUG",
    ):
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
    for command in ("people", "migrate", "backup", "offer"):
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


# -- offer balance / offer takeup -------------------------------------------------------------


@pytest.fixture
def offered(seeded) -> Path:
    """On top of `seeded`, two former relevant young people with local-offer entries:

    N-010 Kai Offer   North, Alex Adviser: setting-up-home £1,200 paid, driving 1.5 hours paid,
                      leisure £20 requested, broadband £25 declined
    S-010 Sky South   South, Remy Remote: leisure £20 paid in October
    """
    from careleaver_app.domain.categories import CarePeriod
    from careleaver_app.domain.offer import EntryStatus
    from careleaver_app.services.offer import EntryInput

    services = open_services(AppPaths(seeded), None, lambda: TODAY)
    try:
        pa, far = services.staffing.actor("pa1"), services.staffing.actor("pa9")
        items = {c.item.name: c.item.id for c in services.offer.catalogue()}

        def leaver(actor, ref, first, last):
            return services.people.create(
                actor,
                PersonDetails(ref, first, last, date(2006, 1, 10)),
                pa_id=actor.id,
                care_periods=(CarePeriod(date(2021, 1, 1), date(2024, 1, 10)),),
            ).entity_id

        kai = leaver(pa, "N-010", "Kai", "Offer")
        for name, on, status, pence, hours, reason in (
            ("Setting-up-home allowance", date(2026, 5, 1), "paid", 120_000, None, ""),
            ("Driving lessons", date(2026, 6, 1), "paid", None, "1.5", ""),
            ("Leisure funding", date(2026, 11, 1), "requested", 2_000, None, ""),
            ("Broadband / Wi-Fi", date(2026, 11, 2), "declined", 2_500, None, "In the rent"),
        ):
            services.offer.add_entry(
                pa,
                kai,
                EntryInput(
                    items[name],
                    on,
                    EntryStatus(status),
                    amount_pence=pence,
                    quantity=None if hours is None else Decimal(hours),
                    declined_reason=reason,
                ),
            )
        sky = leaver(far, "S-010", "Sky", "South")
        services.offer.add_entry(
            far,
            sky,
            EntryInput(items["Leisure funding"], date(2026, 10, 3), EntryStatus.PAID, 2_000),
        )
    finally:
        services.close()
    return seeded


def test_offer_balance_table_shows_pounds_and_what_was_never_taken_up(capsys, offered):
    code, out, err = run_on_today(capsys, offered, "offer", "balance", "N-010")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Kai Offer (N-010), Former relevant: local offer on 2026-11-26"
    assert lines[1].split()[:3] == ["ITEM", "CATEGORY", "ALLOWANCE"]
    (home,) = [line for line in lines if line.startswith("Setting-up-home allowance")]
    assert "£3,000.00 for life" in home and "£1,200.00" in home and "£1,800.00" in home
    (driving,) = [line for line in lines if line.startswith("Driving lessons")]
    assert "1.5 hours" in driving and "8.5 hours" in driving
    (broadband,) = [line for line in lines if line.startswith("Broadband")]
    assert "never used" in broadband  # declined only
    assert not any(line.startswith("16–19 bursary") for line in lines)  # 20: too old
    assert lines[-1].startswith("Not taken up: Higher education bursary; Broadband")
    assert "Broadband / Wi-Fi" in lines[-1] and "Leisure funding" not in lines[-1]


def test_offer_balance_json_gives_pence_and_quantities_as_text(capsys, offered):
    code, out, _ = run_on_today(capsys, offered, "offer", "balance", "N-010", "--format", "json")
    assert code == 0
    statement = json.loads(out)
    assert (statement["reference"], statement["as_of"], statement["category"]) == (
        "N-010",
        "2026-11-26",
        "former_relevant",
    )
    items = {i["item"]: i for i in statement["items"]}
    home = items["Setting-up-home allowance"]
    assert (home["allowance_pence"], home["used_pence"], home["remaining_pence"]) == (
        300_000,
        120_000,
        180_000,
    )
    assert home["used_quantity"] is None and home["period_start"] is None
    driving = items["Driving lessons"]
    assert (driving["used_quantity"], driving["remaining_quantity"], driving["unit"]) == (
        "1.5",
        "8.5",
        "hours",
    )
    assert driving["used_pence"] is None
    leisure = items["Leisure funding"]
    assert (leisure["pending_pence"], leisure["remaining_pence"]) == (2_000, 0)
    assert (leisure["period_start"], leisure["period_end"]) == ("2026-11-01", "2026-12-01")
    assert items["Council tax exemption"]["allowance_pence"] is None
    assert "Broadband / Wi-Fi" in statement["not_taken_up"]
    assert all(items[name]["not_taken_up"] for name in statement["not_taken_up"])


def test_offer_balance_csv_and_as_of(capsys, offered):
    code, out, _ = run_on_today(
        capsys, offered, "offer", "balance", "N-010", "--format", "csv", "--as-of", "2026-05-15"
    )
    assert code == 0
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(out))}
    home = rows["Setting-up-home allowance"]
    assert (home["used_pence"], home["remaining_pence"], home["eligible"]) == (
        "120000",
        "180000",
        "True",
    )
    assert rows["Driving lessons"]["used_quantity"] == "0"  # the lessons came in June


def test_offer_balance_of_an_unknown_reference_is_one_line_and_exit_2(capsys, offered):
    code, out, err = run_on_today(capsys, offered, "offer", "balance", "NOPE-1")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "NOPE-1" in err
    assert "Traceback" not in err


def test_offer_balance_of_another_teams_young_person_is_refused(capsys, offered):
    code, out, err = run_on_today(capsys, offered, "--user", "pa9", "offer", "balance", "N-010")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "may not" in err


def test_offer_takeup_table_defaults_to_the_financial_year_to_date(capsys, offered):
    code, out, err = run_on_today(capsys, offered, "offer", "takeup")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "ITEM",
        "ELIGIBLE",
        "USED_EVER",
        "TAKE_UP",
        "USED_IN_PERIOD",
        "COMMITTED_SPEND",
        "PAID_SPEND",
        "QUANTITY_IN_PERIOD",
    ]
    (leisure,) = [line for line in lines if line.startswith("Leisure funding")]
    assert leisure.split()[2:8] == ["2", "1", "50.0%", "1", "£20.00", "£20.00"]
    (driving,) = [line for line in lines if line.startswith("Driving lessons")]
    assert driving.rstrip().endswith("1.5 hours")
    assert lines[-1] == "All teams: 5 young people, 2026-04-01 to 2026-11-26"


def test_offer_takeup_json_for_one_team_and_period(capsys, offered):
    code, out, _ = run_on_today(
        capsys,
        offered,
        "--user",
        "tm1",
        "offer",
        "takeup",
        "--from",
        "2026-05-01",
        "--to",
        "2026-05-31",
        "--team",
        "north team",
        "--format",
        "json",
    )
    assert code == 0
    rows = {r["item"]: r for r in json.loads(out)}
    home = rows["Setting-up-home allowance"]
    assert home == {
        "item": "Setting-up-home allowance",
        "eligible": 1,
        "used_ever": 1,
        "take_up_percent": 100.0,
        "used_in_period": 1,
        "committed_pence": 120_000,
        "paid_pence": 120_000,
        "quantity_in_period": None,
    }
    assert rows["Driving lessons"]["quantity_in_period"] == "0"  # June, after the period
    assert rows["Leisure funding"]["used_ever"] == 0  # requested only, in North Team


def test_offer_takeup_csv_and_a_year_before_april(capsys, offered):
    code, out, _ = run_on_today(
        capsys, offered, "offer", "takeup", "--to", "2026-03-31", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["item"] == "Setting-up-home allowance"
    assert {r["used_in_period"] for r in rows} == {"0"}  # 2025-04-01 to 2026-03-31


def test_offer_takeup_of_another_team_is_refused_to_a_pa(capsys, offered):
    code, out, err = run_on_today(
        capsys, offered, "--user", "pa9", "offer", "takeup", "--team", "North Team"
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "own team" in err


def test_offer_takeup_with_the_dates_the_wrong_way_round_is_refused(capsys, offered):
    code, out, err = run_on_today(
        capsys, offered, "offer", "takeup", "--from", "2026-06-01", "--to", "2026-05-01"
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "'from' date" in err
