"""Demo data: synthetic, deterministic, realistic in its shares, valid by the domain rules, fast."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from careleaver_app.cli import main
from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    AuditEvent,
    CarePeriodRow,
    Contact,
    OfferItemRow,
    OfferLedgerRow,
    PaAllocation,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.accommodation import Episode, validate_history
from careleaver_app.domain.categories import CareHistory, CarePeriod, category_on
from careleaver_app.domain.codes import (
    EDUCATION_OR_TRAINING_ACTIVITIES,
    NEET_ACTIVITIES,
    AccommodationType,
    Activity,
    CareKind,
    LeaverCategory,
    Role,
    Suitability,
)
from careleaver_app.domain.dates import age_on, birthday
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.domain.offer import EntryStatus, Recipient, check_entry, ineligibility
from careleaver_app.domain.people import POSTCODE_PATTERN, PersonDetails
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import open_services
from careleaver_app.services.demo import DemoSummary, generate_demo
from careleaver_app.services.offer import as_entry, as_item
from careleaver_app.services.people import PeopleQuery, search_text

# The `today` fixture's day (checked below): the module-scoped database cannot use a fixture.
TODAY = date(2026, 11, 26)
BIG = 2_000


def rows(services, model, *, skip=("created_at", "updated_at"), order=None) -> list[tuple]:
    """Every row of `model` as a tuple of its columns, without the timestamps."""
    columns = [c for c in model.__table__.columns if c.name not in skip]
    with services.db.transaction(write=False) as s:
        return [tuple(r) for r in s.execute(select(*columns).order_by(order or model.id))]


def count(services, model) -> int:
    with services.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model))


def demo(services, actor, people=60, seed=7, today=TODAY) -> DemoSummary:
    return generate_demo(services, actor, people=people, seed=seed, today=today)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """One database of 2,000 demo people shared by the tests that measure shares and rules."""
    services = open_services(AppPaths(tmp_path_factory.mktemp("big")), None, lambda: TODAY)
    admin = services.staffing.ensure_first_administrator("admin")
    summary = generate_demo(services, admin, people=BIG, seed=2026, today=TODAY)
    yield services, summary
    services.close()


@pytest.fixture(scope="module")
def loaded(big):
    """The big database read back into plain per-person structures."""
    services, _ = big
    with services.db.transaction(write=False) as s:
        people = {p.id: p for p in s.scalars(select(YoungPerson))}
        by_person = {}
        for model, order in (
            (AccommodationEpisode, AccommodationEpisode.start_date),
            (ActivityRow, ActivityRow.start_date),
            (Contact, Contact.contact_date),
            (CarePeriodRow, CarePeriodRow.start_date),
            (PaAllocation, PaAllocation.start_date),
            (OfferLedgerRow, OfferLedgerRow.entry_on),
        ):
            grouped = defaultdict(list)
            for row in s.scalars(select(model).order_by(model.person_id, order, model.id)):
                grouped[row.person_id].append(row)
            by_person[model] = grouped
        staff = {m.id: m for m in s.scalars(select(StaffMember))}
    return people, by_person, staff


def share(values) -> float:
    values = list(values)
    return sum(values) / len(values)


# -- what is written --------------------------------------------------------------------------


def test_summary_counts_what_was_written_with_one_audit_event(services, staff):
    before_staff, before_teams = count(services, StaffMember), count(services, Team)
    before_events = count(services, AuditEvent)
    summary = demo(services, staff.admin, people=120)
    assert summary.people == count(services, YoungPerson) == 120
    assert summary.episodes == count(services, AccommodationEpisode)
    assert summary.contacts == count(services, Contact)
    assert summary.activities == count(services, ActivityRow)
    assert summary.care_periods == count(services, CarePeriodRow)
    assert summary.allocations == count(services, PaAllocation)
    assert summary.offer_entries == count(services, OfferLedgerRow) > 0
    assert summary.staff == count(services, StaffMember) - before_staff
    assert summary.teams == count(services, Team) - before_teams
    assert count(services, AuditEvent) == before_events + 1, "one event, not one per person"
    with services.db.transaction(write=False) as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.entity, event.actor_id) == ("import", "demo", staff.admin.id)
        assert "120 young people" in event.detail and "seed 7" in event.detail
        assert f"{summary.episodes:,} accommodation episodes" in event.detail


def test_the_module_date_is_the_fixture_date(today):
    assert today == TODAY


def test_describe_is_one_english_line():
    text = DemoSummary(2, 12, 40, 240, 150, 90, 44, 50).describe()
    assert "\n" not in text
    assert "40 young people" in text and "240 accommodation episodes" in text
    assert "2 teams" in text and "12 new staff" in text
    one = DemoSummary(1, 3, 1, 1, 2, 1, 1, 1).describe()
    assert "1 young person with 1 accommodation episode, 2 contacts" in one
    assert "1 team with 3 new staff" in one
    assert "local-offer" not in one
    ledger = DemoSummary(2, 12, 40, 240, 150, 90, 44, 50, offer_entries=1_234).describe()
    assert "90 activity records, 44 care periods and 1,234 local-offer entries, in 2" in ledger


def test_every_row_has_timestamps_and_search_text(services, staff):
    demo(services, staff.admin, people=40)
    with services.db.transaction(write=False) as s:
        for p in s.scalars(select(YoungPerson)):
            assert p.created_at is not None and p.updated_at is not None
            assert p.search_text == search_text(
                p.first_name, p.last_name, p.preferred_name, p.reference
            )
        for model in (AccommodationEpisode, ActivityRow, Contact):
            assert s.scalar(select(func.count()).where(model.created_at.is_(None))) == 0


def test_a_personal_adviser_may_not_generate_and_nothing_is_written(services, staff):
    with pytest.raises(PermissionDenied):
        demo(services, staff.pa)
    with pytest.raises(PermissionDenied):
        demo(services, staff.manager)
    assert count(services, YoungPerson) == 0


def test_at_least_one_person_is_asked_for(services, staff):
    with pytest.raises(ValidationError):
        demo(services, staff.admin, people=0)


# -- determinism -----------------------------------------------------------------------------


def test_the_same_seed_and_date_give_identical_data(services, tmp_path, today):
    other = open_services(AppPaths(tmp_path / "other"), None, lambda: today)
    try:
        admin, other_admin = (
            s.staffing.ensure_first_administrator("admin") for s in (services, other)
        )
        a = demo(services, admin, 150, seed=11, today=today)
        b = demo(other, other_admin, 150, seed=11, today=today)
        assert a == b
        for model in (
            Team,
            StaffMember,
            YoungPerson,
            AccommodationEpisode,
            Contact,
            ActivityRow,
            CarePeriodRow,
            PaAllocation,
            OfferLedgerRow,
        ):
            assert rows(services, model) == rows(other, model), model.__name__
    finally:
        other.close()


def test_a_different_seed_gives_different_people(services, staff, tmp_path):
    other = open_services(AppPaths(tmp_path / "other"), None, lambda: TODAY)
    try:
        admin = other.staffing.ensure_first_administrator("admin")
        demo(services, staff.admin, people=50, seed=1)
        demo(other, admin, people=50, seed=2)
        people = [r[2:4] + r[6:7] for r in rows(services, YoungPerson)]
        other_people = [r[2:4] + r[6:7] for r in rows(other, YoungPerson)]
        assert people != other_people
    finally:
        other.close()


def test_running_twice_adds_more_people_with_new_references_and_staff(services, staff):
    first = demo(services, staff.admin, people=45, seed=3)
    second = demo(services, staff.admin, people=45, seed=3)
    assert count(services, YoungPerson) == 90
    with services.db.transaction(write=False) as s:
        people = list(
            s.execute(
                select(
                    YoungPerson.reference, YoungPerson.first_name, YoungPerson.date_of_birth
                ).order_by(YoungPerson.id)
            )
        )
        usernames = list(s.scalars(select(StaffMember.username)))
        teams = list(s.scalars(select(Team.name)))
    assert [p.reference for p in people] == [f"CL{n:07d}" for n in range(1, 91)]
    assert len(set(usernames)) == len(usernames)
    assert len(set(teams)) == len(teams)
    assert count(services, StaffMember) == 5 + first.staff + second.staff
    assert [p[1:] for p in people[:45]] != [p[1:] for p in people[45:]], "not a copy"


# -- shares the issue asks for ---------------------------------------------------------------


def test_shares_of_uasc_suitable_neet_and_in_touch(loaded):
    people, by_person, _ = loaded
    episodes, activities = by_person[AccommodationEpisode], by_person[ActivityRow]
    contacts = by_person[Contact]
    assert len(people) == BIG
    assert share(p.uasc for p in people.values()) == pytest.approx(0.10, abs=0.02)
    current = {pid: eps[-1] for pid, eps in episodes.items()}
    assert all(e.end_date is None for e in current.values())
    assert share(e.suitability == "1" for e in current.values()) == pytest.approx(0.85, abs=0.03)
    kinds = Counter(e.type_code for e in current.values())
    assert kinds["W"] > 0 and kinds["V"] > 0, "a few in B&B and emergency accommodation now"
    assert kinds["W"] + kinds["V"] < 0.05 * BIG
    neet = share(Activity(a[-1].activity) in NEET_ACTIVITIES for a in activities.values())
    assert 0.35 <= neet <= 0.40
    in_touch = share(c[-1].in_touch == "YES" for c in contacts.values())
    assert in_touch == pytest.approx(0.90, abs=0.03)
    assert set(activities) == set(contacts) == set(episodes) == set(people)


def test_ages_names_and_languages_are_varied(loaded):
    people, _, _ = loaded
    ages = Counter(age_on(p.date_of_birth, TODAY) for p in people.values())
    assert min(ages) >= 16 and max(ages) <= 25
    assert len(ages) >= 9, "every age from 16 to 24"
    names = [f"{p.first_name} {p.last_name}" for p in people.values()]
    arabic = [n for n in names if re.search("[\u0600-\u06ff]", n)]
    latin_marks = [n for n in names if re.search("[\u00c0-\u024f\u1e00-\u1eff]", n)]
    assert arabic and len(latin_marks) > 0.05 * BIG
    assert any(re.search("[\u0400-\u04ff]", n) for n in names), "Cyrillic too"
    # Someone named in another script can be found by the Latin spelling.
    for p in people.values():
        if re.search("[\u0600-\u06ff]", p.first_name):
            assert p.preferred_name and p.preferred_name.isascii()
    languages = Counter(p.first_language for p in people.values())
    assert languages["English"] > 0.6 * BIG and len(languages) > 10
    uasc = [p for p in people.values() if p.uasc]
    assert share(p.first_language != "English" for p in uasc) == 1
    assert share(p.gender == "Male" for p in uasc) > 0.8


def test_caseloads_are_20_to_25_in_several_teams(big, loaded):
    _, summary = big
    people, _, staff = loaded
    caseloads = Counter(p.pa_id for p in people.values())
    assert min(caseloads.values()) >= 20 and max(caseloads.values()) <= 25
    roles = Counter((m.team_id, m.role) for m in staff.values() if m.username.startswith("demo-"))
    teams = {t for t, _ in roles}
    assert summary.teams == len(teams) >= 5
    for team in teams:
        assert roles[(team, Role.TEAM_MANAGER.value)] == 1
        assert roles[(team, Role.PERSONAL_ADVISER.value)] >= 5
    assert sum(n for (_, role), n in roles.items() if role == Role.HOUSING_LIAISON.value) == 1
    for p in people.values():
        assert staff[p.pa_id].team_id == p.team_id
        assert staff[p.pa_id].role == Role.PERSONAL_ADVISER.value


def test_pa_allocations_match_the_allocated_pa(loaded):
    people, by_person, staff = loaded
    for pid, allocations in by_person[PaAllocation].items():
        person = people[pid]
        assert [a.end_date for a in allocations][-1] is None
        assert allocations[-1].staff_id == person.pa_id
        for a, b in pairwise(allocations):
            assert a.end_date == b.start_date
        for a in allocations:
            assert staff[a.staff_id].team_id == person.team_id
            assert staff[a.allocated_by_id].role == Role.TEAM_MANAGER.value
            assert birthday(person.date_of_birth, 16) <= a.start_date <= TODAY
    assert set(by_person[PaAllocation]) == set(people)


# -- domain rules ------------------------------------------------------------------------------


def test_accommodation_histories_obey_the_rules(loaded):
    people, by_person, _ = loaded
    episodes = by_person[AccommodationEpisode]
    assert len(episodes) == BIG
    assert 5.5 <= share(len(e) for e in episodes.values()) <= 6.5, "about 6 per person"
    for pid in sorted(episodes)[::4]:  # a sample of 500
        person, rows_ = people[pid], episodes[pid]
        history = [
            Episode(
                AccommodationType(r.type_code), r.start_date, Suitability(r.suitability), r.end_date
            )
            for r in rows_
        ]
        assert validate_history(history, person.date_of_birth) == [], person.reference
        assert [e.end is None for e in history] == [False] * (len(history) - 1) + [True]
        for a, b in pairwise(history):
            assert a.end == b.start, "a move ends one episode and starts the next on one date"
            assert a.start < a.end
        assert all(e.start <= TODAY for e in history)
        for r in rows_:
            if r.postcode:
                assert POSTCODE_PATTERN.match(r.postcode.replace(" ", ""))
                assert r.address
            if r.type_code in "SX":
                assert r.suitability == "2"


def test_b_and_b_is_never_for_16_and_17_year_olds_nor_staying_put_before_18(loaded):
    people, by_person, _ = loaded
    for pid, rows_ in by_person[AccommodationEpisode].items():
        dob = people[pid].date_of_birth
        for r in rows_:
            if r.type_code in "WZ":
                assert r.start_date >= birthday(dob, 18)
            if r.type_code == "W":
                assert r.suitability == "2"


def test_care_histories_make_everyone_a_care_leaver(loaded):
    people, by_person, _ = loaded
    categories = Counter()
    kinds = Counter()
    for pid, person in people.items():
        periods = by_person[CarePeriodRow][pid]
        kinds.update(p.kind for p in periods)
        history = CareHistory(
            person.date_of_birth,
            [CarePeriod(p.start_date, p.end_date, CareKind(p.kind)) for p in periods],
        )
        current = Activity(by_person[ActivityRow][pid][-1].activity)
        categories[
            category_on(
                history,
                TODAY,
                in_education_or_training=current in EDUCATION_OR_TRAINING_ACTIVITIES,
                requested_pa_support=person.requested_pa_support,
            )
        ] += 1
        looked_after = [p for p in periods if p.kind == CareKind.LOOKED_AFTER.value]
        assert all(p.start_date >= person.date_of_birth for p in periods)
        assert all(p.end_date is None or p.end_date <= TODAY for p in periods)
        assert sum(p.end_date is None for p in looked_after) <= 1
        last = looked_after[-1]
        if last.end_date is not None:
            assert last.end_date <= birthday(person.date_of_birth, 18)
    assert categories[LeaverCategory.NOT_A_CARE_LEAVER] == 0
    assert categories[LeaverCategory.FORMER_RELEVANT] > 0.6 * BIG
    assert categories[LeaverCategory.ELIGIBLE] > 0.1 * BIG
    assert categories[LeaverCategory.RELEVANT] > 0
    assert 0 < categories[LeaverCategory.QUALIFYING] < 0.05 * BIG
    assert kinds[CareKind.SPECIAL_GUARDIANSHIP.value] == categories[LeaverCategory.QUALIFYING]


def test_local_offer_ledgers_keep_to_the_allowances_ages_and_categories(big, loaded):
    """Every demo entry passes the domain's own check on its date, against the entries
    before it: nothing over-spends, nothing falls outside an item's ages or categories."""
    services, _ = big
    people, by_person, _ = loaded
    with services.db.transaction(write=False) as s:
        items = {r.id: as_item(r) for r in s.scalars(select(OfferItemRow))}
    ledgers = by_person[OfferLedgerRow]
    statuses, used_items = Counter(), Counter()
    for pid, entries in ledgers.items():
        person = people[pid]
        history = CareHistory(
            person.date_of_birth,
            [
                CarePeriod(p.start_date, p.end_date, CareKind(p.kind))
                for p in by_person[CarePeriodRow][pid]
            ],
        )
        tenancies = [e for e in by_person[AccommodationEpisode][pid] if e.type_code == "U"]
        ended = min((e.end_date for e in tenancies if e.end_date), default=None)
        activities = by_person[ActivityRow][pid]
        kept = []
        for row in entries:
            entry, item = as_entry(row), items[row.item_id]
            current = [a for a in activities if a.start_date <= entry.on][-1:]
            category = category_on(
                history,
                entry.on,
                in_education_or_training=bool(
                    current and Activity(current[0].activity) in EDUCATION_OR_TRAINING_ACTIVITIES
                ),
                requested_pa_support=person.requested_pa_support,
            )
            recipient = Recipient(person.date_of_birth, category, ended)
            assert person.date_of_birth <= entry.on <= TODAY
            assert ineligibility(item, recipient, entry.on) == "", (person.reference, item.name)
            assert check_entry(item, entry, kept, recipient, is_new=True) == [], person.reference
            assert (row.approved_by_id is not None) == entry.status.committed
            assert bool(row.declined_reason) == (entry.status is EntryStatus.DECLINED)
            assert row.exception_reason == "" and row.recorded_by_id == person.pa_id
            kept.append(entry)
            statuses[entry.status] += 1
            used_items[item.name] += 1
    # A realistic share has used the offer, with a few refusals and requests not yet decided.
    assert 0.6 * BIG < len(ledgers) < 0.95 * BIG
    assert statuses[EntryStatus.PAID] > 0.7 * sum(statuses.values())
    assert statuses[EntryStatus.DECLINED] > 0.01 * BIG
    assert statuses[EntryStatus.REQUESTED] > 0.02 * BIG
    assert set(used_items) == {i.name for i in items.values()}, "every item used by someone"
    with_tenancy = [
        pid
        for pid in people
        if any(e.type_code == "U" for e in by_person[AccommodationEpisode][pid])
    ]
    setting_up = [
        pid
        for pid in with_tenancy
        if any(items[e.item_id].name == "Setting-up-home allowance" for e in ledgers.get(pid, []))
    ]
    assert len(setting_up) > 0.7 * len(with_tenancy)


def test_the_statement_and_take_up_read_the_demo_ledger(big):
    services, _ = big
    admin = services.staffing.actor("admin")
    report = services.offer.take_up(admin, date(2026, 4, 1), TODAY)
    rows = {r.item.name: r for r in report.rows}
    assert report.people == BIG
    home = rows["Setting-up-home allowance"]
    assert 0.2 < home.take_up_percent / 100 < 0.8 and home.paid_pence > 0
    assert rows["Leisure funding"].used_in_period > 0
    assert rows["Driving lessons"].quantity > 0
    statement = services.offer.statement(admin, 1)
    assert statement.balances and all(b.over_by == 0 for b in statement.balances)


def test_contacts_are_recent_and_activities_ordered(loaded):
    people, by_person, _ = loaded
    latest = [c[-1].contact_date for c in by_person[Contact].values()]
    assert share((TODAY - d).days <= 60 for d in latest) > 0.8
    for pid, contacts in by_person[Contact].items():
        dates = [c.contact_date for c in contacts]
        assert dates == sorted(set(dates)) and dates[-1] <= TODAY
        allocations = by_person[PaAllocation][pid]
        for c in contacts:
            (pa,) = [
                a.staff_id
                for a in allocations
                if a.start_date <= c.contact_date and (a.end_date or TODAY) >= c.contact_date
            ][-1:]
            assert c.recorded_by_id == pa, "recorded by the PA allocated on the day"
    for pid, activities in by_person[ActivityRow].items():
        dates = [a.start_date for a in activities]
        assert dates == sorted(set(dates))
        assert people[pid].date_of_birth < dates[0] and dates[-1] <= TODAY


def test_references_contact_details_and_addresses_are_synthetic(loaded):
    people, _, _ = loaded
    refs = [p.reference for p in people.values()]
    assert len(set(refs)) == len(refs)
    assert all(re.fullmatch(r"CL\d{7}", r) for r in refs)
    for p in people.values():
        assert not p.phone or re.fullmatch(r"07700 900\d{3}", p.phone)  # Ofcom drama numbers
        assert not p.email or p.email.endswith("@example.com")
        if p.contact_address:
            assert POSTCODE_PATTERN.match(p.contact_address.rsplit(", ", 1)[1].replace(" ", ""))


def test_the_caseload_list_shows_the_demo_flags(big):
    services, _ = big
    admin = services.staffing.actor("admin")
    everyone = services.people.list(admin, PeopleQuery(limit=None))
    assert everyone.total == BIG
    bnb = services.people.list(admin, PeopleQuery(in_bnb_or_emergency=True, limit=None))
    not_in_touch = services.people.list(admin, PeopleQuery(not_in_touch=True, limit=None))
    assert 0 < bnb.total < 0.05 * BIG
    assert not_in_touch.total == pytest.approx(0.10 * BIG, abs=0.03 * BIG)
    found = services.people.list(admin, PeopleQuery(search="CL0000042"))
    assert [r.reference for r in found.rows] == ["CL0000042"]


# -- command line and scale ------------------------------------------------------------------


def test_cli_demo_prints_the_summary(tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path), "--today", "2026-11-26", "demo", "--people", "30"])
    assert code == 0
    out = capsys.readouterr().out
    assert "30 young people" in out and out.count("\n") == 1


@pytest.mark.slow
def test_twenty_thousand_people_load_quickly(services, staff):
    import time

    started = time.perf_counter()
    summary = demo(services, staff.admin, people=20_000, seed=5)
    elapsed = time.perf_counter() - started
    assert summary.episodes == pytest.approx(6 * 20_000, rel=0.1)
    # 100,000 take about a minute; a fifth of that, with room for a slow test machine.
    assert elapsed < 60


def test_records_added_after_the_demo_get_fresh_ids(services, staff):
    """The demo gives SQLite ids itself; the next ordinary insert must still succeed."""
    demo(services, staff.admin, people=30)
    new = services.people.create(staff.pa, PersonDetails("X-1", "Zoë", "Adams", date(2008, 3, 10)))
    assert new.entity_id == 31


@pytest.mark.postgres
def test_demo_on_postgresql(pg_services, pg_staff):
    summary = demo(pg_services, pg_staff.admin, people=50)
    assert summary.people == count(pg_services, YoungPerson) == 50
    demo(pg_services, pg_staff.admin, people=25)
    assert count(pg_services, YoungPerson) == 75
    with pg_services.db.transaction(write=False) as s:
        assert len(set(s.scalars(select(YoungPerson.reference)))) == 75
        current = dict(
            s.execute(
                select(PaAllocation.person_id, PaAllocation.staff_id).where(
                    PaAllocation.end_date.is_(None)
                )
            ).all()
        )
        assert current == dict(s.execute(select(YoungPerson.id, YoungPerson.pa_id)).all())
    new = pg_services.people.create(
        pg_staff.pa, PersonDetails("X-1", "Zoë", "Adams", date(2008, 3, 10))
    )
    assert new.entity_id > 75
