"""The managers' queue of flagged placements, driven offscreen through the real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from ui_helpers import in_modal

from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType, Role, Suitability
from careleaver_app.domain.escalation import DecisionKind, Level
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.escalations import DecisionInput
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.dialogs.escalation_dialogs import DecisionDialog, ResolveDialog
from careleaver_app.ui.dialogs.move_dialog import MoveDialog
from careleaver_app.ui.escalation_model import Column, EscalationModel
from careleaver_app.ui.main_window import MainWindow

MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
WEDNESDAY = date(2026, 11, 25)
THURSDAY = date(2026, 11, 26)  # three working days after Monday: level 2
SAVE = QDialogButtonBox.StandardButton.Save


@pytest.fixture
def clock():
    return {"today": MONDAY}


@pytest.fixture
def services(paths, clock):
    """Overrides conftest's: the same services, on a clock the test can move."""
    s = open_services(paths, None, lambda: clock["today"])
    yield s
    s.close()


def _person(services, staff, reference, first, last):
    """A young person of 21 (18+ when placed, so the ladder starts at level 1), in a flat."""
    changes = services.people.create(
        staff.pa,
        PersonDetails(reference, first, last, date(2005, 6, 1)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2019, 1, 1), date(2023, 6, 1)),),
    )
    services.accommodation.record_move(
        staff.pa,
        changes.entity_id,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2023, 6, 1), Suitability.SUITABLE),
    )
    return changes.entity_id


def _bnb(services, staff, person_id, on):
    services.accommodation.record_move(
        staff.pa,
        person_id,
        MoveInput(AccommodationType.BED_AND_BREAKFAST, on, Suitability.UNSUITABLE),
    )


@pytest.fixture
def person(services, staff):
    return _person(services, staff, "CL0100", "Jordan", "Baker")


def _window(qtbot, services, actor, ini):
    w = MainWindow(services, actor, ini, "test database")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitActive(w):
        w.activateWindow()
    qtbot.waitUntil(lambda: w.docks_loaded)
    return w


def _cell(window, row, column):
    queue = window.queue
    return queue.proxy.index(row, column).data()


def _badge(window):
    return window.actions_by_id[ActionId.FLAGGED_PLACEMENTS].text()


def test_done_when_bnb_move_is_escalated_decided_and_resolved(
    qtbot, services, staff, clock, person, tmp_path
):
    """PA records a B&B move; level 1, then 2 after three working days; decision; resolution."""
    pa_window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    pa_window.open_person(person)

    def move(dialog):
        assert isinstance(dialog, MoveDialog)
        dialog.type.setCurrentIndex(dialog.type.findData(AccommodationType.BED_AND_BREAKFAST.value))
        dialog.unsuitable.setChecked(True)
        dialog.address.setText("The Station Hotel, 1 High Street")
        dialog.buttons.button(SAVE).click()

    errors = []
    in_modal(move, errors)
    qtbot.keyClick(pa_window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors
    assert _badge(pa_window) == "&Flagged placements (1)"  # the save updated the count

    manager = _window(qtbot, services, staff.manager, tmp_path / "tm.ini")
    assert _badge(manager) == "&Flagged placements (1)"
    qtbot.keyClick(manager, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert manager.queue_dock.isVisible() and manager.queue.table.hasFocus()
    assert _cell(manager, 0, Column.NAME) == "Jordan Baker"
    assert _cell(manager, 0, Column.ACCOMMODATION) == "W2 · Bed and breakfast"
    assert _cell(manager, 0, Column.LEVEL) == "1 · Team manager"
    assert _cell(manager, 0, Column.STATUS) == "Open"
    assert "The Station Hotel" in manager.queue.detail.toPlainText()

    clock["today"] = THURSDAY
    manager.actions_by_id[ActionId.REFRESH].trigger()
    assert _cell(manager, 0, Column.LEVEL) == "2 · Head of service"
    assert _cell(manager, 0, Column.NIGHTS) == 3

    def decide(dialog):
        assert isinstance(dialog, DecisionDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(DecisionKind.EXCEPTION_AUTHORISED.value))
        dialog.note.setPlainText("Only vacancy tonight; PA to visit daily")
        dialog.buttons.button(SAVE).click()
        reason_problem = dialog._errors["reason"]
        assert reason_problem.isVisibleTo(dialog) and "required" in reason_problem.text()
        assert dialog.isVisible()  # nothing saved: the manager corrects and saves again
        dialog.reason.setPlainText("No supported place in the county until Monday")
        dialog.buttons.button(SAVE).click()

    in_modal(decide, errors)
    manager.actions_by_id[ActionId.RECORD_DECISION].trigger()
    assert not errors, errors
    # The decision's date is the services' wall-clock timestamp, so only its kind is pinned.
    assert _cell(manager, 0, Column.LAST_DECISION).startswith("Exception authorised · ")
    assert _cell(manager, 0, Column.NEXT_CHECK) == "03/12/2026"
    assert "No supported place in the county" in manager.queue.detail.toPlainText()
    assert not manager.actions_by_id[ActionId.RESOLVE_ESCALATION].isEnabled()  # still in B&B

    # The PA's side: the record shows the escalation and its trail; the list flags it.
    pa_window.refresh()
    record = pa_window.current_record()
    assert record.escalation.isVisibleTo(record)
    banner = record.escalation.text()
    assert "2 · Head of service" in banner and "3 night" in banner
    assert record.trail.item(0, 2).text() == "Exception authorised"
    row = pa_window.caseload.model.row_of(person)
    assert "Escalation open" in pa_window.caseload.model.row_at(row).flags
    pa_window.actions_by_id[ActionId.FLAGGED_PLACEMENTS].trigger()
    assert not pa_window.actions_by_id[ActionId.RECORD_DECISION].isEnabled()
    assert not pa_window.actions_by_id[ActionId.RESOLVE_ESCALATION].isEnabled()

    services.accommodation.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, THURSDAY, Suitability.SUITABLE),
    )
    manager.refresh()
    assert _cell(manager, 0, Column.STATUS) == "Ready to resolve"
    assert manager.actions_by_id[ActionId.RESOLVE_ESCALATION].isEnabled()

    def resolve(dialog):
        assert isinstance(dialog, ResolveDialog)
        dialog.buttons.button(SAVE).click()
        assert dialog._errors["rationale"].isVisibleTo(dialog)
        dialog.rationale.setPlainText("Moved to supported housing; placement ended 26/11/2026")
        dialog.buttons.button(SAVE).click()

    in_modal(resolve, errors)
    manager.actions_by_id[ActionId.RESOLVE_ESCALATION].trigger()
    assert not errors, errors
    assert manager.queue.model.rowCount() == 0
    assert _badge(manager) == "&Flagged placements (0)"
    assert "no open flagged placements" in manager.queue.detail.toPlainText()

    pa_window.refresh()
    record = pa_window.current_record()
    assert not record.escalation.isVisibleTo(record)
    assert "resolved" in record.trail.item(0, 0).text()
    assert _badge(pa_window) == "&Flagged placements (0)"


def test_escalation_model_passes_qt_model_tester(qtmodeltester, services, staff, clock):
    first = _person(services, staff, "CL0201", "Ada", "One")
    second = _person(services, staff, "CL0202", "Bo", "Two")
    _bnb(services, staff, first, MONDAY)
    _bnb(services, staff, second, MONDAY)
    clock["today"] = WEDNESDAY
    item = services.escalations.queue(staff.manager)[0]
    services.escalations.record_decision(
        staff.manager, item.id, DecisionInput(DecisionKind.ACKNOWLEDGED), item.version
    )
    model = EscalationModel()
    model.set_rows(services.escalations.queue(staff.manager))
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)


def test_an_overdue_check_puts_the_item_back_at_the_top_and_says_so(
    qtbot, services, staff, clock, tmp_path
):
    longer = _person(services, staff, "CL0301", "Long", "Stay")
    checked = _person(services, staff, "CL0302", "Soon", "Checked")
    _bnb(services, staff, longer, date(2026, 11, 20))
    _bnb(services, staff, checked, MONDAY)
    item = next(r for r in services.escalations.queue(staff.manager) if r.person_id == checked)
    services.escalations.record_decision(
        staff.manager,
        item.id,
        DecisionInput(DecisionKind.ACTION_AGREED, "Ring the provider", next_check_on=TUESDAY),
        item.version,
    )
    manager = _window(qtbot, services, staff.manager, tmp_path / "tm.ini")
    assert _cell(manager, 0, Column.NAME) == "Long Stay"  # more nights first

    clock["today"] = WEDNESDAY
    manager.refresh()
    assert _cell(manager, 0, Column.NAME) == "Soon Checked"
    assert _cell(manager, 0, Column.STATUS) == "Check overdue"
    assert _cell(manager, 0, Column.NEXT_CHECK) == "24/11/2026 (overdue)"


def test_filters_by_team_and_level_narrow_the_list_but_not_the_badge(
    qtbot, services, staff, clock, tmp_path
):
    older = _person(services, staff, "CL0401", "Old", "Placement")
    newer = _person(services, staff, "CL0402", "New", "Placement")
    _bnb(services, staff, older, date(2026, 11, 18))
    _bnb(services, staff, newer, MONDAY)
    admin = _window(qtbot, services, staff.admin, tmp_path / "admin.ini")
    queue = admin.queue
    admin.queue_dock.show_queue()  # an administrator's queue is hidden until opened
    assert queue.model.rowCount() == 2
    queue.level.setCurrentIndex(queue.level.findData(int(Level.HEAD_OF_SERVICE)))
    assert [queue.model.row_at(i).name for i in range(queue.model.rowCount())] == ["Old Placement"]
    assert queue.count.text() == "1 of 2 shown"
    assert _badge(admin) == "&Flagged placements (2)"
    queue.level.setCurrentIndex(0)
    queue.team.setCurrentIndex(queue.team.findText("South Team"))
    assert queue.model.rowCount() == 0
    queue.team.setCurrentIndex(queue.team.findText("North Team"))
    assert queue.model.rowCount() == 2
    assert not admin.actions_by_id[ActionId.RECORD_DECISION].isEnabled()  # managers only


def test_a_refused_resolution_is_a_message_in_the_dialog_not_a_traceback(
    qtbot, services, staff, clock, person, tmp_path
):
    _bnb(services, staff, person, MONDAY)
    services.accommodation.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, MONDAY, Suitability.SUITABLE),
    )
    pa_window = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    pa_window.queue_dock.show_queue()  # a PA's queue is hidden until opened
    assert not pa_window.actions_by_id[ActionId.RESOLVE_ESCALATION].isEnabled()
    seen = []

    def resolve(dialog):
        dialog.rationale.setPlainText("I think it is fine now")
        dialog.buttons.button(SAVE).click()
        seen.append((dialog.message.isVisibleTo(dialog), dialog.message.text()))
        dialog.done(0)

    errors = []
    in_modal(resolve, errors)
    pa_window.queue.resolve()  # the disabled action bypassed: the services still refuse
    assert not errors, errors
    assert seen[0][0] and "may not resolve" in seen[0][1]
    assert services.escalations.queue(staff.manager)[0].status == "open"


def test_resolving_a_continuing_placement_says_why_beside_the_status(
    qtbot, services, staff, person, tmp_path
):
    _bnb(services, staff, person, MONDAY)
    manager = _window(qtbot, services, staff.manager, tmp_path / "tm.ini")
    assert not manager.actions_by_id[ActionId.RESOLVE_ESCALATION].isEnabled()
    seen = []

    def resolve(dialog):
        dialog.rationale.setPlainText("Resolved")
        dialog.buttons.button(SAVE).click()
        problem = dialog._errors["status"]
        seen.append((problem.isVisibleTo(dialog), problem.text()))
        dialog.done(0)

    errors = []
    in_modal(resolve, errors)
    manager.queue.resolve()
    assert not errors, errors
    assert seen[0][0] and "ended" in seen[0][1]


def test_decision_dialog_asks_a_reason_only_for_an_exception_and_a_check_date_on_request(
    qtbot, services, staff, person
):
    _bnb(services, staff, person, MONDAY)
    item = services.escalations.queue(staff.manager)[0]
    sent = []
    dialog = DecisionDialog(sent.append, MONDAY, item)
    qtbot.addWidget(dialog)
    assert not dialog.reason.isEnabled()
    assert dialog.next_check.date().toPython() == date(2026, 11, 30)
    dialog.kind.setCurrentIndex(dialog.kind.findData(DecisionKind.EXCEPTION_AUTHORISED.value))
    assert dialog.reason.isEnabled()
    dialog.reason.setPlainText("Out of hours")
    dialog.set_check.setChecked(False)
    assert not dialog.next_check.isEnabled()
    dialog.buttons.button(SAVE).click()
    assert sent == [DecisionInput(DecisionKind.EXCEPTION_AUTHORISED, "", "Out of hours", None)]


def test_a_role_without_escalations_gets_no_queue_and_no_count(qtbot, services, staff, tmp_path):
    liaison = services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    window = _window(qtbot, services, services.staffing.actor(liaison.username), tmp_path / "h.ini")
    action = window.actions_by_id[ActionId.FLAGGED_PLACEMENTS]
    assert not action.isEnabled() and action.text() == "&Flagged placements"
    assert not window.queue_dock.isVisible()
    assert window.queue.model.rowCount() == 0


def test_switching_to_a_manager_shows_the_queue_and_f6_reaches_it(
    qtbot, services, staff, person, tmp_path
):
    _bnb(services, staff, person, MONDAY)
    window = _window(qtbot, services, staff.pa, tmp_path / "w.ini")
    assert not window.queue_dock.isVisible()  # a PA opens it when wanted (Ctrl+K)
    assert _badge(window) == "&Flagged placements (1)"
    window._set_actor(staff.manager)
    assert window.queue_dock.isVisible()
    assert window.actions_by_id[ActionId.RECORD_DECISION].isEnabled()
    window.caseload.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.queue.table.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.caseload.table.hasFocus()


def test_a_hidden_queue_reads_no_detail_so_the_audit_shows_no_view(
    qtbot, services, staff, paths, person, tmp_path
):
    """The detail pane's reads are audited as views: a PA who never opens the queue made none."""
    import sqlite3

    def escalation_views():
        with sqlite3.connect(paths.database_file) as conn:
            return conn.execute(
                "SELECT count(*) FROM audit_events WHERE action = 'view' AND entity = 'escalation'"
            ).fetchone()[0]

    _bnb(services, staff, person, MONDAY)
    window = _window(qtbot, services, staff.pa, tmp_path / "w.ini")
    window.refresh()
    assert _badge(window) == "&Flagged placements (1)"
    assert escalation_views() == 0
    window.actions_by_id[ActionId.FLAGGED_PLACEMENTS].trigger()
    assert "Jordan Baker" in window.queue.detail.toPlainText()
    assert escalation_views() == 1


def test_a_hidden_queue_counts_for_its_badge_and_loads_its_rows_only_when_shown(
    qtbot, services, staff, person, tmp_path, monkeypatch
):
    """The badge of a hidden queue is one COUNT(*): no rows, no levels, until the dock shows."""
    _bnb(services, staff, person, MONDAY)
    calls = []
    queue_of = services.escalations.queue
    monkeypatch.setattr(
        services.escalations, "queue", lambda *a, **k: calls.append(a) or queue_of(*a, **k)
    )
    window = _window(qtbot, services, staff.pa, tmp_path / "w.ini")
    assert _badge(window) == "&Flagged placements (1)"
    other = _person(services, staff, "CL0199", "Sam", "Other")
    _bnb(services, staff, other, MONDAY)
    window.refresh()
    assert _badge(window) == "&Flagged placements (2)"
    assert calls == [] and window.queue.model.rowCount() == 0
    window.actions_by_id[ActionId.FLAGGED_PLACEMENTS].trigger()
    assert calls and window.queue.model.rowCount() == 2
    window.queue_dock.hide()
    window.refresh()
    assert window.queue.model.rowCount() == 0  # hidden again: only counted
    window.queue_dock.show_queue()
    assert window.queue.model.rowCount() == 2


def test_the_docks_are_read_once_the_window_shows_not_while_it_is_built(
    qtbot, services, staff, person, tmp_path, monkeypatch
):
    """The caseload is what the first paint waits for: the queue (a manager's rows, levels and
    bank holidays, or a badge's count) is read just after the window shows."""
    _bnb(services, staff, person, MONDAY)
    reads = []
    escalations = services.escalations
    queue_of, count_of = escalations.queue, escalations.open_count
    monkeypatch.setattr(escalations, "queue", lambda *a, **k: reads.append(1) or queue_of(*a, **k))
    monkeypatch.setattr(
        escalations, "open_count", lambda *a, **k: reads.append(1) or count_of(*a, **k)
    )
    window = MainWindow(services, staff.manager, tmp_path / "m.ini", "test database")
    qtbot.addWidget(window)
    assert window.caseload.model.rowCount() == 1  # the list is there before the first paint
    assert reads == [] and not window.docks_loaded
    assert _badge(window) == "&Flagged placements"
    window.show()
    qtbot.waitUntil(lambda: window.docks_loaded)
    assert reads
    assert _badge(window) == "&Flagged placements (1)"
    assert window.queue_dock.isVisible()  # open for a team manager, with its rows
    assert window.queue.model.rowCount() == 1


def test_a_queue_left_open_opens_again_once_read(qtbot, services, staff, person, tmp_path):
    """The saved layout's open queue waits hidden until the read says the user may see it."""
    _bnb(services, staff, person, MONDAY)
    first = _window(qtbot, services, staff.pa, tmp_path / "pa.ini")
    first.actions_by_id[ActionId.FLAGGED_PLACEMENTS].trigger()
    assert first.queue_dock.isVisible()
    first.close()
    second = MainWindow(services, staff.pa, tmp_path / "pa.ini", "test database")
    qtbot.addWidget(second)
    assert not second.queue_dock.isVisibleTo(second)
    second.show()
    qtbot.waitUntil(lambda: second.docks_loaded)
    assert second.queue_dock.isVisible()
    assert second.queue.model.rowCount() == 1
