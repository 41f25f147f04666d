"""A manager's decision on a flagged placement, and resolving it with a rationale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from careleaver_app.domain.escalation import DecisionKind
from careleaver_app.services.escalations import DecisionInput, QueueRow
from careleaver_app.ui.dialogs.form import CallbackForm, date_edit
from careleaver_app.ui.escalation_model import status_text
from careleaver_app.ui.formatting import format_date, level_text, nights_text

DEFAULT_CHECK_DAYS = 7  # a week is the usual interval between a manager's checks


def _text_box(parent: QWidget, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def _summary(parent: QWidget, item: QueueRow) -> QLabel:
    """Who and what the decision is about, so the manager never decides on the wrong row."""
    until = format_date(item.end_date) if item.end_date else parent.tr("now")
    label = QLabel(
        f"<b>{_esc(item.name)}</b> ({_esc(item.reference)}) · {_esc(item.type.label)} "
        f"({item.code_903}) {parent.tr('from')} {format_date(item.start_date)} "
        f"{parent.tr('to')} {until} · {nights_text(item.nights)} · "
        f"{parent.tr('Level')} {_esc(level_text(item.level))}",
        parent,
    )
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setAccessibleName(parent.tr("Flagged placement"))
    return label


class DecisionDialog(CallbackForm):
    def __init__(
        self,
        submit: Callable[[DecisionInput], Any],
        today: date,
        item: QueueRow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Record a decision"), submit, parent)
        self.setMinimumWidth(480)
        self.form.addRow(_summary(self, item))
        self.kind = QComboBox(self)
        for kind in DecisionKind:
            self.kind.addItem(kind.label, kind.value)
        self.note = _text_box(self)
        self.reason = _text_box(self, 50)
        self.set_check = QCheckBox(self.tr("Set a &next check date"), self)
        self.set_check.setChecked(True)
        self.next_check = date_edit(self, today + timedelta(days=DEFAULT_CHECK_DAYS), "")
        self.next_check.setAccessibleName(self.tr("Next check date"))
        self.next_check.setMinimumDate(QDate(today.year, today.month, today.day))
        self.add_field("kind", self.tr("&Decision:"), self.kind)
        self.add_field("note", self.tr("N&ote:"), self.note)
        self.add_field("reason", self.tr("&Reason for the exception:"), self.reason)
        self.add_field("set_next_check", self.tr("Check:"), self.set_check)
        self.add_field("next_check_on", self.tr("Next &check on:"), self.next_check)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.set_check.toggled.connect(self.next_check.setEnabled)
        self._on_kind_changed()
        self._dirty = False

    def _on_kind_changed(self) -> None:
        # A reason is asked for only where the rules require one: authorising an exception.
        self.reason.setEnabled(self._kind() is DecisionKind.EXCEPTION_AUTHORISED)

    def _kind(self) -> DecisionKind:
        return DecisionKind(self.kind.currentData())

    def collect(self) -> DecisionInput:
        return DecisionInput(
            kind=self._kind(),
            note=self.note.toPlainText(),
            reason=self.reason.toPlainText() if self.reason.isEnabled() else "",
            next_check_on=self.next_check.date().toPython() if self.set_check.isChecked() else None,
        )


class ResolveDialog(CallbackForm):
    def __init__(
        self, submit: Callable[[str], Any], item: QueueRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Resolve a flagged placement"), submit, parent)
        self.setMinimumWidth(480)
        self.form.addRow(_summary(self, item))
        if item.ready_to_resolve:
            state = self.tr("Ready to resolve")
        else:
            state = (
                status_text(item)
                + " · "
                + self.tr("the placement continues and is still unsuitable")
            )
        self.status = QLabel(state, self)
        self.status.setWordWrap(True)
        self.rationale = _text_box(self, 90)
        self.add_field("status", self.tr("Status:"), self.status)
        self.add_field("rationale", self.tr("&Rationale:"), self.rationale)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Re&solve"))
        self._dirty = False

    def collect(self) -> str:
        return self.rationale.toPlainText()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
