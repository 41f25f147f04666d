"""Pathway planning dialogs: needs assessment, a new plan, its sign-off and a review.

Each field's key is the FieldProblem.field the Pathway service raises, so a refusal (a future
date, a date before birth) shows beside the field it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from careleaver_app.services.pathway import ReviewKind
from careleaver_app.ui.dialogs.form import CallbackForm, date_edit


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    completed_on: date
    completed_by: str


@dataclass(frozen=True, slots=True)
class PlanInput:
    started_on: date
    author: str


@dataclass(frozen=True, slots=True)
class ReviewInput:
    held_on: date
    kind: ReviewKind
    outcome: str
    attendees: str


class AssessmentDialog(CallbackForm):
    def __init__(self, submit: Callable[[AssessmentInput], Any], today: date, parent=None) -> None:
        super().__init__(self.tr("Record needs assessment"), submit, parent)
        self.completed_on = date_edit(self, today, self.tr("Completed on"))
        self.completed_by = QLineEdit(self)
        self.add_field("completed_on", self.tr("&Completed on:"), self.completed_on)
        self.add_field("completed_by", self.tr("Completed &by:"), self.completed_by)
        self._dirty = False

    def collect(self) -> AssessmentInput:
        return AssessmentInput(self.completed_on.date().toPython(), self.completed_by.text())


class PlanDialog(CallbackForm):
    def __init__(self, submit: Callable[[PlanInput], Any], today: date, parent=None) -> None:
        super().__init__(self.tr("Start a new pathway plan"), submit, parent)
        self.started_on = date_edit(self, today, self.tr("Plan starts on"))
        self.author = QLineEdit(self)
        self.add_field("started_on", self.tr("&Starts on:"), self.started_on)
        self.add_field("author", self.tr("&Author:"), self.author)
        self._dirty = False

    def collect(self) -> PlanInput:
        return PlanInput(self.started_on.date().toPython(), self.author.text())


class SignOffDialog(CallbackForm):
    def __init__(self, submit: Callable[[date], Any], today: date, parent=None) -> None:
        super().__init__(self.tr("Sign off plan"), submit, parent)
        self.signed_off_on = date_edit(self, today, self.tr("Signed off on"))
        self.add_field("signed_off_on", self.tr("&Signed off on:"), self.signed_off_on)
        self._dirty = False

    def collect(self) -> date:
        return self.signed_off_on.date().toPython()


class ReviewDialog(CallbackForm):
    def __init__(self, submit: Callable[[ReviewInput], Any], today: date, parent=None) -> None:
        super().__init__(self.tr("Record a review"), submit, parent)
        self.held_on = date_edit(self, today, self.tr("Held on"))
        self.kind = QComboBox(self)
        for kind in ReviewKind:
            self.kind.addItem(kind.label, kind.value)
        self.outcome = QPlainTextEdit(self)
        self.outcome.setTabChangesFocus(True)
        self.outcome.setFixedHeight(70)
        self.attendees = QLineEdit(self)
        self.add_field("held_on", self.tr("&Held on:"), self.held_on)
        self.add_field("kind", self.tr("&Kind:"), self.kind)
        self.add_field("outcome", self.tr("&Outcome:"), self.outcome)
        self.add_field("attendees", self.tr("&Attendees:"), self.attendees)
        self._dirty = False

    def collect(self) -> ReviewInput:
        return ReviewInput(
            self.held_on.date().toPython(),
            ReviewKind(self.kind.currentData()),
            self.outcome.toPlainText(),
            self.attendees.text(),
        )
