"""The pathway reads (summary, due list, the caseload's review dates) give exactly what the
domain rules give when fed each young person's whole record, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    CarePeriodRow,
    Contact,
    NeedsAssessment,
    PathwayPlan,
    PathwayReview,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType as T
from careleaver_app.domain.codes import (
    Activity,
    ContactKind,
    InTouch,
    LeaverCategory,
    Suitability,
)
from careleaver_app.domain.pathway import (
    TriggerKind,
    assessment_overdue,
    milestones,
    next_contact_due,
    next_review_due,
    plan_sign_off_missing,
    review_status,
    triggers_from,
)
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services import pathway_reads
from careleaver_app.services.container import Services
from careleaver_app.services.demo import generate_demo
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.pathway import PathwaySummary, ReviewKind, review_dates
from careleaver_app.services.people import PeopleQuery, effective_category

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
TODAY = date(2026, 11, 26)
REVIEW_DAY = date(2026, 9, 10)
# Today, the day of the edge cases' reviews, a day before some plans started, and long ago.
AS_OF = [TODAY, REVIEW_DAY, date(2026, 4, 1), date(2025, 6, 1)]


@pytest.fixture(params=BACKENDS)
def svc(request) -> Services:
    return request.getfixturevalue("services" if request.param == "sqlite" else "pg_services")


@pytest.fixture
def crew(request, svc):  # type: ignore[no-untyped-def]
    return request.getfixturevalue("staff" if svc.db.dialect == "sqlite" else "pg_staff")


@dataclass
class Cases:
    """The ids of the hand-made young people, by what makes each one an edge case."""

    no_plan: int
    no_reviews: int
    move_on_review_day: int
    parent_after_review: int
    two_plans_one_day: int
    first_episode_voided: int
    overridden: int
    contacts: int
    latest_move_voided: int
    visit_on_move_day: int
    closed: int
    other_team: int


def _person(svc, actor, ref, dob, periods=(), pa=None) -> int:  # type: ignore[no-untyped-def]
    details = PersonDetails(ref, "Edge", ref, dob)
    return svc.people.create(
        actor, details, pa_id=pa or actor.id, care_periods=tuple(periods)
    ).entity_id


def _move(svc, actor, pid, kind, on) -> int:  # type: ignore[no-untyped-def]
    return svc.accommodation.record_move(actor, pid, MoveInput(kind, on, Suitability.SUITABLE))


@pytest.fixture
def cases(svc, crew) -> Cases:
    """Edge cases by hand (North Team unless said), beside 60 demo people in other teams."""
    generate_demo(svc, crew.admin, people=60, seed=5, today=TODAY)
    pa, pw = crew.pa, svc.pathway
    looked_after = [CarePeriod(date(2021, 1, 1), date(2025, 2, 1))]

    no_plan = _person(svc, pa, "E01", date(2010, 5, 1), [CarePeriod(date(2024, 1, 1), None)])

    no_reviews = _person(svc, pa, "E02", date(2007, 1, 10), looked_after)
    pw.start_plan(pa, no_reviews, date(2026, 6, 1))

    # A move and becoming NEET on the day of a review were considered at that review.
    same_day = _person(svc, pa, "E03", date(2007, 2, 1), looked_after)
    _move(svc, pa, same_day, T.SUPPORTED_LODGINGS, date(2025, 2, 1))
    svc.contacts.change_activity(pa, same_day, Activity.FULL_TIME_OTHER_EDUCATION, date(2026, 1, 5))
    pw.start_plan(pa, same_day, date(2026, 3, 1))
    _move(svc, pa, same_day, T.INDEPENDENT_LIVING, REVIEW_DAY)
    svc.contacts.change_activity(pa, same_day, Activity.NEET_OTHER, REVIEW_DAY)
    pw.record_review(pa, same_day, REVIEW_DAY, ReviewKind.CHANGE)

    parent = _person(svc, pa, "E04", date(2006, 8, 8), looked_after)
    pw.start_plan(pa, parent, date(2026, 2, 1))
    pw.record_review(pa, parent, date(2026, 8, 1), ReviewKind.SCHEDULED)
    with svc.db.transaction() as session:
        session.get(YoungPerson, parent).became_parent_on = date(2026, 10, 20)

    # The plan recorded last is current when two start on one day: only the first is signed.
    two_plans = _person(svc, pa, "E05", date(2009, 1, 15), looked_after)
    first = pw.start_plan(pa, two_plans, date(2026, 4, 1))
    pw.start_plan(pa, two_plans, date(2026, 4, 1), "Second")
    pw.sign_off_plan(crew.manager, first.entity_id, date(2026, 4, 2), first.version)

    voided = _person(svc, pa, "E06", date(2007, 3, 3), looked_after)
    wrong = _move(svc, pa, voided, T.SUPPORTED_LODGINGS, date(2025, 3, 3))
    _move(svc, pa, voided, T.INDEPENDENT_LIVING, date(2026, 10, 1))
    with svc.db.transaction(write=False) as session:
        version = session.get(AccommodationEpisode, wrong.entity_id).version  # ended by the move
    svc.accommodation.void_episode(pa, wrong.entity_id, "entered in error", version)
    pw.start_plan(pa, voided, date(2026, 6, 1))

    overridden = _person(svc, pa, "E07", date(2010, 2, 2), [CarePeriod(date(2023, 1, 1), None)])
    version = svc.people.get(pa, overridden).version
    svc.people.override_category(
        crew.manager, overridden, LeaverCategory.NOT_A_CARE_LEAVER, "moved abroad", version
    )

    contacts = _person(svc, pa, "E08", date(2006, 12, 12), looked_after)
    _move(svc, pa, contacts, T.SUPPORTED_LODGINGS, date(2025, 1, 2))
    log = svc.contacts.log_contact
    log(pa, contacts, ContactInput(date(2026, 9, 1), ContactKind.VISIT))
    _move(svc, pa, contacts, T.INDEPENDENT_LIVING, date(2026, 9, 20))
    log(pa, contacts, ContactInput(date(2026, 10, 1), ContactKind.PHONE))
    log(pa, contacts, ContactInput(date(2026, 11, 20), ContactKind.VISIT, InTouch.NO))
    pw.start_plan(pa, contacts, date(2026, 7, 7))
    pw.record_review(pa, contacts, date(2026, 11, 1), ReviewKind.SCHEDULED)

    # Voiding the latest move takes back both its visit and its review.
    unmoved = _person(svc, pa, "E12", date(2007, 7, 7), looked_after)
    _move(svc, pa, unmoved, T.SUPPORTED_LODGINGS, date(2025, 1, 1))
    _move(svc, pa, unmoved, T.INDEPENDENT_LIVING, date(2026, 8, 1))
    pw.start_plan(pa, unmoved, date(2026, 7, 1))
    mistake = _move(svc, pa, unmoved, T.SUPPORTED_LODGINGS, date(2026, 11, 1))
    svc.accommodation.void_episode(pa, mistake.entity_id, "wrong person", mistake.version)

    # A visit on the day of the move is the visit after it.
    visited = _person(svc, pa, "E11", date(2006, 11, 11), looked_after)
    _move(svc, pa, visited, T.SUPPORTED_LODGINGS, date(2025, 1, 5))
    _move(svc, pa, visited, T.INDEPENDENT_LIVING, date(2026, 10, 10))
    log(pa, visited, ContactInput(date(2026, 10, 10), ContactKind.VISIT))

    closed = _person(svc, pa, "E09", date(2007, 5, 5), looked_after)
    pw.start_plan(pa, closed, date(2026, 1, 1))
    svc.people.close(crew.manager, closed, date(2026, 11, 1), "moved away")

    other_team = _person(
        svc, crew.other_pa, "E10", date(2007, 6, 6), looked_after, pa=crew.other_pa.id
    )
    pw.start_plan(crew.other_pa, other_team, date(2026, 5, 5))
    return Cases(
        no_plan,
        no_reviews,
        same_day,
        parent,
        two_plans,
        voided,
        overridden,
        contacts,
        unmoved,
        visited,
        closed,
        other_team,
    )


def expected(session, person: YoungPerson, on: date) -> PathwaySummary:  # type: ignore[no-untyped-def]
    """The summary straight from the rules, fed every record of the young person in order."""

    def rows(model, *order):  # type: ignore[no-untyped-def]
        stmt = select(model).where(model.person_id == person.id)
        return list(session.scalars(stmt.order_by(*order, model.id)))

    plans = rows(PathwayPlan, PathwayPlan.started_on)
    plan = plans[-1] if plans else None
    assessments = rows(NeedsAssessment, NeedsAssessment.completed_on)
    held = [r.held_on for r in rows(PathwayReview, PathwayReview.held_on) if r.held_on <= on]
    episodes = rows(AccommodationEpisode, AccommodationEpisode.start_date)
    activities = [a for a in rows(ActivityRow, ActivityRow.start_date) if a.start_date <= on]
    started = [p.started_on for p in plans if p.started_on <= on]
    due = None
    if started:
        parent = person.became_parent_on
        triggers = triggers_from(
            [
                (e.start_date, T(e.type_code))
                for e in episodes
                if e.voided_reason is None and e.start_date <= on
            ],
            [(a.start_date, Activity(a.activity)) for a in activities],
            parent if parent and parent <= on else None,
        )
        due = next_review_due(max(started + held), triggers)
    periods = rows(CarePeriodRow, CarePeriodRow.start_date)
    current = activities[-1].activity if activities else None
    category = effective_category(person, periods, current, on)
    dob = person.date_of_birth
    flags = []
    if assessment_overdue(dob, category is LeaverCategory.ELIGIBLE, bool(assessments), on):
        flags.append("Needs assessment overdue")
    if plan_sign_off_missing(dob, bool(plan and plan.signed_off_on), on):
        flags.append("No signed-off plan before 18")
    moves = [e.start_date for e in episodes[1:] if e.voided_reason is None and e.start_date <= on]
    done = [
        c
        for c in rows(Contact, Contact.contact_date)
        if c.in_touch == "YES" and c.contact_date <= on
    ]
    last_move = max(moves) if moves else None
    visited = last_move is not None and any(
        c.kind == "visit" and c.contact_date >= last_move for c in done
    )
    pa = session.get(StaffMember, person.pa_id) if person.pa_id else None
    team = session.get(Team, person.team_id) if person.team_id else None
    return PathwaySummary(
        person_id=person.id,
        reference=person.reference,
        name=f"{person.first_name} {person.last_name}",
        pa_name=pa.display_name if pa else "",
        team_name=team.name if team else "",
        assessment_on=assessments[-1].completed_on if assessments else None,
        plan_started_on=plan.started_on if plan else None,
        plan_signed_off_on=plan.signed_off_on if plan else None,
        last_review_on=max(held) if held else None,
        due=due,
        status=review_status(due.due, on) if due else None,
        flags=tuple(flags),
        milestones=tuple(milestones(dob)),
        next_contact=next_contact_due(done[-1].contact_date if done else None, last_move, visited),
        plan_id=plan.id if plan else None,
        plan_version=plan.version if plan else None,
        plan_author=plan.author if plan else "",
    )


def everyone(svc, on: date) -> dict[int, PathwaySummary]:  # type: ignore[no-untyped-def]
    with svc.db.transaction(write=False) as session:
        people = session.scalars(select(YoungPerson).order_by(YoungPerson.id))
        return {p.id: expected(session, p, on) for p in people}


def expected_due_list(svc, want, team_id: int | None) -> list[PathwaySummary]:  # type: ignore[no-untyped-def]
    """Of `want` (everyone's summary), the open records of the team with a review due or a
    flag, soonest due first."""
    with svc.db.transaction(write=False) as session:
        open_ids = dict(
            session.execute(
                select(YoungPerson.id, YoungPerson.team_id).where(YoungPerson.closed_on.is_(None))
            ).all()
        )
    rows = [
        s
        for pid, s in want.items()
        if pid in open_ids and team_id in (None, open_ids[pid]) and (s.due or s.flags)
    ]
    return sorted(rows, key=lambda r: (r.due.due if r.due else date.max, r.name))


def test_the_due_list_is_what_the_rules_give_for_every_team_and_for_everyone(svc, crew, cases):
    with svc.db.transaction(write=False) as session:
        teams = set(session.scalars(select(Team.id)))
    assert len(teams) > 2
    for on in AS_OF:
        want = everyone(svc, on)
        north = svc.pathway.due_list(crew.manager, as_of=on)
        assert north == expected_due_list(svc, want, crew.team.id)
        for team in teams:
            listed = svc.pathway.due_list(crew.admin, as_of=on, team_id=team)
            assert listed == expected_due_list(svc, want, team)
        everyone_listed = svc.pathway.due_list(crew.admin, as_of=on)
        assert everyone_listed == expected_due_list(svc, want, None)
        assert len(everyone_listed) > 20


def test_each_summary_is_what_the_rules_give_even_for_a_closed_record(svc, crew, cases):
    for on in AS_OF:
        want = everyone(svc, on)
        assert cases.closed in want
        for pid, summary in want.items():
            assert svc.pathway.summary(crew.admin, pid, as_of=on) == summary


def test_the_edge_cases_come_out_as_the_rules_say(svc, crew, cases):
    """Pinned by hand, so the comparison above cannot pass by sharing a mistake."""
    listed = {r.person_id: r for r in svc.pathway.due_list(crew.manager)}
    get = svc.pathway.summary
    assert listed[cases.no_plan].due is None
    assert listed[cases.no_plan].flags == ("Needs assessment overdue",)
    assert listed[cases.no_reviews].due.due == date(2026, 12, 1)
    assert listed[cases.no_reviews].last_review_on is None
    same_day = listed[cases.move_on_review_day].due
    assert (same_day.due, same_day.trigger) == (date(2027, 3, 10), None)
    parent = listed[cases.parent_after_review].due
    assert parent.due == date(2026, 11, 17) and parent.trigger.kind is TriggerKind.PARENT
    two = listed[cases.two_plans_one_day]
    assert (two.plan_author, two.plan_signed_off_on) == ("Second", None)
    assert two.flags == ("No signed-off plan before 18",)
    # Voided, the first episode is no longer where the young person started, so the later
    # one is not a change of circumstances, but it still calls for a visit after the move.
    voided = listed[cases.first_episode_voided]
    assert (voided.due.due, voided.due.trigger) == (date(2026, 12, 1), None)
    assert voided.next_contact.reason == "visit after the move"
    assert cases.overridden not in listed
    assert get(crew.pa, cases.overridden).flags == ()
    contact = listed[cases.contacts].next_contact
    assert (contact.due, contact.reason) == (date(2026, 9, 27), "visit after the move")
    unmoved = listed[cases.latest_move_voided]
    assert (unmoved.due.due, unmoved.next_contact.due) == (date(2026, 8, 29), date(2026, 8, 8))
    contact = get(crew.pa, cases.visit_on_move_day).next_contact
    assert (contact.due, contact.reason) == (date(2026, 12, 10), "regular contact")
    assert cases.closed not in listed and get(crew.pa, cases.closed).due is not None
    assert cases.other_team not in listed
    assert cases.other_team in {r.person_id for r in svc.pathway.due_list(crew.admin)}
    early = {r.person_id: r for r in svc.pathway.due_list(crew.manager, as_of=date(2026, 4, 1))}
    assert cases.no_reviews not in early  # its plan starts later
    assert get(crew.pa, cases.no_reviews, as_of=date(2026, 4, 1)).plan_started_on == date(
        2026, 6, 1
    )


def test_the_caseload_shows_the_review_dates_the_rules_give(svc, crew, cases):
    want = everyone(svc, TODAY)
    rows = svc.people.list(crew.admin, PeopleQuery(limit=None, include_closed=True)).rows
    assert len(rows) == len(want)
    for row in rows:
        due = want[row.id].due
        assert row.next_review_due == (due.due if due else None)
        assert row.review_overdue == (due is not None and due.due < TODAY)
    assert any(r.review_overdue for r in rows) and any(r.next_review_due is None for r in rows)


def test_review_dates_read_in_batches_are_the_same(svc, cases, monkeypatch):
    monkeypatch.setattr(pathway_reads, "_BATCH", 7)
    for on in AS_OF:
        want = {pid: (s.due.due, s.due.due < on) for pid, s in everyone(svc, on).items() if s.due}
        with svc.db.transaction(write=False) as session:
            people = list(session.scalars(select(YoungPerson).order_by(YoungPerson.id.desc())))
            assert len(people) > 7
            assert review_dates(session, people, on) == want
            assert review_dates(session, [], on) == {}
