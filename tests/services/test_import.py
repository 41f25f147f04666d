"""Importing a folder of CSV files: all or nothing, every problem named by file, row and column."""

from __future__ import annotations

import shutil
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from careleaver_app.cli import main
from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    AuditEvent,
    CarePeriodRow,
    Contact,
    OfferLedgerRow,
    PaAllocation,
    YoungPerson,
)
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType, ContactKind, InTouch, Suitability
from careleaver_app.domain.errors import DomainError, PermissionDenied
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.importer import (
    ImportFailed,
    ImportProblem,
    import_directory,
    parse_date,
    parse_suitable,
    parse_yes_no,
)

DATA = Path(__file__).parent / "data" / "import"
TABLES = (
    YoungPerson,
    CarePeriodRow,
    PaAllocation,
    AccommodationEpisode,
    Contact,
    ActivityRow,
    OfferLedgerRow,
    AuditEvent,
)

PEOPLE_HEADER = (
    "reference,first_name,last_name,date_of_birth,care_started_on,care_ended_on,"
    "pa_username,uasc,first_language,housing_consent,pregnant_or_parenting"
)
ACCOMMODATION_HEADER = "reference,start_date,end_date,type_code,suitable,address,postcode,provider"


def write(folder: Path, name: str, *lines: str, bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n".join(lines) + "\n").encode())
    return path


def counts(services) -> dict[str, int]:
    with services.db.transaction(write=False) as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in TABLES
        }


def person(services, reference: str) -> YoungPerson:
    with services.db.transaction(write=False) as session:
        row = session.scalar(select(YoungPerson).where(YoungPerson.reference == reference))
        assert row is not None
        return row


def episodes(services, reference: str) -> list[AccommodationEpisode]:
    pid = person(services, reference).id
    with services.db.transaction(write=False) as session:
        return list(
            session.scalars(
                select(AccommodationEpisode)
                .where(AccommodationEpisode.person_id == pid)
                .order_by(AccommodationEpisode.start_date)
            )
        )


def failure(services, actor, folder: Path) -> ImportFailed:
    before = counts(services)
    with pytest.raises(ImportFailed) as info:
        import_directory(services, actor, folder)
    assert counts(services) == before, "a failed import must write nothing"
    return info.value


def where(problems: list[ImportProblem]) -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.row, p.column) for p in problems}


def one_person(folder: Path, *, reference: str = "CL001", dob: str = "2006-05-14") -> None:
    write(folder, "people.csv", PEOPLE_HEADER, f"{reference},Zoë,Ngata,{dob},,,pa1,no,,yes,no")


# -- values ----------------------------------------------------------------------------------


def test_dates_are_iso_or_day_month_year() -> None:
    assert parse_date("2008-03-05") == date(2008, 3, 5)
    assert parse_date("05/03/2008") == date(2008, 3, 5)
    assert parse_date("5/3/2008") == date(2008, 3, 5)
    for bad in ("03/05/08", "2008/03/05", "5 March 2008", "٢٠٠٨-٠٣-٠٥"):
        with pytest.raises(ValueError, match="use YYYY-MM-DD or DD/MM/YYYY"):
            parse_date(bad)
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("30/02/2008")


def test_yes_no_and_suitable_accept_the_usual_spellings() -> None:
    assert [parse_yes_no(t) for t in ("Yes", "Y", "true", "1", "NO", "n", "False", "0")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError, match="must be yes or no"):
        parse_yes_no("maybe")
    assert parse_suitable("1") is Suitability.SUITABLE
    assert parse_suitable("YES") is Suitability.SUITABLE
    assert parse_suitable("2") is Suitability.UNSUITABLE
    assert parse_suitable("n") is Suitability.UNSUITABLE
    with pytest.raises(ValueError):
        parse_suitable("0")


# -- good imports ----------------------------------------------------------------------------


def test_good_import_writes_people_history_and_audit(services, staff) -> None:
    """The fixture folder (BOM, Arabic and accented names, both date styles) imports whole."""
    summary = import_directory(services, staff.admin, DATA / "good")

    assert (summary.people, summary.episodes, summary.contacts, summary.activities) == (4, 6, 3, 3)
    assert summary.care_periods == 4
    assert summary.allocations == 3
    assert summary.episodes_to_review == 1  # the B&B episode
    assert summary.describe().startswith("Imported 4 young people, 6 accommodation episodes")
    assert "\n" not in summary.describe()

    zoe = person(services, "CL001")
    assert (zoe.first_name, zoe.last_name, zoe.date_of_birth) == ("Zoë", "Ngata", date(2006, 5, 14))
    assert zoe.search_text == "zoe ngata cl001"
    assert zoe.pa_id == staff.pa.id and zoe.team_id == staff.team.id
    assert zoe.housing_consent and not zoe.uasc and not zoe.pregnant_or_parenting

    arabic = person(services, "CL002")
    assert arabic.first_name == "يوسف" and arabic.last_name == "الحسيني"
    assert arabic.date_of_birth == date(2007, 9, 3)  # written 03/09/2007
    assert arabic.uasc and arabic.interpreter_needed and arabic.first_language == "Arabic"
    assert arabic.preferred_name == "Yusuf"
    assert "yusuf" in arabic.search_text

    # A row without a PA takes the named team and gets no allocation.
    unallocated = person(services, "CL004")
    assert unallocated.pa_id is None and unallocated.team_id == staff.other_team.id

    history = episodes(services, "CL001")
    assert [(e.type_code, e.suitability, e.end_date) for e in history] == [
        ("C", "1", date(2024, 5, 14)),
        ("W", "2", date(2024, 5, 20)),
        ("U", "1", None),
    ]
    assert history[2].postcode == "ST16 2LP"
    assert history[1].placed_by == "Housing options"

    record = services.people.get(staff.admin, zoe.id)
    assert record.care_periods[0].start_date == date(2019, 2, 1)
    assert record.care_periods[0].end_date == date(2024, 5, 14)
    assert [c.in_touch for c in record.contacts] == [InTouch.YES, InTouch.NO]
    assert record.contacts[0].kind is ContactKind.VISIT and record.contacts[0].seen_at_home
    assert record.current_activity is not None and record.current_activity.activity.value == "F2"

    with services.db.transaction(write=False) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "import")))
    created = 4 + 4 + 3 + 6 + 3 + 3  # people, care periods, allocations, episodes, contacts, acts
    assert len(events) == created + 1
    assert any(e.entity == "young_person" and e.detail == "from people.csv row 2" for e in events)
    assert any(e.entity == "import" and "Imported 4 young people" in e.detail for e in events)
    assert all(e.actor_id == staff.admin.id for e in events)


def test_headers_are_matched_loosely_and_unknown_columns_ignored(services, staff, tmp_path):
    write(
        tmp_path,
        "People.CSV",
        " Reference ,First Name,LAST_NAME,Date-of-Birth,PA_Username,NHS number,",
        "CL010,Amélie,Dubois,2007-01-02,pa1,999 999 9999,",
    )
    summary = import_directory(services, staff.admin, tmp_path)
    assert summary.people == 1
    assert summary.ignored_columns == ("people.csv: NHS number",)
    assert "Ignored unknown columns: people.csv: NHS number." in summary.describe()
    assert person(services, "CL010").first_name == "Amélie"


def test_accommodation_for_an_existing_person(services, staff, tmp_path):
    pid = services.people.create(
        staff.pa, PersonDetails("CL100", "Kai", "Brown", date(2006, 1, 1))
    ).entity_id
    services.accommodation.record_move(
        staff.manager,
        pid,
        MoveInput(
            AccommodationType.SUPPORTED_LODGINGS,
            date(2024, 1, 1),
            Suitability.SUITABLE,
            end_date=date(2025, 1, 1),
        ),
    )
    write(
        tmp_path,
        "accommodation.csv",
        ACCOMMODATION_HEADER,
        "CL100,01/01/2025,,U,yes,Flat 2,st16 2lp,Council",
    )
    write(
        tmp_path,
        "contacts.csv",
        "reference,contact_date,kind,in_touch",
        "CL100,2025-01-08,Visit,yes",
    )
    summary = import_directory(services, staff.admin, tmp_path)
    assert (summary.people, summary.episodes, summary.contacts) == (0, 1, 1)
    assert [(e.type_code, e.end_date) for e in episodes(services, "CL100")] == [
        ("E", date(2025, 1, 1)),
        ("U", None),
    ]


def test_unsuitable_and_bnb_episodes_are_imported_and_counted(services, staff, tmp_path):
    one_person(tmp_path)
    write(
        tmp_path,
        "accommodation.csv",
        ACCOMMODATION_HEADER,
        "CL001,2024-05-14,2024-05-20,W,no,,,",
        "CL001,2024-05-20,2024-07-01,V,2,,,",
        "CL001,2024-07-01,,D,no,,,",
    )
    summary = import_directory(services, staff.admin, tmp_path)
    assert summary.episodes == 3 and summary.episodes_to_review == 3
    assert "3 B&B, emergency, no fixed abode or unsuitable" in summary.describe()


def test_header_only_files_import_nothing(services, staff, tmp_path):
    write(tmp_path, "people.csv", PEOPLE_HEADER, ",,,,,,,,,,", "")
    summary = import_directory(services, staff.admin, tmp_path)
    assert summary.describe() == (
        "Imported 0 young people, 0 accommodation episodes, 0 contacts and 0 activity records."
    )


def test_a_few_thousand_rows_take_seconds(services, staff, tmp_path):
    people, moves, contacts = (
        [PEOPLE_HEADER],
        [ACCOMMODATION_HEADER],
        ["reference,contact_date,kind,in_touch"],
    )
    for i in range(1000):
        people.append(f"P{i:05d},Name{i},Family,2006-01-01,2020-01-01,2024-01-01,pa1,no,,no,no")
        moves.append(f"P{i:05d},2024-01-01,2025-01-01,D,yes,,,")
        moves.append(f"P{i:05d},2025-01-01,,U,yes,,,")
        contacts.append(f"P{i:05d},2025-01-02,visit,YES")
    write(tmp_path, "people.csv", *people)
    write(tmp_path, "accommodation.csv", *moves)
    write(tmp_path, "contacts.csv", *contacts)
    started = time.perf_counter()
    summary = import_directory(services, staff.admin, tmp_path)
    assert (summary.people, summary.episodes, summary.contacts) == (1000, 2000, 1000)
    assert time.perf_counter() - started < 15
    assert counts(services)["audit_events"] > 6000  # one per record created


# -- all or nothing --------------------------------------------------------------------------


def test_one_bad_row_writes_nothing_and_is_named(services, staff, tmp_path):
    shutil.copytree(DATA / "good", tmp_path / "in")
    people = tmp_path / "in" / "people.csv"
    text = people.read_text(encoding="utf-8-sig").replace("03/09/2007", "31/09/2007")
    people.write_text(text, encoding="utf-8")

    error = failure(services, staff.admin, tmp_path / "in")
    assert [str(p) for p in error.problems] == [
        "people.csv row 3, date_of_birth: is not a real date ('31/09/2007')"
    ]
    assert str(error).splitlines() == [
        "Nothing was imported: 1 problem found",
        "people.csv row 3, date_of_birth: is not a real date ('31/09/2007')",
    ]
    assert isinstance(error, DomainError)


def test_every_problem_is_reported_in_file_and_row_order(services, staff, tmp_path):
    write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER + ",email",
        "CL001,Zoë,Ngata,14-05-2006,,,pa1,maybe,,yes,no,zoe@example",
        "CL002,,Ali,2030-01-01,,,pa1,no,,no,no,",
        "CL003,Jo,Lee,2006-01-01,2020-01-01,2019-01-01,pa1,no,,no,no,",
    )
    write(
        tmp_path,
        "accommodation.csv",
        ACCOMMODATION_HEADER,
        "CL003,2024-01-01,,Q,yes,,,",
        "CL003,2024-02-01,,D,perhaps,,XX1,",
        "CL999,2024-02-01,,D,yes,,,",
    )
    write(
        tmp_path, "contacts.csv", "reference,contact_date,kind,in_touch", "CL003,2027-01-01,fax,Y"
    )
    write(tmp_path, "activity.csv", "reference,start_date,activity", "CL003,2024-01-01,F9")

    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "people.csv row 2, date_of_birth: is not a date (use YYYY-MM-DD or DD/MM/YYYY)",
        "people.csv row 2, uasc: must be yes or no, not 'maybe'",
        "people.csv row 2, email: is not an email address",
        "people.csv row 3, first_name: is required",
        "people.csv row 3, date_of_birth: is in the future",
        "people.csv row 4, care_ended_on: is before care_started_on",
        "accommodation.csv row 2, type_code: 'Q' is not an SSDA903 accommodation type "
        "(B, C, D, E, G, H, K, R, S, T, U, V, W, X, Y, Z)",
        "accommodation.csv row 3, suitable: must be yes (suitable) or no (unsuitable), "
        "not 'perhaps'",
        "accommodation.csv row 3, postcode: is not a UK postcode",
        "accommodation.csv row 4, reference: is not in people.csv or the database",
        "contacts.csv row 2, contact_date: is in the future",
        "contacts.csv row 2, kind: 'fax' is not a contact kind (visit, phone, message, other)",
        "contacts.csv row 2, in_touch: 'Y' is not an SSDA903 in-touch code "
        "(YES, NO, DIED, REFU, NREQ, RHOM)",
        "activity.csv row 2, activity: 'F9' is not an SSDA903 activity code "
        "(F1, P1, F2, P2, F4, P4, G4, G5, G6, 0)",
    ]


def test_overlapping_episodes_are_rejected(services, staff, tmp_path):
    one_person(tmp_path)
    write(
        tmp_path,
        "accommodation.csv",
        ACCOMMODATION_HEADER,
        "CL001,2024-01-01,,D,yes,,,",
        "CL001,2024-06-01,2024-09-01,U,yes,,,",
        "CL001,2024-08-01,,U,yes,,,",
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "accommodation.csv row 3, start_date: overlaps the episode on row 2 (from 2024-01-01, "
        "still open); only the latest episode may have an empty end_date",
        "accommodation.csv row 4, start_date: overlaps the episode on row 3 "
        "(from 2024-06-01 to 2024-09-01)",
    ]


def test_an_episode_overlapping_one_in_the_database_is_rejected(services, staff, tmp_path):
    pid = services.people.create(
        staff.pa, PersonDetails("CL100", "Kai", "Brown", date(2006, 1, 1))
    ).entity_id
    services.accommodation.record_move(
        staff.manager,
        pid,
        MoveInput(AccommodationType.FOYER, date(2025, 3, 1), Suitability.SUITABLE),
    )
    write(tmp_path, "accommodation.csv", ACCOMMODATION_HEADER, "CL100,2024-01-01,2025-04-01,D,1,,,")
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "accommodation.csv row 2, end_date: overlaps an episode already recorded "
        "(from 2025-03-01, still open); only the latest episode may have an empty end_date"
    ]


def test_no_fixed_abode_or_custody_cannot_be_suitable(services, staff, tmp_path):
    one_person(tmp_path)
    write(
        tmp_path,
        "accommodation.csv",
        ACCOMMODATION_HEADER,
        "CL001,2024-01-01,2024-02-01,S,yes,,,",
        "CL001,2024-02-01,2024-03-01,X,1,,,",
        "CL001,2024-03-01,,X,no,,,",
    )
    error = failure(services, staff.admin, tmp_path)
    assert where(error.problems) == {
        ("accommodation.csv", 2, "suitable"),
        ("accommodation.csv", 3, "suitable"),
    }
    assert "No fixed abode / homeless (S) can only be unsuitable" in str(error)


def test_episode_rules_use_the_date_of_birth(services, staff, tmp_path):
    one_person(tmp_path, dob="2007-06-01")
    write(
        tmp_path,
        "accommodation.csv",
        ACCOMMODATION_HEADER,
        "CL001,2007-01-01,2007-06-01,B,yes,,,",
        "CL001,2024-01-01,2023-01-01,B,yes,,,",
        "CL001,2025-01-01,,Z,yes,,,",
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "accommodation.csv row 2, start_date: is before the date of birth",
        "accommodation.csv row 3, end_date: is before the start date",
        "accommodation.csv row 4, type_code: staying put (Z) cannot start before the 18th birthday",
    ]


def test_unknown_or_inactive_pa_and_team(services, staff, tmp_path):
    write(
        tmp_path,
        "people.csv",
        "reference,first_name,last_name,date_of_birth,pa_username,team",
        "CL001,Ana,Silva,2006-01-01,nobody,",
        "CL002,Ben,Okafor,2006-01-01,tm1,",
        "CL003,Cara,Moss,2006-01-01,,West Team",
        "CL004,Dev,Patel,2006-01-01,pa1,South Team",
        "CL005,Eve,Ward,2006-01-01,,",
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "people.csv row 2, pa_username: 'nobody' is not an active personal adviser",
        "people.csv row 3, pa_username: 'tm1' is not an active personal adviser",
        "people.csv row 4, team: there is no active team called 'West Team'",
        "people.csv row 5, pa_username: 'pa1' is not in team 'South Team'",
        "people.csv row 6, pa_username: give a pa_username or a team: without either, only "
        "administrators could see the record",
    ]


def test_duplicate_reference_in_the_file_and_in_the_database(services, staff, tmp_path):
    services.people.create(staff.pa, PersonDetails("CL100", "Kai", "Brown", date(2006, 1, 1)))
    write(
        tmp_path,
        "people.csv",
        PEOPLE_HEADER,
        "CL001,Ana,Silva,2006-01-01,,,pa1,no,,no,no",
        "CL100,Kai,Brown,2006-01-01,,,pa1,no,,no,no",
        "CL001,Ana,Silva,2006-01-01,,,pa1,no,,no,no",
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "people.csv row 3, reference: is already used by a young person in the database "
        "(people.csv adds new young people only)",
        "people.csv row 4, reference: is repeated: row 2 has it",
    ]


def test_missing_required_columns_are_reported_on_the_header_row(services, staff, tmp_path):
    write(tmp_path, "people.csv", "reference,first_name,dob", "CL001,Ana,2006-01-01")
    write(tmp_path, "accommodation.csv", "reference,start_date,type_code", "CL001,2024-01-01,D")
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "people.csv row 1, last_name: required column is missing",
        "people.csv row 1, date_of_birth: required column is missing",
        "accommodation.csv row 1, suitable: required column is missing",
    ]


def test_a_file_that_is_not_utf8_is_named(services, staff, tmp_path):
    one_person(tmp_path)
    (tmp_path / "contacts.csv").write_bytes(
        "reference,contact_date,kind,in_touch,note\nCL001,2025-01-01,visit,YES,café\n".encode(
            "cp1252"
        )
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "contacts.csv: is not UTF-8 text (line 2); save it as 'CSV UTF-8' instead"
    ]


def test_spreadsheet_exports_in_the_wrong_format_are_explained(services, staff, tmp_path):
    """Semicolons or UTF-16 name the fix; an unreadable people.csv adds no knock-on problems."""
    write(
        tmp_path,
        "people.csv",
        "reference;first_name;last_name;date_of_birth",
        "CL001;A;B;2006-01-01",
    )
    write(tmp_path, "accommodation.csv", ACCOMMODATION_HEADER, "CL001,2024-01-01,,D,yes,,,")
    (tmp_path / "activity.csv").write_bytes(
        "reference\tstart_date\tactivity\nCL001\t2024-01-01\tF2\n".encode("utf-16")
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "people.csv row 1: columns must be separated by commas",
        "activity.csv: is UTF-16 text; save it as 'CSV UTF-8' instead",
    ]


def test_activity_on_the_same_day_twice_and_dates_before_birth(services, staff, tmp_path):
    one_person(tmp_path, dob="2006-05-14")
    write(
        tmp_path,
        "activity.csv",
        "reference,start_date,activity,note",
        "CL001,2024-09-01,F2,college",
        "CL001,01/09/2024,G5,",
        "CL001,2006-01-01,0,",
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "activity.csv row 3, start_date: another activity of this young person starts on the "
        "same day (row 2)",
        "activity.csv row 4, start_date: is before the date of birth",
    ]


def test_unknown_csv_files_and_ragged_rows_are_problems(services, staff, tmp_path):
    one_person(tmp_path)
    write(tmp_path, "acommodation.csv", ACCOMMODATION_HEADER)
    write(tmp_path, "notes.txt", "not read")
    write(tmp_path, "activity.csv", "reference,start_date,activity", "CL001,2024-01-01,F2,extra")
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "activity.csv row 2: has more values than there are column headings",
        "acommodation.csv: is not a file the import reads "
        "(people.csv, accommodation.csv, contacts.csv, activity.csv, assessments.csv, "
        "plans.csv, reviews.csv, offer_ledger.csv)",
    ]


def test_missing_empty_or_unusable_folder(services, staff, tmp_path):
    with pytest.raises(ImportFailed, match="there is no such folder"):
        import_directory(services, staff.admin, tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportFailed, match="holds none of people"):
        import_directory(services, staff.admin, tmp_path / "empty")


def test_only_administrators_may_import(services, staff, tmp_path):
    one_person(tmp_path)
    for actor in (staff.pa, staff.manager):
        with pytest.raises(PermissionDenied, match="may not import data"):
            import_directory(services, actor, tmp_path)
    assert counts(services)["young_people"] == 0


# -- command line ----------------------------------------------------------------------------


def test_cli_import_succeeds_and_fails_with_exit_codes(services, staff, paths, tmp_path, capsys):
    args = ["--data-dir", str(paths.data_dir), "--today", "2026-11-26"]
    bad = tmp_path / "bad"
    one_person(bad, dob="31/02/2006")
    assert main([*args, "--user", "admin", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "careleaver-app: Nothing was imported: 1 problem found",
        "people.csv row 2, date_of_birth: is not a real date ('31/02/2006')",
    ]

    assert main([*args, "--user", "admin", "import", str(DATA / "good")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported 4 young people, 6 accommodation episodes")
    assert counts(services)["young_people"] == 4

    assert main([*args, "--user", "pa1", "import", str(DATA / "good")]) == 2
    assert "may not import data" in capsys.readouterr().err


@pytest.mark.postgres
def test_import_on_postgresql(pg_services, pg_staff, tmp_path):
    """The bulk inserts keep ids in row order on PostgreSQL too, and a failure writes nothing."""
    summary = import_directory(pg_services, pg_staff.admin, DATA / "good")
    assert (summary.people, summary.episodes, summary.contacts, summary.activities) == (4, 6, 3, 3)
    assert [(e.type_code, e.end_date) for e in episodes(pg_services, "CL001")] == [
        ("C", date(2024, 5, 14)),
        ("W", date(2024, 5, 20)),
        ("U", None),
    ]
    write(tmp_path, "accommodation.csv", ACCOMMODATION_HEADER, "CL002,2024-01-01,,D,yes,,,")
    error = failure(pg_services, pg_staff.admin, tmp_path)
    assert [p.row for p in error.problems] == [2]


def test_imported_people_show_their_current_accommodation_in_the_caseload(
    services, staff, tmp_path
):
    """The caseload's current accommodation and in-touch columns are filled by the import."""
    from careleaver_app.services.importer import import_directory
    from careleaver_app.services.people import PeopleQuery

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "reference,first_name,last_name,date_of_birth,pa_username\n"
        "IM1,Zoë,Example,2007-05-01,pa1\n",
        encoding="utf-8",
    )
    (folder / "accommodation.csv").write_text(
        "reference,start_date,end_date,type_code,suitable\n"
        "IM1,2025-01-01,2026-11-01,D,yes\n"
        "IM1,2026-11-01,,W,no\n",
        encoding="utf-8",
    )
    (folder / "contacts.csv").write_text(
        "reference,contact_date,kind,in_touch\nIM1,2026-11-20,phone,NO\n", encoding="utf-8"
    )
    import_directory(services, staff.admin, folder)
    row = services.people.list(staff.pa, PeopleQuery(search="IM1")).rows[0]
    assert row.accommodation == "W2" and row.days_in_accommodation == 25
    assert row.in_touch is not None and row.in_touch.value == "NO"
    assert "In B&B" in row.flags and "Not in touch" in row.flags


def test_imported_escalating_episodes_get_their_escalations(services, staff, tmp_path):
    """Open for a current B&B placement; recorded as resolved for one that had ended."""
    from sqlalchemy import select

    from careleaver_app.db.models import Escalation
    from careleaver_app.services.importer import import_directory

    folder = tmp_path / "esc"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "reference,first_name,last_name,date_of_birth,pa_username\n"
        "IE1,Ada,Example,2004-05-01,pa1\n",
        encoding="utf-8",
    )
    (folder / "accommodation.csv").write_text(
        "reference,start_date,end_date,type_code,suitable\n"
        "IE1,2025-01-01,2025-02-01,V,no\n"
        "IE1,2025-02-01,2026-11-01,U,yes\n"
        "IE1,2026-11-01,,W,no\n",
        encoding="utf-8",
    )
    import_directory(services, staff.admin, folder)
    with services.db.transaction(write=False) as session:
        statuses = sorted(session.scalars(select(Escalation.status)))
    assert statuses == ["open", "resolved"]
    (row,) = services.escalations.queue(staff.manager)
    assert row.code_903 == "W2" and row.nights == 25


# -- pathway planning: assessments.csv, plans.csv, reviews.csv -----------------------------


def pathway_files(folder: Path) -> None:
    """One new person (CL001) with an assessment, two plans and two reviews, both date styles."""
    one_person(folder)
    write(
        folder,
        "assessments.csv",
        "reference,completed_on,completed_by",
        "CL001,2023-11-01,A. Worker",
    )
    write(
        folder,
        "plans.csv",
        "reference,started_on,signed_off_on,author",
        "CL001,01/02/2024,2024-02-10,A. Worker",
        "CL001,2024-08-01,,",
    )
    write(
        folder,
        "reviews.csv",
        "reference,held_on,kind,outcome,attendees",
        "CL001,2024-07-01,Scheduled,Plan kept,Zoë; PA",
        "CL001,05/09/2024,CHANGE,,",
    )


def test_pathway_files_are_imported_with_audit(services, staff, tmp_path):
    from careleaver_app.db.models import NeedsAssessment, PathwayPlan, PathwayReview

    pathway_files(tmp_path)
    summary = import_directory(services, staff.admin, tmp_path)
    assert (summary.assessments, summary.plans, summary.reviews) == (1, 2, 2)
    assert summary.describe() == (
        "Imported 1 young person, 0 accommodation episodes, 0 contacts, 0 activity records, "
        "1 needs assessment, 2 pathway plans and 2 pathway reviews."
    )
    pid = person(services, "CL001").id
    with services.db.transaction(write=False) as session:
        (assessment,) = session.scalars(select(NeedsAssessment))
        plans = list(session.scalars(select(PathwayPlan).order_by(PathwayPlan.started_on)))
        reviews = list(session.scalars(select(PathwayReview).order_by(PathwayReview.held_on)))
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "import")))
    assert (assessment.person_id, assessment.completed_on) == (pid, date(2023, 11, 1))
    assert assessment.completed_by == "A. Worker" and assessment.recorded_by_id == staff.admin.id
    assert [(p.started_on, p.signed_off_on, p.author) for p in plans] == [
        (date(2024, 2, 1), date(2024, 2, 10), "A. Worker"),
        (date(2024, 8, 1), None, ""),
    ]
    assert all(p.signed_off_by_id is None and p.person_id == pid for p in plans)
    assert [(r.held_on, r.kind, r.outcome, r.attendees) for r in reviews] == [
        (date(2024, 7, 1), "scheduled", "Plan kept", "Zoë; PA"),
        (date(2024, 9, 5), "change", "", ""),
    ]
    sources = {(e.entity, e.detail) for e in events}
    assert ("needs_assessment", "from assessments.csv row 2") in sources
    assert ("pathway_plan", "from plans.csv row 3") in sources
    assert ("pathway_review", "from reviews.csv row 3") in sources
    assert len(events) == 1 + 1 + 1 + 2 + 2 + 1  # person, allocation, records, the import
    summary_view = services.pathway.summary(staff.admin, pid)
    assert summary_view.plan_started_on == date(2024, 8, 1)
    assert summary_view.last_review_on == date(2024, 9, 5)


def test_pathway_records_for_a_person_in_the_database(services, staff, tmp_path):
    pid = services.people.create(
        staff.pa, PersonDetails("CL100", "Kai", "Brown", date(2006, 1, 1))
    ).entity_id
    services.pathway.start_plan(staff.manager, pid, date(2024, 1, 1))
    write(tmp_path, "reviews.csv", "reference,held_on,kind", "CL100,2024-06-01,requested")
    write(tmp_path, "assessments.csv", "reference,completed_on", "CL100,2023-12-01")
    summary = import_directory(services, staff.admin, tmp_path)
    assert (summary.people, summary.assessments, summary.plans, summary.reviews) == (0, 1, 0, 1)


@pytest.mark.parametrize(
    ("name", "lines", "expected"),
    [
        (
            "assessments.csv",
            ["reference,completed_on", "CL001,2023-11-01", "CL001,2006-01-01"],
            "assessments.csv row 3, completed_on: is before the date of birth",
        ),
        (
            "plans.csv",
            [
                "reference,started_on,signed_off_on",
                "CL001,2024-02-01,",
                "CL001,2024-08-01,2024-07-31",
            ],
            "plans.csv row 3, signed_off_on: is before started_on",
        ),
        (
            "reviews.csv",
            ["reference,held_on,kind", "CL001,2024-07-01,scheduled", "CL001,2024-09-05,annual"],
            "reviews.csv row 3, kind: 'annual' is not a review kind (scheduled, change, requested)",
        ),
    ],
)
def test_one_bad_pathway_row_writes_nothing_and_is_named(
    services, staff, tmp_path, name, lines, expected
):
    pathway_files(tmp_path)
    write(tmp_path, name, *lines)
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [expected]


def test_pathway_dates_future_unknown_reference_and_bad_date(services, staff, tmp_path, today):
    pathway_files(tmp_path)
    tomorrow = date.fromordinal(today.toordinal() + 1).isoformat()
    write(
        tmp_path,
        "assessments.csv",
        "reference,completed_on",
        f"CL001,{tomorrow}",
        "CL999,2024-01-01",
        "CL001,31/02/2024",
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "assessments.csv row 2, completed_on: is in the future",
        "assessments.csv row 3, reference: is not in people.csv or the database",
        "assessments.csv row 4, completed_on: is not a real date ('31/02/2024')",
    ]


def test_a_review_without_a_plan_is_refused(services, staff, tmp_path):
    one_person(tmp_path)
    write(tmp_path, "reviews.csv", "reference,held_on,kind", "CL001,2024-07-01,scheduled")
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "reviews.csv row 2, held_on: there is no pathway plan to review "
        "(in plans.csv or the database)"
    ]
    # A plan that starts only after the review does not count either.
    write(tmp_path, "plans.csv", "reference,started_on", "CL001,2024-08-01")
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "reviews.csv row 2, held_on: is before the young person's first pathway plan "
        "(started 2024-08-01)"
    ]


# -- the local-offer ledger: offer_ledger.csv ------------------------------------------------

LEDGER_HEADER = "reference,item,date,amount,quantity,status,declined_reason,exception_reason,note"


def care_leaver(folder: Path, reference: str = "CL001") -> None:
    """Zoë, born 2006-05-14, looked after from 2019 to her 18th birthday: former relevant."""
    write(
        folder,
        "people.csv",
        PEOPLE_HEADER,
        f"{reference},Zoë,Ngata,2006-05-14,2019-02-01,2024-05-14,pa1,no,,yes,no",
    )


def test_ledger_rows_are_imported_with_audit(services, staff, tmp_path):
    care_leaver(tmp_path)
    write(
        tmp_path,
        "offer_ledger.csv",
        LEDGER_HEADER,
        'CL001,Setting-up-home allowance,2024-06-01,"£1,200.50",,paid,,,Bed and sofa',
        "CL001,SETTING-UP-HOME allowance,01/07/2024,1000,,Approved,,,",
        "CL001,16-19 bursary,2024-09-10,1200,,paid,,,College year",
        "CL001,Driving lessons,2025-03-01,,1.5,paid,,,",
        "CL001,Broadband / Wi-Fi,2026-10-01,25,,declined,Included in the rent,,",
        "CL001,Leisure funding,2026-11-01,£20,,requested,,,",
        "CL001,Council tax exemption,2024-06-01,,,approved,,,",
    )
    summary = import_directory(services, staff.admin, tmp_path)
    assert summary.offer_entries == 7
    assert summary.describe().endswith("0 activity records and 7 local-offer entries.")
    pid = person(services, "CL001").id
    statement = services.offer.statement(staff.pa, pid)
    balances = {b.item.name: b for b in statement.balances}
    home = balances["Setting-up-home allowance"]
    assert (home.used, home.remaining) == (220_050, 79_950)
    assert balances["Driving lessons"].remaining == Decimal("8.5")
    assert balances["Leisure funding"].pending == 2_000
    assert balances["Broadband / Wi-Fi"].not_taken_up  # declined only
    by_status = {(e.item_name, e.status.value): e for e in statement.entries}
    declined = by_status["Broadband / Wi-Fi", "declined"]
    assert declined.declined_reason == "Included in the rent"
    paid = by_status["Setting-up-home allowance", "paid"]
    assert (paid.note, paid.approved_by, paid.recorded_by) == ("Bed and sofa", "", "admin")
    with services.db.transaction(write=False) as session:
        events = list(
            session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == "import", AuditEvent.entity == "offer_entry"
                )
            )
        )
    assert sorted(e.detail for e in events) == [
        f"from offer_ledger.csv row {n}" for n in range(2, 9)
    ]


def test_ledger_rows_count_what_the_database_already_holds(services, staff, tmp_path):
    from careleaver_app.domain.offer import EntryStatus
    from careleaver_app.services.offer import EntryInput

    pid = services.people.create(
        staff.pa,
        PersonDetails("CL100", "Kai", "Brown", date(2006, 1, 1)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2020, 1, 1), date(2024, 1, 1)),),
    ).entity_id
    (home,) = [c.item for c in services.offer.catalogue() if c.item.name.startswith("Setting")]
    services.offer.add_entry(
        staff.pa, pid, EntryInput(home.id, date(2025, 1, 1), EntryStatus.PAID, 250_000)
    )
    write(
        tmp_path,
        "offer_ledger.csv",
        "reference,item,date,amount,status,exception_reason",
        "CL100,Setting-up-home allowance,2025-02-01,400,paid,",
        "CL100,Setting-up-home allowance,2025-03-01,200,requested,",
    )
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "offer_ledger.csv row 3, amount: £200.00 is more than the £100.00 left of "
        "Setting-up-home allowance (allowance £3,000.00 for life, £2,900.00 already used or "
        "requested); a team manager can authorise an exception with a reason"
    ]
    write(
        tmp_path,
        "offer_ledger.csv",
        "reference,item,date,amount,status,exception_reason",
        "CL100,Setting-up-home allowance,2025-02-01,400,paid,",
        "CL100,Setting-up-home allowance,2025-03-01,200,requested,Agreed by M. Manager",
    )
    assert import_directory(services, staff.admin, tmp_path).offer_entries == 2
    (b,) = [b for b in services.offer.statement(staff.pa, pid).balances if b.item.id == home.id]
    assert (b.used, b.pending, b.over_by) == (290_000, 20_000, 10_000)


def test_eligibility_reads_the_other_files(services, staff, tmp_path):
    """The second setting-up-home bursary needs a first tenancy (U) that has ended: here the
    tenancy is in accommodation.csv of the same import."""
    care_leaver(tmp_path)
    ledger = [
        "reference,item,date,amount,status",
        "CL001,Second setting-up-home bursary,2025-06-01,500,paid",
    ]
    write(tmp_path, "offer_ledger.csv", *ledger)
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "offer_ledger.csv row 2, item: Second setting-up-home bursary: this item is offered "
        "only after a first tenancy has ended (01/06/2025)"
    ]
    write(
        tmp_path,
        "accommodation.csv",
        ACCOMMODATION_HEADER,
        "CL001,2024-05-14,2025-05-01,U,yes,,,",
        "CL001,2025-05-01,,D,yes,,,",
    )
    assert import_directory(services, staff.admin, tmp_path).offer_entries == 1


def test_bad_ledger_rows_are_each_named_and_nothing_is_written(services, staff, tmp_path, today):
    care_leaver(tmp_path)
    (leisure,) = [c for c in services.offer.catalogue() if c.item.name == "Leisure funding"]
    services.offer.set_item_active(staff.admin, leisure.item.id, False, leisure.version)
    tomorrow = date.fromordinal(today.toordinal() + 1).isoformat()
    write(
        tmp_path,
        "offer_ledger.csv",
        LEDGER_HEADER,
        "CL001,Setting-up-home allowance,2024-06-01,1200,,paid,,,",
        "CL001,Bicycle,2024-06-01,100,,paid,,,",
        'CL001,Setting-up-home allowance,2024-07-01,"12,00",,paid,,,',
        "CL001,Setting-up-home allowance,2024-07-01,3000,,paid,,,",
        "CL001,Broadband / Wi-Fi,2024-07-01,25,,pending,,,",
        "CL001,Broadband / Wi-Fi,2024-07-01,25,,declined,,,",
        f"CL001,Broadband / Wi-Fi,{tomorrow},25,,paid,,,",
        "CL001,Leisure funding,2024-07-01,20,,paid,,,",
        "CL001,Driving lessons,2023-01-01,,2,paid,,,",
        "CL001,Broadband / Wi-Fi,2024-08-01,,,paid,,,",
        "CL999,Broadband / Wi-Fi,2024-08-01,25,,paid,,,",
        "CL001,Broadband / Wi-Fi,2024-09-01,25,,approved,No reason needed,,",
        f"CL001,Broadband / Wi-Fi,{tomorrow},,,paid,,,",
    )
    error = failure(services, staff.admin, tmp_path)
    problems = [str(p) for p in error.problems]
    assert problems[0].startswith(
        "offer_ledger.csv row 3, item: 'Bicycle' is not in the local-offer catalogue "
        "(Setting-up-home allowance; "
    )
    assert "Leisure funding" not in problems[0]  # retired: not offered as a choice
    assert problems[1:] == [
        "offer_ledger.csv row 4, amount: '12,00' is not an amount in pounds, such as 1200 or "
        "1,200.50",
        "offer_ledger.csv row 5, amount: £3,000.00 is more than the £1,800.00 left of "
        "Setting-up-home allowance (allowance £3,000.00 for life, £1,200.00 already used or "
        "requested); a team manager can authorise an exception with a reason",
        "offer_ledger.csv row 6, status: 'pending' is not a status "
        "(requested, approved, paid, declined)",
        "offer_ledger.csv row 7, declined_reason: is required when declined",
        "offer_ledger.csv row 8, date: is in the future",
        "offer_ledger.csv row 9, item: Leisure funding has been retired from the local offer",
        "offer_ledger.csv row 10, item: Driving lessons: this item starts at age 17 (01/01/2023)",
        "offer_ledger.csv row 11, amount: is required and must be more than zero",
        "offer_ledger.csv row 12, reference: is not in people.csv or the database",
        "offer_ledger.csv row 13, declined_reason: is only for a declined row",
        "offer_ledger.csv row 14, date: is in the future",
        "offer_ledger.csv row 14, amount: is required and must be more than zero",
    ]


def test_a_ledger_file_without_its_required_columns_is_refused(services, staff, tmp_path):
    care_leaver(tmp_path)
    write(tmp_path, "offer_ledger.csv", "reference,item,amount", "CL001,Leisure funding,20")
    error = failure(services, staff.admin, tmp_path)
    assert [str(p) for p in error.problems] == [
        "offer_ledger.csv row 1, date: required column is missing",
        "offer_ledger.csv row 1, status: required column is missing",
    ]
