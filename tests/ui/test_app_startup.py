"""Starting the real app: `--demo` opens a window on a demo database; a bad database is refused."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from careleaver_app import app as app_module
from careleaver_app.cli import build_parser
from careleaver_app.ui.main_window import MainWindow
from tests.conftest import corrupt


def _run(monkeypatch, argv):
    seen = {}

    def fake_exec():
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        seen["window"] = windows[-1] if windows else None
        if windows:
            seen["rows"] = windows[-1].caseload.model.rowCount()
            seen["user"] = windows[-1].actor
            windows[-1].close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    code = app_module.run_gui(build_parser().parse_args(argv))
    return code, seen


def test_demo_flag_opens_a_window_on_a_demo_database(qapp, monkeypatch, tmp_path):
    code, seen = _run(monkeypatch, ["--data-dir", str(tmp_path), "--today", "2026-11-26", "--demo"])
    assert code == 0
    assert seen["window"] is not None
    assert seen["user"].role.value == "personal_adviser"
    assert seen["rows"] > 0  # the PA's own caseload is showing
    with sqlite3.connect(tmp_path / "demo.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM young_people").fetchone()[0] >= 500
    assert not (tmp_path / "careleaver.sqlite3").exists()  # the real database is untouched


def test_database_written_by_a_newer_version_is_refused_with_a_message(qapp, monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    with sqlite3.connect(tmp_path / "other.sqlite3") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    messages = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: messages.append(a[2]))
    code, seen = _run(monkeypatch, ["--data-dir", str(tmp_path), "--database", url])
    assert code == 2 and "newer version" in messages[0]
    assert "window" not in seen


def _prepare(tmp_path, passphrase=None):
    """A local database with a team, a PA with a password, and settings naming it."""
    from datetime import date

    from careleaver_app.config import AppConfig
    from careleaver_app.domain.codes import Role
    from careleaver_app.paths import AppPaths
    from careleaver_app.services.container import open_services

    paths = AppPaths.for_dir(tmp_path)
    services = open_services(paths, None, lambda: date(2026, 11, 26), passphrase=passphrase)
    admin = services.staffing.ensure_first_administrator("admin", "keeper of the keys")
    team = services.staffing.create_team(admin, "North Team")
    services.staffing.create_staff(
        admin, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, team.id, "a long password"
    )
    services.close()
    AppConfig(None, "pa1").save(paths.settings_file)
    return paths


def test_an_existing_database_asks_for_a_password_and_refuses_a_wrong_one(
    qapp, monkeypatch, tmp_path
):
    from ui_helpers import in_modal

    from careleaver_app.ui.sign_in_dialog import SignInDialog

    _prepare(tmp_path)
    seen_errors = []

    def sign_in(dialog):
        assert isinstance(dialog, SignInDialog)
        assert dialog.username.text() == "pa1"  # remembered from last time
        dialog.password.setText("not it at all")
        dialog._on_buttons_accepted()
        seen_errors.append(dialog.error.text())
        dialog.password.setText("a long password")
        dialog._on_buttons_accepted()

    errors = []
    in_modal(sign_in, errors)
    code, seen = _run(monkeypatch, ["--data-dir", str(tmp_path), "--today", "2026-11-26"])
    assert not errors, errors
    assert code == 0
    assert seen_errors == ["The username or password is not right."]
    assert seen["user"].username == "pa1"


def test_cancelling_sign_in_quits_without_a_window(qapp, monkeypatch, tmp_path):
    from ui_helpers import in_modal

    _prepare(tmp_path)
    errors = []
    in_modal(lambda dialog: dialog.reject(), errors)
    code, seen = _run(monkeypatch, ["--data-dir", str(tmp_path)])
    assert code == 0 and seen == {}


def test_an_encrypted_database_asks_for_its_passphrase_first(qapp, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QInputDialog
    from ui_helpers import in_modal

    _prepare(tmp_path, passphrase="the file's passphrase")
    answers = iter([("wrong passphrase", True), ("the file's passphrase", True)])
    prompts = []

    def get_text(parent, title, label, *args, **kwargs):
        prompts.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))

    def sign_in(dialog):
        dialog.password.setText("a long password")
        dialog._on_buttons_accepted()

    errors = []
    in_modal(sign_in, errors)
    code, seen = _run(monkeypatch, ["--data-dir", str(tmp_path), "--today", "2026-11-26"])
    assert not errors, errors
    assert code == 0 and seen["user"].username == "pa1"
    assert len(prompts) == 2 and "again" in prompts[1]


def test_a_damaged_database_is_moved_aside_and_the_newest_good_backup_restored(
    qapp, monkeypatch, tmp_path
):
    from datetime import date

    from ui_helpers import in_modal

    from careleaver_app.services.backups import Backups
    from careleaver_app.services.container import open_services

    paths = _prepare(tmp_path)
    services = open_services(paths, None, lambda: date(2026, 11, 26))
    Backups(services.db, paths.backups_dir).take_if_changed(None, "test")
    services.close()
    damaged = corrupt(paths.database_file)
    questions = []

    def yes(*args, **kwargs):
        questions.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))

    def sign_in(dialog):
        dialog.password.setText("a long password")
        dialog._on_buttons_accepted()

    errors = []
    in_modal(sign_in, errors)
    code, seen = _run(monkeypatch, ["--data-dir", str(tmp_path), "--today", "2026-11-26"])
    assert not errors, errors
    assert code == 0 and seen["user"].username == "pa1"
    assert "damaged" in questions[0]
    aside = list(tmp_path.glob("careleaver.damaged-*.sqlite3"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # never written to


def test_declining_the_restore_leaves_the_damaged_file_alone(qapp, monkeypatch, tmp_path):
    from datetime import date

    from careleaver_app.services.backups import Backups
    from careleaver_app.services.container import open_services

    paths = _prepare(tmp_path)
    services = open_services(paths, None, lambda: date(2026, 11, 26))
    Backups(services.db, paths.backups_dir).take_if_changed(None, "test")
    services.close()
    damaged = corrupt(paths.database_file)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    code, seen = _run(monkeypatch, ["--data-dir", str(tmp_path)])
    assert code == 0 and seen == {}
    assert paths.database_file.read_bytes() == damaged


def test_the_data_layer_is_imported_before_pyside():
    """Once PySide6 is loaded its import hook reads the source of every later module (80-100 ms
    for SQLAlchemy and the services): app.py imports them, and the SQLite dialect, first."""
    probe = (
        "import json, sys\n"
        "order = []\n"
        "class Log:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        order.append(name)\n"
        "sys.meta_path.insert(0, Log())\n"
        "import careleaver_app.app\n"
        "print(json.dumps(order))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    order = json.loads(done.stdout)
    pyside = order.index("PySide6.QtCore")
    for module in (
        "sqlalchemy.orm",
        "sqlalchemy.dialects.sqlite.pysqlite",
        "careleaver_app.db.models",
        "careleaver_app.services.people",
        "careleaver_app.services.container",
    ):
        assert order.index(module) < pyside, module
