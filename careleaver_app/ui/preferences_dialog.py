"""Preferences for this computer: which database to open, and the window layout."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class PreferencesDialog(QDialog):
    """`test_url(url) -> str | None` checks a team database; `save_url(url|None)` keeps it."""

    def __init__(
        self,
        current_database: str,
        test_url: Callable[[str], str | None],
        save_url: Callable[[str | None], None],
        reset_layout: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._test_url = test_url
        self._save_url = save_url
        self._reset_layout = reset_layout
        self.setWindowTitle(self.tr("Preferences"))
        self.setAccessibleName(self.windowTitle())

        database = QGroupBox(self.tr("Database"), self)
        form = QFormLayout(database)
        self.current = QLabel(current_database, self)
        self.current.setAccessibleName(self.tr("Database in use"))
        self.current.setWordWrap(True)
        form.addRow(self.tr("In use:"), self.current)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("postgresql://user:password@server/careleaver")
        self.url.setAccessibleName(self.tr("Team database URL"))
        self.test = QPushButton(self.tr("&Test and use from next start"), self)
        self.local = QPushButton(self.tr("Use the &local database"), self)
        line.addWidget(self.url)
        line.addWidget(self.test)
        caption = QLabel(self.tr("Team &database:"), self)
        caption.setBuddy(self.url)
        form.addRow(caption, row)
        form.addRow("", self.local)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        form.addRow(self.status)

        layout_box = QGroupBox(self.tr("Window"), self)
        box = QVBoxLayout(layout_box)
        self.reset = QPushButton(self.tr("&Reset window and column layout"), self)
        box.addWidget(self.reset)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(database)
        layout.addWidget(layout_box)
        layout.addWidget(buttons)
        self.test.clicked.connect(self._on_test_clicked)
        self.local.clicked.connect(self._on_local_clicked)
        self.reset.clicked.connect(self._on_reset_clicked)

    def _on_test_clicked(self) -> None:
        url = self.url.text().strip()
        if not url:
            self.status.setText(self.tr("Team database: enter its address first."))
            return
        error = self._test_url(url)
        if error:
            self.status.setText(self.tr("Could not connect: %s") % error)
            return
        self._save_url(url)
        self.status.setText(
            self.tr("Connected. The app will use this database from its next start.")
        )

    def _on_local_clicked(self) -> None:
        self._save_url(None)
        self.status.setText(
            self.tr("The app will use the database on this computer from its next start.")
        )

    def _on_reset_clicked(self) -> None:
        self._reset_layout()
        self.status.setText(self.tr("Window and column layout reset."))
