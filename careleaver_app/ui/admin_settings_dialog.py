"""Council-wide settings an administrator owns: how soon an idle app locks, and when a B&B or
unsuitable placement climbs the escalation ladder (DESIGN 3.3). Each change is checked and
audited by its service; Save applies only what changed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QSpacerItem, QSpinBox, QVBoxLayout, QWidget

from careleaver_app.domain.auth import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, idle_minutes_problems
from careleaver_app.domain.errors import FieldProblem, PermissionDenied, ValidationError
from careleaver_app.domain.escalation import Thresholds
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.permissions import Action, allowed
from careleaver_app.ui.dialogs.form import FormDialog
from careleaver_app.ui.dialogs.user_dialogs import grow_to_fit


@dataclass(frozen=True)
class AdminSettings:
    idle_lock_minutes: int
    thresholds: Thresholds


def _spin(parent: QWidget, low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setMaximumWidth(200)  # a number needs no full-width box; the error below may
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


class AdminSettingsDialog(FormDialog):
    """Raises PermissionDenied for anyone but an administrator, before any window appears."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        if not allowed(actor, Action.MANAGE_SETTINGS):
            raise PermissionDenied(
                QCoreApplication.translate(
                    "AdminSettingsDialog", "Only an administrator can change these settings."
                )
            )
        super().__init__(self.tr("Administrator settings"), parent)
        self.services = services
        self.actor = actor
        self.setMinimumWidth(620)
        self.before = AdminSettings(
            services.staffing.idle_lock_minutes(), services.escalations.thresholds()
        )
        t = self.before.thresholds
        minutes = self.tr(" minutes")
        working_days = self.tr(" working days")
        nights = self.tr(" nights")

        self.idle_minutes = _spin(
            self, MIN_IDLE_MINUTES, MAX_IDLE_MINUTES, self.before.idle_lock_minutes, minutes
        )
        self._section(
            self.tr("Sign-in"),
            self.tr(
                "The app locks itself after this long without use, on every computer; the "
                "password opens it again. At most %1 minutes."
            ).replace("%1", str(MAX_IDLE_MINUTES)),
        )
        self.add_field("idle_lock_minutes", self.tr("&Lock when idle for:"), self.idle_minutes)

        self.level_2 = _spin(self, 0, 60, t.level_2_working_days, working_days)
        self.level_3 = _spin(self, 0, 120, t.level_3_working_days, working_days)
        self.parenting = _spin(self, 0, 365, t.pregnant_or_parenting_days, nights)
        self._section(
            self.tr("Escalation of B&B and unsuitable placements"),
            self.tr(
                "A flagged placement goes to the team manager at once, then up the ladder after "
                "the times below. A young person under 18 goes to the head of service at once. "
                "Working days leave out weekends and bank holidays. Defaults: 2 and 10 working "
                "days, and 42 nights (six weeks)."
            ),
        )
        self.add_field(
            "level_2_working_days", self.tr("&Head of service after:"), self.level_2
        ).setAccessibleName(self.tr("Raise to head of service after this many working days"))
        self.add_field(
            "level_3_working_days", self.tr("&Director after:"), self.level_3
        ).setAccessibleName(self.tr("Raise to director after this many working days"))
        self.add_field(
            "pregnant_or_parenting_days",
            self.tr("Director, if &pregnant or parenting, after:"),
            self.parenting,
        ).setAccessibleName(
            self.tr("Raise to director after this many nights for a pregnant or parenting person")
        )
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):  # air between the last field and the buttons
            layout.insertSpacing(layout.count() - 1, 12)
        for spin in (self.idle_minutes, self.level_2, self.level_3, self.parenting):
            spin.valueChanged.connect(self.mark_dirty)
        self._dirty = False

    def _section(self, title: str, text: str) -> None:
        """A bold heading and a plain-English note on what the fields below do."""
        heading = QLabel(title, self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        note = QLabel(text, self)
        note.setWordWrap(True)
        note.setAccessibleName(title)
        if self.form.rowCount():
            self.form.addItem(QSpacerItem(0, 10))
        self.form.addRow(heading)
        self.form.addRow(note)

    def _on_buttons_accepted(self) -> None:
        super()._on_buttons_accepted()
        if self.isVisible():
            grow_to_fit(self)

    def collect(self) -> AdminSettings:
        return AdminSettings(
            self.idle_minutes.value(),
            Thresholds(self.level_2.value(), self.level_3.value(), self.parenting.value()),
        )

    def submit(self, value: AdminSettings) -> AdminSettings:
        # Check both before saving either, so that a refusal never leaves half the form saved.
        problems = idle_minutes_problems(value.idle_lock_minutes)
        for text in value.thresholds.problems():
            field, message = text.split(": ", 1)
            if field == "level_3_working_days":  # the rule speaks of levels; the form does not
                message = self.tr("must not be fewer than for the head of service")
            problems.append(FieldProblem(field, message))
        if problems:
            raise ValidationError(problems)
        if value.idle_lock_minutes != self.before.idle_lock_minutes:
            self.services.staffing.set_idle_lock_minutes(self.actor, value.idle_lock_minutes)
            self.before = AdminSettings(value.idle_lock_minutes, self.before.thresholds)
        if value.thresholds != self.before.thresholds:
            self.services.escalations.set_thresholds(self.actor, value.thresholds)
        return value
