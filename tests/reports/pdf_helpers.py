"""Reading PDFs back (pypdf) and small sample documents for the report tests."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    ContactKind,
    InTouch,
    LeaverCategory,
    Suitability,
)
from careleaver_app.domain.documents import (
    AccommodationLine,
    ActivityLine,
    CaseloadLine,
    CaseloadReportDocument,
    ContactLine,
    DocumentData,
    EscalationLine,
    EscalationReportDocument,
    HousingEscalationLine,
    HousingPlacement,
    HousingSummaryDocument,
    OfferLedgerLine,
    OfferStatementDocument,
    PathwayLines,
    PeriodLine,
    PersonSummaryDocument,
    Printed,
    ReviewLine,
    ReviewScheduleDocument,
)
from careleaver_app.domain.escalation import DecisionKind, Level
from careleaver_app.domain.offer import (
    Balance,
    EntitlementKind,
    EntryStatus,
    OfferCategory,
    OfferItem,
)
from careleaver_app.domain.pathway import (
    ContactDue,
    ReviewDue,
    ReviewStatus,
    Trigger,
    TriggerKind,
    milestones,
)
from careleaver_app.reports.text import register_fonts

AS_OF = date(2026, 11, 26)
PRINTED_AT = datetime(2026, 11, 26, 9, 30)
PRINTED_BY = "Alex Adviser"
PRINTED_LINE = "Printed by Alex Adviser on 26/11/2026 09:30"


def printed(title: str) -> Printed:
    return Printed(by=PRINTED_BY, at=PRINTED_AT, title=title)


# -- reading back ------------------------------------------------------------------------------


def pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return "\n".join(pages(pdf))


def flat(pdf: bytes) -> str:
    """All the text with line breaks as spaces (table cells wrap where the column ends)."""
    return " ".join(text(pdf).split())


def font_names(pdf: bytes) -> set[str]:
    """BaseFont of every font the pages use, e.g. 'AAAAAA+DejaVuSans'."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return found


@dataclass(frozen=True)
class Run:
    page: int
    x: float
    right: float
    text: str


_REGISTERED = {
    "DejaVuSans": "DejaVuSans",
    "DejaVuSans-Bold": "DejaVuSans-Bold",
    "NotoSansEthiopic-Regular": "NotoSansEthiopic",
    "NotoSansEthiopic-Bold": "NotoSansEthiopic-Bold",
}


def text_runs(pdf: bytes) -> list[Run]:
    """Every run of text drawn, with where it starts and ends across the page (in points)."""
    register_fonts()
    out: list[Run] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(shown, cm, tm, font, size, number=number):  # type: ignore[no-untyped-def]
            shown = shown.rstrip()
            if not shown.strip() or not font:
                return
            base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            scale = tm[0] * cm[0]
            width = stringWidth(shown, _REGISTERED[base], size) * scale
            out.append(Run(number, x, x + width, shown))

        page.extract_text(visitor_text=visit)
    return out


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


# -- sample documents --------------------------------------------------------------------------

SECRET_HEALTH = "Sentinelhealth"
SECRET_NOTE = "Sentinelcasenote"


def housing_document(**changes: object) -> HousingSummaryDocument:
    doc = HousingSummaryDocument(
        printed=printed("Housing liaison summary: Zoë Nguyễn"),
        person_ids=(7,),
        as_of=AS_OF,
        reference="H-7",
        first_name="Zoë",
        last_name="Nguyễn",
        preferred_name="Zo",
        date_of_birth=date(2006, 3, 4),
        age=20,
        phone="07700 900123",
        email="zoe@example.org",
        contact_address="Flat 2, 1 Example Road\nExampletown EX1 2AB",
        accommodation=(
            HousingPlacement(
                AccommodationType.BED_AND_BREAKFAST,
                Suitability.UNSUITABLE,
                date(2026, 11, 20),
                None,
                6,
            ),
            HousingPlacement(
                AccommodationType.SEMI_INDEPENDENT,
                Suitability.SUITABLE,
                date(2025, 1, 3),
                date(2026, 11, 20),
                686,
            ),
        ),
        housing_support_needs="Needs a ground-floor flat near the college.",
        pa_name="Alex Adviser",
        pa_email="alex@example.gov.uk",
        team_name="North Team",
        open_escalations=(
            HousingEscalationLine(Level.HEAD_OF_SERVICE, 6, AccommodationType.BED_AND_BREAKFAST),
        ),
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def _item(item_id: int, name: str, kind: EntitlementKind, **kw: object) -> OfferItem:
    return OfferItem(name=name, category=OfferCategory.MONEY, kind=kind, id=item_id, **kw)  # type: ignore[arg-type]


SETTING_UP = _item(1, "Setting-up-home allowance", EntitlementKind.LIFETIME, amount_pence=300000)
LEISURE = _item(
    2, "Leisure funding", EntitlementKind.PER_MONTH, amount_pence=2000, description="Gym, clubs"
)
INTERPRETER = _item(3, "Interpreter / translated material", EntitlementKind.NON_FINANCIAL)


def _balance(item: OfferItem, used: int, pending: int = 0) -> Balance:
    allowance = item.amount_pence
    return Balance(
        item=item,
        on=AS_OF,
        period=None,
        allowance=allowance,
        used=used,
        pending=pending,
        remaining=None if allowance is None else max(allowance - used - pending, 0),
        over_by=0,
        times_used=1 if used or pending else 0,
        eligible=True,
    )


BALANCES = (_balance(SETTING_UP, 120000, 30000), _balance(LEISURE, 0), _balance(INTERPRETER, 0))
LEDGER = (
    OfferLedgerLine(
        date(2026, 10, 2),
        "Setting-up-home allowance",
        EntitlementKind.LIFETIME,
        "",
        EntryStatus.REQUESTED,
        30000,
        None,
        note="Staffnote cooker",
    ),
    OfferLedgerLine(
        date(2026, 9, 1),
        "Setting-up-home allowance",
        EntitlementKind.LIFETIME,
        "",
        EntryStatus.PAID,
        120000,
        None,
        note="Staffnote bed and sofa",
    ),
    OfferLedgerLine(
        date(2026, 8, 1),
        "Driving lessons",
        EntitlementKind.QUANTITY,
        "hours",
        EntryStatus.DECLINED,
        None,
        Decimal(2),
        declined_reason="Not yet 17",
    ),
)


def offer_document(**changes: object) -> OfferStatementDocument:
    doc = OfferStatementDocument(
        printed=printed("Local offer statement: Zoë Nguyễn"),
        person_ids=(7,),
        as_of=AS_OF,
        reference="H-7",
        name="Zoë Nguyễn",
        addressed_to="Zo",
        category=LeaverCategory.FORMER_RELEVANT,
        pa_name="Alex Adviser",
        pa_email="alex@example.gov.uk",
        balances=BALANCES,
        not_taken_up=(LEISURE, INTERPRETER),
        history=tuple(replace(line, note="") for line in LEDGER),
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def person_document(**changes: object) -> PersonSummaryDocument:
    dob = date(2006, 3, 4)
    doc = PersonSummaryDocument(
        printed=printed("Young person summary: Zoë Nguyễn"),
        person_ids=(7,),
        as_of=AS_OF,
        reference="H-7",
        first_name="Zoë",
        last_name="Nguyễn",
        preferred_name="Zo",
        date_of_birth=dob,
        age=20,
        gender="Female",
        first_language="Vietnamese",
        interpreter_needed=True,
        uasc=False,
        pregnant_or_parenting=False,
        phone="07700 900123",
        email="zoe@example.org",
        contact_address="Flat 2, 1 Example Road",
        housing_consent=True,
        requested_pa_support=True,
        detained_or_in_hospital_on_16th_birthday=False,
        housing_support_needs="Needs a ground-floor flat.",
        ethnicity="Sentinelethnicity",
        religion="Sentinelreligion",
        immigration_status="Sentinelimmigration",
        health_needs=SECRET_HEALTH,
        team_name="North Team",
        pa_name="Alex Adviser",
        category=LeaverCategory.FORMER_RELEVANT,
        computed_category=LeaverCategory.FORMER_RELEVANT,
        category_override_reason="",
        closed_on=None,
        closed_reason="",
        retention_date=date(2081, 3, 4),
        flags=("Escalation open", "In B&B"),
        accommodation=(
            AccommodationLine(
                AccommodationType.BED_AND_BREAKFAST,
                Suitability.UNSUITABLE,
                date(2026, 11, 20),
                None,
                6,
                address="Seaview B&B, 3 Pier Road",
                provider="Seaview Ltd",
                concerns=("Safety",),
                suitability_notes="Shared bathroom with adults",
            ),
        ),
        contacts=(
            ContactLine(
                date(2026, 11, 21),
                ContactKind.VISIT,
                InTouch.YES,
                False,
                SECRET_NOTE + " visited at the B&B",
                "Alex Adviser",
            ),
        ),
        activities=(ActivityLine(Activity.FULL_TIME_OTHER_EDUCATION, date(2025, 9, 1), "College"),),
        care_periods=(PeriodLine("Looked after", date(2020, 1, 1), date(2024, 3, 4)),),
        allocations=(PeriodLine("Alex Adviser", date(2024, 3, 4), None),),
        pathway=PathwayLines(
            assessment_on=date(2022, 5, 1),
            plan_started_on=date(2022, 7, 1),
            plan_signed_off_on=date(2022, 7, 20),
            plan_author="Alex Adviser",
            last_review_on=date(2026, 6, 1),
            due=ReviewDue(date(2026, 12, 18), Trigger(date(2026, 11, 20), TriggerKind.MOVE)),
            status=ReviewStatus.DUE_SOON,
            next_contact=ContactDue(date(2026, 11, 27), "visit after the move"),
            flags=(),
            milestones=tuple(milestones(dob)),
        ),
        offer_balances=BALANCES,
        offer_not_taken_up=(LEISURE, INTERPRETER),
        offer_ledger=LEDGER,
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def escalation_line(index: int, **changes: object) -> EscalationLine:
    line = EscalationLine(
        person_id=index,
        reference=f"E-{index}",
        name=f"Person{index} Example",
        age=19,
        pa_name="Alex Adviser",
        team_name="North Team",
        type=AccommodationType.BED_AND_BREAKFAST,
        suitability=Suitability.UNSUITABLE,
        start_date=date(2026, 11, 10),
        nights=16,
        level=Level.DIRECTOR,
        last_decision=DecisionKind.ACTION_AGREED,
        last_decision_on=date(2026, 11, 12),
        next_check_on=date(2026, 11, 20),
        check_overdue=True,
    )
    return replace(line, **changes)  # type: ignore[arg-type]


def escalation_document(rows: tuple[EscalationLine, ...] | None = None) -> EscalationReportDocument:
    rows = rows or (
        escalation_line(1),
        escalation_line(
            2,
            type=AccommodationType.EMERGENCY,
            level=Level.TEAM_MANAGER,
            nights=1,
            last_decision=None,
            last_decision_on=None,
            next_check_on=None,
            check_overdue=False,
        ),
    )
    return EscalationReportDocument(
        printed=printed("Escalation report: North Team"),
        person_ids=tuple(r.person_id for r in rows),
        as_of=AS_OF,
        scope="North Team",
        rows=rows,
    )


def caseload_line(index: int, **changes: object) -> CaseloadLine:
    line = CaseloadLine(
        person_id=index,
        reference=f"CL{index:07d}",
        name=f"Person{index} Surname{index}",
        preferred_name="",
        age=16 + index % 9,
        category=LeaverCategory.FORMER_RELEVANT,
        pa_name="Alex Adviser",
        accommodation="W2" if index % 10 == 0 else "U1",
        days_in_accommodation=index % 400,
        in_touch=InTouch.YES if index % 7 else InTouch.NO,
        next_review_due=date(2027, 1, 1),
        review_overdue=index % 5 == 0,
        flags=("Escalation open", "In B&B") if index % 10 == 0 else (),
    )
    return replace(line, **changes)  # type: ignore[arg-type]


def caseload_document(count: int = 3, **changes: object) -> CaseloadReportDocument:
    rows = tuple(caseload_line(i) for i in range(1, count + 1))
    doc = CaseloadReportDocument(
        printed=printed("Caseload report: Caseload of Alex Adviser"),
        person_ids=tuple(r.person_id for r in rows),
        as_of=AS_OF,
        scope="Caseload of Alex Adviser",
        rows=rows,
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def review_document() -> ReviewScheduleDocument:
    rows = (
        ReviewLine(
            1,
            "R-1",
            "Olu Overdue",
            "Alex Adviser",
            ReviewDue(date(2026, 7, 1), None),
            ReviewStatus.OVERDUE,
            date(2026, 1, 1),
            (),
        ),
        ReviewLine(
            2,
            "R-2",
            "Sam Soon",
            "Alex Adviser",
            ReviewDue(date(2026, 12, 10), Trigger(date(2026, 11, 12), TriggerKind.NEET)),
            ReviewStatus.DUE_SOON,
            date(2026, 6, 10),
            (),
        ),
        ReviewLine(3, "R-3", "Fay Flagged", "", None, None, None, ("Needs assessment overdue",)),
    )
    return ReviewScheduleDocument(
        printed=printed("Pathway review schedule: North Team"),
        person_ids=(1, 2, 3),
        as_of=AS_OF,
        scope="North Team",
        rows=rows,
    )


def every_document() -> list[DocumentData]:
    return [
        person_document(),
        housing_document(),
        escalation_document(),
        caseload_document(),
        review_document(),
        offer_document(),
    ]
