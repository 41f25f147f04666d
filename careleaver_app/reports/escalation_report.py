"""The escalation report: open escalations, most urgent first (overdue checks, then level, then
nights), with the last decision and the next check; an overdue check says so in words."""

from __future__ import annotations

from reportlab.platypus import Flowable

from careleaver_app.domain.documents import EscalationReportDocument
from careleaver_app.domain.escalation import Level
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


def build_escalation_report(
    data: EscalationReportDocument, progress: Progress | None = None
) -> bytes:
    width = frame_width(wide=True)
    overdue = sum(1 for r in data.rows if r.check_overdue)
    by_level = {level: sum(1 for r in data.rows if r.level == level) for level in Level}
    story: list[Flowable] = [
        *title_block(
            "Escalation report",
            data.scope,
            f"Open escalations as at {fmt_date(data.as_of)}, most urgent first",
        ),
        rich(
            [
                (plural(len(data.rows), "open escalation"), True),
                (
                    f": {by_level[Level.DIRECTOR]} with the director (level 3), "
                    f"{by_level[Level.HEAD_OF_SERVICE]} with the head of service (level 2), "
                    f"{by_level[Level.TEAM_MANAGER]} with a team manager (level 1). ",
                    False,
                ),
                (
                    plural(overdue, "check") + " overdue." if overdue else "No check is overdue.",
                    bool(overdue),
                ),
            ]
        ),
    ]
    story += heading("Open escalations")
    if not data.rows:
        story.append(none_recorded("No escalation is open."))
        return build_pdf(data.printed, story, wide=True)
    tracker = RowTracker(progress)
    rows = []
    for r in data.rows:
        decision = (
            f"{r.last_decision.label}\n{fmt_date(r.last_decision_on)}"
            if r.last_decision
            else "No decision yet"
        )
        if r.next_check_on is None:
            check = "Not set"
        elif r.check_overdue:
            check = f"{fmt_date(r.next_check_on)}\nOVERDUE"
        else:
            check = fmt_date(r.next_check_on)
        placement = f"{r.code_903}: {r.type.label}, {r.suitability.label.lower()}"
        if r.ready_to_resolve:
            placement += "\n(ready to resolve)"
        rows.append(
            [
                para(f"{r.name}\n{r.reference}, age {r.age}", CELL_BOLD),
                f"{r.pa_name or 'Not allocated'}\n{r.team_name}",
                placement,
                fmt_date(r.start_date),
                f"{r.nights:,}",
                f"{int(r.level)}: {r.level.label}",
                decision,
                check,
            ]
        )
    story.append(
        data_table(
            [
                "Young person",
                "PA and team",
                "Placement",
                "Start",
                "Nights",
                "Level",
                "Last decision",
                "Next check",
            ],
            rows,
            [2.4, 2.0, 3.0, 1.15, 0.85, 1.35, 2.05, 1.3],
            width,
            tracker=tracker,
            highlight=[i for i, r in enumerate(data.rows) if r.check_overdue],
            align_right=[4],
        )
    )
    return build_pdf(data.printed, story, wide=True, tracker=tracker)
