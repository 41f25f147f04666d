"""Starting the real app: `--demo` opens a window on a demo database; a bad database is refused."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QApplication, QMessageBox

from careleaver_app import app as app_module
from careleaver_app.cli import build_parser
from careleaver_app.ui.main_window import MainWindow


def _run(monkeypatch, argv):
    seen = {}

    def fake_exec():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
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
