"""The start-up integrity check: before opening after an unclean shutdown (or a change made
behind the app's back); after the window is up, on a worker thread, after a clean close; and
damage found in the background is reported with the restore offered."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication, QMessageBox

from careleaver_app import app as app_module
from careleaver_app.cli import build_parser
from careleaver_app.services import integrity
from careleaver_app.services.integrity import CLEAN_MARKER, record_clean_shutdown
from careleaver_app.ui import startup_check
from careleaver_app.ui.main_window import MainWindow
from tests.conftest import corrupt

CHECK, OPEN = integrity.check_database_file, startup_check.open_services


def _prepare(tmp_path):
    from tests.ui.test_app_startup import _prepare as prepare

    return prepare(tmp_path)


def _run(monkeypatch, tmp_path, events, *, wait_for_close=False, until=None, damaged=False):
    """Start the app for pa1 (signed in for it); `events` records the order of the check,
    the opening of the database and the window's event loop."""
    check, open_services = CHECK, OPEN

    def checking(*args, **kwargs):
        result = check(*args, **kwargs)
        if damaged:  # what a failing disk would make of it
            result = integrity.IntegrityResult(result.database_file, False, ("page 7: bad",))
        events.append(("check", result.ok))
        return result

    def opening(*args, **kwargs):
        events.append(("open", None))
        return open_services(*args, **kwargs)

    def fake_exec():
        events.append(("window", None))
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        window = next(w for w in windows if w.isVisible())
        done = until or (lambda: not (wait_for_close and window.isVisible()))
        deadline = time.monotonic() + 30
        while not done() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        window.close()
        return 0

    monkeypatch.setattr(integrity, "check_database_file", checking)
    monkeypatch.setattr(startup_check, "open_services", opening)
    monkeypatch.setattr(
        app_module, "_sign_in", lambda services, *a, **k: services.staffing.actor("pa1")
    )
    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    return app_module.run_gui(build_parser().parse_args(["--data-dir", str(tmp_path)]))


def test_without_a_clean_close_the_check_runs_before_the_file_is_opened(
    qapp, monkeypatch, tmp_path
):
    _prepare(tmp_path)  # made, but never closed by the app: as after a crash
    events = []
    assert _run(monkeypatch, tmp_path, events) == 0
    assert events[:3] == [("check", True), ("open", None), ("window", None)]
    assert (tmp_path / CLEAN_MARKER).exists()  # that close was clean


def test_after_a_clean_close_the_window_opens_first_and_the_check_runs_later(
    qapp, monkeypatch, tmp_path
):
    _prepare(tmp_path)
    monkeypatch.setattr(startup_check, "CHECK_DELAY_MS", 0)
    events = []
    _run(monkeypatch, tmp_path, events)  # checked first (no clean close yet), closed cleanly
    events.clear()
    code = _run(monkeypatch, tmp_path, events, until=lambda: ("check", True) in events)
    assert code == 0
    assert events == [("open", None), ("window", None), ("check", True)]


def test_a_file_changed_behind_the_apps_back_is_checked_before_opening(qapp, monkeypatch, tmp_path):
    import sqlite3

    paths = _prepare(tmp_path)
    record_clean_shutdown(paths)
    with sqlite3.connect(paths.database_file) as conn:  # another program writes to it
        conn.execute("UPDATE teams SET name = 'North Team (renamed)'")
    conn.close()
    events = []
    _run(monkeypatch, tmp_path, events)
    assert events[:2] == [("check", True), ("open", None)]


def test_damage_found_in_the_background_is_reported_and_the_backup_offered(
    qapp, monkeypatch, tmp_path
):
    """A clean close, then damage no write made (a failing disk; the check's verdict is faked
    here, its finding real damage is pinned in tests/services/test_integrity.py): the window
    opens, the check finds it, the user is told, and on closing the file is moved aside and the
    backup restored."""
    from datetime import date

    from careleaver_app.services.backups import Backups
    from careleaver_app.services.container import open_services

    paths = _prepare(tmp_path)
    services = open_services(paths, None, lambda: date(2026, 11, 26))
    Backups(services.db, paths.backups_dir).take_if_changed(None, "test")
    services.close()
    record_clean_shutdown(paths)
    monkeypatch.setattr(startup_check, "CHECK_DELAY_MS", 0)
    questions, told = [], []

    def yes(*args, **kwargs):
        questions.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a: told.append(a[2])))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a: told.append(a[2])))
    events = []
    assert _run(monkeypatch, tmp_path, events, wait_for_close=True, damaged=True) == 0
    assert events[:3] == [("open", None), ("window", None), ("check", False)]
    assert "damaged" in questions[0] and "Close Care Leaver Tracker now" in questions[0]
    assert "Restore the backup" in questions[1]  # the start-up restore, after the close
    assert len(list(tmp_path.glob("careleaver.damaged-*.sqlite3"))) == 1
    assert paths.database_file.exists()  # the backup is in its place
    assert told and "restored" in told[0]
    assert not (tmp_path / CLEAN_MARKER).exists()  # the restored file is checked next time


def test_a_file_too_damaged_to_open_after_a_clean_close_is_checked_and_restored(
    qapp, monkeypatch, tmp_path
):
    from datetime import date

    from careleaver_app.services.backups import Backups
    from careleaver_app.services.container import open_services

    paths = _prepare(tmp_path)
    services = open_services(paths, None, lambda: date(2026, 11, 26))
    Backups(services.db, paths.backups_dir).take_if_changed(None, "test")
    services.close()
    damaged = corrupt(paths.database_file)
    record_clean_shutdown(paths)
    questions = []

    def yes(*args, **kwargs):
        questions.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    events = []
    assert _run(monkeypatch, tmp_path, events) == 0
    assert events[:4] == [("open", None), ("check", False), ("open", None), ("window", None)]
    assert "damaged" in questions[0]
    (aside,) = tmp_path.glob("careleaver.damaged-*.sqlite3")
    assert aside.read_bytes() == damaged  # opening it failed before anything was written


def test_damage_found_in_the_background_and_kept_is_checked_before_the_next_open(
    qapp, monkeypatch, tmp_path
):
    paths = _prepare(tmp_path)
    record_clean_shutdown(paths)
    monkeypatch.setattr(startup_check, "CHECK_DELAY_MS", 0)
    questions = []

    def no(*args, **kwargs):
        questions.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(no))
    events = []
    _run(monkeypatch, tmp_path, events, until=lambda: bool(questions), damaged=True)
    assert events[:3] == [("open", None), ("window", None), ("check", False)]
    assert questions and "damaged" in questions[0]
    assert not (tmp_path / CLEAN_MARKER).exists()  # kept working: checked before next open
    events.clear()
    _run(monkeypatch, tmp_path, events)
    assert events[:2] == [("check", True), ("open", None)]
