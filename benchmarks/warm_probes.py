"""Measurements in one warm process (services open, first call not recorded): the managers'
queue, the pathway due list and the search query, each against its raw baseline; the housing
summary PDF; the 1,000-person caseload report against a bare reportlab document."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from benchmarks import raw
from benchmarks.common import TODAY, find_cast, interleaved, raw_db, search_words


def _services(data_dir: str, url: str | None) -> Any:
    from careleaver_app.paths import AppPaths
    from careleaver_app.services.container import open_services

    return open_services(AppPaths.for_dir(data_dir), url, lambda: TODAY)


def _same(got: list[Any], want: list[Any]) -> dict[str, bool]:
    """The same rows with the same values; the order of rows whose sort keys tie (two young
    people of the same name, level and nights) is left to each database, so it may differ."""
    return {"same_rows": sorted(got, key=repr) == sorted(want, key=repr), "same_order": got == want}


def _sample(samples: list[float], base: list[float] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"samples": samples, **extra}
    if base is not None:
        out["baseline_samples"] = base
    return out


def queries(data_dir: str, url: str | None, runs: int, national_runs: int, words: int) -> dict:
    """Queue (a team, and the whole country), due list (a team) and search (service only)."""
    from careleaver_app.services.people import PeopleQuery
    from careleaver_app.ui.caseload_model import PAGE, SEARCH_COUNT_LIMIT  # as the list asks

    services = _services(data_dir, url)
    out: dict[str, Any] = {}
    with raw_db(Path(data_dir), url) as db:
        cast = find_cast(db)
        manager = services.staffing.actor(cast.manager)
        admin = services.staffing.actor(cast.admin)

        def shown(rows: list[Any]) -> list[tuple[Any, ...]]:
            return [
                (
                    r.id,
                    int(r.level),
                    r.nights,
                    r.age,
                    r.ready_to_resolve,
                    r.last_decision_on,
                    r.next_check_on,
                )
                for r in rows
            ]

        def team_queue() -> list[tuple[Any, ...]]:
            return shown(services.escalations.queue(manager, as_of=TODAY, team_id=cast.team_id))

        def national_queue() -> list[tuple[Any, ...]]:
            return shown(services.escalations.queue(admin, as_of=TODAY))

        samples, base, got, want = interleaved(
            runs, team_queue, lambda: raw.queue(db, TODAY, cast.team_id)
        )
        out["queue_team"] = _sample(
            samples, base, rows=len(got), team_id=cast.team_id, **_same(got, want)
        )
        samples, base, got, want = interleaved(
            national_runs, national_queue, lambda: raw.queue(db, TODAY, None)
        )
        out["queue_national"] = _sample(samples, base, rows=len(got), **_same(got, want))

        def due() -> list[tuple[int, date | None, tuple[str, ...]]]:
            rows = services.pathway.due_list(manager, as_of=TODAY, team_id=cast.team_id)
            return [(r.person_id, r.due.due if r.due else None, r.flags) for r in rows]

        samples, base, got, want = interleaved(
            runs, due, lambda: raw.due_list(db, TODAY, cast.team_id)
        )
        out["due_team"] = _sample(samples, base, rows=len(got), **_same(got, want))

        prefixes = [w[: i + 1] for w in search_words(db, words) for i in range(len(w))]
        times: list[float] = []
        for prefix in prefixes:
            query = PeopleQuery(search=prefix, limit=PAGE, count_limit=SEARCH_COUNT_LIMIT)
            samples, _, _, _ = interleaved(
                1, lambda q=query: services.people.list(admin, q), None, warm=0
            )
            times.extend(samples)
        out["search_service"] = _sample(times, keystrokes=len(prefixes), page=PAGE)
    services.close()
    return out


def documents(data_dir: str, report_dir: str, runs: int) -> dict:
    """The housing summary PDF on the national database; the caseload report of everyone in a
    1,000-person database, against a bare reportlab document of the same page count."""
    from careleaver_app.domain.documents import DocumentKind
    from careleaver_app.reports import render
    from careleaver_app.services.printing import DocumentRequest

    out: dict[str, Any] = {}
    services = _services(data_dir, None)
    with raw_db(Path(data_dir)) as db:
        cast = find_cast(db)
    liaison = services.staffing.actor(cast.liaison)
    request = DocumentRequest(DocumentKind.HOUSING_SUMMARY, person_id=cast.housing_person_id)

    def housing() -> bytes:
        return render(services.printing.prepare(liaison, request))

    samples, _, pdf, _ = interleaved(runs, housing, None)
    out["housing_pdf"] = _sample(samples, pages=page_count(pdf), bytes=len(pdf))
    services.close()

    services = _services(report_dir, None)
    with raw_db(Path(report_dir)) as db:
        admin = services.staffing.actor(find_cast(db).admin)
    data = services.printing.prepare(admin, DocumentRequest(DocumentKind.CASELOAD))
    pages = page_count(render(data))

    def caseload() -> bytes:
        return render(services.printing.prepare(admin, DocumentRequest(DocumentKind.CASELOAD)))

    samples, base, pdf, bare = interleaved(runs, caseload, lambda: bare_report(data.rows, pages))
    out["caseload_pdf"] = _sample(
        samples,
        base,
        people=len(data.rows),
        pages=page_count(pdf),
        baseline_pages=page_count(bare),
    )
    services.close()
    return out


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def bare_report(rows: Any, pages: int) -> bytes:
    """A plain reportlab table of the same rows and columns' text, in `pages` pages: what any
    PDF of this size costs, without the app's fonts, flags, headers and footers."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

    cells = [
        [
            r.reference,
            r.name,
            str(r.age),
            r.category.value,
            r.pa_name,
            r.accommodation,
            str(r.days_in_accommodation or ""),
            r.in_touch.value if r.in_touch else "",
            r.next_review_due.isoformat() if r.next_review_due else "",
            ", ".join(r.flags),
        ]
        for r in rows
    ]
    bounds = [round(i * len(cells) / pages) for i in range(pages + 1)]
    story: list[Any] = []
    for start, end in pairwise(bounds):
        if story:
            story.append(PageBreak())
        table = Table(cells[start:end], repeatRows=0)
        table.setStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 5),
                ("LEADING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
        story.append(table)
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()
