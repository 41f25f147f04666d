"""The File and Tools menus' account actions: lock now, sign in as someone else, change
password, encryption and purge, driven through the main window."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from ui_helpers import in_modal

from careleaver_app.db.engine import is_encrypted_file
from careleaver_app.domain.people import PersonDetails
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.lock import LockController, _Cover
from careleaver_app.ui.main_window import MainWindow
from careleaver_app.ui.sign_in_dialog import SignInDialog

PASSWORD = "a long enough password"


@pytest.fixture
def window_for(qtbot, services, staff, tmp_path):
    services.staffing.set_password(staff.admin, staff.pa.id, PASSWORD)
    services.staffing.set_password(staff.admin, staff.manager.id, "manager's password")

    def make(actor):
        w = MainWindow(services, actor, tmp_path / "window.ini", "test database")
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


def _answers(monkeypatch, *answers):
    queue = list(answers)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (queue.pop(0), True)))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    return queue


def test_lock_now_covers_the_window(qtbot, window_for, services, staff):
    w = window_for(staff.pa)
    lock = LockController(
        staff.pa.username, lambda p: services.staffing.unlock(staff.pa, p), 60_000, w
    )
    w.attach_lock(lock)
    assert w.actions_by_id[ActionId.LOCK_NOW].isEnabled()
    w.actions_by_id[ActionId.LOCK_NOW].trigger()
    assert lock.is_locked and w.findChild(_Cover).isVisible()
    lock.unlock()


def test_sign_in_as_someone_else_replaces_the_actor(qtbot, window_for, staff):
    w = window_for(staff.pa)

    def sign_in(dialog):
        assert isinstance(dialog, SignInDialog)
        dialog.username.setText("tm1")
        dialog.password.setText("manager's password")
        dialog._on_buttons_accepted()

    errors = []
    in_modal(sign_in, errors)
    w.actions_by_id[ActionId.SWITCH_USER].trigger()
    assert not errors, errors
    assert w.actor.username == "tm1"
    assert "Morgan Manager" in w.user_label.text()


def test_change_my_password(qtbot, window_for, services, staff, monkeypatch):
    w = window_for(staff.pa)
    _answers(monkeypatch, PASSWORD, "my brand new password", "my brand new password")
    w.actions_by_id[ActionId.CHANGE_PASSWORD].trigger()
    assert services.staffing.sign_in("pa1", "my brand new password").id == staff.pa.id


def test_admin_tools_are_hidden_from_a_pa(qtbot, window_for, staff):
    w = window_for(staff.pa)
    for action_id in (ActionId.USERS, ActionId.ADMIN_SETTINGS, ActionId.AUDIT_SEARCH):
        assert not w.actions_by_id[action_id].isVisible()
    w = window_for(staff.admin)
    for action_id in (ActionId.USERS, ActionId.ADMIN_SETTINGS, ActionId.AUDIT_SEARCH):
        assert w.actions_by_id[action_id].isVisible()


def test_an_administrator_encrypts_the_database_and_plain_backups_are_offered_for_deletion(
    qtbot, window_for, services, staff, paths, monkeypatch
):
    services.people.create(
        staff.pa, PersonDetails("E-1", "Enc", "Rypted", date(2007, 1, 1)), pa_id=staff.pa.id
    )
    w = window_for(staff.admin)
    _answers(monkeypatch, "a passphrase for the file", "a passphrase for the file")
    w.actions_by_id[ActionId.ENCRYPTION].trigger()
    assert is_encrypted_file(paths.database_file)
    assert services.people.find_id(staff.pa, "E-1")  # the same services keep working


def test_no_two_actions_share_a_shortcut(qtbot, window_for, staff):
    w = window_for(staff.pa)
    seen: dict[str, ActionId] = {}
    for action_id, action in w.actions_by_id.items():
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, f"{text}: {seen.get(text)} and {action_id}"
            seen[text] = action_id
