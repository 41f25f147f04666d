"""PDF documents: pure functions from a report DTO to PDF bytes (reportlab).

`render` picks the builder for a document; the builders of long lists report progress through
`progress(done, total)`, a plain callback that a worker thread may pass on to the UI.
"""

from __future__ import annotations

from collections.abc import Callable

from careleaver_app.domain.documents import (
    CaseloadReportDocument,
    DocumentData,
    EscalationReportDocument,
    HousingSummaryDocument,
    OfferStatementDocument,
    PersonSummaryDocument,
    ReviewScheduleDocument,
)

Progress = Callable[[int, int], None]


def render(data: DocumentData, progress: Progress | None = None) -> bytes:
    """The PDF of `data`, whichever document it is."""
    # Imported here so that importing the package (for its types) does not load reportlab.
    from careleaver_app.reports.caseload_report import build_caseload_report
    from careleaver_app.reports.escalation_report import build_escalation_report
    from careleaver_app.reports.housing_summary import build_housing_summary
    from careleaver_app.reports.offer_statement import build_offer_statement
    from careleaver_app.reports.person_summary import build_person_summary
    from careleaver_app.reports.review_schedule import build_review_schedule

    if isinstance(data, PersonSummaryDocument):
        pdf = build_person_summary(data)
    elif isinstance(data, HousingSummaryDocument):
        pdf = build_housing_summary(data)
    elif isinstance(data, OfferStatementDocument):
        pdf = build_offer_statement(data)
    elif isinstance(data, EscalationReportDocument):
        return build_escalation_report(data, progress)
    elif isinstance(data, CaseloadReportDocument):
        return build_caseload_report(data, progress)
    elif isinstance(data, ReviewScheduleDocument):
        return build_review_schedule(data, progress)
    else:
        raise TypeError(f"no report for {type(data).__name__}")
    if progress is not None:
        progress(1, 1)
    return pdf


__all__ = ["Progress", "render"]
