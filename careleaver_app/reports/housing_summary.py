"""The housing liaison summary: only what DESIGN 3.6 lets housing see, for a young person who
agreed to share it. Its data class has no field for anything else, so nothing else can print."""

from __future__ import annotations

from reportlab.platypus import Flowable

from careleaver_app.domain.codes import Suitability
from careleaver_app.domain.documents import HousingSummaryDocument
from careleaver_app.reports.layout import (
    ALERT_TEXT,
    SMALL,
    build_pdf,
    details,
    frame_width,
    heading,
    none_recorded,
    para,
    title_block,
)
from careleaver_app.reports.tables import data_table
from careleaver_app.reports.text import (
    fmt_date,
    plural,
)

CONSENT_NOTE = (
    "Shared with housing with the young person's agreement. It holds only what housing needs: "
    "contact details, accommodation, housing support needs, the personal adviser and whether "
    "an escalation is open. Do not copy it further or keep it longer than you need it."
)


def build_housing_summary(data: HousingSummaryDocument) -> bytes:
    width = frame_width()
    story: list[Flowable] = [
        *title_block(
            data.kind.label,
            f"{data.name} ({data.reference})",
            f"Information as at {fmt_date(data.as_of)}",
        ),
        para(CONSENT_NOTE, SMALL),
    ]

    story += heading("Young person")
    story.append(
        details(
            [
                ("Name", data.name),
                ("Known as", data.preferred_name or "—"),
                ("Reference", data.reference),
                ("Date of birth", f"{fmt_date(data.date_of_birth)} (age {data.age})"),
            ],
            width,
        )
    )
    story.append(
        details(
            [
                ("Phone", data.phone or "—"),
                ("Email", data.email or "—"),
                ("Contact address", data.contact_address or "—"),
            ],
            width,
            columns=1,
        )
    )

    story += heading("Open escalation")
    if data.open_escalations:
        for esc in data.open_escalations:
            story.append(
                para(
                    f"Escalation open: {esc.type.label}, {plural(esc.nights, 'night')} so far; "
                    f"now with the {esc.level.label.lower()} (level {int(esc.level)}).",
                    ALERT_TEXT,
                )
            )
    else:
        story.append(none_recorded("No escalation is open."))

    story += heading("Accommodation")
    if data.accommodation:
        current = [a for a in data.accommodation if a.end_date is None]
        rows = [
            [
                a.code_903,
                a.type.label,
                fmt_date(a.start_date),
                fmt_date(a.end_date, "Current"),
                f"{a.nights:,}",
                a.suitability.label,
            ]
            for a in data.accommodation
        ]
        story.append(
            data_table(
                ["Code", "Type", "From", "To", "Nights", "Suitability"],
                rows,
                [1.1, 5, 1.6, 1.6, 1.1, 1.7],
                width,
                highlight=[
                    i
                    for i, a in enumerate(data.accommodation)
                    if a.suitability is Suitability.UNSUITABLE
                ],
                align_right=[4],
            )
        )
        if not current:
            story.append(para("No current accommodation is recorded.", SMALL))
    else:
        story.append(none_recorded("No accommodation is recorded."))

    story += heading("Housing support needs")
    story.append(
        para(data.housing_support_needs) if data.housing_support_needs.strip() else none_recorded()
    )

    story += heading("Personal adviser")
    story.append(
        details(
            [
                ("Personal adviser", data.pa_name or "Not allocated"),
                ("Email", data.pa_email or "—"),
                ("Team", data.team_name or "—"),
            ],
            width,
            columns=1,
        )
    )
    return build_pdf(data.printed, story)
