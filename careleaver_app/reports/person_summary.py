"""The young person summary for the file: everything the record holds, special category fields
included, so it is for staff with access to the whole record only."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, Spacer

from careleaver_app.domain.codes import Suitability
from careleaver_app.domain.documents import PersonSummaryDocument
from careleaver_app.domain.offer import EntitlementKind
from careleaver_app.reports.layout import (
    ALERT_TEXT,
    CELL_BOLD,
    LINE,
    SMALL,
    VALUE,
    build_pdf,
    details,
    frame_width,
    heading,
    keep,
    none_recorded,
    para,
    rich,
    subheading,
    text_block,
    title_block,
)
from careleaver_app.reports.offer_statement import allowance_text, amount_text, remaining_text
from careleaver_app.reports.review_schedule import review_reason, status_text
from careleaver_app.reports.tables import data_table
from careleaver_app.reports.text import (
    fmt_date,
    ordinal,
    plural,
    yes_no,
)

SENSITIVE_NOTE = (
    "This section holds special category and high-harm information. Share it only with people "
    "who need it for their work with the young person."
)


def _category(data: PersonSummaryDocument) -> str:
    if data.category is data.computed_category:
        return data.category.label
    return (
        f"{data.category.label} (set by a manager; computed: {data.computed_category.label}. "
        f"Reason: {data.category_override_reason or 'not given'})"
    )


def build_person_summary(data: PersonSummaryDocument) -> bytes:
    width = frame_width()
    meta = f"Record as at {fmt_date(data.as_of)}"
    if data.closed_on:
        meta += f" · CLOSED on {fmt_date(data.closed_on)}: {data.closed_reason}"
    story: list[Flowable] = [
        *title_block("Young person summary", f"{data.name} ({data.reference})", meta)
    ]
    if data.flags:
        story.append(para("Flags: " + "; ".join(data.flags), ALERT_TEXT))

    story += heading("Personal details")
    story.append(
        details(
            [
                ("Name", data.name),
                ("Known as", data.preferred_name or "—"),
                ("Reference", data.reference),
                ("Date of birth", f"{fmt_date(data.date_of_birth)} (age {data.age})"),
                ("Gender", data.gender or "—"),
                ("First language", data.first_language or "—"),
                ("Interpreter needed", yes_no(data.interpreter_needed)),
                ("Unaccompanied asylum seeker", yes_no(data.uasc)),
                ("Pregnant or parenting", yes_no(data.pregnant_or_parenting)),
                ("Asked for PA support to 25", yes_no(data.requested_pa_support)),
                (
                    "Detained or in hospital on 16th birthday",
                    yes_no(data.detained_or_in_hospital_on_16th_birthday),
                ),
                ("Agreed to share with housing", yes_no(data.housing_consent)),
                ("Team", data.team_name or "—"),
                ("Personal adviser", data.pa_name or "Not allocated"),
                ("Keep record until", fmt_date(data.retention_date)),
                ("Closed", fmt_date(data.closed_on) or "No"),
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
                ("Care leaver category", _category(data)),
            ],
            width,
            columns=1,
        )
    )

    story += heading("Sensitive information")
    story.append(para(SENSITIVE_NOTE, SMALL))
    story.append(
        details(
            [
                ("Ethnicity", data.ethnicity or "Not recorded"),
                ("Religion", data.religion or "Not recorded"),
                ("Immigration status", data.immigration_status or "Not recorded"),
            ],
            width,
            columns=1,
        )
    )
    story += text_block("Health needs", data.health_needs)
    story += text_block("Housing support needs", data.housing_support_needs)

    story += heading("Accommodation history")
    if data.accommodation:
        rows = []
        for a in data.accommodation:
            suitability = a.suitability.label
            if a.concerns:
                suitability += "\nConcerns: " + ", ".join(a.concerns)
            if a.suitability_notes:
                suitability += "\n" + a.suitability_notes
            where = "\n".join(
                x
                for x in (
                    ", ".join(x for x in (a.address, a.postcode) if x),
                    a.provider and f"Provider: {a.provider}",
                    a.placed_by and f"Placed by: {a.placed_by}",
                )
                if x
            )
            rows.append(
                [
                    f"{fmt_date(a.start_date)} to {fmt_date(a.end_date, 'now')}\n"
                    f"{plural(a.nights, 'night')}",
                    para(f"{a.code_903}: {a.type.label}", CELL_BOLD),
                    suitability,
                    where or "—",
                ]
            )
        story.append(
            data_table(
                ["Dates", "Type", "Suitability", "Address"],
                rows,
                [1.5, 2.2, 2.8, 2.6],
                width,
                highlight=[
                    i
                    for i, a in enumerate(data.accommodation)
                    if a.suitability is Suitability.UNSUITABLE
                ],
            )
        )
    else:
        story.append(none_recorded())

    story += _pathway(data, width)

    story += heading("Contacts")
    if data.contacts:
        story.append(para(f"{plural(len(data.contacts), 'contact')}, newest first.", SMALL))
        for c in data.contacts:
            line = [
                (fmt_date(c.contact_date), True),
                (f"  {c.kind.label} · {c.in_touch.label}", False),
                (" · seen at home" if c.seen_at_home else "", False),
                (f" · recorded by {c.recorded_by}" if c.recorded_by else "", False),
            ]
            rule = HRFlowable(width="100%", thickness=0.4, color=LINE, spaceAfter=3)
            head = rich(line, VALUE)
            note = para(c.note, VALUE) if c.note.strip() else para("No note.", SMALL)
            if len(c.note) < 1500:
                story.append(keep(rule, head, note))
            else:  # a long note splits across pages like any paragraph
                story += [CondPageBreak(30 * mm), rule, head, note]
            story.append(Spacer(1, 4))
    else:
        story.append(none_recorded())

    story += heading("Education, employment and training")
    if data.activities:
        story.append(
            data_table(
                ["From", "Activity", "Note"],
                [[fmt_date(a.start_date), a.activity.label, a.note] for a in data.activities],
                [1.3, 3.5, 4.5],
                width,
            )
        )
    else:
        story.append(none_recorded())

    story += heading("Care history and personal advisers")
    story += subheading("Care history")
    if data.care_periods:
        story.append(
            data_table(
                ["Period", "From", "To"],
                [
                    [p.what, fmt_date(p.start_date), fmt_date(p.end_date, "Continuing")]
                    for p in data.care_periods
                ],
                [4, 1.5, 1.5],
                width,
            )
        )
    else:
        story.append(none_recorded())
    story.append(Spacer(1, 6))
    story += subheading("Personal advisers")
    if data.allocations:
        story.append(
            data_table(
                ["Personal adviser", "From", "To"],
                [
                    [p.what, fmt_date(p.start_date), fmt_date(p.end_date, "Current")]
                    for p in data.allocations
                ],
                [4, 1.5, 1.5],
                width,
            )
        )
    else:
        story.append(none_recorded())

    story += _offer(data, width)
    return build_pdf(data.printed, story)


def _pathway(data: PersonSummaryDocument, width: float) -> list[Flowable]:
    out = heading("Pathway planning")
    p = data.pathway
    if p is None:
        return [*out, none_recorded()]
    due = p.due
    out.append(
        details(
            [
                ("Needs assessment", fmt_date(p.assessment_on, "Not done")),
                ("Plan started", fmt_date(p.plan_started_on, "No plan")),
                ("Plan written by", p.plan_author or "—"),
                ("Plan signed off", fmt_date(p.plan_signed_off_on, "Not signed off")),
                ("Last review", fmt_date(p.last_review_on, "None yet")),
                ("Review status", status_text(p.status) or "—"),
                (
                    "Next review due",
                    f"{fmt_date(due.due)}: {review_reason(due)}" if due else "No plan to review",
                ),
                (
                    "Next contact due",
                    f"{fmt_date(p.next_contact.due)}: {p.next_contact.reason}"
                    if p.next_contact
                    else "—",
                ),
                ("Planning flags", "; ".join(p.flags) or "None"),
            ],
            width,
        )
    )
    if p.milestones:
        out.append(Spacer(1, 6))
        out.append(
            data_table(
                ["Milestone", "Date", "What happens"],
                [
                    [f"{ordinal(m.age)} birthday", fmt_date(m.on), m.what]
                    for m in sorted(p.milestones, key=lambda m: m.on)
                ],
                [1.6, 1.4, 6],
                width,
            )
        )
    return out


def _offer(data: PersonSummaryDocument, width: float) -> list[Flowable]:
    out = heading("Local offer")
    if data.offer_balances:
        rows = []
        for b in data.offer_balances:
            note = b.ineligible_reason
            if b.over_by:
                note = f"Over the allowance by {b.describe(b.over_by)} (exception)"
            elif b.not_taken_up:
                note = "Not taken up"
            used = (
                b.describe(b.used)
                if b.allowance is not None
                else (plural(b.times_used, "time") if b.times_used else "Not yet")
            )
            rows.append(
                [
                    para(b.item.name, CELL_BOLD),
                    allowance_text(b.item),
                    used,
                    b.describe(b.pending) if b.allowance is not None else "",
                    remaining_text(b),
                    note,
                ]
            )
        out.append(
            data_table(
                ["Item", "Allowance", "Used", "Requested", "Remaining", "Note"],
                rows,
                [2.3, 1.9, 1.2, 1.3, 1.9, 1.6],
                width,
            )
        )
    else:
        out.append(none_recorded("No local-offer entitlements."))
    out += subheading("Ledger")
    if data.offer_ledger:
        out.append(
            data_table(
                ["Date", "Item", "Status", "Amount", "Note"],
                [
                    [
                        fmt_date(e.on),
                        e.item_name,
                        e.status.label + (f": {e.declined_reason}" if e.declined_reason else ""),
                        amount_text(e) if e.kind is not EntitlementKind.NON_FINANCIAL else "—",
                        e.note,
                    ]
                    for e in data.offer_ledger
                ],
                [1.2, 2.4, 1.8, 1.2, 3.2],
                width,
                align_right=[3],
            )
        )
    else:
        out.append(none_recorded("Nothing requested or paid yet."))
    return out
