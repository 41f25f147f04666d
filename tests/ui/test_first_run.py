"""First-run welcome dialog and preferences: choices, URL testing, and what gets saved."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from careleaver_app.config import AppConfig
from careleaver_app.domain.codes import Role
from careleaver_app.services.container import check_connection
from careleaver_app.ui.preferences_dialog import PreferencesDialog
from careleaver_app.ui.welcome_dialog import Choice, WelcomeDialog


def _ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_new_database_needs_name_username_and_team(qtbot):
    dialog = WelcomeDialog(lambda url: None, "jo")
    qtbot.addWidget(dialog)
    _ok(dialog)
    assert dialog.result() == 0
    assert "Your name" in dialog.status.text() and "Team" in dialog.status.text()
    dialog.display_name.setText("Jo Example")
    dialog.team_name.setText("East Team")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.TEAM_MANAGER.value))
    _ok(dialog)
    assert dialog.result() == 0
    assert dialog.status.text().startswith("Password: must be at least 10")
    dialog.password.setText("my own long password")
    dialog.password_again.setText("my own long password!")
    _ok(dialog)
    assert "differ" in dialog.status.text()
    dialog.password_again.setText("my own long password")
    dialog.admin_password.setText("my own long password")
    dialog.admin_password_again.setText("my own long password")
    _ok(dialog)
    assert "different password" in dialog.status.text()
    dialog.admin_password.setText("the chief keeps this safe")
    dialog.admin_password_again.setText("the chief keeps this safe")
    _ok(dialog)
    assert dialog.result() == 1
    result = dialog.result_value()
    assert result.choice is Choice.NEW and result.role is Role.TEAM_MANAGER
    assert (result.display_name, result.username, result.team) == ("Jo Example", "jo", "East Team")
    assert (result.password, result.admin_password) == (
        "my own long password",
        "the chief keeps this safe",
    )
    assert result.passphrase == ""


def test_an_encrypted_database_needs_a_confirmed_passphrase(qtbot):
    dialog = WelcomeDialog(lambda url: None, "jo")
    qtbot.addWidget(dialog)
    dialog.display_name.setText("Jo Example")
    dialog.team_name.setText("East Team")
    for edit in (dialog.password, dialog.password_again):
        edit.setText("my own long password")
    for edit in (dialog.admin_password, dialog.admin_password_again):
        edit.setText("the chief keeps this safe")
    assert not dialog.passphrase.isEnabled()
    dialog.encrypt.setChecked(True)
    assert dialog.passphrase.isEnabled()
    _ok(dialog)
    assert dialog.status.text().startswith("Passphrase: must be at least 10")
    dialog.passphrase.setText("a passphrase for the file")
    dialog.passphrase_again.setText("a passphrase for the file")
    _ok(dialog)
    assert dialog.result() == 1
    assert dialog.result_value().passphrase == "a passphrase for the file"


def test_team_database_is_tested_before_it_is_accepted(qtbot, tmp_path):
    dialog = WelcomeDialog(check_connection, "jo")
    qtbot.addWidget(dialog)
    dialog.team.setChecked(True)
    dialog.url.setText("postgresql://nobody:wrong@127.0.0.1:1/none")
    _ok(dialog)
    assert dialog.result() == 0
    assert dialog.status.text().startswith("Could not connect")
    dialog.url.setText(f"sqlite:///{tmp_path / 'team.sqlite3'}")
    _ok(dialog)
    assert dialog.result() == 1
    assert dialog.result_value().choice is Choice.TEAM


def test_demo_choice(qtbot):
    dialog = WelcomeDialog(lambda url: None, "jo")
    qtbot.addWidget(dialog)
    dialog.demo.setChecked(True)
    _ok(dialog)
    assert dialog.result_value().choice is Choice.DEMO


def test_preferences_save_a_working_team_url_only(qtbot, tmp_path):
    saved = []
    dialog = PreferencesDialog(
        "local.sqlite3", lambda url: "refused" if "bad" in url else None, saved.append, lambda: None
    )
    qtbot.addWidget(dialog)
    dialog.url.setText("postgresql://bad")
    dialog.test.click()
    assert saved == [] and "refused" in dialog.status.text()
    dialog.url.setText("postgresql://good/db")
    dialog.test.click()
    dialog.local.click()
    assert saved == ["postgresql://good/db", None]


def test_app_config_round_trip_and_first_run(tmp_path):
    file = tmp_path / "settings.json"
    assert AppConfig.load(file) is None
    AppConfig("postgresql://x/y", "pa1").save(file)
    assert AppConfig.load(file) == AppConfig("postgresql://x/y", "pa1")
    assert oct(file.stat().st_mode & 0o777) == "0o600"
