"""Each document's content, read back from the PDF, and the marking, title, page numbers and
printer's name on every page."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from pdf_helpers import (
    PRINTED_LINE,
    SECRET_HEALTH,
    SECRET_NOTE,
    caseload_document,
    escalation_document,
    every_document,
    flat,
    font_names,
    housing_document,
    offer_document,
    pages,
    person_document,
    review_document,
    text,
)

from careleaver_app.domain.documents import DOCUMENT_TYPES, DocumentKind
from careleaver_app.reports import render
from careleaver_app.reports.caseload_report import build_caseload_report
from careleaver_app.reports.escalation_report import build_escalation_report
from careleaver_app.reports.housing_summary import build_housing_summary
from careleaver_app.reports.offer_statement import build_offer_statement
from careleaver_app.reports.person_summary import build_person_summary
from careleaver_app.reports.review_schedule import build_review_schedule


@pytest.mark.parametrize("data", every_document(), ids=lambda d: d.kind.value)
def test_every_page_is_marked_numbered_titled_and_says_who_printed_it(data):
    found = pages(render(data))
    assert found
    for number, page in enumerate(found, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, f"page {number}: marking top and bottom"
        assert f"Page {number} of {len(found)}" in page
        assert PRINTED_LINE in page
        assert data.printed.title in page


@pytest.mark.parametrize("data", every_document(), ids=lambda d: d.kind.value)
def test_fonts_are_embedded_subsets_and_nothing_falls_back_to_helvetica(data):
    fonts = font_names(render(data))
    assert fonts, "no fonts found"
    assert all(re.fullmatch(r"[A-Z]{6}\+\S+", f) for f in fonts), fonts
    assert not any("Helvetica" in f for f in fonts)


def test_page_x_of_y_counts_the_pages_of_a_long_document():
    found = pages(render(caseload_document(120)))
    assert len(found) > 2
    assert f"Page {len(found)} of {len(found)}" in found[-1]
    assert "Page 2 of" in found[1]


def test_every_kind_has_a_document_class_and_a_label():
    assert set(DOCUMENT_TYPES) == set(DocumentKind)
    assert DocumentKind("person-summary").label == "Young person summary"
    assert {k.value for k in DocumentKind} == {
        "person-summary",
        "housing-summary",
        "escalations",
        "caseload",
        "review-schedule",
        "offer-statement",
    }
    for kind, cls in DOCUMENT_TYPES.items():
        assert cls.kind is kind
    assert {k for k in DocumentKind if k.needs_person} == {
        DocumentKind.PERSON_SUMMARY,
        DocumentKind.HOUSING_SUMMARY,
        DocumentKind.OFFER_STATEMENT,
    }


def test_render_dispatches_to_each_builder_and_reports_progress_to_the_end():
    builders = {
        DocumentKind.PERSON_SUMMARY: build_person_summary,
        DocumentKind.HOUSING_SUMMARY: build_housing_summary,
        DocumentKind.ESCALATIONS: build_escalation_report,
        DocumentKind.CASELOAD: build_caseload_report,
        DocumentKind.REVIEW_SCHEDULE: build_review_schedule,
        DocumentKind.OFFER_STATEMENT: build_offer_statement,
    }
    for data in every_document():
        calls: list[tuple[int, int]] = []
        via_render = text(render(data, lambda done, total, seen=calls: seen.append((done, total))))
        assert via_render == text(builders[data.kind](data))
        assert calls and calls[-1][0] == calls[-1][1], data.kind
    with pytest.raises(TypeError):
        render("not a document")  # type: ignore[arg-type]


def test_the_person_summary_holds_the_whole_record_for_the_file():
    content = flat(render(person_document()))
    for expected in [
        "Young person summary",
        "Zoë Nguyễn (H-7)",
        "04/03/2006 (age 20)",
        "Vietnamese",
        "Sentinelethnicity",
        "Sentinelreligion",
        "Sentinelimmigration",
        SECRET_HEALTH,
        SECRET_NOTE,
        "Seaview B&B, 3 Pier Road",
        "W2: Bed and breakfast",
        "Concerns: Safety",
        "Shared bathroom with adults",
        "Full-time education other than higher education",
        "Looked after",
        "Moved on 20/11/2026",
        "18/12/2026",
        "Due within 28 days",
        "21st birthday",
        "Setting-up-home allowance",
        "£1,500.00 left",
        "Staffnote bed and sofa",
        "Flags: Escalation open; In B&B",
    ]:
        assert expected in content, expected


def test_the_housing_summary_shows_only_the_design_fields():
    content = flat(render(housing_document()))
    for expected in [
        "Housing liaison summary",
        "Zoë Nguyễn (H-7)",
        "04/03/2006 (age 20)",
        "07700 900123",
        "zoe@example.org",
        "Flat 2, 1 Example Road Exampletown EX1 2AB",
        "W2 Bed and breakfast 20/11/2026 Current 6 Unsuitable",
        "D1 Semi-independent, transitional or supported 03/01/2025 20/11/2026 686 Suitable",
        "Needs a ground-floor flat near the college.",
        "Alex Adviser",
        "alex@example.gov.uk",
        "Escalation open: Bed and breakfast, 6 nights so far",
        "head of service (level 2)",
    ]:
        assert expected in content, expected
    assert "No escalation is open." in flat(render(housing_document(open_escalations=())))


def test_the_escalation_report_lists_most_urgent_first_and_marks_overdue_checks_in_words():
    content = flat(render(escalation_document()))
    assert "2 open escalations" in content
    assert "1 check overdue" in content
    first, second = content.index("Person1 Example"), content.index("Person2 Example")
    assert first < second
    row = content[first:second]
    for expected in [
        "E-1, age 19",
        "Alex Adviser North Team",
        "W2: Bed and breakfast, unsuitable",
        "10/11/2026",
        "16",
        "3: Director",
        "Action agreed 12/11/2026",
        "20/11/2026 OVERDUE",
    ]:
        assert expected in row, expected
    rest = content[second:]
    assert "V2: Emergency accommodation" in rest
    assert "No decision yet" in rest and "Not set" in rest and "OVERDUE" not in rest


def test_the_caseload_report_has_a_row_per_young_person():
    content = flat(render(caseload_document(12)))
    assert "Caseload of Alex Adviser" in content
    assert "12 young people" in content
    for i in range(1, 13):
        assert f"Person{i} Surname{i}" in content and f"CL{i:07d}" in content
    assert "W2 Bed and breakfast, unsuitable" in content
    assert "Escalation open; In B&B" in content
    assert "Not in touch" in content and "01/01/2027" in content
    header = "Name Reference Age Category Personal adviser Accommodation Days In touch"
    assert header in content


def test_the_review_schedule_puts_overdue_first_and_gives_the_reason():
    content = flat(render(review_document()))
    order = [content.index(n) for n in ("Olu Overdue", "Sam Soon", "Fay Flagged")]
    assert order == sorted(order)
    assert "01/07/2026 Six-monthly review OVERDUE" in content
    assert "10/12/2026 Became NEET on 12/11/2026 Due within 28 days" in content
    assert "No pathway plan yet" in content and "Needs assessment overdue" in content
    assert "1 review overdue" in content


def test_the_offer_statement_speaks_to_the_young_person_and_keeps_staff_notes_off():
    data = offer_document()
    content = flat(render(data))
    for expected in [
        "Your local offer statement",
        "Dear Zo,",
        "What you can still claim",
        "£1,500.00 left",
        "£300.00 waiting for a decision",
        "£20.00 left this month",
        "Things you have not used yet",
        "Leisure funding (£20.00 a month): Gym, clubs",
        "What you have had",
        "01/09/2026 Setting-up-home allowance £1,200.00 Paid",
        "Waiting for a decision",
        "Not agreed: Not yet 17",
        "Alex Adviser (alex@example.gov.uk)",
    ]:
        assert expected in content, expected
    assert "Staffnote" not in content
    # even if a note reached the statement's data, the statement does not print notes
    leaky = replace(data, history=tuple(replace(h, note="Staffnote x") for h in data.history))
    assert "Staffnote" not in flat(render(leaky))
