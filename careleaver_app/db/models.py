"""SQLAlchemy models. Every table people edit carries `version` for optimistic locking."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Mixin: a counter SQLAlchemy checks on every UPDATE, so a stale edit is refused."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Team(Versioned, Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffMember(Versioned, Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Argon2id hash (argon2-cffi); None until a password is set, and then the account can be
    # used only by a command on a local file, never to sign in to the app.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_set_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last few failed sign-ins (ISO timestamps), for the lock-out rule in domain.auth.
    failed_sign_ins: Mapped[list[str]] = mapped_column(JSON, default=list)
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    team: Mapped[Team | None] = relationship()


class YoungPerson(Versioned, Base):
    __tablename__ = "young_people"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    # Folded names and reference (domain.text.fold) for accent- and case-insensitive search.
    search_text: Mapped[str] = mapped_column(String(400), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(40), default="")
    first_language: Mapped[str] = mapped_column(String(60), default="")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    pregnant_or_parenting: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    contact_address: Mapped[str] = mapped_column(Text, default="")
    housing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_pa_support: Mapped[bool] = mapped_column(Boolean, default=False)
    detained_or_in_hospital_on_16th_birthday: Mapped[bool] = mapped_column(Boolean, default=False)
    housing_support_needs: Mapped[str] = mapped_column(Text, default="")
    # Special category and high-harm data (DESIGN 3.6): never shown to housing liaison.
    ethnicity: Mapped[str] = mapped_column(String(80), default="")
    religion: Mapped[str] = mapped_column(String(80), default="")
    immigration_status: Mapped[str] = mapped_column(String(120), default="")
    health_needs: Mapped[str] = mapped_column(Text, default="")
    # When the young person became a parent: a change of circumstances for the pathway plan.
    became_parent_on: Mapped[date | None] = mapped_column(Date)
    # The team responsible; the allocated PA belongs to it. Scopes who may see the record.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    pa_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # Kept by db.repositories.refresh_summaries in the same transaction as every change to
    # episodes or contacts, so the caseload list filters and sorts on indexed columns even at
    # 100,000 young people instead of running a subquery per row.
    accommodation_code: Mapped[str] = mapped_column(String(2), default="", index=True)
    accommodation_since: Mapped[date | None] = mapped_column(Date, index=True)
    in_touch: Mapped[str | None] = mapped_column(String(4), index=True)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    # 0 B&B, emergency, no fixed abode or custody; 1 unsuitable; 2 not in touch; 3 no flag.
    attention: Mapped[int] = mapped_column(Integer, default=3, index=True)
    category_override: Mapped[str | None] = mapped_column(String(32))
    category_override_reason: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    pa: Mapped[StaffMember | None] = relationship(foreign_keys=[pa_id])
    # (closed_on, search_text) lets counts and short searches scan a narrow index, not rows;
    # the name index carries the id (the list's tie-break), closed_on and search_text so that
    # the caseload pages and filters by short searches from the index alone (migration 0006).
    __table_args__ = (
        Index(None, "last_name", "first_name", "id", "closed_on", "search_text"),
        Index(None, "closed_on", "search_text"),
    )


class PaAllocation(Base):
    """Who was the allocated PA, and when: the history behind young_people.pa_id."""

    __tablename__ = "pa_allocations"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class CarePeriodRow(Versioned, Base):
    __tablename__ = "care_periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="looked_after")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class AccommodationEpisode(Versioned, Base):
    __tablename__ = "accommodation_episodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"))
    type_code: Mapped[str] = mapped_column(String(1))
    suitability: Mapped[str] = mapped_column(String(1))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    provider: Mapped[str] = mapped_column(String(200), default="")
    placed_by: Mapped[str] = mapped_column(String(200), default="")
    # Schedule 2 factors with a concern (SuitabilityFactor values).
    concerns: Mapped[list[str]] = mapped_column(JSON, default=list)
    suitability_notes: Mapped[str] = mapped_column(Text, default="")
    # Entered in error: kept, but out of every rule and list (nothing is hard-deleted).
    voided_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        Index(None, "person_id", "start_date"),
        Index(None, "type_code", "end_date"),
    )


class ActivityRow(Versioned, Base):
    """Education, employment or training status from a date (903 activity code)."""

    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"))
    activity: Mapped[str] = mapped_column(String(2))
    start_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index(None, "person_id", "start_date"),)


class Contact(Versioned, Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"))
    contact_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    in_touch: Mapped[str] = mapped_column(String(4))
    seen_at_home: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index(None, "person_id", "contact_date"),)


class AuditEvent(Base):
    """Append-only: a trigger refuses UPDATE and DELETE (see the initial migration)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index(None, "entity", "entity_id"),)


class Escalation(Versioned, Base):
    """Opened automatically for a B&B, emergency, no-fixed-abode or unsuitable episode."""

    __tablename__ = "escalations"
    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("accommodation_episodes.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    resolution: Mapped[str] = mapped_column(Text, default="")


class EscalationDecision(Base):
    """A manager's decision on an escalation; decisions are only ever added."""

    __tablename__ = "escalation_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    next_check_on: Mapped[date | None] = mapped_column(Date)
    level: Mapped[int] = mapped_column(Integer)


class Setting(Versioned, Base):
    """Administrator-set values such as the escalation thresholds, stored as JSON text."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NeedsAssessment(Versioned, Base):
    __tablename__ = "needs_assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    completed_on: Mapped[date] = mapped_column(Date)
    completed_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PathwayPlan(Versioned, Base):
    """A plan supersedes the one before it: the current plan has the latest start date."""

    __tablename__ = "pathway_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(200), default="")
    signed_off_on: Mapped[date | None] = mapped_column(Date)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PathwayReview(Versioned, Base):
    __tablename__ = "pathway_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # scheduled, change, requested
    outcome: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OfferItemRow(Versioned, Base):
    """A local-offer catalogue item. Retired items stay, so the ledger keeps its history."""

    __tablename__ = "offer_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    amount_pence: Mapped[int | None] = mapped_column(Integer)
    quantity_hundredths: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(40), default="")
    min_age: Mapped[int] = mapped_column(Integer)
    max_age: Mapped[int] = mapped_column(Integer)
    categories: Mapped[str] = mapped_column(String(120))  # comma-separated LeaverCategory values
    year_starts_month: Mapped[int] = mapped_column(Integer, default=4)
    condition: Mapped[str] = mapped_column(String(32), default="none")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class OfferLedgerRow(Versioned, Base):
    """One request, approval, payment or refusal of a local-offer item for a young person."""

    __tablename__ = "offer_ledger"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("offer_items.id"))
    entry_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    amount_pence: Mapped[int | None] = mapped_column(Integer)
    quantity_hundredths: Mapped[int | None] = mapped_column(Integer)
    declined_reason: Mapped[str] = mapped_column(Text, default="")
    exception_reason: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index(None, "item_id", "entry_on"),)
