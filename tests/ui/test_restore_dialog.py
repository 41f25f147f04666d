"""Restore from a backup (the dialog) and the automatic backup timer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from ui_helpers import in_modal

from careleaver_app.domain.errors import DomainError, PermissionDenied
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.backups import Backups, reopen_after_restore
from careleaver_app.services.people import PeopleQuery
from careleaver_app.ui.backup_timer import BackupTimer
from careleaver_app.ui.restore_dialog import BackupModel, Column, RestoreDialog
from tests.conftest import TODAY


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def add_person(services, actor, n: int) -> None:
    services.people.create(actor, PersonDetails(f"CL-{n}", "Jo", f"Smith{n}", date(2007, 1, n)))


def people(services, actor) -> int:
    return services.people.list(actor, PeopleQuery(include_closed=True, limit=1)).total


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backups(services, paths, clock) -> Backups:
    return Backups(services.db, paths.backups_dir, clock)


@pytest.fixture
def two_backups(services, staff, backups, clock):
    """The older backup holds one young person, the newer two."""
    taken = []
    for n in (1, 2):
        add_person(services, staff.pa, n)
        taken.append(backups.take_if_changed())
        clock.moment += timedelta(days=1)
    return taken


@pytest.fixture
def dialog(qtbot, services, staff, paths, backups, two_backups):
    d = RestoreDialog(services, staff.admin, paths, backups=backups)
    qtbot.addWidget(d)
    return d


def test_the_backups_are_listed_newest_first_with_date_size_and_encryption(dialog, two_backups):
    model = dialog.model
    assert model.rowCount() == 2
    newer, older = two_backups[1], two_backups[0]
    assert model.row_at(0) == newer and model.row_at(1) == older
    when = newer.taken_at.astimezone().strftime("%d/%m/%Y %H:%M")
    assert model.index(0, Column.TAKEN).data() == when
    assert model.index(0, Column.KIND).data() == "Automatic"
    assert model.index(0, Column.SIZE).data()  # e.g. "244 KB", in the user's locale
    assert model.index(0, Column.ENCRYPTED).data() == "No"
    assert model.index(0, Column.FILE).data() == newer.path.name
    assert dialog.restore_button.isEnabled()


def test_the_model_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(BackupModel())


def test_only_an_administrator_sees_the_dialog(qtbot, services, staff, paths):
    for actor in (staff.pa, staff.manager):
        with pytest.raises(PermissionDenied):
            RestoreDialog(services, actor, paths)


def test_restore_asks_naming_the_date_and_does_nothing_when_cancelled(
    qtbot, dialog, services, staff, two_backups
):
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))
    when = two_backups[0].taken_at.astimezone().strftime("%d/%m/%Y %H:%M")
    seen, errors = [], []

    def answer(box):
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    in_modal(answer, errors)
    dialog.restore_button.click()
    assert not errors
    assert when in seen[0]
    assert dialog.result_value is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert people(services, staff.admin) == 2


def test_a_confirmed_restore_returns_a_result_for_the_app_to_reopen(
    qtbot, dialog, services, staff, paths, two_backups, monkeypatch
):
    monkeypatch.setattr(dialog, "confirm", lambda info: True)
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))
    dialog.restore_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    result = dialog.result_value
    assert result is not None and result.restored.path == two_backups[0].path
    reopened = reopen_after_restore(services, paths, lambda: TODAY)
    try:
        assert people(reopened, staff.admin) == 1
    finally:
        reopened.close()


def test_a_refused_restore_is_explained_and_the_dialog_stays(
    qtbot, dialog, services, staff, two_backups, monkeypatch
):
    monkeypatch.setattr(dialog, "confirm", lambda info: True)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    two_backups[0].path.write_bytes(b"SQLite format 3\x00" + bytes(4000))  # not a database
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))
    dialog.restore_button.click()
    assert warnings and "damaged" in warnings[0]
    assert dialog.result_value is None
    assert people(services, staff.admin) == 2  # the services go on working


def test_no_backups_yet(qtbot, services, staff, paths):
    d = RestoreDialog(services, staff.admin, paths)
    qtbot.addWidget(d)
    assert d.model.rowCount() == 0
    assert not d.restore_button.isEnabled()
    assert "no backups" in d.notice.text()


def test_a_server_database_has_nothing_to_restore_here(qtbot, pg_services, pg_staff, paths):
    d = RestoreDialog(pg_services, pg_staff.admin, paths)
    qtbot.addWidget(d)
    assert d.model.rowCount() == 0
    assert not d.restore_button.isEnabled()
    assert "server" in d.notice.text()


# -- the timer -----------------------------------------------------------------------------


def test_the_timer_backs_up_when_something_changed(qtbot, services, staff, backups):
    timer = BackupTimer(backups, staff.pa, interval_ms=50)
    timer.start()
    try:
        with qtbot.waitSignal(timer.backup_taken, timeout=5000) as taken:
            pass
        assert taken.args[0].path.exists()
        add_person(services, staff.pa, 1)
        with qtbot.waitSignal(timer.backup_taken, timeout=5000) as again:
            pass
        assert again.args[0].marker > taken.args[0].marker
    finally:
        timer.stop()
    assert not timer.active and not timer.busy


def test_an_unchanged_database_is_not_backed_up_again(qtbot, services, staff, backups):
    timer = BackupTimer(backups, staff.pa, threaded=False)
    with qtbot.waitSignal(timer.backup_taken):
        timer.backup_now()
    with qtbot.assertNotEmitted(timer.backup_taken):
        timer.backup_now()
    assert len(backups.list_backups()) == 1


def test_closing_backs_up_what_was_saved_since(qtbot, services, staff, backups):
    timer = BackupTimer(backups, staff.pa)
    timer.start()
    first = timer.stop_and_backup()
    assert first is not None
    assert timer.stop_and_backup() is None  # nothing new
    add_person(services, staff.pa, 1)
    last = timer.stop_and_backup()
    assert last is not None and last.marker > first.marker
    assert not timer.active


def test_a_failed_backup_is_reported_not_raised(qtbot, backups, monkeypatch):
    def fail(*args):
        raise DomainError("could not write the backup: No space left on device")

    monkeypatch.setattr(backups, "take_if_changed", fail)
    timer = BackupTimer(backups, threaded=False)
    with qtbot.waitSignal(timer.backup_failed) as failed:
        timer.backup_now()
    assert "No space left" in failed.args[0]
    assert timer.stop_and_backup() is None


def test_no_timer_for_a_server_database(qtbot, pg_services, paths):
    timer = BackupTimer(Backups(pg_services.db, paths.backups_dir))
    timer.start()
    assert not timer.active
    assert timer.stop_and_backup() is None
