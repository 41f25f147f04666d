"""The caseload report for a PA or a team: one row per young person, with the flags in words."""

from __future__ import annotations

import re

from reportlab.platypus import Flowable

from careleaver_app.domain.codes import AccommodationType, InTouch, Suitability
from careleaver_app.domain.documents import CaseloadLine, CaseloadReportDocument
from careleaver_app.domain.flags import (
    FLAG_BNB,
    FLAG_EMERGENCY,
    FLAG_ESCALATION,
    FLAG_NO_FIXED_ABODE,
)
from careleaver_app.reports.layout import (
    SMALL_CELL,
    Progress,
    RowTracker,
    build_pdf,
    frame_width,
    heading,
    none_recorded,
    rich,
    title_block,
)
from careleaver_app.reports.tables import data_table
from careleaver_app.reports.text import (
    fmt_date,
    plural,
)


def short_label(kind: AccommodationType) -> str:
    """'Independent living (tenancy, flat share, halls)' -> 'Independent living'."""
    return re.split(r" \(|, | / ", kind.label)[0]


def accommodation_text(line: CaseloadLine) -> str:
    if not line.accommodation:
        return "Not recorded"
    try:
        kind = AccommodationType(line.accommodation[0])
        suitability = Suitability(line.accommodation[1:])
    except ValueError:
        return line.accommodation
    text = f"{line.accommodation} {short_label(kind)}"
    if suitability is Suitability.UNSUITABLE:
        text += ", unsuitable"
    return text


URGENT = frozenset({FLAG_ESCALATION, FLAG_BNB, FLAG_EMERGENCY, FLAG_NO_FIXED_ABODE})


def build_caseload_report(data: CaseloadReportDocument, progress: Progress | None = None) -> bytes:
    width = frame_width(wide=True)
    rows = data.rows
    bnb = sum(1 for r in rows if FLAG_BNB in r.flags or FLAG_EMERGENCY in r.flags)
    not_in_touch = sum(1 for r in rows if r.in_touch not in (None, InTouch.YES))
    overdue = sum(1 for r in rows if r.review_overdue)
    story: list[Flowable] = [
        *title_block("Caseload report", data.scope, f"As at {fmt_date(data.as_of)}"),
        rich(
            [
                (plural(len(rows), "young person", "young people"), True),
                (
                    f": {bnb} in B&B or emergency accommodation, {not_in_touch} not in touch, "
                    f"{plural(overdue, 'pathway review')} overdue.",
                    False,
                ),
            ]
        ),
    ]
    story += heading("Young people")
    if not rows:
        story.append(none_recorded("There is nobody on this caseload."))
        return build_pdf(data.printed, story, wide=True)
    tracker = RowTracker(progress)
    table_rows = [
        [
            r.name + (f" ({r.preferred_name})" if r.preferred_name else ""),
            r.reference,
            str(r.age),
            r.category.label,
            r.pa_name or "Not allocated",
            accommodation_text(r),
            f"{r.days_in_accommodation:,}" if r.days_in_accommodation is not None else "",
            r.in_touch.label if r.in_touch else "Not recorded",
            fmt_date(r.next_review_due, "No plan"),
            "; ".join(r.flags),
        ]
        for r in rows
    ]
    story.append(
        data_table(
            [
                "Name",
                "Reference",
                "Age",
                "Category",
                "Personal adviser",
                "Accommodation",
                "Days",
                "In touch",
                "Next review",
                "Flags",
            ],
            table_rows,
            [110, 62, 28, 75, 84, 122, 34, 66, 56, 103],
            width,
            tracker=tracker,
            highlight=[i for i, r in enumerate(rows) if URGENT & set(r.flags)],
            align_right=[2, 6],
            bold=[0],
            style=SMALL_CELL,
        )
    )
    return build_pdf(data.printed, story, wide=True, tracker=tracker)
