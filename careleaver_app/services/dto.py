"""Frozen data the services hand out and take in: the UI and CLI never see an ORM object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    CareKind,
    ContactKind,
    InTouch,
    LeaverCategory,
    Role,
    Suitability,
    SuitabilityFactor,
)


@dataclass(frozen=True)
class TeamDTO:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class StaffDTO:
    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    team_name: str
    active: bool
    version: int = 0
    email: str = ""


@dataclass(frozen=True)
class MoveInput:
    """A new accommodation episode, as the 'Record a move' dialog or an import supplies it."""

    type: AccommodationType
    start_date: date
    suitability: Suitability
    concerns: frozenset[SuitabilityFactor] = frozenset()
    suitability_notes: str = ""
    address: str = ""
    postcode: str = ""
    provider: str = ""
    placed_by: str = ""
    end_date: date | None = None


@dataclass(frozen=True)
class EpisodeDTO:
    id: int
    type: AccommodationType
    suitability: Suitability
    start_date: date
    end_date: date | None
    nights: int
    address: str
    postcode: str
    provider: str
    placed_by: str
    concerns: frozenset[SuitabilityFactor]
    suitability_notes: str
    version: int
    opens_escalation: bool
    flags: tuple[str, ...]

    @property
    def code_903(self) -> str:
        return f"{self.type.value}{self.suitability.value}"


@dataclass(frozen=True)
class ContactInput:
    contact_date: date
    kind: ContactKind
    in_touch: InTouch = InTouch.YES
    seen_at_home: bool = False
    note: str = ""


@dataclass(frozen=True)
class ContactDTO:
    id: int
    contact_date: date
    kind: ContactKind
    in_touch: InTouch
    seen_at_home: bool
    note: str
    recorded_by: str


@dataclass(frozen=True)
class ActivityDTO:
    id: int
    activity: Activity
    start_date: date
    note: str


@dataclass(frozen=True)
class CarePeriodDTO:
    id: int
    kind: CareKind
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class AllocationDTO:
    staff_name: str
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class PersonRow:
    """One line of the caseload list."""

    id: int
    reference: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    age: int
    category: LeaverCategory
    pa_name: str
    team_name: str
    accommodation: str  # 903 code of the current episode, e.g. 'W2', or ''
    days_in_accommodation: int | None
    in_touch: InTouch | None
    closed: bool
    flags: tuple[str, ...]
    next_review_due: date | None = None
    review_overdue: bool = False

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class PersonPage:
    rows: tuple[PersonRow, ...]
    total: int
    total_exact: bool = True  # False: at least `total` match (a search counted up to a limit)


@dataclass(frozen=True)
class PersonRecord:
    """Everything the record holds, for the record view and `people show`."""

    id: int
    version: int
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
    team_id: int | None
    team_name: str
    pa_id: int | None
    pa_name: str
    category: LeaverCategory
    computed_category: LeaverCategory
    category_override_reason: str
    closed_on: date | None
    closed_reason: str
    retention_date: date
    episodes: tuple[EpisodeDTO, ...]
    contacts: tuple[ContactDTO, ...]
    activities: tuple[ActivityDTO, ...]
    care_periods: tuple[CarePeriodDTO, ...]
    allocations: tuple[AllocationDTO, ...]
    flags: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def current_episode(self) -> EpisodeDTO | None:
        open_now = [e for e in self.episodes if e.end_date is None]
        return open_now[-1] if open_now else None

    @property
    def current_activity(self) -> ActivityDTO | None:
        return self.activities[-1] if self.activities else None


@dataclass(frozen=True)
class Changes:
    """What a write did: the ids it created and what the user must be told at once."""

    entity_id: int
    version: int
    flags: tuple[str, ...] = ()
    needs_escalation: bool = False
