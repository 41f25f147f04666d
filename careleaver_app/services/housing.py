"""The housing liaison view: only the fields DESIGN 3.6 allows, only for those who consented.

Housing liaison officers see nothing else of a young person. The DTO below has no field for
health, ethnicity, religion, immigration status or case notes, so no screen or document built
from it can leak them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import StaffMember, Team, YoungPerson
from careleaver_app.domain.codes import AccommodationType, Suitability
from careleaver_app.domain.dates import age_on
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.domain.escalation import Level, nights
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.escalations import open_for_person
from careleaver_app.services.permissions import Action, Scope, scope_for


@dataclass(frozen=True)
class HousingEpisode:
    type: AccommodationType
    suitability: Suitability
    start_date: date
    end_date: date | None
    nights: int


@dataclass(frozen=True)
class HousingEscalation:
    level: Level
    nights: int
    type: AccommodationType


@dataclass(frozen=True)
class HousingSummary:
    """DESIGN 3.6: name, date of birth and age, contact details, accommodation, housing support
    needs, PA contact, open escalation status. Nothing else."""

    person_id: int
    reference: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    age: int
    phone: str
    email: str
    contact_address: str
    accommodation: tuple[HousingEpisode, ...]  # newest first
    housing_support_needs: str
    pa_name: str
    pa_email: str
    team_name: str
    open_escalations: tuple[HousingEscalation, ...]
    as_of: date

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class HousingListRow:
    person_id: int
    reference: str
    name: str
    date_of_birth: date
    accommodation: str  # 903 code of the current episode, or ""
    escalation_open: bool


NO_CONSENT = (
    "This young person has not agreed to share their information with housing, so no housing "
    "summary can be shown or printed for them."
)


class Housing:
    def __init__(self, db: Database, today: Clock) -> None:
        self.db = db
        self.today = today

    def summary(
        self, actor: Actor, person_id: int, *, printing: bool = False, as_of: date | None = None
    ) -> HousingSummary:
        """The summary for a young person who consented; PermissionDenied otherwise. Audited."""
        action = Action.PRINT_HOUSING_SUMMARY if printing else Action.VIEW_HOUSING_SUMMARY
        on = as_of or self.today()
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, action)
            if not person.housing_consent:
                audit.record(
                    session,
                    actor,
                    "refused",
                    "young_person",
                    person.id,
                    detail="no housing consent",
                )
                refused = True
            else:
                refused = False
                summary = _summary(session, person, on)
                audit.record(
                    session,
                    actor,
                    "view",
                    "young_person",
                    person.id,
                    detail="housing summary",
                )
        if refused:
            raise PermissionDenied(NO_CONSENT)
        return summary

    def consenting(self, actor: Actor, search: str = "") -> list[HousingListRow]:
        """The young people of the actor's team who consented to share with housing."""
        scope = scope_for(actor, Action.VIEW_HOUSING_SUMMARY)
        if scope is None:
            raise PermissionDenied(
                f"{actor.role.label} '{actor.username}' may not see housing summaries"
            )
        with self.db.transaction(write=False) as session:
            query = select(YoungPerson).where(
                YoungPerson.housing_consent, YoungPerson.closed_on.is_(None)
            )
            if scope is not Scope.ALL:
                query = query.where(YoungPerson.team_id == actor.team_id)
            tokens = search.split()
            if tokens:
                query = query.where(repo.search_condition(tokens, use_index=False))
            query = query.order_by(YoungPerson.last_name, YoungPerson.first_name).limit(500)
            people = list(session.scalars(query))
            escalated = repo.with_open_escalations(session, [p.id for p in people])
            return [
                HousingListRow(
                    p.id,
                    p.reference,
                    f"{p.first_name} {p.last_name}",
                    p.date_of_birth,
                    p.accommodation_code,
                    p.id in escalated,
                )
                for p in people
            ]


def _summary(session: Session, person: YoungPerson, on: date) -> HousingSummary:
    pa = session.get(StaffMember, person.pa_id) if person.pa_id else None
    team = session.get(Team, person.team_id) if person.team_id else None
    episodes = sorted(repo.live_episodes(session, person.id), key=lambda e: e.start_date)
    return HousingSummary(
        person_id=person.id,
        reference=person.reference,
        first_name=person.first_name,
        last_name=person.last_name,
        preferred_name=person.preferred_name,
        date_of_birth=person.date_of_birth,
        age=age_on(person.date_of_birth, max(on, person.date_of_birth)),
        phone=person.phone,
        email=person.email,
        contact_address=person.contact_address,
        accommodation=tuple(
            HousingEpisode(
                AccommodationType(e.type_code),
                Suitability(e.suitability),
                e.start_date,
                e.end_date,
                nights(e.start_date, e.end_date, on),
            )
            for e in reversed(episodes)
        ),
        housing_support_needs=person.housing_support_needs,
        pa_name=pa.display_name if pa else "",
        pa_email=pa.email if pa else "",
        team_name=team.name if team else "",
        open_escalations=tuple(
            HousingEscalation(row.level, row.nights, row.type)
            for row in open_for_person(session, person.id, on)
        ),
        as_of=on,
    )
