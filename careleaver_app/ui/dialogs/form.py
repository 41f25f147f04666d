"""A form dialog that submits through a service call and shows each problem next to its field."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError, ValidationError

log = logging.getLogger(__name__)


def date_edit(parent: QWidget, value: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setAccessibleName(name)
    return edit


class FormDialog(QDialog):
    """Rows are added with add_field(key, label, widget); `key` matches FieldProblem.field."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Problems"))
        self.message.setStyleSheet(
            "color: palette(highlighted-text); background: #a61b1b;padding: 4px;"
        )
        self.message.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._dirty = False
        self.result_value: Any = None

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget)
        error = QLabel(holder)
        error.setStyleSheet("color: #c62828; font-weight: bold;")
        error.setWordWrap(True)
        error.setAccessibleName(self.tr("Problem with %s") % label.replace("&", ""))
        error.hide()
        box.addWidget(error)
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self.form.addRow(caption, holder)
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        self._errors[key] = error
        self._widgets[key] = widget
        self._watch(widget)
        return widget

    def _watch(self, widget: QWidget) -> None:
        def mark(*_: object) -> None:
            self._dirty = True

        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(mark)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(mark)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(mark)
        elif isinstance(widget, QDateEdit):
            widget.dateChanged.connect(mark)
        elif isinstance(widget, (QCheckBox, QAbstractButton)):
            widget.toggled.connect(mark)

    def mark_dirty(self) -> None:
        self._dirty = True

    # -- submission ---------------------------------------------------------------------

    def collect(self) -> Any:
        """The input DTO from the widgets; raise ValidationError for what cannot be parsed."""
        raise NotImplementedError

    def submit(self, value: Any) -> Any:
        raise NotImplementedError

    def _on_buttons_accepted(self) -> None:
        self.clear_problems()
        try:
            self.result_value = self.submit(self.collect())
        except ValidationError as exc:
            self.show_problems(exc)
            return
        except DomainError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return
        except Exception:
            log.exception("unexpected error while saving")
            self.message.setText(
                self.tr("Something went wrong and nothing was saved. The details are in the log.")
            )
            self.message.show()
            return
        self._dirty = False
        self.accept()

    def clear_problems(self) -> None:
        self.message.hide()
        for label in self._errors.values():
            label.hide()

    def show_problems(self, exc: ValidationError) -> None:
        unplaced = []
        first: QWidget | None = None
        for problem in exc.problems:
            label = self._errors.get(problem.field)
            if label is None:
                unplaced.append(str(problem))
                continue
            label.setText(problem.message[:1].upper() + problem.message[1:])
            label.show()
            first = first or self._widgets[problem.field]
        if unplaced:
            self.message.setText("\n".join(unplaced))
            self.message.show()
        else:
            self.message.setText(self.tr("Nothing was saved: please correct the fields marked."))
            self.message.show()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        if self._dirty:
            answer = QMessageBox.question(
                self,
                self.tr("Discard changes?"),
                self.tr("You have changes that are not saved. Discard them?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


class CallbackForm(FormDialog):
    """A FormDialog whose submit is a service call handed in by the window."""

    def __init__(self, title: str, submit: Callable[[Any], Any], parent=None) -> None:
        super().__init__(title, parent)
        self._submit = submit

    def submit(self, value: Any) -> Any:
        return self._submit(value)
