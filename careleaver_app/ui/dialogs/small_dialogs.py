"""Short dialogs: log a contact, change activity, end the current accommodation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QWidget

from careleaver_app.domain.codes import Activity, ContactKind, InTouch
from careleaver_app.services.dto import ContactInput
from careleaver_app.ui.dialogs.form import CallbackForm, date_edit


@dataclass(frozen=True)
class ActivityInput:
    activity: Activity
    start_date: date
    note: str


def _note(parent: QWidget) -> QPlainTextEdit:
    note = QPlainTextEdit(parent)
    note.setTabChangesFocus(True)
    note.setFixedHeight(70)
    return note


class ContactDialog(CallbackForm):
    def __init__(self, submit: Callable[[ContactInput], Any], today: date, parent=None) -> None:
        super().__init__(self.tr("Log a contact"), submit, parent)
        self.when = date_edit(self, today, self.tr("Date of contact"))
        self.kind = QComboBox(self)
        for kind in ContactKind:
            self.kind.addItem(kind.label, kind.value)
        self.in_touch = QComboBox(self)
        for code in InTouch:
            self.in_touch.addItem(code.label, code.value)
        self.at_home = QCheckBox(self.tr("Seen at home"), self)
        self.note = _note(self)
        self.add_field("contact_date", self.tr("&Date:"), self.when)
        self.add_field("kind", self.tr("&Kind:"), self.kind)
        self.add_field("in_touch", self.tr("&In touch:"), self.in_touch)
        self.add_field("seen_at_home", self.tr("&Home:"), self.at_home)
        self.add_field("note", self.tr("&Note:"), self.note)
        self._dirty = False

    def collect(self) -> ContactInput:
        return ContactInput(
            contact_date=self.when.date().toPython(),
            kind=ContactKind(self.kind.currentData()),
            in_touch=InTouch(self.in_touch.currentData()),
            seen_at_home=self.at_home.isChecked(),
            note=self.note.toPlainText(),
        )


class ActivityDialog(CallbackForm):
    def __init__(self, submit: Callable[[ActivityInput], Any], today: date, parent=None) -> None:
        super().__init__(self.tr("Change activity"), submit, parent)
        self.activity = QComboBox(self)
        for code in Activity:
            self.activity.addItem(f"{code.label} ({code.value})", code.value)
        self.start = date_edit(self, today, self.tr("From"))
        self.note = _note(self)
        self.add_field("activity", self.tr("&Activity:"), self.activity)
        self.add_field("start_date", self.tr("&From:"), self.start)
        self.add_field("note", self.tr("&Note:"), self.note)
        self._dirty = False

    def collect(self) -> ActivityInput:
        return ActivityInput(
            Activity(self.activity.currentData()),
            self.start.date().toPython(),
            self.note.toPlainText(),
        )


class EndEpisodeDialog(CallbackForm):
    def __init__(self, submit: Callable[[date], Any], today: date, parent=None) -> None:
        super().__init__(self.tr("End current accommodation"), submit, parent)
        self.end = date_edit(self, today, self.tr("Left on"))
        self.add_field("end_date", self.tr("&Left on:"), self.end)
        self._dirty = False

    def collect(self) -> date:
        return self.end.date().toPython()
