"""Issue 7 headless: `careleaver-app report KIND [--person REF] [--team T] [--as-of DATE]
--out FILE.pdf` writes every printed document for batch printing, owner-only, audited as an export
per young person, refusing what the acting user may not print with one line and exit code 2."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from careleaver_app import cli
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType, ContactKind, Role, Suitability
from careleaver_app.domain.documents import DocumentKind
from careleaver_app.domain.people import PersonDetails
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.housing import NO_CONSENT

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in (
        cli.DATABASE_ENV,
        cli.USER_ENV,
        cli.PASSWORD_ENV,
        cli.PASSPHRASE_ENV,
        "CARELEAVER_DEBUG",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """North Team: Alex Adviser (pa1), Morgan Manager (tm1), Hana Housing (hl1);
    South Team: Remy Remote (pa9).

    N-001 Zoë Adams      Alex's, shares with housing, in B&B since 20/11/2026 (escalated),
                         pathway plan from 10/01/2026 never reviewed (overdue)
    N-002 Łukasz Nowak   Alex's, does not share with housing
    S-001 Sam South      Remy's
    """
    folder = tmp_path / "data"
    services = open_services(AppPaths(folder), None, lambda: TODAY)
    try:
        st = services.staffing
        admin = st.ensure_first_administrator("admin")
        north = st.create_team(admin, "North Team")
        south = st.create_team(admin, "South Team")
        st.create_staff(admin, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, north.id)
        st.create_staff(admin, "tm1", "Morgan Manager", Role.TEAM_MANAGER, north.id)
        st.create_staff(admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, north.id)
        st.create_staff(admin, "pa9", "Remy Remote", Role.PERSONAL_ADVISER, south.id)
        pa, far = st.actor("pa1"), st.actor("pa9")
        care = (CarePeriod(date(2021, 1, 1), date(2025, 3, 1)),)

        def person(actor, ref, first, last, dob, **more):
            details = PersonDetails(ref, first, last, dob, **more)
            return services.people.create(
                actor, details, pa_id=actor.id, care_periods=care
            ).entity_id

        zoe = person(
            pa,
            "N-001",
            "Zoë",
            "Adams",
            date(2007, 3, 10),
            housing_consent=True,
            health_needs="Takes Brimocaine daily",
        )
        services.accommodation.record_move(
            pa,
            zoe,
            MoveInput(
                AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE
            ),
        )
        services.contacts.log_contact(pa, zoe, ContactInput(date(2026, 11, 21), ContactKind.VISIT))
        services.pathway.record_assessment(pa, zoe, date(2026, 1, 5))
        services.pathway.start_plan(pa, zoe, date(2026, 1, 10), "Alex Adviser")
        person(pa, "N-002", "Łukasz", "Nowak", date(2007, 7, 1))
        person(far, "S-001", "Sam", "South", date(2006, 2, 2))
    finally:
        services.close()
    return folder


def report(capsys, data_dir: Path, user: str, *args: str) -> tuple[int, str, str]:
    code = cli.main(
        ["--data-dir", str(data_dir), "--today", TODAY.isoformat(), "--user", user, "report", *args]
    )
    out, err = capsys.readouterr()
    return code, out, err


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def exports(data_dir: Path) -> list[tuple[str, int | None, str]]:
    with sqlite3.connect(AppPaths(data_dir).database_file) as conn:
        return conn.execute(
            "SELECT s.username, e.entity_id, e.detail FROM audit_events e "
            "JOIN staff s ON s.id = e.actor_id WHERE e.action = 'export' ORDER BY e.id"
        ).fetchall()


CASES = {
    # kind: (user, extra arguments, text the PDF must hold, text it must not)
    DocumentKind.PERSON_SUMMARY: (
        "pa1",
        ["--person", "N-001"],
        ["Young person summary", "Zoë Adams", "N-001", "OFFICIAL-SENSITIVE", "Brimocaine"],
        ["Łukasz"],
    ),
    DocumentKind.HOUSING_SUMMARY: (
        "hl1",
        ["--person", "N-001"],
        ["Zoë Adams", "N-001", "Alex Adviser", "OFFICIAL-SENSITIVE"],
        ["Brimocaine"],
    ),
    DocumentKind.OFFER_STATEMENT: (
        "pa1",
        ["--person", "N-001"],
        ["Zoë", "N-001", "OFFICIAL-SENSITIVE"],
        ["Łukasz"],
    ),
    DocumentKind.CASELOAD: (
        "pa1",
        [],
        ["Caseload report", "Caseload of Alex Adviser", "Zoë Adams", "Łukasz Nowak"],
        ["Sam South"],
    ),
    DocumentKind.ESCALATIONS: (
        "tm1",
        [],
        ["Escalation report", "North Team", "Zoë Adams"],
        ["Sam South"],
    ),
    DocumentKind.REVIEW_SCHEDULE: (
        "tm1",
        ["--as-of", "2026-12-01"],
        ["Pathway review schedule", "North Team", "01/12/2026", "Zoë Adams", "1 review overdue"],
        ["Sam South", "Łukasz"],
    ),
}


@pytest.mark.parametrize("kind", list(DocumentKind), ids=lambda k: k.value)
def test_every_document_is_written_as_a_pdf_with_its_content(capsys, data_dir, tmp_path, kind):
    user, extra, present, absent = CASES[kind]
    out = tmp_path / "out" / f"{kind.value}.pdf"
    code, stdout, err = report(capsys, data_dir, user, kind.value, *extra, "--out", str(out))
    assert (code, err) == (0, ""), err
    pages = len(PdfReader(out).pages)
    assert stdout == f"Wrote {out} ({pages} page{'' if pages == 1 else 's'})\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = text_of(out)
    for expected in present:
        assert expected in text, f"{expected!r} not in the {kind.value}"
    for unexpected in absent:
        assert unexpected not in text, f"{unexpected!r} in the {kind.value}"
    # Audited as an export, once per young person named, with the file it went to.
    rows = exports(data_dir)
    assert rows and all(
        (username, detail) == (user, f"{kind.value} to {out}") for username, _, detail in rows
    )


def test_each_young_person_in_a_team_document_gets_one_export_event(capsys, data_dir, tmp_path):
    out = tmp_path / "caseload.pdf"
    assert report(capsys, data_dir, "pa1", "caseload", "--out", str(out))[0] == 0
    assert len(exports(data_dir)) == 2  # Zoë and Łukasz


def test_an_administrator_names_any_team(capsys, data_dir, tmp_path):
    out = tmp_path / "south.pdf"
    code, _, err = report(
        capsys, data_dir, "admin", "caseload", "--team", "south team", "--out", str(out)
    )
    assert (code, err) == (0, "")
    text = text_of(out)
    assert "Sam South" in text and "Zoë" not in text


def test_the_page_count_printed_matches_the_file(capsys, data_dir, tmp_path):
    from careleaver_app.cli import _page_count

    out = tmp_path / "summary.pdf"
    report(capsys, data_dir, "pa1", "person-summary", "--person", "N-001", "--out", str(out))
    assert _page_count(out.read_bytes()) == len(PdfReader(out).pages)


# -- refusals: one line, exit code 2, no file --------------------------------------------------


def refused(capsys, data_dir, tmp_path, user, *args) -> str:
    out = tmp_path / "refused.pdf"
    code, stdout, err = report(capsys, data_dir, user, *args, "--out", str(out))
    assert (code, stdout) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()
    assert exports(data_dir) == []
    return err


@pytest.mark.parametrize("kind", ["person-summary", "housing-summary", "offer-statement"])
def test_a_person_document_without_person_names_the_option(capsys, data_dir, tmp_path, kind):
    err = refused(capsys, data_dir, tmp_path, "pa1", kind)
    assert "--person" in err


def test_a_pa_may_not_print_another_teams_young_person(capsys, data_dir, tmp_path):
    err = refused(capsys, data_dir, tmp_path, "pa1", "person-summary", "--person", "S-001")
    assert "may not" in err


def test_a_housing_summary_needs_the_young_persons_consent(capsys, data_dir, tmp_path):
    err = refused(capsys, data_dir, tmp_path, "pa1", "housing-summary", "--person", "N-002")
    assert err.strip() == f"careleaver-app: {NO_CONSENT}"


def test_a_housing_liaison_officer_prints_only_housing_summaries(capsys, data_dir, tmp_path):
    refused(capsys, data_dir, tmp_path, "hl1", "person-summary", "--person", "N-001")
    err = refused(capsys, data_dir, tmp_path, "hl1", "housing-summary", "--person", "N-002")
    assert "--person" in err and "agreed to share with housing" in err


def test_a_pa_may_not_print_another_teams_report(capsys, data_dir, tmp_path):
    err = refused(capsys, data_dir, tmp_path, "pa1", "caseload", "--team", "South Team")
    assert "own team" in err


def test_unknown_references_teams_and_misplaced_options_are_refused(capsys, data_dir, tmp_path):
    assert "N-999" in refused(
        capsys, data_dir, tmp_path, "pa1", "person-summary", "--person", "N-999"
    )
    assert "--team" in refused(capsys, data_dir, tmp_path, "admin", "caseload", "--team", "East")
    assert "--person" in refused(capsys, data_dir, tmp_path, "pa1", "caseload", "--person", "N-001")
    assert "--team" in refused(
        capsys,
        data_dir,
        tmp_path,
        "pa1",
        "person-summary",
        "--person",
        "N-001",
        "--team",
        "North Team",
    )


def test_an_unknown_kind_is_a_usage_error(capsys, data_dir, tmp_path):
    with pytest.raises(SystemExit) as exc:
        report(capsys, data_dir, "pa1", "everything", "--out", str(tmp_path / "x.pdf"))
    assert exc.value.code == 2
    assert "person-summary" in capsys.readouterr().err
