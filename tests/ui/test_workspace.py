"""The PA's workspace driven offscreen as a PA would: keyboard first, through the real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox
from ui_helpers import in_modal

from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType, InTouch, Role, Suitability
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.people import PeopleQuery
from careleaver_app.ui import caseload_model
from careleaver_app.ui.caseload_model import PAGE, CaseloadModel, Column
from careleaver_app.ui.dialogs.move_dialog import MoveDialog
from careleaver_app.ui.dialogs.small_dialogs import ContactDialog
from careleaver_app.ui.main_window import MainWindow
from careleaver_app.ui.record_view import RecordView

NAMES = [("Zoë", "Nguyễn"), ("Łukasz", "Kowalski"), ("محمد", "الأحمد"), ("Amara", "Okafor")]


@pytest.fixture
def caseload(services, staff):
    ids = []
    for i, (first, last) in enumerate(NAMES):
        changes = services.people.create(
            staff.pa,
            PersonDetails(f"CL{i:04d}", first, last, date(2007, 3, 1 + i)),
            pa_id=staff.pa.id,
            care_periods=(CarePeriod(date(2021, 1, 1), date(2025, 3, 1)),),
        )
        services.accommodation.record_move(
            staff.pa,
            changes.entity_id,
            MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2025, 3, 1), Suitability.SUITABLE),
        )
        ids.append(changes.entity_id)
    return ids


@pytest.fixture
def window(qtbot, services, staff, caseload, tmp_path):
    w = MainWindow(services, staff.pa, tmp_path / "window.ini", "test database")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _search(qtbot, window, text):
    window.caseload.search.clear()
    qtbot.keyClicks(window.caseload.search, text)
    qtbot.waitUntil(lambda: window.caseload.model.query.search == text, timeout=2000)


def test_caseload_model_passes_qt_model_tester(qtmodeltester, services, staff, caseload):
    model = CaseloadModel(lambda q: services.people.list(staff.pa, q))
    model.reload()
    qtmodeltester.check(model, force_py=True)


def test_model_fetches_lazily_in_pages(services, staff):
    for i in range(450):
        services.people.create(
            staff.pa, PersonDetails(f"P{i:04d}", "Test", f"Person{i:04d}", date(2008, 1, 1))
        )
    model = CaseloadModel(lambda q: services.people.list(staff.pa, q))
    model.set_query(PeopleQuery())
    assert model.rowCount() == 0  # nothing is fetched until the view asks for its first page
    model.reload()
    assert model.rowCount() == PAGE and model.total == 450
    from PySide6.QtCore import QModelIndex

    assert model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 450 and not model.canFetchMore(QModelIndex())


def test_a_broad_search_counts_up_to_a_limit_and_the_label_says_so(
    qtbot, services, staff, tmp_path, monkeypatch
):
    """Past the count limit the label shows a lower bound ("50 of 52+"); scrolling on fetches
    the rest and the count grows with it; a narrow search is counted exactly."""
    monkeypatch.setattr(caseload_model, "SEARCH_COUNT_LIMIT", 2)
    for i in range(60):
        services.people.create(
            staff.pa,
            PersonDetails(f"P{i:04d}", "Test", f"Person{i:04d}", date(2008, 1, 1)),
            pa_id=staff.pa.id,
        )
    window = MainWindow(services, staff.pa, tmp_path / "window.ini", "test database")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view, model = window.caseload, window.caseload.model
    _search(qtbot, window, "person")
    assert (model.rowCount(), model.total, model.total_exact) == (PAGE, PAGE + 2, False)
    assert view.count.text() == f"{PAGE} of {PAGE + 2}+ young people"
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert (model.rowCount(), model.total, model.total_exact) == (60, 60, True)
    _search(qtbot, window, "person0007")
    assert (model.rowCount(), model.total, model.total_exact) == (1, 1, True)
    assert view.count.text().startswith("1 ")


def test_search_as_you_type_ignores_accents_and_case(qtbot, window):
    _search(qtbot, window, "zoe")
    model = window.caseload.model
    assert model.rowCount() == 1
    assert model.row_at(0).first_name == "Zoë"
    _search(qtbot, window, "LUKASZ")
    assert [model.row_at(i).first_name for i in range(model.rowCount())] == ["Łukasz"]
    _search(qtbot, window, "CL0002")
    assert model.row_at(0).first_name == "محمد"


def test_find_shortcut_focuses_search(qtbot, window):
    window.caseload.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.caseload.search.hasFocus(), timeout=1000)


def test_enter_opens_the_record_in_a_tab(qtbot, window):
    _search(qtbot, window, "okafor")
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Return)
    assert window.caseload.table.hasFocus()
    qtbot.keyClick(window.caseload.table, Qt.Key.Key_Return)
    view = window.current_record()
    assert isinstance(view, RecordView)
    assert view.record.last_name == "Okafor"
    assert "Okafor" in window.records.tabText(window.records.currentIndex())


def test_move_into_bnb_raises_a_flag_in_record_and_list(qtbot, window, caseload):
    _search(qtbot, window, "zoe")
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Return)
    qtbot.keyClick(window.caseload.table, Qt.Key.Key_Return)

    def fill(dialog):
        assert isinstance(dialog, MoveDialog)
        dialog.type.setCurrentIndex(dialog.type.findData(AccommodationType.BED_AND_BREAKFAST.value))
        assert dialog.warning.isVisibleTo(dialog) and "flag" in dialog.warning.text()
        dialog.unsuitable.setChecked(True)
        dialog.postcode.setText("st16 2ab")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    errors = []
    in_modal(fill, errors)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors
    view = window.current_record()
    assert view.record.current_episode.type is AccommodationType.BED_AND_BREAKFAST
    assert "In B&B" in view.flags.text()
    assert "Flag raised" in window.statusBar().currentMessage()
    row = window.caseload.model.row_at(window.caseload.model.row_of(caseload[0]))
    assert "In B&B" in row.flags
    flags_index = window.caseload.model.index(
        window.caseload.model.row_of(caseload[0]), Column.FLAGS
    )
    assert "In B&B" in flags_index.data()
    assert flags_index.data(Qt.ItemDataRole.DecorationRole) is not None  # icon and text


def test_move_dialog_shows_problem_next_to_field_and_saves_nothing(
    qtbot, services, staff, caseload, today
):
    calls = []

    def submit(move):
        calls.append(move)
        return services.accommodation.record_move(staff.pa, caseload[1], move)

    dialog = MoveDialog(submit, today)
    qtbot.addWidget(dialog)
    dialog.postcode.setText("not a postcode")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    error = dialog._errors["postcode"]
    assert error.isVisibleTo(dialog) and "postcode" in error.text().lower()
    assert dialog.result() == 0  # still open
    record = services.people.get(staff.pa, caseload[1])
    assert len(record.episodes) == 1


def test_custody_cannot_be_judged_suitable_in_the_dialog(qtbot, today):
    dialog = MoveDialog(lambda m: None, today)
    qtbot.addWidget(dialog)
    dialog.type.setCurrentIndex(dialog.type.findData(AccommodationType.CUSTODY.value))
    assert dialog.unsuitable.isChecked() and not dialog.suitable.isEnabled()


def test_log_contact_by_keyboard_updates_in_touch(qtbot, window, services, staff, caseload):
    _search(qtbot, window, "kowalski")
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Return)

    def fill(dialog):
        assert isinstance(dialog, ContactDialog)
        dialog.in_touch.setCurrentIndex(dialog.in_touch.findData(InTouch.NO.value))
        dialog.note.setPlainText("Phoned twice, no answer")
        qtbot.keyClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.Key.Key_Space
        )

    errors = []
    in_modal(fill, errors)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors
    record = services.people.get(staff.pa, caseload[1])
    assert record.contacts[-1].in_touch is InTouch.NO
    assert record.contacts[-1].note == "Phoned twice, no answer"
    window.caseload.not_in_touch.setChecked(True)
    model = window.caseload.model
    assert [model.row_at(i).last_name for i in range(model.rowCount())] == ["Kowalski"]


def test_window_layout_is_remembered(qtbot, services, staff, caseload, tmp_path):
    first = MainWindow(services, staff.pa, tmp_path / "w.ini", "db")
    qtbot.addWidget(first)
    first.show()
    first.resize(641, 477)
    first.caseload.table.horizontalHeader().resizeSection(Column.REFERENCE, 173)
    first.close()
    second = MainWindow(services, staff.pa, tmp_path / "w.ini", "db")
    qtbot.addWidget(second)
    assert second.size().height() == 477
    assert second.caseload.table.horizontalHeader().sectionSize(Column.REFERENCE) == 173


def test_every_action_has_text_and_every_menu_action_is_reachable(window):
    for action in window.actions_by_id.values():
        assert action.text() and action.toolTip()
    menu_actions = {a for m in window.menuBar().actions() for a in m.menu().actions()}
    assert set(window.actions_by_id.values()) <= menu_actions


def test_service_refusal_becomes_a_message_not_a_crash(qtbot, window, staff, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    window._set_actor(staff.other_pa)
    window.open_person(1)
    assert shown and "may not" in shown[0]


def test_a_user_who_may_not_list_sees_an_empty_list_not_the_last_users(
    qtbot, window, services, staff
):
    """Privacy: a refused list never leaves the previous user's young people on screen."""
    hl = services.staffing.create_staff(
        staff.admin, "hl2", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    assert window.caseload.model.rowCount() > 0
    window._set_actor(services.staffing.actor(hl.username))
    assert window.caseload.model.rowCount() == 0
    assert "may not" in window.statusBar().currentMessage()
    window.caseload.bnb.setChecked(True)  # a filter change after a refusal does not crash
    assert window.caseload.model.rowCount() == 0
