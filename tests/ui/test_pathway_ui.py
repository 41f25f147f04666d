"""Pathway planning in the window: the record's Pathway tab, its dialogs and the due list."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from ui_helpers import in_modal

from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType, Suitability
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.pathway import ReviewKind
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.dialogs.move_dialog import MoveDialog
from careleaver_app.ui.dialogs.pathway_dialogs import AssessmentDialog, ReviewDialog, SignOffDialog
from careleaver_app.ui.main_window import MainWindow
from careleaver_app.ui.pathway_model import Column, DueModel

SAVE = QDialogButtonBox.StandardButton.Save
# conftest's today is 26/11/2026: a review on 27/10/2026 puts the next one five months away.
REVIEW_ON = date(2026, 10, 27)


@pytest.fixture
def person(services, staff):
    changes = services.people.create(
        staff.pa,
        PersonDetails("CL0500", "Jordan", "Baker", date(2007, 3, 1)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2021, 1, 1), date(2025, 3, 1)),),
    )
    person_id = changes.entity_id
    services.accommodation.record_move(
        staff.pa,
        person_id,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2025, 3, 1), Suitability.SUITABLE),
    )
    services.pathway.record_assessment(staff.pa, person_id, date(2023, 5, 1), "Alex Adviser")
    services.pathway.start_plan(staff.pa, person_id, date(2026, 6, 1), "Alex Adviser")
    services.pathway.record_review(staff.pa, person_id, REVIEW_ON, ReviewKind.SCHEDULED)
    return person_id


def _window(qtbot, services, actor, ini):
    w = MainWindow(services, actor, ini, "test database")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitActive(w):
        w.activateWindow()
    return w


def _due_row(window, person_id):
    due = window.pathway_dock.due
    for row in range(due.proxy.rowCount()):
        if due.proxy.index(row, Column.NAME).data(Qt.ItemDataRole.UserRole) == person_id:
            return row
    raise AssertionError("young person not in the due list")


def _due_cell(window, row, column):
    return window.pathway_dock.due.proxy.index(row, column).data()


def test_done_when_a_move_brings_the_review_forward_in_record_and_due_list(
    qtbot, services, staff, person, tmp_path
):
    """A move 5 months before the review makes it due 28 days after the move, on screen."""
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.open_person(person)
    qtbot.keyClick(
        window,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.pathway_dock.isVisible()
    panel = window.current_record().pathway
    assert "27/04/2027" in panel.next_due.text() and "six-monthly" in panel.next_due.text()
    assert panel.status.text() == "In date"
    row = _due_row(window, person)
    assert _due_cell(window, row, Column.NEXT_DUE) == "27/04/2027"

    def move(dialog):
        assert isinstance(dialog, MoveDialog)
        dialog.type.setCurrentIndex(
            dialog.type.findData(AccommodationType.INDEPENDENT_LIVING.value)
        )
        dialog.address.setText("Flat 2, 10 Mill Lane")
        dialog.buttons.button(SAVE).click()

    errors = []
    in_modal(move, errors)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors

    reason = "moved on 26/11/2026: review due by 24/12/2026"
    panel = window.current_record().pathway
    assert panel.next_due.text().startswith("24/12/2026")
    assert reason in panel.next_due.text()
    assert panel.status.text() == "Due within 28 days"
    assert reason in panel.text()
    row = _due_row(window, person)
    assert _due_cell(window, row, Column.NEXT_DUE) == "24/12/2026"
    assert _due_cell(window, row, Column.REASON) == reason
    assert _due_cell(window, row, Column.STATUS) == "Due within 28 days"
    assert _due_cell(window, row, Column.LAST_REVIEW) == "27/10/2026"


def test_pathway_tab_shows_assessment_plan_and_milestones(qtbot, services, staff, person, tmp_path):
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.open_person(person)
    panel = window.current_record().pathway
    assert panel.assessment.text() == "Completed 01/05/2023"
    assert "Started 01/06/2026" in panel.plan.text() and "not signed off" in panel.plan.text()
    assert panel.last_review.text() == "27/10/2026"
    ages = [panel.milestones.item(r, 0).text() for r in range(panel.milestones.rowCount())]
    assert ages == ["17th", "18th", "21st", "25th"]
    assert "(passed)" in panel.milestones.item(0, 1).text()
    assert "Hand-over" in panel.milestones.item(1, 2).text()


def test_enter_in_the_due_list_opens_the_young_person(qtbot, services, staff, person, tmp_path):
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.actions_by_id[ActionId.DUE_REVIEWS].trigger()
    table = window.pathway_dock.due.table
    table.setCurrentIndex(window.pathway_dock.due.proxy.index(_due_row(window, person), 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.current_record() is not None and window.current_record().person_id == person


def test_due_list_sorts_by_due_date(qtbot, services, staff, person, tmp_path):
    other = services.people.create(
        staff.pa,
        PersonDetails("CL0501", "Amy", "Early", date(2006, 1, 1)),
        pa_id=staff.pa.id,
    ).entity_id
    services.pathway.start_plan(staff.pa, other, date(2026, 6, 20))
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.pathway_dock.show_due()
    due = window.pathway_dock.due
    assert _due_row(window, other) < _due_row(window, person)  # 20/12/2026 before 27/04/2027
    due.table.sortByColumn(Column.NEXT_DUE, Qt.SortOrder.DescendingOrder)
    assert _due_row(window, person) < _due_row(window, other)


def test_due_model_passes_qt_model_tester(qtmodeltester, services, staff, person):
    model = DueModel()
    model.set_rows(services.pathway.due_list(staff.pa))
    assert model.rowCount() == 1
    qtmodeltester.check(model, force_py=True)


def test_a_future_date_shows_the_problem_next_to_the_field(qtbot, services, staff, person, today):
    calls = []

    def submit(a):
        calls.append(a)
        return services.pathway.record_assessment(staff.pa, person, a.completed_on, a.completed_by)

    dialog = AssessmentDialog(submit, today)
    qtbot.addWidget(dialog)
    dialog.completed_on.setDate(date(2026, 12, 25))
    dialog.buttons.button(SAVE).click()
    error = dialog._errors["completed_on"]
    assert error.isVisibleTo(dialog) and "future" in error.text()
    assert dialog.result() == 0 and calls  # the service refused; the dialog stays open
    assert services.pathway.summary(staff.pa, person).assessment_on == date(2023, 5, 1)


def test_record_a_review_from_the_pathway_menu_refreshes_the_record(
    qtbot, services, staff, person, tmp_path
):
    window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    window.open_person(person)

    def fill(dialog):
        assert isinstance(dialog, ReviewDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(ReviewKind.REQUESTED.value))
        dialog.attendees.setText("Jordan, Alex")
        dialog.buttons.button(SAVE).click()

    errors = []
    in_modal(fill, errors)
    window.actions_by_id[ActionId.RECORD_REVIEW].trigger()
    assert not errors, errors
    panel = window.current_record().pathway
    assert panel.last_review.text() == "26/11/2026"
    assert panel.next_due.text().startswith("26/05/2027")


def test_only_a_team_manager_may_sign_off(qtbot, services, staff, person, tmp_path):
    pa_window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    pa_window.open_person(person)
    assert not pa_window.actions_by_id[ActionId.SIGN_OFF_PLAN].isEnabled()
    tm_window = _window(qtbot, services, staff.manager, tmp_path / "tm.ini")
    assert not tm_window.actions_by_id[ActionId.SIGN_OFF_PLAN].isEnabled()  # no record open
    tm_window.open_person(person)
    assert tm_window.actions_by_id[ActionId.SIGN_OFF_PLAN].isEnabled()


def test_a_team_manager_signs_off_the_plan_from_the_pathway_menu(
    qtbot, services, staff, person, tmp_path
):
    window = _window(qtbot, services, staff.manager, tmp_path / "tm.ini")
    window.open_person(person)

    def fill(dialog):
        assert isinstance(dialog, SignOffDialog)
        dialog.buttons.button(SAVE).click()

    errors = []
    in_modal(fill, errors)
    window.actions_by_id[ActionId.SIGN_OFF_PLAN].trigger()
    assert not errors, errors
    summary = services.pathway.summary(staff.manager, person)
    assert summary.plan_signed_off_on == services.pathway.today()
    assert "signed off" in window.current_record().pathway.plan.text()
