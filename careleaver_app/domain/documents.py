"""What each printed document holds: frozen data the printing service fills and reports render.

One class per document. Each carries who printed it and when (`Printed`) and the ids of the
young people it names (`person_ids`), so that every print can be audited per young person.
The housing liaison summary has no field for health, ethnicity, religion, immigration status
or case notes (DESIGN 3.6): nothing built from it can print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Union

from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    ContactKind,
    InTouch,
    LeaverCategory,
    Suitability,
)
from careleaver_app.domain.document_kinds import (  # re-exported with the documents
    PERSON_DOCUMENTS as PERSON_DOCUMENTS,
)
from careleaver_app.domain.document_kinds import DocumentKind as DocumentKind
from careleaver_app.domain.escalation import DecisionKind, Level
from careleaver_app.domain.offer import Balance, EntitlementKind, EntryStatus, OfferItem
from careleaver_app.domain.pathway import ContactDue, Milestone, ReviewDue, ReviewStatus


@dataclass(frozen=True, slots=True)
class Printed:
    """Who printed the document and when (local time), and the title on every page."""

    by: str
    at: datetime
    title: str


# -- young person summary (the whole record, for the file) -------------------------------------


@dataclass(frozen=True, slots=True)
class AccommodationLine:
    type: AccommodationType
    suitability: Suitability
    start_date: date
    end_date: date | None
    nights: int
    address: str = ""
    postcode: str = ""
    provider: str = ""
    placed_by: str = ""
    concerns: tuple[str, ...] = ()  # Schedule 2 factor labels judged a concern
    suitability_notes: str = ""
    flags: tuple[str, ...] = ()

    @property
    def code_903(self) -> str:
        return f"{self.type.value}{self.suitability.value}"


@dataclass(frozen=True, slots=True)
class ContactLine:
    contact_date: date
    kind: ContactKind
    in_touch: InTouch
    seen_at_home: bool
    note: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class ActivityLine:
    activity: Activity
    start_date: date
    note: str


@dataclass(frozen=True, slots=True)
class PeriodLine:
    """A care-history period or a PA allocation: what, from, to."""

    what: str
    start_date: date
    end_date: date | None


@dataclass(frozen=True, slots=True)
class PathwayLines:
    assessment_on: date | None
    plan_started_on: date | None
    plan_signed_off_on: date | None
    plan_author: str
    last_review_on: date | None
    due: ReviewDue | None
    status: ReviewStatus | None
    next_contact: ContactDue | None
    flags: tuple[str, ...]
    milestones: tuple[Milestone, ...]


@dataclass(frozen=True, slots=True)
class OfferLedgerLine:
    on: date
    item_name: str
    kind: EntitlementKind
    unit: str
    status: EntryStatus
    amount_pence: int | None
    quantity: Decimal | None
    declined_reason: str = ""
    note: str = ""  # staff note: printed on the file copy only, never on the statement


@dataclass(frozen=True, slots=True)
class PersonSummaryDocument:
    kind: ClassVar[DocumentKind] = DocumentKind.PERSON_SUMMARY

    printed: Printed
    person_ids: tuple[int, ...]
    as_of: date
    reference: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    age: int
    gender: str
    first_language: str
    interpreter_needed: bool
    uasc: bool
    pregnant_or_parenting: bool
    phone: str
    email: str
    contact_address: str
    housing_consent: bool
    requested_pa_support: bool
    detained_or_in_hospital_on_16th_birthday: bool
    housing_support_needs: str
    ethnicity: str
    religion: str
    immigration_status: str
    health_needs: str
    team_name: str
    pa_name: str
    category: LeaverCategory
    computed_category: LeaverCategory
    category_override_reason: str
    closed_on: date | None
    closed_reason: str
    retention_date: date
    flags: tuple[str, ...]
    accommodation: tuple[AccommodationLine, ...]  # newest first
    contacts: tuple[ContactLine, ...]  # newest first
    activities: tuple[ActivityLine, ...]  # newest first
    care_periods: tuple[PeriodLine, ...]
    allocations: tuple[PeriodLine, ...]
    pathway: PathwayLines | None
    offer_balances: tuple[Balance, ...]
    offer_not_taken_up: tuple[OfferItem, ...]
    offer_ledger: tuple[OfferLedgerLine, ...]  # newest first

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# -- housing liaison summary (DESIGN 3.6 fields only) -------------------------------------------


@dataclass(frozen=True, slots=True)
class HousingPlacement:
    type: AccommodationType
    suitability: Suitability
    start_date: date
    end_date: date | None
    nights: int

    @property
    def code_903(self) -> str:
        return f"{self.type.value}{self.suitability.value}"


@dataclass(frozen=True, slots=True)
class HousingEscalationLine:
    level: Level
    nights: int
    type: AccommodationType


@dataclass(frozen=True, slots=True)
class HousingSummaryDocument:
    """Name, date of birth and age, contact details, accommodation, housing support needs, PA
    contact and open escalation status. Nothing else: see the module docstring."""

    kind: ClassVar[DocumentKind] = DocumentKind.HOUSING_SUMMARY

    printed: Printed
    person_ids: tuple[int, ...]
    as_of: date
    reference: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    age: int
    phone: str
    email: str
    contact_address: str
    accommodation: tuple[HousingPlacement, ...]  # newest first
    housing_support_needs: str
    pa_name: str
    pa_email: str
    team_name: str
    open_escalations: tuple[HousingEscalationLine, ...]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# -- escalation report -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EscalationLine:
    person_id: int
    reference: str
    name: str
    age: int
    pa_name: str
    team_name: str
    type: AccommodationType
    suitability: Suitability
    start_date: date
    nights: int
    level: Level
    last_decision: DecisionKind | None
    last_decision_on: date | None
    next_check_on: date | None
    check_overdue: bool
    ready_to_resolve: bool = False

    @property
    def code_903(self) -> str:
        return f"{self.type.value}{self.suitability.value}"


@dataclass(frozen=True, slots=True)
class EscalationReportDocument:
    kind: ClassVar[DocumentKind] = DocumentKind.ESCALATIONS

    printed: Printed
    person_ids: tuple[int, ...]
    as_of: date
    scope: str  # "North Team", "All teams"
    rows: tuple[EscalationLine, ...]  # most urgent first


# -- caseload report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseloadLine:
    person_id: int
    reference: str
    name: str
    preferred_name: str
    age: int
    category: LeaverCategory
    pa_name: str
    accommodation: str  # 903 code of the current episode, or ""
    days_in_accommodation: int | None
    in_touch: InTouch | None
    next_review_due: date | None
    review_overdue: bool
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CaseloadReportDocument:
    kind: ClassVar[DocumentKind] = DocumentKind.CASELOAD

    printed: Printed
    person_ids: tuple[int, ...]
    as_of: date
    scope: str  # "Caseload of Alex Adviser", "North Team", "All teams"
    rows: tuple[CaseloadLine, ...]


# -- pathway review schedule -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewLine:
    person_id: int
    reference: str
    name: str
    pa_name: str
    due: ReviewDue | None  # None: no plan yet (listed for its planning flags)
    status: ReviewStatus | None
    last_review_on: date | None
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReviewScheduleDocument:
    kind: ClassVar[DocumentKind] = DocumentKind.REVIEW_SCHEDULE

    printed: Printed
    person_ids: tuple[int, ...]
    as_of: date
    scope: str
    rows: tuple[ReviewLine, ...]  # overdue first, then due soon, then planning flags


# -- local offer statement (addressed to the young person) -------------------------------------


@dataclass(frozen=True, slots=True)
class OfferStatementDocument:
    kind: ClassVar[DocumentKind] = DocumentKind.OFFER_STATEMENT

    printed: Printed
    person_ids: tuple[int, ...]
    as_of: date
    reference: str
    name: str
    addressed_to: str  # the name we greet them by: preferred name, else first name
    category: LeaverCategory
    pa_name: str
    pa_email: str
    balances: tuple[Balance, ...]  # eligible items and any already used, catalogue order
    not_taken_up: tuple[OfferItem, ...]
    history: tuple[OfferLedgerLine, ...]  # newest first; notes left empty


DocumentData = Union[  # noqa: UP007 -- a runtime alias others import and isinstance-check
    PersonSummaryDocument,
    HousingSummaryDocument,
    EscalationReportDocument,
    CaseloadReportDocument,
    ReviewScheduleDocument,
    OfferStatementDocument,
]

DOCUMENT_TYPES: dict[DocumentKind, type] = {
    DocumentKind.PERSON_SUMMARY: PersonSummaryDocument,
    DocumentKind.HOUSING_SUMMARY: HousingSummaryDocument,
    DocumentKind.ESCALATIONS: EscalationReportDocument,
    DocumentKind.CASELOAD: CaseloadReportDocument,
    DocumentKind.REVIEW_SCHEDULE: ReviewScheduleDocument,
    DocumentKind.OFFER_STATEMENT: OfferStatementDocument,
}
