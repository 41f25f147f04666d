"""Contacts with the young person and changes of activity (education, employment, training)."""

from __future__ import annotations

from datetime import date

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import ActivityRow, Contact
from careleaver_app.domain.codes import Activity
from careleaver_app.domain.errors import FieldProblem, ValidationError
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.dto import Changes, ContactInput
from careleaver_app.services.permissions import Action


class Contacts:
    def __init__(self, db: Database, today: Clock) -> None:
        self.db = db
        self.today = today

    def _check_date(self, field: str, day: date, date_of_birth: date) -> None:
        if day > self.today():
            raise ValidationError(FieldProblem(field, "is in the future"))
        if day < date_of_birth:
            raise ValidationError(FieldProblem(field, "is before the date of birth"))

    def log_contact(self, actor: Actor, person_id: int, contact: ContactInput) -> Changes:
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.RECORD_CONTACT)
            self._check_date("contact_date", contact.contact_date, person.date_of_birth)
            row = Contact(
                person_id=person.id,
                contact_date=contact.contact_date,
                kind=contact.kind.value,
                in_touch=contact.in_touch.value,
                seen_at_home=contact.seen_at_home,
                note=contact.note.strip(),
                recorded_by_id=actor.id,
                created_at=audit.now(),
            )
            audit.record_created(
                session, actor, "contact", row, ("person_id", "contact_date", "kind", "in_touch")
            )
            repo.refresh_summaries(session, [person.id])
            return Changes(row.id, row.version)

    def change_activity(
        self, actor: Actor, person_id: int, activity: Activity, start_date: date, note: str = ""
    ) -> Changes:
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.RECORD_ACTIVITY)
            self._check_date("start_date", start_date, person.date_of_birth)
            row = ActivityRow(
                person_id=person.id,
                activity=activity.value,
                start_date=start_date,
                note=note.strip(),
                recorded_by_id=actor.id,
                created_at=audit.now(),
            )
            audit.record_created(
                session, actor, "activity", row, ("person_id", "activity", "start_date")
            )
            return Changes(row.id, row.version)
