"""Printing: gathers a document's data through the services that own it (and their permission
checks), and audits each preview, print and save once per young person it names.

The PDF itself is made by careleaver_app.reports from the data returned here; the UI does that
off the GUI thread and the CLI does it in line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from careleaver_app.db.models import StaffMember, Team, YoungPerson
from careleaver_app.domain.codes import CareKind, Role
from careleaver_app.domain.documents import (
    AccommodationLine,
    ActivityLine,
    CaseloadLine,
    CaseloadReportDocument,
    ContactLine,
    DocumentData,
    DocumentKind,
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
from careleaver_app.domain.errors import FieldProblem, PermissionDenied, ValidationError
from careleaver_app.domain.pathway import ReviewStatus
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.escalations import Escalations
from careleaver_app.services.housing import Housing
from careleaver_app.services.offer import LedgerRow, Offer
from careleaver_app.services.pathway import Pathway
from careleaver_app.services.people import CaseloadScope, People, PeopleQuery
from careleaver_app.services.permissions import Action, Scope, require, scope_for

OUTPUTS = {"preview": "preview", "print": "print", "save": "export"}  # how -> audit action

CARE_KIND_LABELS = {
    CareKind.LOOKED_AFTER: "Looked after",
    CareKind.ACCOMMODATED: "Accommodated (not looked after)",
    CareKind.SPECIAL_GUARDIANSHIP: "Special guardianship order",
}


@dataclass(frozen=True)
class DocumentRequest:
    kind: DocumentKind
    person_id: int | None = None
    team_id: int | None = None  # for team documents: a manager's own team, any for an admin
    as_of: date | None = None


def local_now() -> datetime:
    return datetime.now().astimezone()


class Printing:
    def __init__(self, db: Database, today: Clock, now: Callable[[], datetime] = local_now) -> None:
        self.db = db
        self.today = today
        self.now = now
        self._people = People(db, today)
        self._housing = Housing(db, today)
        self._escalations = Escalations(db, today)
        self._pathway = Pathway(db, today)
        self._offer = Offer(db, today)

    # -- gathering the data -------------------------------------------------------------------

    def prepare(self, actor: Actor, request: DocumentRequest) -> DocumentData:
        """The data of one document, loaded with the permission checks its data needs.

        PermissionDenied when the actor may not see it (a housing summary also needs the young
        person's consent); ValidationError when a one-person document names nobody.
        """
        kind = DocumentKind(request.kind)
        on = request.as_of or self.today()
        if kind.needs_person and request.person_id is None:
            raise ValidationError(
                FieldProblem("person", f"choose the young person for the {kind.label.lower()}")
            )
        if kind is DocumentKind.PERSON_SUMMARY:
            assert request.person_id is not None
            return self._person_summary(actor, request.person_id, on)
        if kind is DocumentKind.HOUSING_SUMMARY:
            assert request.person_id is not None
            return self._housing_summary(actor, request.person_id, on)
        if kind is DocumentKind.OFFER_STATEMENT:
            assert request.person_id is not None
            return self._offer_statement(actor, request.person_id, on)
        if kind is DocumentKind.ESCALATIONS:
            return self._escalation_report(actor, request.team_id, on)
        if kind is DocumentKind.CASELOAD:
            return self._caseload(actor, request.team_id, on)
        return self._review_schedule(actor, request.team_id, on)

    def _printed(self, actor: Actor, title: str) -> Printed:
        return Printed(by=actor.display_name or actor.username, at=self.now(), title=title)

    def _person_summary(self, actor: Actor, person_id: int, on: date) -> PersonSummaryDocument:
        record = self._people.get(actor, person_id)  # checks VIEW_PERSON; audits the view
        pathway = self._pathway.summary(actor, person_id, as_of=on)
        offer = self._offer.statement(actor, person_id, on=on)
        return PersonSummaryDocument(
            printed=self._printed(actor, f"{DocumentKind.PERSON_SUMMARY.label}: {record.name}"),
            person_ids=(record.id,),
            as_of=on,
            reference=record.reference,
            first_name=record.first_name,
            last_name=record.last_name,
            preferred_name=record.preferred_name,
            date_of_birth=record.date_of_birth,
            age=record.age,
            gender=record.gender,
            first_language=record.first_language,
            interpreter_needed=record.interpreter_needed,
            uasc=record.uasc,
            pregnant_or_parenting=record.pregnant_or_parenting,
            phone=record.phone,
            email=record.email,
            contact_address=record.contact_address,
            housing_consent=record.housing_consent,
            requested_pa_support=record.requested_pa_support,
            detained_or_in_hospital_on_16th_birthday=(
                record.detained_or_in_hospital_on_16th_birthday
            ),
            housing_support_needs=record.housing_support_needs,
            ethnicity=record.ethnicity,
            religion=record.religion,
            immigration_status=record.immigration_status,
            health_needs=record.health_needs,
            team_name=record.team_name,
            pa_name=record.pa_name,
            category=record.category,
            computed_category=record.computed_category,
            category_override_reason=record.category_override_reason,
            closed_on=record.closed_on,
            closed_reason=record.closed_reason,
            retention_date=record.retention_date,
            flags=record.flags,
            accommodation=tuple(
                AccommodationLine(
                    type=e.type,
                    suitability=e.suitability,
                    start_date=e.start_date,
                    end_date=e.end_date,
                    nights=e.nights,
                    address=e.address,
                    postcode=e.postcode,
                    provider=e.provider,
                    placed_by=e.placed_by,
                    concerns=tuple(sorted(f.label for f in e.concerns)),
                    suitability_notes=e.suitability_notes,
                    flags=e.flags,
                )
                for e in reversed(record.episodes)
            ),
            contacts=tuple(
                ContactLine(
                    c.contact_date, c.kind, c.in_touch, c.seen_at_home, c.note, c.recorded_by
                )
                for c in reversed(record.contacts)
            ),
            activities=tuple(
                ActivityLine(a.activity, a.start_date, a.note) for a in reversed(record.activities)
            ),
            care_periods=tuple(
                PeriodLine(CARE_KIND_LABELS.get(p.kind, p.kind.value), p.start_date, p.end_date)
                for p in record.care_periods
            ),
            allocations=tuple(
                PeriodLine(a.staff_name, a.start_date, a.end_date) for a in record.allocations
            ),
            pathway=PathwayLines(
                assessment_on=pathway.assessment_on,
                plan_started_on=pathway.plan_started_on,
                plan_signed_off_on=pathway.plan_signed_off_on,
                plan_author=pathway.plan_author,
                last_review_on=pathway.last_review_on,
                due=pathway.due,
                status=pathway.status,
                next_contact=pathway.next_contact,
                flags=pathway.flags,
                milestones=pathway.milestones,
            ),
            offer_balances=offer.balances,
            offer_not_taken_up=offer.not_taken_up,
            offer_ledger=tuple(_ledger_line(e, with_note=True) for e in offer.entries),
        )

    def _housing_summary(self, actor: Actor, person_id: int, on: date) -> HousingSummaryDocument:
        # Housing.summary checks PRINT_HOUSING_SUMMARY and the consent, and audits either way.
        s = self._housing.summary(actor, person_id, printing=True, as_of=on)
        return HousingSummaryDocument(
            printed=self._printed(actor, f"{DocumentKind.HOUSING_SUMMARY.label}: {s.name}"),
            person_ids=(s.person_id,),
            as_of=s.as_of,
            reference=s.reference,
            first_name=s.first_name,
            last_name=s.last_name,
            preferred_name=s.preferred_name,
            date_of_birth=s.date_of_birth,
            age=s.age,
            phone=s.phone,
            email=s.email,
            contact_address=s.contact_address,
            accommodation=tuple(
                HousingPlacement(e.type, e.suitability, e.start_date, e.end_date, e.nights)
                for e in s.accommodation
            ),
            housing_support_needs=s.housing_support_needs,
            pa_name=s.pa_name,
            pa_email=s.pa_email,
            team_name=s.team_name,
            open_escalations=tuple(
                HousingEscalationLine(e.level, e.nights, e.type) for e in s.open_escalations
            ),
        )

    def _offer_statement(self, actor: Actor, person_id: int, on: date) -> OfferStatementDocument:
        with self.db.transaction(write=False) as session:
            person = person_for(session, actor, person_id, Action.VIEW_PERSON)
            addressed_to = person.preferred_name.strip() or person.first_name
            pa = session.get(StaffMember, person.pa_id) if person.pa_id else None
            pa_name, pa_email = (pa.display_name, pa.email) if pa else ("", "")
        statement = self._offer.statement(actor, person_id, on=on)  # audits the view
        return OfferStatementDocument(
            printed=self._printed(actor, f"{DocumentKind.OFFER_STATEMENT.label}: {statement.name}"),
            person_ids=(statement.person_id,),
            as_of=statement.on,
            reference=statement.reference,
            name=statement.name,
            addressed_to=addressed_to,
            category=statement.category,
            pa_name=pa_name,
            pa_email=pa_email,
            balances=statement.balances,
            not_taken_up=statement.not_taken_up,
            # Written to the young person: staff notes and exception reasons stay off it.
            history=tuple(_ledger_line(e, with_note=False) for e in statement.entries),
        )

    def _escalation_report(
        self, actor: Actor, team_id: int | None, on: date
    ) -> EscalationReportDocument:
        require(actor, Action.VIEW_ESCALATIONS, team_id=actor.team_id, pa_id=actor.id)
        team_id, scope = self._team_scope(actor, Action.VIEW_ESCALATIONS, team_id)
        rows = self._escalations.queue(actor, as_of=on, team_id=team_id)
        return EscalationReportDocument(
            printed=self._printed(actor, f"{DocumentKind.ESCALATIONS.label}: {scope}"),
            person_ids=_unique(r.person_id for r in rows),
            as_of=on,
            scope=scope,
            rows=tuple(
                EscalationLine(
                    person_id=r.person_id,
                    reference=r.reference,
                    name=r.name,
                    age=r.age,
                    pa_name=r.pa_name,
                    team_name=r.team_name,
                    type=r.type,
                    suitability=r.suitability,
                    start_date=r.start_date,
                    nights=r.nights,
                    level=r.level,
                    last_decision=r.last_decision,
                    last_decision_on=r.last_decision_on,
                    next_check_on=r.next_check_on,
                    check_overdue=r.check_overdue,
                    ready_to_resolve=r.ready_to_resolve,
                )
                for r in rows
            ),
        )

    def _caseload(self, actor: Actor, team_id: int | None, on: date) -> CaseloadReportDocument:
        """A PA's own caseload, or a team's (a manager's own, any for an administrator)."""
        require(actor, Action.LIST_PEOPLE, team_id=actor.team_id, pa_id=actor.id)
        only: set[int] | None = None
        if team_id is None and actor.role is Role.PERSONAL_ADVISER:
            query_scope, scope = CaseloadScope.MINE, f"Caseload of {actor.display_name}"
        else:
            team_id, scope = self._team_scope(actor, Action.LIST_PEOPLE, team_id)
            query_scope = CaseloadScope.EVERYONE if team_id is None else CaseloadScope.TEAM
            if team_id is not None and team_id != actor.team_id:  # an administrator's choice
                query_scope, only = CaseloadScope.EVERYONE, self._team_members(team_id)
        page = self._people.list(actor, PeopleQuery(scope=query_scope, limit=None))
        rows = [r for r in page.rows if only is None or r.id in only]
        return CaseloadReportDocument(
            printed=self._printed(actor, f"{DocumentKind.CASELOAD.label}: {scope}"),
            person_ids=tuple(r.id for r in rows),
            as_of=on,
            scope=scope,
            rows=tuple(
                CaseloadLine(
                    person_id=r.id,
                    reference=r.reference,
                    name=r.name,
                    preferred_name=r.preferred_name,
                    age=r.age,
                    category=r.category,
                    pa_name=r.pa_name,
                    accommodation=r.accommodation,
                    days_in_accommodation=r.days_in_accommodation,
                    in_touch=r.in_touch,
                    next_review_due=r.next_review_due,
                    review_overdue=r.review_overdue,
                    flags=r.flags,
                )
                for r in rows
            ),
        )

    def _review_schedule(
        self, actor: Actor, team_id: int | None, on: date
    ) -> ReviewScheduleDocument:
        """Due and overdue reviews (and planning flags): a PA's own caseload, or a team's."""
        require(actor, Action.LIST_PEOPLE, team_id=actor.team_id, pa_id=actor.id)
        only: set[int] | None = None
        if team_id is None and actor.role is Role.PERSONAL_ADVISER:
            scope, only = f"Caseload of {actor.display_name}", self._caseload_of(actor.id)
        else:
            team_id, scope = self._team_scope(actor, Action.LIST_PEOPLE, team_id)
        summaries = self._pathway.due_list(actor, as_of=on, team_id=team_id)
        order = {ReviewStatus.OVERDUE: 0, ReviewStatus.DUE_SOON: 1}
        wanted = [
            s
            for s in summaries
            if (only is None or s.person_id in only) and (s.status in order or s.flags)
        ]
        wanted.sort(
            key=lambda s: (
                order.get(s.status, 2) if s.status else 2,
                s.due.due if s.due else date.max,
                s.name,
            )
        )
        return ReviewScheduleDocument(
            printed=self._printed(actor, f"{DocumentKind.REVIEW_SCHEDULE.label}: {scope}"),
            person_ids=tuple(s.person_id for s in wanted),
            as_of=on,
            scope=scope,
            rows=tuple(
                ReviewLine(
                    person_id=s.person_id,
                    reference=s.reference,
                    name=s.name,
                    pa_name=s.pa_name,
                    due=s.due,
                    status=s.status,
                    last_review_on=s.last_review_on,
                    flags=s.flags,
                )
                for s in wanted
            ),
        )

    def _team_scope(
        self, actor: Actor, action: Action, team_id: int | None
    ) -> tuple[int | None, str]:
        """The team a team document covers and its name: an administrator may name any team
        (or none, for all teams); anyone else gets their own team and may name no other."""
        if scope_for(actor, action) is not Scope.ALL:
            if team_id is not None and team_id != actor.team_id:
                raise PermissionDenied("You may print reports for your own team only")
            team_id = actor.team_id
        if team_id is None:
            return None, "All teams"
        with self.db.transaction(write=False) as session:
            team = session.get(Team, team_id)
            if team is None:
                raise ValidationError(FieldProblem("team", f"there is no team with id {team_id}"))
            return team_id, team.name

    def _team_members(self, team_id: int) -> set[int]:
        with self.db.transaction(write=False) as session:
            return set(
                session.scalars(select(YoungPerson.id).where(YoungPerson.team_id == team_id))
            )

    def _caseload_of(self, pa_id: int) -> set[int]:
        with self.db.transaction(write=False) as session:
            return set(session.scalars(select(YoungPerson.id).where(YoungPerson.pa_id == pa_id)))

    # -- auditing the output ------------------------------------------------------------------

    def record_output(self, actor: Actor, data: DocumentData, how: str, target: str = "") -> None:
        """Audit a preview, print or save: one event per young person in the document (one for a
        document that names nobody), all in one transaction. `target` is the printer or file."""
        if how not in OUTPUTS:
            raise ValueError(f"how must be one of {', '.join(OUTPUTS)}, not {how!r}")
        # The kind, not the title: a title names the young person, and the audit trail outlives
        # a purged record.
        detail = data.kind.value + (f" to {target}" if target else "")
        events: list[tuple[str, int | None, str]] = [
            ("young_person", pid, detail) for pid in data.person_ids
        ] or [("document", None, detail)]
        with self.db.transaction() as session:
            audit.record_many(session, actor, OUTPUTS[how], events)


def _ledger_line(e: LedgerRow, *, with_note: bool) -> OfferLedgerLine:
    return OfferLedgerLine(
        on=e.on,
        item_name=e.item_name,
        kind=e.kind,
        unit=e.unit,
        status=e.status,
        amount_pence=e.amount_pence,
        quantity=e.quantity,
        declined_reason=e.declined_reason,
        note=e.note if with_note else "",
    )


def _unique(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(ids))
