"""The local offer in the window: the record's Local offer tab, the entry dialog, the team's
take-up and the administrators' catalogue editor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from ui_helpers import in_modal

from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.errors import ConflictError
from careleaver_app.domain.offer import EntitlementKind, EntryStatus, OfferCategory
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.offer import EntryInput
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.dialogs.offer import OfferEntryDialog, OfferItemDialog
from careleaver_app.ui.main_window import MainWindow
from careleaver_app.ui.offer_catalogue import OfferCatalogueDialog
from careleaver_app.ui.offer_model import BalanceColumn, BalanceModel, LedgerColumn, LedgerModel
from careleaver_app.ui.offer_overview_model import (
    CatalogueColumn,
    CatalogueModel,
    TakeUpColumn,
    TakeUpModel,
)
from careleaver_app.ui.offer_takeup import OfferTakeUpDialog, financial_year_start

SAVE = QDialogButtonBox.StandardButton.Save
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SETTING_UP_HOME = "Setting-up-home allowance"


@pytest.fixture
def person(services, staff):
    """Jordan, 19 on conftest's today (26/11/2026), former relevant: Alex Adviser's case."""
    return services.people.create(
        staff.pa,
        PersonDetails("CL0600", "Jordan", "Baker", date(2007, 3, 1)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2021, 1, 1), date(2025, 3, 1)),),
    ).entity_id


def _item_id(services, name):
    return next(c.item.id for c in services.offer.catalogue() if c.item.name == name)


def _window(qtbot, services, actor, ini):
    w = MainWindow(services, actor, ini, "test database")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitActive(w):
        w.activateWindow()
    return w


def _balance(panel, name, column):
    model = panel.balances_model
    for row in range(model.rowCount()):
        if model.index(row, BalanceColumn.ITEM).data() == name:
            return model.index(row, column).data()
    raise AssertionError(f"{name} is not in the Local offer tab")


def _take_up(view, name, column):
    model = view.model
    for row in range(model.rowCount()):
        if model.index(row, TakeUpColumn.ITEM).data() == name:
            return model.index(row, column).data()
    raise AssertionError(f"{name} is not in the take-up table")


def _entry_dialog(qtbot, services, actor, person_id, submit=None, entry=None, **kwargs):
    offer = services.offer
    dialog = OfferEntryDialog(
        submit or (lambda e: offer.add_entry(actor, person_id, e)),
        offer.today(),
        offer.catalogue(),
        offer.statement(actor, person_id),
        entry=entry,
        **kwargs,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_done_when_a_pa_records_1200_of_setting_up_home_and_sees_1800_remaining(
    qtbot, services, staff, person, tmp_path
):
    """The issue's acceptance test, through the record, the dialog and the take-up view."""
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.open_person(person)
    panel = window.current_record().offer
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.REMAINING) == "£3,000.00"
    assert "Not taken up" in _balance(panel, SETTING_UP_HOME, BalanceColumn.STATUS)
    assert SETTING_UP_HOME in panel.summary.text()
    assert panel.add_button.isEnabled()

    def fill(dialog):
        assert isinstance(dialog, OfferEntryDialog)
        assert dialog.item.currentText().startswith(SETTING_UP_HOME)
        assert "£3,000.00 remaining" in dialog.remaining.text()
        assert dialog.on.date().toPython() == date(2026, 11, 26)
        dialog.status.setFocus()
        qtbot.keyClicks(dialog.status, "Approved")
        assert dialog.status.currentData() == EntryStatus.APPROVED.value
        assert not dialog.declined_reason.isEnabled()
        qtbot.keyClicks(dialog.amount, "1,200")
        qtbot.keyClicks(dialog.note, "Bed, cooker and kettle")
        dialog.buttons.button(SAVE).click()

    errors = []
    in_modal(fill, errors)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)
    assert not errors, errors

    view = window.current_record()
    panel = view.offer
    assert view.tabs.currentWidget() is panel
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.USED) == "£1,200.00"
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.REMAINING) == "£1,800.00"
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.STATUS) == "Eligible"
    ledger = panel.ledger_model
    assert [ledger.index(0, c).data() for c in LedgerColumn] == [
        "26/11/2026",
        SETTING_UP_HOME,
        "Approved",
        "£1,200.00",
        "Alex Adviser",
        "Bed, cooker and kettle",
        "",
    ]

    window.actions_by_id[ActionId.OFFER_TAKE_UP].trigger()
    take_up = window.offer_commands.take_up_view
    assert take_up is not None and take_up.isVisible()
    assert take_up.start.date().toPython() == date(2026, 4, 1)
    assert _take_up(take_up, SETTING_UP_HOME, TakeUpColumn.ELIGIBLE) == "1"
    assert _take_up(take_up, SETTING_UP_HOME, TakeUpColumn.USED_EVER) == "1"
    assert _take_up(take_up, SETTING_UP_HOME, TakeUpColumn.PERCENT) == "100%"
    assert _take_up(take_up, SETTING_UP_HOME, TakeUpColumn.COMMITTED) == "£1,200.00"
    assert _take_up(take_up, SETTING_UP_HOME, TakeUpColumn.PAID) == "£0.00"
    assert "£1,200.00 committed" in take_up.totals.text()
    take_up.close()


def test_an_over_spend_shows_beside_the_amount_and_keeps_the_dialog_open(
    qtbot, services, staff, person
):
    calls = []
    offer = services.offer

    def submit(entry):
        calls.append(entry)
        return offer.add_entry(staff.pa, person, entry)

    dialog = _entry_dialog(qtbot, services, staff.pa, person, submit)
    qtbot.keyClicks(dialog.amount, "3,500")
    qtbot.keyClicks(dialog.note, "Sofa")
    dialog.buttons.button(SAVE).click()
    error = dialog._errors["amount"]
    assert error.isVisibleTo(dialog)
    assert "£3,500.00 is more than the £3,000.00 left" in error.text()
    assert "team manager" in error.text()
    assert calls and dialog.result() == 0  # the service refused; the dialog stays open
    assert dialog.amount.text() == "3,500" and dialog.note.toPlainText() == "Sofa"
    assert offer.statement(staff.pa, person).entries == ()


def test_an_amount_that_is_not_money_is_shown_beside_the_field_and_never_sent(
    qtbot, services, staff, person
):
    calls = []
    dialog = _entry_dialog(qtbot, services, staff.pa, person, calls.append)
    qtbot.keyClicks(dialog.amount, "twelve")
    dialog.buttons.button(SAVE).click()
    assert dialog._errors["amount"].isVisibleTo(dialog)
    assert "not an amount in pounds" in dialog._errors["amount"].text()
    assert not calls


def test_a_quantity_item_asks_for_the_quantity_with_its_unit(qtbot, services, staff, person):
    dialog = _entry_dialog(qtbot, services, staff.pa, person)
    dialog.item.setCurrentIndex(dialog.item.findData(_item_id(services, "Driving lessons")))
    assert dialog.quantity.isEnabled() and dialog.unit.text() == "hours"
    assert "10 hours remaining" in dialog.remaining.text()
    qtbot.keyClicks(dialog.quantity, "4")
    dialog.buttons.button(SAVE).click()
    assert dialog.result() == 1, dialog.message.text()
    entry = services.offer.statement(staff.pa, person).entries[0]
    assert entry.quantity == Decimal(4) and entry.amount_pence is None


def test_declining_needs_a_reason_shown_beside_the_field(qtbot, services, staff, person):
    dialog = _entry_dialog(qtbot, services, staff.pa, person)
    dialog.status.setCurrentIndex(dialog.status.findData(EntryStatus.DECLINED.value))
    assert dialog.declined_reason.isEnabled()
    qtbot.keyClicks(dialog.amount, "100")
    dialog.buttons.button(SAVE).click()
    assert dialog._errors["declined_reason"].isVisibleTo(dialog)
    assert dialog.result() == 0


def test_only_a_team_manager_may_give_an_exception_reason(qtbot, services, staff, person):
    pa_dialog = _entry_dialog(qtbot, services, staff.pa, person)
    assert not pa_dialog.exception_reason.isEnabled()
    tm_dialog = _entry_dialog(
        qtbot,
        services,
        staff.manager,
        person,
        lambda e: services.offer.add_entry(staff.manager, person, e),
        may_authorise=True,
    )
    assert tm_dialog.exception_reason.isEnabled()
    qtbot.keyClicks(tm_dialog.amount, "3,200")
    qtbot.keyClicks(tm_dialog.exception_reason, "Flood damage: replacing everything")
    tm_dialog.status.setCurrentIndex(tm_dialog.status.findData(EntryStatus.APPROVED.value))
    tm_dialog.buttons.button(SAVE).click()
    assert tm_dialog.result() == 1, tm_dialog.message.text()
    statement = services.offer.statement(staff.manager, person)
    assert statement.entries[0].exception_reason.startswith("Flood damage")


def test_a_pa_moves_a_managers_exception_on_to_paid_keeping_its_reason(
    qtbot, services, staff, person
):
    offer = services.offer
    changes = offer.add_entry(
        staff.manager,
        person,
        EntryInput(
            _item_id(services, SETTING_UP_HOME),
            date(2026, 11, 2),
            EntryStatus.APPROVED,
            amount_pence=320_000,
            exception_reason="Flood damage",
        ),
    )
    entry = offer.statement(staff.pa, person).entries[0]
    dialog = _entry_dialog(
        qtbot,
        services,
        staff.pa,
        person,
        lambda e: offer.update_entry(staff.pa, changes.entity_id, e, entry.version),
        entry=entry,
    )
    assert not dialog.exception_reason.isEnabled()
    assert dialog.exception_reason.text() == "Flood damage"
    dialog.status.setCurrentIndex(dialog.status.findData(EntryStatus.PAID.value))
    dialog.buttons.button(SAVE).click()
    assert dialog.result() == 1, dialog.message.text()
    paid = offer.statement(staff.pa, person).entries[0]
    assert paid.status is EntryStatus.PAID and paid.exception_reason == "Flood damage"


def test_a_conflict_is_shown_in_a_message_box_and_the_dialog_stays_open(
    qtbot, services, staff, person
):
    def refuse(entry):
        raise ConflictError("This entry was changed by someone else")

    dialog = _entry_dialog(qtbot, services, staff.pa, person, refuse)
    qtbot.keyClicks(dialog.amount, "50")
    seen = []

    def read(box):
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    errors = []
    in_modal(read, errors)
    dialog.buttons.button(SAVE).click()
    assert not errors, errors
    assert seen == ["This entry was changed by someone else"]
    assert dialog.result() == 0 and dialog.amount.text() == "50"


def test_update_entry_moves_a_request_on_to_paid(qtbot, services, staff, person, tmp_path):
    item_id = _item_id(services, SETTING_UP_HOME)
    services.offer.add_entry(
        staff.pa,
        person,
        EntryInput(item_id, date(2026, 11, 2), EntryStatus.REQUESTED, amount_pence=50_000),
    )
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.open_person(person)
    panel = window.current_record().offer
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.PENDING) == "£500.00"
    panel.select_entry(panel.ledger_model.row_at(0).id)

    def fill(dialog):
        assert isinstance(dialog, OfferEntryDialog)
        assert dialog.amount.text() == "£500.00"
        assert "£3,000.00 remaining" in dialog.remaining.text()  # this entry counted back in
        dialog.status.setCurrentIndex(dialog.status.findData(EntryStatus.PAID.value))
        dialog.buttons.button(SAVE).click()

    errors = []
    in_modal(fill, errors)
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL_SHIFT)
    assert not errors, errors
    panel = window.current_record().offer
    assert panel.ledger_model.index(0, LedgerColumn.STATUS).data() == "Paid"
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.USED) == "£500.00"
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.PENDING) == "£0.00"


def test_enter_on_a_ledger_entry_opens_it_for_updating(qtbot, services, staff, person, tmp_path):
    services.offer.add_entry(
        staff.pa,
        person,
        EntryInput(
            _item_id(services, "Leisure funding"),
            date(2026, 11, 5),
            EntryStatus.REQUESTED,
            amount_pence=1_500,
        ),
    )
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.open_person(person)
    view = window.current_record()
    view.tabs.setCurrentWidget(view.offer)
    ledger = view.offer.ledger
    ledger.setFocus()
    ledger.setCurrentIndex(view.offer.ledger_model.index(0, 0))
    seen = []

    def look(dialog):
        assert isinstance(dialog, OfferEntryDialog)
        seen.append((dialog.windowTitle(), dialog.item.currentText(), dialog.amount.text()))
        dialog.reject()

    errors = []
    in_modal(look, errors)
    qtbot.keyClick(ledger, Qt.Key.Key_Return)
    assert not errors, errors
    assert seen == [("Update local-offer entry", "Leisure funding — £20.00 left", "£15.00")]


def test_another_pa_sees_the_offer_but_may_not_record(qtbot, services, staff, person, tmp_path):
    window = _window(qtbot, services, staff.pa2, tmp_path / "pa2.ini")
    window.open_person(person)
    panel = window.current_record().offer
    assert _balance(panel, SETTING_UP_HOME, BalanceColumn.REMAINING) == "£3,000.00"
    assert not window.actions_by_id[ActionId.OFFER_ADD_ENTRY].isEnabled()
    assert not panel.add_button.isEnabled() and not panel.update_button.isEnabled()
    assert not window.actions_by_id[ActionId.OFFER_CATALOGUE].isVisible()


def test_only_an_administrator_opens_the_catalogue_from_the_menu(qtbot, services, staff, tmp_path):
    pa_window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    assert not pa_window.actions_by_id[ActionId.OFFER_CATALOGUE].isEnabled()
    window = _window(qtbot, services, staff.admin, tmp_path / "admin.ini")
    action = window.actions_by_id[ActionId.OFFER_CATALOGUE]
    assert action.isEnabled() and action.isVisible()
    seen = []

    def look(dialog):
        assert isinstance(dialog, OfferCatalogueDialog)
        seen.append(dialog.model.rowCount())
        dialog.reject()

    errors = []
    in_modal(look, errors)
    action.trigger()
    assert not errors, errors
    assert seen == [10]


def test_the_catalogue_editor_adds_an_item_and_retires_one(qtbot, services, staff):
    editor = OfferCatalogueDialog(services, staff.admin)  # not shown: in_modal finds the item
    qtbot.addWidget(editor)

    def fill(dialog):
        assert isinstance(dialog, OfferItemDialog)
        qtbot.keyClicks(dialog.name, "Gym membership")
        dialog.category.setCurrentIndex(dialog.category.findData(OfferCategory.HEALTH.value))
        dialog.kind.setCurrentIndex(dialog.kind.findData(EntitlementKind.PER_YEAR.value))
        assert dialog.year_starts.isEnabled() and not dialog.quantity.isEnabled()
        qtbot.keyClicks(dialog.amount, "240")
        dialog.max_age.setValue(21)
        assert "day before the 21st birthday" in dialog.ages.text()
        dialog.buttons.button(SAVE).click()

    errors = []
    in_modal(fill, errors)
    editor.add_button.click()
    assert not errors, errors
    assert editor.changed
    added = editor.selected()
    assert added.item.name == "Gym membership"
    assert added.item.amount_pence == 24_000 and added.item.max_age == 21
    row = editor.model.row_of(added.item.id)
    assert editor.model.index(row, CatalogueColumn.ALLOWANCE).data() == "£240.00 a year"

    editor.select(_item_id(services, "Leisure funding"))
    assert editor.retire_button.text() == "&Retire"
    editor.retire_button.click()
    leisure = editor.selected()
    assert leisure.item.name == "Leisure funding" and not leisure.item.active
    assert editor.model.index(
        editor.model.row_of(leisure.item.id), CatalogueColumn.STATE
    ).data() == ("Retired")
    assert editor.retire_button.text() == "Re&instate"
    active = [c.item.name for c in services.offer.catalogue(include_retired=False)]
    assert "Leisure funding" not in active and "Gym membership" in active


def test_enter_on_a_catalogue_item_opens_it_for_editing(qtbot, services, staff):
    editor = OfferCatalogueDialog(services, staff.admin)
    qtbot.addWidget(editor)
    editor.select(_item_id(services, "Driving lessons"))
    seen = []

    def look(dialog):
        assert isinstance(dialog, OfferItemDialog)
        seen.append((dialog.name.text(), dialog.quantity.text(), dialog.unit.text()))
        dialog.reject()

    errors = []
    in_modal(look, errors)
    qtbot.keyClick(editor.table, Qt.Key.Key_Return)
    assert not errors, errors
    assert seen == [("Driving lessons", "10", "hours")]
    assert not editor.changed


def test_the_item_dialog_shows_each_problem_beside_its_field(qtbot, services, staff):
    dialog = OfferItemDialog(lambda item: services.offer.add_item(staff.admin, item))
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(EntitlementKind.QUANTITY.value))
    qtbot.keyClicks(dialog.quantity, "5")
    for box in dialog.categories.values():
        box.setChecked(False)
    dialog.buttons.button(SAVE).click()
    for field in ("name", "unit", "categories"):
        assert dialog._errors[field].isVisibleTo(dialog), field
    assert dialog.result() == 0 and dialog.quantity.text() == "5"


def test_take_up_defaults_to_the_financial_year_and_refuses_a_backwards_range(
    qtbot, services, staff, today
):
    assert financial_year_start(date(2026, 3, 31)) == date(2025, 4, 1)
    assert financial_year_start(date(2026, 4, 1)) == date(2026, 4, 1)
    view = OfferTakeUpDialog(services, staff.admin, lambda: today)
    qtbot.addWidget(view)
    assert view.team.isEnabled() and view.team.itemText(0) == "All teams"
    view.reload()
    assert view.model.rowCount() == 10
    view.end.setDate(date(2026, 1, 1))
    view.refresh_button.click()
    assert view.notice.isVisibleTo(view) and view.model.rowCount() == 0
    pa_view = OfferTakeUpDialog(services, staff.pa, lambda: today)
    qtbot.addWidget(pa_view)
    assert not pa_view.team.isEnabled()


def test_offer_models_pass_qt_model_tester(qtmodeltester, services, staff, person, today):
    offer = services.offer
    offer.add_entry(
        staff.pa,
        person,
        EntryInput(
            _item_id(services, "Driving lessons"),
            today,
            EntryStatus.PAID,
            quantity=Decimal("2.5"),
        ),
    )
    statement = offer.statement(staff.pa, person)
    for model, rows in (
        (BalanceModel(), statement.balances),
        (LedgerModel(), statement.entries),
        (CatalogueModel(), offer.catalogue()),
        (TakeUpModel(), offer.take_up(staff.admin, date(2026, 4, 1), today).rows),
    ):
        model.set_rows(rows)
        assert model.rowCount() == len(rows) > 0
        qtmodeltester.check(model, force_py=True)
