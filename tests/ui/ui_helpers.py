"""Helpers the GUI tests share."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def in_modal(action, errors):
    """Run `action(dialog)` on the modal dialog that the next step opens.

    A failure inside closes the dialog and is kept in `errors`, so the test fails, not hangs.
    """
    tries = []

    def run():
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()),
            None,
        )
        if dialog is None:
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
