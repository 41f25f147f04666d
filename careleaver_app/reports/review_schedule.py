"""The pathway review schedule: overdue reviews first, then those due within 28 days, then young
people whose planning is flagged (no assessment, no signed-off plan before 18)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from careleaver_app.domain.documents import ReviewScheduleDocument
from careleaver_app.domain.pathway import ReviewDue, ReviewStatus
from careleaver_app.reports.layout import (
    CELL_BOLD,
    Progress,
    RowTracker,
    build_pdf,
    frame_width,
    heading,
    none_recorded,
    para,
    rich,
    title_block,
)
from careleaver_app.reports.tables import data_table
from careleaver_app.reports.text import (
    fmt_date,
    plural,
)


def review_reason(due: ReviewDue | None) -> str:
    if due is None:
        return "No pathway plan yet"
    if due.trigger is None:
        return "Six-monthly review"
    what = due.trigger.kind.label
    return f"{what[0].upper()}{what[1:]} on {fmt_date(due.trigger.on)}"


def status_text(status: ReviewStatus | None) -> str:
    return (
        status.label.upper() if status is ReviewStatus.OVERDUE else (status.label if status else "")
    )


def build_review_schedule(data: ReviewScheduleDocument, progress: Progress | None = None) -> bytes:
    width = frame_width(wide=True)
    overdue = sum(1 for r in data.rows if r.status is ReviewStatus.OVERDUE)
    soon = sum(1 for r in data.rows if r.status is ReviewStatus.DUE_SOON)
    flagged = sum(1 for r in data.rows if r.flags)
    story: list[Flowable] = [
        *title_block(
            "Pathway review schedule", data.scope, f"Reviews as at {fmt_date(data.as_of)}"
        ),
        rich(
            [
                (plural(overdue, "review") + " overdue", True),
                (f", {plural(soon, 'review')} due within 28 days", False),
                (
                    f", {plural(flagged, 'young person', 'young people')} with planning flags.",
                    False,
                ),
            ]
        ),
    ]
    story += heading("Reviews due")
    if not data.rows:
        story.append(none_recorded("No reviews are due or overdue."))
        return build_pdf(data.printed, story, wide=True)
    tracker = RowTracker(progress)
    rows = [
        [
            para(f"{r.name}\n{r.reference}", CELL_BOLD),
            r.pa_name or "Not allocated",
            fmt_date(r.due.due if r.due else None, "—"),
            review_reason(r.due),
            status_text(r.status) or "—",
            fmt_date(r.last_review_on, "None yet"),
            "; ".join(r.flags),
        ]
        for r in data.rows
    ]
    story.append(
        data_table(
            [
                "Young person",
                "Personal adviser",
                "Next review",
                "Reason",
                "Status",
                "Last review",
                "Planning flags",
            ],
            rows,
            [2.6, 1.9, 1.3, 3.2, 1.6, 1.3, 2.4],
            width,
            tracker=tracker,
            highlight=[i for i, r in enumerate(data.rows) if r.status is ReviewStatus.OVERDUE],
        )
    )
    return build_pdf(data.printed, story, wide=True, tracker=tracker)
