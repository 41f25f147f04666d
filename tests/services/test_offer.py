"""The local-offer service: recording against allowances, exceptions, permissions, the catalogue
and take-up (DESIGN 3.5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import LeaverCategory
from careleaver_app.domain.errors import ConflictError, PermissionDenied, ValidationError
from careleaver_app.domain.offer import (
    EntitlementKind,
    EntryStatus,
    OfferCategory,
    OfferItem,
)
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.offer import EntryInput

SETTING_UP_HOME = "Setting-up-home allowance"


@pytest.fixture
def person(services, staff) -> int:
    """Former relevant, 20 on the fixture's day, in North Team with pa1."""
    return services.people.create(
        staff.pa,
        PersonDetails("LO1", "Pat", "Example", date(2006, 1, 10)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2021, 1, 1), date(2024, 1, 10)),),
    ).entity_id


def item_id(services, name: str) -> int:
    (found,) = [c.item.id for c in services.offer.catalogue() if c.item.name == name]
    assert found is not None
    return found


def money(services, name: str, pounds: int, on: date, status=EntryStatus.APPROVED, **kw):
    return EntryInput(item_id(services, name), on, status, amount_pence=pounds * 100, **kw)


def balance_of(services, actor, person_id: int, name: str, on: date | None = None):
    statement = services.offer.statement(actor, person_id, on)
    (found,) = [b for b in statement.balances if b.item.name == name]
    return found


def events(services, entity: str) -> list[AuditEvent]:
    with services.db.transaction(write=False) as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)
            )
        )


# -- the seeded catalogue --------------------------------------------------------------------


def test_the_seeded_catalogue_is_the_one_in_design_3_5(services):
    items = [c.item for c in services.offer.catalogue()]
    assert [(i.name, i.kind, i.allowance) for i in items] == [
        (SETTING_UP_HOME, EntitlementKind.LIFETIME, 300_000),
        ("Second setting-up-home bursary", EntitlementKind.LIFETIME, 50_000),
        ("Higher education bursary", EntitlementKind.LIFETIME, 200_000),
        ("16–19 bursary", EntitlementKind.PER_YEAR, 120_000),
        ("Leisure funding", EntitlementKind.PER_MONTH, 2_000),
        ("Driving lessons", EntitlementKind.QUANTITY, Decimal(10)),
        ("Broadband / Wi-Fi", EntitlementKind.PER_MONTH, 2_500),
        ("Council tax exemption", EntitlementKind.NON_FINANCIAL, None),
        ("Ring-fenced apprenticeship offer", EntitlementKind.NON_FINANCIAL, None),
        ("Interpreter / translated material", EntitlementKind.NON_FINANCIAL, None),
    ]
    by_name = {i.name: i for i in items}
    assert by_name["Driving lessons"].unit == "hours"
    assert by_name["Council tax exemption"].max_age == 25  # "to age 25"
    assert all(i.active for i in items)


# -- recording against an allowance ----------------------------------------------------------


def test_a_pa_records_1200_of_setting_up_home_and_1800_remains(services, staff, person):
    services.offer.add_entry(
        staff.pa, person, money(services, SETTING_UP_HOME, 1_200, date(2026, 10, 1))
    )
    b = balance_of(services, staff.pa, person, SETTING_UP_HOME)
    assert (b.allowance, b.used, b.pending, b.remaining) == (300_000, 120_000, 0, 180_000)
    assert b.describe(b.remaining) == "£1,800.00"
    assert b.eligible and not b.not_taken_up


def test_a_request_reserves_the_money_until_decided(services, staff, person):
    services.offer.add_entry(
        staff.pa,
        person,
        money(services, SETTING_UP_HOME, 500, date(2026, 10, 1), EntryStatus.REQUESTED),
    )
    b = balance_of(services, staff.pa, person, SETTING_UP_HOME)
    assert (b.used, b.pending, b.remaining) == (0, 50_000, 250_000)


def test_over_spend_is_refused_with_a_message_naming_the_amount(services, staff, person):
    offer = services.offer
    offer.add_entry(staff.pa, person, money(services, SETTING_UP_HOME, 1_200, date(2026, 10, 1)))
    with pytest.raises(ValidationError) as err:
        offer.add_entry(
            staff.pa, person, money(services, SETTING_UP_HOME, 2_000, date(2026, 11, 1))
        )
    (problem,) = err.value.problems
    assert problem.field == "amount"
    assert "£2,000.00 is more than the £1,800.00 left of Setting-up-home allowance" in str(problem)
    assert "a team manager can authorise an exception" in str(problem)
    assert balance_of(services, staff.pa, person, SETTING_UP_HOME).used == 120_000


def test_a_managers_exception_with_a_reason_allows_over_spend(services, staff, person):
    offer = services.offer
    offer.add_entry(staff.pa, person, money(services, SETTING_UP_HOME, 1_200, date(2026, 10, 1)))
    offer.add_entry(
        staff.manager,
        person,
        money(
            services,
            SETTING_UP_HOME,
            2_000,
            date(2026, 11, 1),
            exception_reason="Flat was let unfurnished after a fire",
        ),
    )
    b = balance_of(services, staff.pa, person, SETTING_UP_HOME)
    assert (b.used, b.remaining, b.over_by) == (320_000, 0, 20_000)
    entry = services.offer.statement(staff.pa, person).entries[0]
    assert entry.exception_reason == "Flat was let unfurnished after a fire"


def test_a_pas_exception_is_refused(services, staff, person):
    with pytest.raises(PermissionDenied, match="team manager"):
        services.offer.add_entry(
            staff.pa,
            person,
            money(
                services, SETTING_UP_HOME, 3_500, date(2026, 11, 1), exception_reason="Needed it"
            ),
        )
    assert services.offer.statement(staff.pa, person).entries == ()


def test_a_pa_can_mark_a_managers_exception_paid_but_not_change_its_reason(services, staff, person):
    offer = services.offer
    reason = "Flat was let unfurnished after a fire"
    wanted = money(services, SETTING_UP_HOME, 3_400, date(2026, 11, 1), exception_reason=reason)
    added = offer.add_entry(staff.manager, person, wanted)
    paid = offer.update_entry(
        staff.pa, added.entity_id, replace(wanted, status=EntryStatus.PAID), added.version
    )
    with pytest.raises(PermissionDenied):
        offer.update_entry(
            staff.pa,
            added.entity_id,
            replace(wanted, status=EntryStatus.PAID, exception_reason="Another reason"),
            paid.version,
        )
    (entry,) = offer.statement(staff.pa, person).entries
    assert (entry.status, entry.exception_reason) == (EntryStatus.PAID, reason)


def test_declining_needs_a_reason_and_a_declined_entry_uses_nothing(services, staff, person):
    offer = services.offer
    with pytest.raises(ValidationError) as err:
        offer.add_entry(
            staff.pa,
            person,
            money(services, SETTING_UP_HOME, 3_000, date(2026, 11, 1), EntryStatus.DECLINED),
        )
    assert [p.field for p in err.value.problems] == ["declined_reason"]
    offer.add_entry(
        staff.pa,
        person,
        money(
            services,
            SETTING_UP_HOME,
            3_000,
            date(2026, 11, 1),
            EntryStatus.DECLINED,
            declined_reason="No tenancy yet",
        ),
    )
    b = balance_of(services, staff.pa, person, SETTING_UP_HOME)
    assert (b.used, b.pending, b.remaining, b.times_used) == (0, 0, 300_000, 0)
    assert b.not_taken_up
    (entry,) = offer.statement(staff.pa, person).entries
    assert (entry.status, entry.declined_reason) == (EntryStatus.DECLINED, "No tenancy yet")


def test_a_future_date_is_refused(services, staff, person, today):
    with pytest.raises(ValidationError) as err:
        services.offer.add_entry(
            staff.pa, person, money(services, SETTING_UP_HOME, 100, date(2026, 11, 27))
        )
    assert [(p.field, p.message) for p in err.value.problems] == [
        ("date", "cannot be in the future")
    ]
    services.offer.add_entry(staff.pa, person, money(services, SETTING_UP_HOME, 100, today))


def test_an_item_the_young_person_cannot_have_yet_is_refused(services, staff, person):
    """Driving lessons start at 17: Pat turned 17 on 10 January 2023."""
    lessons = item_id(services, "Driving lessons")
    with pytest.raises(ValidationError, match="starts at age 17"):
        services.offer.add_entry(
            staff.pa,
            person,
            EntryInput(lessons, date(2022, 12, 1), EntryStatus.PAID, quantity=Decimal(2)),
        )
    services.offer.add_entry(
        staff.pa,
        person,
        EntryInput(lessons, date(2026, 6, 1), EntryStatus.PAID, quantity=Decimal("1.5")),
    )
    b = balance_of(services, staff.pa, person, "Driving lessons")
    assert (b.used, b.remaining, b.describe(b.remaining)) == (
        Decimal("1.5"),
        Decimal("8.5"),
        "8.5 hours",
    )


def test_monthly_allowances_renew_each_month(services, staff, person):
    offer = services.offer
    offer.add_entry(staff.pa, person, money(services, "Leisure funding", 20, date(2026, 10, 5)))
    offer.add_entry(staff.pa, person, money(services, "Leisure funding", 20, date(2026, 11, 5)))
    with pytest.raises(ValidationError, match="for November 2026"):
        offer.add_entry(staff.pa, person, money(services, "Leisure funding", 5, date(2026, 11, 20)))
    b = balance_of(services, staff.pa, person, "Leisure funding")
    assert (b.used, b.remaining, b.times_used) == (2_000, 0, 2)


def test_status_moves_requested_approved_paid_with_the_approver_kept(services, staff, person):
    offer = services.offer
    requested = offer.add_entry(
        staff.pa,
        person,
        money(services, SETTING_UP_HOME, 1_200, date(2026, 10, 1), EntryStatus.REQUESTED),
    )
    (entry,) = offer.statement(staff.pa, person).entries
    assert (entry.status, entry.approved_by, entry.recorded_by) == (
        EntryStatus.REQUESTED,
        "",
        "Alex Adviser",
    )
    wanted = money(services, SETTING_UP_HOME, 1_200, date(2026, 10, 1), EntryStatus.APPROVED)
    approved = offer.update_entry(staff.manager, requested.entity_id, wanted, requested.version)
    (entry,) = offer.statement(staff.pa, person).entries
    assert (entry.status, entry.approved_by) == (EntryStatus.APPROVED, "Morgan Manager")
    paid = replace(wanted, status=EntryStatus.PAID)
    offer.update_entry(staff.pa, requested.entity_id, paid, approved.version)
    (entry,) = offer.statement(staff.pa, person).entries
    assert (entry.status, entry.approved_by) == (EntryStatus.PAID, "Morgan Manager")
    changes = [
        (e.field, e.old_value, e.new_value)
        for e in events(services, "offer_entry")
        if e.action == "update"
    ]
    assert ("status", "requested", "approved") in changes
    assert ("status", "approved", "paid") in changes


def test_a_stale_version_is_a_conflict(services, staff, person):
    offer = services.offer
    first = offer.add_entry(
        staff.pa,
        person,
        money(services, SETTING_UP_HOME, 100, date(2026, 10, 1), EntryStatus.REQUESTED),
    )
    approved = money(services, SETTING_UP_HOME, 100, date(2026, 10, 1))
    offer.update_entry(staff.manager, first.entity_id, approved, first.version)
    with pytest.raises(ConflictError):
        offer.update_entry(
            staff.pa, first.entity_id, replace(approved, amount_pence=5_000), first.version
        )


def test_a_pa_of_another_team_can_neither_see_nor_record(services, staff, person):
    with pytest.raises(PermissionDenied):
        services.offer.statement(staff.other_pa, person)
    with pytest.raises(PermissionDenied):
        services.offer.add_entry(
            staff.other_pa, person, money(services, SETTING_UP_HOME, 100, date(2026, 10, 1))
        )
    assert services.offer.statement(staff.manager, person).entries == ()


def test_the_statement_is_audited_and_lists_what_was_never_taken_up(services, staff, person):
    services.offer.add_entry(
        staff.pa, person, money(services, "Leisure funding", 20, date(2026, 11, 5))
    )
    statement = services.offer.statement(staff.pa, person)
    assert statement.category is LeaverCategory.FORMER_RELEVANT
    not_taken = [i.name for i in statement.not_taken_up]
    assert SETTING_UP_HOME in not_taken and "Leisure funding" not in not_taken
    # 20 years old: the 16–19 bursary is over, so it is neither offered nor listed.
    assert "16–19 bursary" not in not_taken
    assert "16–19 bursary" not in [b.item.name for b in statement.balances]
    views = [e for e in events(services, "young_person") if e.action == "view"]
    assert views[-1].detail == "local offer" and views[-1].entity_id == person


# -- the catalogue ---------------------------------------------------------------------------

BIKE = OfferItem(
    name="Bicycle",
    category=OfferCategory.LEISURE,
    kind=EntitlementKind.LIFETIME,
    amount_pence=15_000,
    description="A bicycle and lock for getting to work or college.",
)


def test_only_an_administrator_edits_the_catalogue_and_each_edit_is_audited(services, staff):
    offer = services.offer
    for actor in (staff.pa, staff.manager):
        with pytest.raises(PermissionDenied):
            offer.add_item(actor, BIKE)
    added = offer.add_item(staff.admin, BIKE)
    created = [e for e in events(services, "offer_item") if e.entity_id == added.entity_id]
    assert {(e.action, e.field, e.new_value) for e in created} >= {
        ("create", "name", "Bicycle"),
        ("create", "amount_pence", "15000"),
    }
    assert all(e.actor_id == staff.admin.id for e in created)
    with pytest.raises(PermissionDenied):
        offer.update_item(
            staff.manager, added.entity_id, replace(BIKE, amount_pence=20_000), added.version
        )
    offer.update_item(
        staff.admin, added.entity_id, replace(BIKE, amount_pence=20_000), added.version
    )
    updates = [
        (e.action, e.field, e.old_value, e.new_value)
        for e in events(services, "offer_item")
        if e.entity_id == added.entity_id and e.action == "update"
    ]
    assert updates == [("update", "amount_pence", "15000", "20000")]
    assert [c.item for c in offer.catalogue()][-1].amount_pence == 20_000


def test_a_duplicate_name_is_refused_whatever_its_case(services, staff):
    with pytest.raises(ValidationError) as err:
        services.offer.add_item(staff.admin, replace(BIKE, name="leisure FUNDING"))
    assert [p.field for p in err.value.problems] == ["name"]
    added = services.offer.add_item(staff.admin, BIKE)
    with pytest.raises(ValidationError, match="already called"):
        services.offer.update_item(
            staff.admin, added.entity_id, replace(BIKE, name="Driving Lessons"), added.version
        )


def test_an_invalid_item_is_refused(services, staff):
    with pytest.raises(ValidationError) as err:
        services.offer.add_item(staff.admin, replace(BIKE, amount_pence=None, max_age=10))
    assert {p.field for p in err.value.problems} == {"amount", "max_age"}


def test_retiring_keeps_the_history_and_refuses_new_entries(services, staff, person):
    offer = services.offer
    leisure = item_id(services, "Leisure funding")
    first = offer.add_entry(
        staff.pa,
        person,
        money(services, "Leisure funding", 20, date(2026, 11, 2), EntryStatus.REQUESTED),
    )
    (entry,) = [c for c in offer.catalogue() if c.item.id == leisure]
    assert entry.times_used == 1
    offer.set_item_active(staff.admin, leisure, False, entry.version)
    assert leisure not in [c.item.id for c in offer.catalogue(include_retired=False)]
    with pytest.raises(ValidationError, match="retired"):
        offer.add_entry(staff.pa, person, money(services, "Leisure funding", 20, date(2026, 10, 2)))
    # The entry already on the ledger can still be decided and stays in the statement.
    offer.update_entry(
        staff.manager,
        first.entity_id,
        money(services, "Leisure funding", 20, date(2026, 11, 2)),
        first.version,
    )
    statement = offer.statement(staff.pa, person)
    b = balance_of(services, staff.pa, person, "Leisure funding")
    assert (b.used, b.eligible) == (2_000, False)
    assert "retired" in b.ineligible_reason
    assert "Leisure funding" not in [i.name for i in statement.not_taken_up]
    assert [e.item_name for e in statement.entries] == ["Leisure funding"]
    retired = [e for e in events(services, "offer_item") if e.entity_id == leisure]
    assert [(e.field, e.old_value, e.new_value) for e in retired] == [("active", "True", "False")]


# -- take-up ---------------------------------------------------------------------------------


@pytest.fixture
def caseloads(services, staff, person):
    """North: Pat (setting-up-home paid £1,200, leisure requested) and Jo (nothing).
    South: Sam (leisure paid twice)."""
    offer = services.offer
    jo = services.people.create(
        staff.pa,
        PersonDetails("LO2", "Jo", "Example", date(2007, 6, 1)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2022, 1, 1), date(2025, 6, 1)),),
    ).entity_id
    sam = services.people.create(
        staff.other_pa,
        PersonDetails("LO3", "Sam", "South", date(2005, 3, 3)),
        pa_id=staff.other_pa.id,
        care_periods=(CarePeriod(date(2020, 1, 1), date(2023, 3, 3)),),
    ).entity_id
    offer.add_entry(
        staff.pa,
        person,
        money(services, SETTING_UP_HOME, 1_200, date(2026, 5, 1), EntryStatus.PAID),
    )
    offer.add_entry(
        staff.pa,
        person,
        money(services, "Leisure funding", 20, date(2026, 11, 1), EntryStatus.REQUESTED),
    )
    for month in (9, 10):
        offer.add_entry(
            staff.other_pa,
            sam,
            money(services, "Leisure funding", 20, date(2026, month, 3), EntryStatus.PAID),
        )
    return person, jo, sam


def test_take_up_counts_each_team_and_a_pa_cannot_ask_for_another(services, staff, caseloads):
    offer = services.offer
    start, end = date(2026, 4, 1), date(2026, 11, 26)
    north = offer.take_up(staff.manager, start, end)
    assert (north.scope, north.people) == ("North Team", 2)
    rows = {r.item.name: r for r in north.rows}
    home = rows[SETTING_UP_HOME]
    assert (home.eligible, home.used_ever, home.used_in_period) == (2, 1, 1)
    assert (home.committed_pence, home.paid_pence, home.take_up_percent) == (120_000, 120_000, 50)
    leisure = rows["Leisure funding"]
    assert (leisure.eligible, leisure.used_ever, leisure.committed_pence) == (2, 0, 0)
    assert offer.take_up(staff.pa, start, end, team_id=staff.team.id).rows == north.rows
    with pytest.raises(PermissionDenied, match="own team"):
        offer.take_up(staff.pa, start, end, team_id=staff.other_team.id)
    south = offer.take_up(staff.other_pa, start, end)
    (south_leisure,) = [r for r in south.rows if r.item.name == "Leisure funding"]
    assert (south.scope, south.people) == ("South Team", 1)
    assert (south_leisure.used_ever, south_leisure.used_in_period) == (1, 1)
    assert (south_leisure.committed_pence, south_leisure.paid_pence) == (4_000, 4_000)
    everyone = offer.take_up(staff.admin, start, end)
    assert (everyone.scope, everyone.people) == ("All teams", 3)
    only_south = offer.take_up(staff.admin, start, end, team_id=staff.other_team.id)
    assert only_south.rows == south.rows


def test_take_up_spend_is_only_what_falls_in_the_period(services, staff, caseloads):
    report = services.offer.take_up(staff.manager, date(2026, 6, 1), date(2026, 11, 26))
    (home,) = [r for r in report.rows if r.item.name == SETTING_UP_HOME]
    assert (home.used_ever, home.used_in_period, home.committed_pence) == (1, 0, 0)
    with pytest.raises(ValidationError):
        services.offer.take_up(staff.manager, date(2026, 6, 1), date(2026, 5, 1))


def test_take_up_is_audited(services, staff, caseloads):
    services.offer.take_up(staff.manager, date(2026, 4, 1), date(2026, 11, 26))
    (event,) = events(services, "offer_take_up")
    assert (event.action, event.entity_id, event.detail) == (
        "view",
        staff.team.id,
        "2026-04-01 to 2026-11-26",
    )
