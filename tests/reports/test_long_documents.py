"""Long documents: a 1,000-person caseload builds in seconds with its header row on every page
and reports progress; long free text wraps inside the margins and runs across pages."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from pdf_helpers import (
    caseload_document,
    flat,
    housing_document,
    pages,
    person_document,
    text_runs,
)

from careleaver_app.reports import render
from careleaver_app.reports.layout import RIGHT_MARGIN, page_size

HEADER = "Name Reference Age Category Personal adviser Accommodation Days In touch"
SENTENCE = "housing officer visited the flat and agreed the repairs list with the landlord"


def _prose(length: int) -> str:
    words = SENTENCE.split()
    out = " ".join(words[i % len(words)] for i in range(length // 4))
    return out[:length]


@pytest.mark.slow
def test_a_1000_person_caseload_builds_with_the_header_repeated_on_every_page():
    data = caseload_document(1000)
    calls: list[tuple[int, int]] = []
    render(caseload_document(5))  # fonts registered, modules imported: time the work itself
    started = time.perf_counter()
    pdf = render(data, lambda done, total: calls.append((done, total)))
    took = time.perf_counter() - started
    print(f"\n1,000-person caseload report: {took:.2f}s, {len(pdf) / 1024:.0f} KiB")
    found = pages(pdf)
    assert len(found) > 20
    print(f"{len(found)} pages")
    for number, page in enumerate(found, start=1):
        assert HEADER in " ".join(page.split()), f"no header row on page {number}"
    content = " ".join(" ".join(found).split())
    assert all(f"Person{i} Surname{i}" in content for i in (1, 500, 1000))
    assert took < 30, f"took {took:.1f}s"
    # progress: from 0 to 1,000, never backwards, once a page or so
    assert calls[0] == (0, 1000) and calls[-1] == (1000, 1000)
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(set(done)) > 20


def test_a_2000_character_note_wraps_across_lines_inside_the_right_margin():
    note = _prose(2000)
    assert len(note) == 2000
    data = person_document(
        contacts=tuple(replace_note(c, note) for c in person_document().contacts),
        health_needs="x" * 600,  # one unbroken 'word' must wrap too
    )
    pdf = render(data)
    runs = text_runs(pdf)
    right_edge = page_size(False)[0] - RIGHT_MARGIN
    beyond = [r for r in runs if r.right > right_edge + 0.5]
    assert not beyond, beyond[:3]
    note_lines = [r for r in runs if r.text.strip() and r.text.strip() in note]
    assert len(note_lines) >= 15, "the note did not wrap onto many lines"
    assert "".join(r.text.strip() + " " for r in note_lines).split() == note.split()


def test_a_very_long_note_runs_across_pages():
    note = _prose(30_000)
    data = person_document(
        contacts=tuple(replace_note(c, note) for c in person_document().contacts)
    )
    found = pages(render(data))
    assert len(found) >= 5
    assert " ".join(note.split()[-5:]) in flat(render(data))


def test_long_housing_support_needs_stay_inside_the_margins():
    pdf = render(housing_document(housing_support_needs=_prose(2000)))
    right_edge = page_size(False)[0] - RIGHT_MARGIN
    assert all(r.right <= right_edge + 0.5 for r in text_runs(pdf))


def test_landscape_tables_stay_inside_the_margins():
    pdf = render(caseload_document(40))
    right_edge = page_size(True)[0] - RIGHT_MARGIN
    assert all(r.right <= right_edge + 0.5 for r in text_runs(pdf))


def replace_note(contact, note):  # type: ignore[no-untyped-def]
    return replace(contact, note=note)


def test_a_report_builds_in_a_worker_thread_and_reports_progress_from_there():
    seen: list[str] = []

    def progress(done: int, total: int) -> None:
        seen.append(threading.current_thread().name)

    with ThreadPoolExecutor(1, thread_name_prefix="report-worker") as pool:
        pdf = pool.submit(render, caseload_document(60), progress).result()
    assert pages(pdf) and seen
    assert all(name.startswith("report-worker") for name in seen)
