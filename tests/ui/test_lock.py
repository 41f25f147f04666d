"""The idle lock: after the configured idle time every window hides its content behind a
password prompt; the right password brings back the unsaved edit exactly as it was."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from ui_helpers import in_modal

from careleaver_app.domain.people import PersonDetails
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.dialogs.person_dialog import PersonDialog
from careleaver_app.ui.lock import IdleWatcher, LockController, _Cover
from careleaver_app.ui.main_window import MainWindow

PASSWORD = "a long enough password"
NAME = "Okafor"


@pytest.fixture
def window(qtbot, services, staff, tmp_path):
    services.staffing.set_password(staff.admin, staff.pa.id, PASSWORD)
    person = services.people.create(
        staff.pa, PersonDetails("LK-1", "Amara", NAME, date(2007, 3, 1)), pa_id=staff.pa.id
    )
    w = MainWindow(services, staff.pa, tmp_path / "window.ini", "test database")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.open_person(person.entity_id)
    return w


def _shown_texts() -> list[str]:
    """Every piece of text a person could read on screen now."""
    texts = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        if widget.isWindow():
            texts.append(widget.windowTitle())
        for getter in ("text", "toolTip", "placeholderText"):
            value = getattr(widget, getter, None)
            if callable(value) and isinstance(widget, QWidget):
                try:
                    result = value()
                except TypeError:
                    continue
                if isinstance(result, str):
                    texts.append(result)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(model.rowCount(), 200)):
                for col in range(model.columnCount()):
                    texts.append(str(model.index(row, col).data() or ""))
        if hasattr(widget, "tabText") and hasattr(widget, "count"):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
    return texts


def _lock(services, staff, timeout_ms=150) -> LockController:
    lock = LockController(
        staff.pa.username,
        lambda password: services.staffing.unlock(staff.pa, password),
        timeout_ms,
        on_lock=lambda reason: services.staffing.record_lock(staff.pa, reason),
    )
    lock.start()
    return lock


def test_the_name_is_on_screen_before_the_lock(window):
    assert any(NAME in t for t in _shown_texts())


def test_idle_locks_every_window_and_signing_in_restores_the_unsaved_edit(
    qtbot, window, services, staff
):
    seen = {}

    def edit_then_idle(dialog):
        assert isinstance(dialog, PersonDialog)
        dialog.last_name.setText("Okafor-Unsaved")
        lock = seen["lock"] = _lock(services, staff)
        qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
        shown = _shown_texts()
        seen["leak"] = [t for t in shown if NAME in t or "Amara" in t]
        cover = next(c for c in dialog.findChildren(_Cover) if c.isVisible())
        qtbot.keyClicks(cover.password, "wrong password")
        qtbot.keyClick(cover.password, Qt.Key.Key_Return)
        assert lock.is_locked
        assert "not right" in cover.error.text()
        assert dialog.isVisible()  # Enter in the prompt did not press the dialog's Save
        qtbot.keyClick(cover.password, Qt.Key.Key_Escape)
        assert dialog.isVisible()  # nor did Escape cancel it
        qtbot.keyClicks(cover.password, PASSWORD)
        qtbot.keyClick(cover.password, Qt.Key.Key_Return)
        assert not lock.is_locked
        seen["after"] = dialog.last_name.text()
        assert dialog.last_name.isVisible()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    errors = []
    in_modal(edit_then_idle, errors)
    window.actions_by_id[ActionId.EDIT_DETAILS].trigger()
    assert not errors, errors
    assert seen["leak"] == []
    assert seen["after"] == "Okafor-Unsaved"
    assert window.current_record().record.last_name == "Okafor-Unsaved"
    seen["lock"].stop()


def test_the_main_window_is_covered_and_comes_back(qtbot, window, services, staff):
    lock = _lock(services, staff)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    assert not [t for t in _shown_texts() if NAME in t]
    assert "locked" in window.windowTitle()
    cover = window.findChild(_Cover)
    assert cover.isVisible() and window.focusWidget() is cover.password
    qtbot.keyClicks(cover.password, PASSWORD)
    qtbot.keyClick(cover.password, Qt.Key.Key_Return)
    assert not lock.is_locked
    assert any(NAME in t for t in _shown_texts())
    assert "locked" not in window.windowTitle()
    lock.stop()


def test_input_keeps_the_window_unlocked(qtbot, window, services, staff):
    lock = _lock(services, staff, timeout_ms=400)
    for _ in range(6):
        qtbot.wait(100)
        qtbot.keyClick(window, Qt.Key.Key_Shift)
    assert not lock.is_locked
    lock.stop()


def test_resume_from_sleep_locks_at_once(qtbot, window, services, staff):
    wall = [1000.0]
    mono = [50.0]
    watcher = IdleWatcher(60_000, wall=lambda: wall[0], monotonic=lambda: mono[0])
    lock = LockController(
        staff.pa.username,
        lambda password: services.staffing.unlock(staff.pa, password),
        60_000,
        watcher=watcher,
    )
    lock.start()
    wall[0] += 10
    mono[0] += 10
    watcher.check_for_sleep()
    assert not lock.is_locked
    wall[0] += 3600  # an hour asleep: the monotonic clock stood still
    mono[0] += 10
    watcher.check_for_sleep()
    assert lock.is_locked
    lock.stop()


def test_lock_and_unlock_are_audited(qtbot, window, services, staff):
    from sqlalchemy import select

    from careleaver_app.db.models import AuditEvent

    lock = _lock(services, staff)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    cover = window.findChild(_Cover)
    qtbot.keyClicks(cover.password, PASSWORD)
    qtbot.keyClick(cover.password, Qt.Key.Key_Return)
    with services.db.transaction(write=False) as session:
        actions = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "staff"))
        )
    assert "lock" in actions and "unlock" in actions
    lock.stop()


def test_password_field_hides_what_is_typed(qtbot, window, services, staff):
    lock = _lock(services, staff)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    cover = window.findChild(_Cover)
    assert cover.password.echoMode() == QLineEdit.EchoMode.Password
    assert any(isinstance(w, QLabel) and "locked" in w.text() for w in cover.findChildren(QLabel))
    lock.unlock()
    lock.stop()


def test_the_app_starts_the_idle_watch_once_the_window_has_painted(
    qtbot, services, staff, tmp_path
):
    """The watch filters every event from Python: it must not hold up the first paint, and it
    must be watching as soon as the window is there to be left idle."""
    from careleaver_app.app import _start_lock

    w = MainWindow(services, staff.pa, tmp_path / "late.ini", "test database")
    qtbot.addWidget(w)
    lock = _start_lock(w, services, staff.pa, "")
    assert not lock.watcher.running  # built, not yet painted
    w.show()
    qtbot.waitUntil(lambda: w.docks_loaded)
    assert lock.watcher.running
    lock.stop()
    assert not lock.watcher.running
