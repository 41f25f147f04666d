"""The administrator's windows: users and teams (add, edit, reset a password, deactivate and
reactivate) and the council-wide settings (idle lock, escalation thresholds)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.domain.escalation import Thresholds
from careleaver_app.services.staffing import SignInRefused
from careleaver_app.ui.admin_settings_dialog import AdminSettingsDialog
from careleaver_app.ui.dialogs.user_dialogs import (
    DeactivateDialog,
    ResetPasswordDialog,
    TeamDialog,
    UserDialog,
)
from careleaver_app.ui.users_dialog import StaffColumn, StaffModel, UsersDialog

SAVE = QDialogButtonBox.StandardButton.Save
GOOD_PASSWORD = "correct horse battery"


def on_modal(kind, action, errors):
    """Run `action(dialog)` once the modal dialog on top is a `kind`; failures close it."""
    tries = []

    def run():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            tries.append(1)
            if len(tries) < 200:
                QTimer.singleShot(20, run)
            return
        try:
            action(dialog)
        except BaseException as exc:
            errors.append(exc)
            dialog.done(0)

    QTimer.singleShot(0, run)


def run_modal(kind, action, trigger):
    errors = []
    on_modal(kind, action, errors)
    trigger()
    assert not errors, errors


@pytest.fixture
def users(qtbot, services, staff):
    dialog = UsersDialog(services, staff.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def select(dialog, username):
    for row in range(dialog.proxy.rowCount()):
        if dialog.proxy.index(row, StaffColumn.USERNAME).data() == username:
            dialog.table.setCurrentIndex(dialog.proxy.index(row, 0))
            return
    raise AssertionError(f"{username} is not in the list")


def shown_usernames(dialog):
    proxy = dialog.proxy
    return {proxy.index(r, StaffColumn.USERNAME).data() for r in range(proxy.rowCount())}


def staff_row(services, admin, username):
    return next(s for s in services.staffing.list_staff(admin) if s.username == username)


def error_text(form, key):
    label = form._errors[key]
    return label.text() if label.isVisible() else ""


# -- users --------------------------------------------------------------------------------------


def test_an_administrator_adds_a_user_who_can_then_sign_in(qtbot, services, staff, users):
    def fill(dialog):
        assert dialog.windowTitle() == "Add user"
        assert [dialog.role.itemData(i) for i in range(dialog.role.count())] == [
            r.value for r in Role
        ]
        qtbot.keyClicks(dialog.username, "jlee")
        qtbot.keyClicks(dialog.display_name, "Jo Lee")
        dialog.role.setCurrentIndex(dialog.role.findData(Role.TEAM_MANAGER.value))
        dialog.team.setCurrentIndex(dialog.team.findText("South Team"))
        qtbot.keyClicks(dialog.email, "jo.lee@council.example")
        qtbot.keyClicks(dialog.passwords.password, GOOD_PASSWORD)
        assert "now type it again" in dialog.passwords.check.text()
        qtbot.keyClicks(dialog.passwords.confirm, GOOD_PASSWORD)
        assert "both match" in dialog.passwords.check.text()
        dialog.buttons.button(SAVE).click()

    run_modal(UserDialog, fill, users.add_button.click)

    actor = services.staffing.sign_in("jlee", GOOD_PASSWORD)
    assert (actor.display_name, actor.role, actor.team_id) == (
        "Jo Lee",
        Role.TEAM_MANAGER,
        staff.other_team.id,
    )
    assert users.changed
    assert users.selected().username == "jlee"
    assert users.selected().email == "jo.lee@council.example"
    assert "Jo Lee added" in users.notice.text()


def test_a_short_password_shows_the_field_error_and_creates_nobody(qtbot, services, staff, users):
    def fill(dialog):
        qtbot.keyClicks(dialog.username, "jlee")
        qtbot.keyClicks(dialog.display_name, "Jo Lee")
        dialog.team.setCurrentIndex(dialog.team.findText("North Team"))
        qtbot.keyClicks(dialog.passwords.password, "short")
        qtbot.keyClicks(dialog.passwords.confirm, "short")
        assert "at least 10 characters" in dialog.passwords.check.text()
        dialog.buttons.button(SAVE).click()
        assert dialog.isVisible()
        assert error_text(dialog, "password") == "Must be at least 10 characters long"
        assert (dialog.username.text(), dialog.display_name.text()) == ("jlee", "Jo Lee")
        assert dialog.passwords.password.text() == "short"
        dialog.done(QDialog.DialogCode.Rejected)

    run_modal(UserDialog, fill, users.add_button.click)
    assert "jlee" not in {s.username for s in services.staffing.list_staff(staff.admin)}
    assert not users.changed


def test_a_new_user_needs_a_password_a_matching_confirmation_and_a_team(qtbot, users):
    def fill(dialog):
        qtbot.keyClicks(dialog.username, "jlee")
        qtbot.keyClicks(dialog.display_name, "Jo Lee")
        dialog.buttons.button(SAVE).click()
        assert error_text(dialog, "password") == "Is required for a new user"
        qtbot.keyClicks(dialog.passwords.password, GOOD_PASSWORD)
        qtbot.keyClicks(dialog.passwords.confirm, "something else entirely")
        assert "do not match" in dialog.passwords.check.text()
        dialog.buttons.button(SAVE).click()
        assert error_text(dialog, "confirm") == "Does not match the password"
        dialog.passwords.confirm.setText(GOOD_PASSWORD)
        dialog.buttons.button(SAVE).click()
        assert error_text(dialog, "team") == "Is required for this role"
        assert error_text(dialog, "password") == ""
        dialog.done(QDialog.DialogCode.Rejected)

    run_modal(UserDialog, fill, users.add_button.click)


def test_enter_on_a_user_edits_the_role(qtbot, services, staff, users):
    select(users, "pa2")
    users.table.setFocus()

    def fill(dialog):
        assert dialog.windowTitle() == "Edit user"
        assert dialog.username.isReadOnly() and dialog.username.text() == "pa2"
        assert dialog.passwords is None
        assert dialog.team.currentText() == "North Team"
        dialog.role.setCurrentIndex(dialog.role.findData(Role.TEAM_MANAGER.value))
        dialog.buttons.button(SAVE).click()

    run_modal(UserDialog, fill, lambda: qtbot.keyClick(users.table, Qt.Key.Key_Return))
    assert staff_row(services, staff.admin, "pa2").role is Role.TEAM_MANAGER
    assert users.selected().role is Role.TEAM_MANAGER


def test_double_click_edits_and_keeps_the_email(qtbot, services, staff, users):
    row = staff_row(services, staff.admin, "pa1")
    services.staffing.update_staff(
        staff.admin,
        row.id,
        display_name=row.display_name,
        role=row.role,
        team_id=row.team_id,
        email="alex@council.example",
        expected_version=row.version,
    )
    users.reload()
    select(users, "pa1")
    rect = users.table.visualRect(users.table.currentIndex())

    def fill(dialog):
        assert dialog.email.text() == "alex@council.example"
        dialog.display_name.setText("Alex Adviser-Smith")
        dialog.buttons.button(SAVE).click()

    viewport = users.table.viewport()

    def double_click():
        # A real double-click starts with a press: the view edits only the row it was pressed on.
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())

    run_modal(UserDialog, fill, double_click)
    after = staff_row(services, staff.admin, "pa1")
    assert (after.display_name, after.email) == ("Alex Adviser-Smith", "alex@council.example")


def test_an_edit_that_someone_else_saved_first_says_so_and_keeps_what_was_typed(
    qtbot, services, staff, users
):
    select(users, "pa2")

    def fill(dialog):
        row = staff_row(services, staff.admin, "pa2")
        services.staffing.update_staff(
            staff.admin,
            row.id,
            display_name="Sam Changed Elsewhere",
            role=row.role,
            team_id=row.team_id,
            email="",
            expected_version=row.version,
        )
        dialog.email.setText("sam@council.example")
        dialog.buttons.button(SAVE).click()
        assert dialog.isVisible()
        assert "Someone else changed this user" in dialog.message.text()
        assert "Sam Changed Elsewhere" in dialog.message.text()
        assert dialog.email.text() == "sam@council.example"
        assert "Sam Changed Elsewhere" in shown_names(users)  # the list was reloaded
        dialog.buttons.button(SAVE).click()  # a second Save replaces it on purpose

    run_modal(UserDialog, fill, users.edit_button.click)
    after = staff_row(services, staff.admin, "pa2")
    assert (after.display_name, after.email) == ("Sam Second", "sam@council.example")


def shown_names(dialog):
    proxy = dialog.proxy
    return {proxy.index(r, StaffColumn.NAME).data() for r in range(proxy.rowCount())}


def test_an_administrator_resets_a_password(qtbot, services, staff, users):
    select(users, "pa1")

    def fill(dialog):
        assert "Alex Adviser (pa1)" in dialog.who.text()
        qtbot.keyClicks(dialog.passwords.password, "pa1 is my name")
        dialog.passwords.confirm.setText("pa1 is my name")
        dialog.buttons.button(SAVE).click()
        assert error_text(dialog, "password") == "Must not contain the username"
        dialog.passwords.password.setText(GOOD_PASSWORD)
        dialog.passwords.confirm.setText(GOOD_PASSWORD)
        dialog.buttons.button(SAVE).click()

    run_modal(ResetPasswordDialog, fill, users.password_button.click)
    assert services.staffing.sign_in("pa1", GOOD_PASSWORD).username == "pa1"
    assert "New password set for Alex Adviser" in users.notice.text()


def test_deactivating_needs_a_reason_then_stops_sign_in_and_reactivating_restores_it(
    qtbot, services, staff, users
):
    services.staffing.set_password(staff.admin, staff.pa.id, GOOD_PASSWORD)
    select(users, "pa1")
    assert users.active_button.text() == "&Deactivate…"

    def fill(dialog):
        dialog.buttons.button(SAVE).click()
        assert error_text(dialog, "reason") == "Is required to deactivate an account"
        qtbot.keyClicks(dialog.reason, "Left the council")
        dialog.buttons.button(SAVE).click()

    run_modal(DeactivateDialog, fill, users.active_button.click)
    with pytest.raises(SignInRefused, match="deactivated"):
        services.staffing.sign_in("pa1", GOOD_PASSWORD)
    assert "pa1" not in shown_usernames(users)

    users.show_deactivated.setChecked(True)
    assert "pa1" in shown_usernames(users)
    select(users, "pa1")
    assert (
        users.model.data(
            users.proxy.mapToSource(users.table.currentIndex().siblingAtColumn(StaffColumn.STATE))
        )
        == "Deactivated"
    )
    assert users.active_button.text() == "&Reactivate"
    users.active_button.click()
    assert services.staffing.sign_in("pa1", GOOD_PASSWORD).username == "pa1"
    assert users.selected().active
    assert "reactivated" in users.notice.text()


def test_an_administrator_cannot_deactivate_their_own_account(qtbot, users):
    select(users, "admin")

    def fill(dialog):
        qtbot.keyClicks(dialog.reason, "testing")
        dialog.buttons.button(SAVE).click()
        assert dialog.isVisible()
        assert "cannot deactivate your own account" in dialog.message.text()
        dialog.done(QDialog.DialogCode.Rejected)

    run_modal(DeactivateDialog, fill, users.active_button.click)
    assert users.selected().active


def test_a_new_team_is_offered_to_the_next_user(qtbot, services, staff, users):
    def add_team(dialog):
        qtbot.keyClicks(dialog.name, "North Team")
        dialog.buttons.button(SAVE).click()
        assert error_text(dialog, "name") == "Is already used by another team"
        dialog.name.setText("East Team")
        dialog.buttons.button(SAVE).click()

    run_modal(TeamDialog, add_team, users.team_button.click)
    assert "East Team" in {t.name for t in services.staffing.list_teams()}

    def look(dialog):
        assert dialog.team.findText("East Team") >= 0
        dialog.done(QDialog.DialogCode.Rejected)

    run_modal(UserDialog, look, users.add_button.click)


def test_every_command_has_a_mnemonic_and_alt_a_adds_a_user(qtbot, users):
    buttons = [users.add_button, users.edit_button, users.password_button]
    buttons += [users.active_button, users.team_button]
    keys = [b.text()[b.text().index("&") + 1].lower() for b in buttons]
    keys += ["f", "s"]  # the filter box's label and Show deactivated
    assert len(set(keys)) == len(keys), keys
    with qtbot.waitActive(users):
        users.activateWindow()

    def look(dialog):
        assert dialog.windowTitle() == "Add user"
        dialog.done(QDialog.DialogCode.Rejected)

    run_modal(
        UserDialog,
        look,
        lambda: qtbot.keyClick(users, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier),
    )


def test_the_filter_narrows_the_list_as_you_type(qtbot, users):
    assert {"admin", "pa1", "pa2", "tm1", "pa9"} <= shown_usernames(users)
    qtbot.keyClicks(users.filter, "south")
    assert shown_usernames(users) == {"pa9"}
    assert users.selected().username == "pa9"
    users.filter.clear()
    qtbot.keyClicks(users.filter, "team manager")
    assert shown_usernames(users) == {"tm1"}


def test_staff_models_pass_the_model_tester(qtmodeltester, services, staff, users):
    model = StaffModel()
    model.set_rows(services.staffing.list_staff(staff.admin))
    qtmodeltester.check(model)
    qtmodeltester.check(users.proxy)
    assert users.model.headerData(StaffColumn.EMAIL, Qt.Orientation.Horizontal) == "Email"


@pytest.mark.parametrize("who", ["pa", "manager"])
def test_only_an_administrator_may_open_the_admin_windows(qtbot, services, staff, who):
    actor = getattr(staff, who)
    with pytest.raises(PermissionDenied, match="Only an administrator can manage users"):
        UsersDialog(services, actor)
    with pytest.raises(PermissionDenied, match="Only an administrator can change these settings"):
        AdminSettingsDialog(services, actor)


# -- settings -----------------------------------------------------------------------------------


@pytest.fixture
def settings(qtbot, services, staff):
    dialog = AdminSettingsDialog(services, staff.admin)
    # done() closes without reject(), whose "Discard changes?" question would wait for a click.
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(QDialog.DialogCode.Rejected))
    return dialog


def test_an_administrator_sets_idle_minutes_and_a_threshold(qtbot, services, settings):
    assert settings.idle_minutes.value() == 5
    assert (settings.idle_minutes.minimum(), settings.idle_minutes.maximum()) == (1, 15)
    assert settings.level_2.value() == 2
    settings.idle_minutes.setValue(10)
    settings.level_3.setValue(8)
    settings.buttons.button(SAVE).click()
    assert settings.result() == QDialog.DialogCode.Accepted
    assert services.staffing.idle_lock_minutes() == 10
    assert services.escalations.thresholds() == Thresholds(2, 8, 42)


def test_idle_minutes_cannot_be_typed_past_fifteen(qtbot, settings):
    settings.show()
    settings.idle_minutes.lineEdit().selectAll()
    qtbot.keyClicks(settings.idle_minutes, "20")
    assert settings.idle_minutes.value() == 2  # the 0 that would make 20 is refused


def test_an_out_of_range_threshold_shows_its_error_and_saves_nothing(qtbot, services, settings):
    settings.show()
    settings.idle_minutes.setValue(12)
    settings.level_2.setValue(5)
    settings.level_3.setValue(3)
    settings.buttons.button(SAVE).click()
    assert settings.isVisible()
    assert error_text(settings, "level_3_working_days") == (
        "Must not be fewer than for the head of service"
    )
    assert services.staffing.idle_lock_minutes() == 5
    assert services.escalations.thresholds() == Thresholds()
    assert settings.level_3.value() == 3  # what was typed is kept
