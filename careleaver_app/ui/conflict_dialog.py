"""Two people, one record: when someone else saved a young person's details first, show both
versions field by field and let the user keep theirs, take the other, or merge.

Nothing the user typed is lost: cancelling goes back to the edit form with their values, and a
save always carries the version it was based on, so a third save in between asks again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import ConflictError
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.dto import Changes, PersonRecord
from careleaver_app.ui.formatting import format_date

# Saves in a row overtaken by changes outside the details (a move, a contact, a new PA): each is
# retried on the new version at once, since nothing of the other person's would be overwritten.
SILENT_RETRIES = 5
BOTH_CHANGED_STYLE = "background: #fff0c2; color: #1a1a1a;"


class Choice(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"


class Resolution(StrEnum):
    KEEP_MINE = "keep_mine"
    TAKE_THEIRS = "take_theirs"
    MERGE = "merge"


@dataclass(frozen=True)
class FieldDifference:
    """One field where the user's version and the saved one differ, and what it was before."""

    name: str
    opened: object  # when the user opened the record
    mine: object
    theirs: object  # saved by someone else since

    @property
    def changed_by_me(self) -> bool:
        return not _same(self.mine, self.opened)

    @property
    def changed_by_them(self) -> bool:
        return not _same(self.theirs, self.opened)

    @property
    def changed_by_both(self) -> bool:
        return self.changed_by_me and self.changed_by_them

    @property
    def default(self) -> Choice:
        """Each side's change where only that side changed the field; the user's where both did."""
        return Choice.THEIRS if self.changed_by_them and not self.changed_by_me else Choice.MINE


def details_of(record: PersonRecord) -> PersonDetails:
    return PersonDetails(**{f.name: getattr(record, f.name) for f in fields(PersonDetails)})


def differences(
    opened: PersonDetails, mine: PersonDetails, theirs: PersonDetails
) -> list[FieldDifference]:
    return [
        FieldDifference(f.name, getattr(opened, f.name), getattr(mine, f.name), value)
        for f in fields(PersonDetails)
        if not _same(getattr(mine, f.name), value := getattr(theirs, f.name))
    ]


def merge(
    mine: PersonDetails, theirs: PersonDetails, choices: Mapping[str, Choice]
) -> PersonDetails:
    """The user's version with the other version's value wherever they chose theirs."""
    taken = {name: getattr(theirs, name) for name, c in choices.items() if c is Choice.THEIRS}
    return replace(mine, **taken)


def _same(a: object, b: object) -> bool:
    # The services strip text before saving: a trailing space typed is not a change.
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def field_labels() -> dict[str, str]:
    tr = QCoreApplication.translate
    return {
        "reference": tr("ConflictDialog", "Reference"),
        "first_name": tr("ConflictDialog", "First name"),
        "last_name": tr("ConflictDialog", "Last name"),
        "date_of_birth": tr("ConflictDialog", "Date of birth"),
        "preferred_name": tr("ConflictDialog", "Preferred name"),
        "gender": tr("ConflictDialog", "Gender"),
        "first_language": tr("ConflictDialog", "First language"),
        "interpreter_needed": tr("ConflictDialog", "Needs an interpreter"),
        "uasc": tr("ConflictDialog", "Unaccompanied asylum-seeking"),
        "pregnant_or_parenting": tr("ConflictDialog", "Pregnant or parenting"),
        "phone": tr("ConflictDialog", "Phone"),
        "email": tr("ConflictDialog", "Email"),
        "contact_address": tr("ConflictDialog", "Address"),
        "housing_consent": tr("ConflictDialog", "Agrees to share with housing"),
        "requested_pa_support": tr("ConflictDialog", "Asked for PA support to 25"),
        "detained_or_in_hospital_on_16th_birthday": tr(
            "ConflictDialog", "Detained or in hospital on 16th birthday"
        ),
        "housing_support_needs": tr("ConflictDialog", "Housing support needs"),
        "ethnicity": tr("ConflictDialog", "Ethnicity"),
        "religion": tr("ConflictDialog", "Religion"),
        "immigration_status": tr("ConflictDialog", "Immigration status"),
        "health_needs": tr("ConflictDialog", "Health needs"),
    }


def value_text(value: object) -> str:
    tr = QCoreApplication.translate
    if isinstance(value, bool):
        return tr("ConflictDialog", "Yes") if value else tr("ConflictDialog", "No")
    if isinstance(value, date):
        return format_date(value)
    text = str(value).strip() if value is not None else ""
    return text or tr("ConflictDialog", "(empty)")


@dataclass
class _Row:
    difference: FieldDifference
    caption: QLabel
    opened: QLabel
    mine: QLabel
    theirs: QLabel
    keep_mine: QRadioButton
    keep_theirs: QRadioButton


class ConflictDialog(QDialog):
    """`merged` holds the details to save once accepted (None for "Take theirs")."""

    def __init__(
        self,
        name: str,
        opened: PersonDetails,
        mine: PersonDetails,
        theirs: PersonDetails,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Someone else saved this record"))
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)
        self._mine, self._theirs = mine, theirs
        self.resolution: Resolution | None = None
        self.merged: PersonDetails | None = None
        self.rows: dict[str, _Row] = {}
        intro = QLabel(
            self.tr(
                "Someone else saved %1's details while you were editing them. Nothing of yours "
                "has been saved yet. These fields differ: choose what to keep for each and "
                "Merge, or keep all of yours, or take all of theirs. Where you both changed a "
                "field (marked ⚠) yours is chosen: check it."
            ).replace("%1", name),
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(self.tr("What happened"))
        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton(
            self.tr("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_mine_button = self.buttons.addButton(
            self.tr("&Keep mine"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.take_theirs_button = self.buttons.addButton(
            self.tr("&Take theirs"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button.setToolTip(self.tr("Save the value chosen for each field"))
        self.keep_mine_button.setToolTip(self.tr("Save your version of every field listed"))
        self.take_theirs_button.setToolTip(self.tr("Keep what they saved and discard your changes"))
        self.merge_button.setDefault(True)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._build_grid(opened))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.buttons.clicked.connect(self._on_buttons_clicked)
        self.buttons.rejected.connect(self.reject)
        self.resize(900, min(620, 180 + 48 * len(self.rows)))

    def _build_grid(self, opened: PersonDetails) -> QWidget:
        holder = QWidget(self)
        grid = QGridLayout(holder)
        headers = (
            self.tr("Field"),
            self.tr("When you opened it"),
            self.tr("Yours"),
            self.tr("Saved by someone else"),
            self.tr("Keep"),
        )
        for column, text in enumerate(headers):
            header = QLabel(f"<b>{text}</b>", holder)
            grid.addWidget(header, 0, column)
        labels = field_labels()
        for line, difference in enumerate(differences(opened, self._mine, self._theirs), 1):
            label = labels.get(difference.name, difference.name)
            caption = QLabel(label, holder)
            cells = [
                self._cell(holder, difference.opened, self.tr("%1 when you opened it"), label),
                self._cell(holder, difference.mine, self.tr("%1, yours"), label),
                self._cell(holder, difference.theirs, self.tr("%1, saved by someone else"), label),
            ]
            keep_mine = QRadioButton(self.tr("Yours"), holder)
            keep_theirs = QRadioButton(self.tr("Theirs"), holder)
            keep_mine.setAccessibleName(self.tr("Keep yours: %1").replace("%1", label))
            keep_theirs.setAccessibleName(self.tr("Keep theirs: %1").replace("%1", label))
            group = QButtonGroup(holder)
            group.addButton(keep_mine)
            group.addButton(keep_theirs)
            (keep_mine if difference.default is Choice.MINE else keep_theirs).setChecked(True)
            choice = QWidget(holder)
            box = QHBoxLayout(choice)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(keep_mine)
            box.addWidget(keep_theirs)
            if difference.changed_by_both:
                # Marked in words as well as colour: both of you changed this field.
                caption.setText(f"⚠ {label}\n" + self.tr("(changed by both of you)"))
                for widget in (caption, *cells, choice):
                    widget.setStyleSheet(BOTH_CHANGED_STYLE)
            for column, widget in enumerate((caption, *cells, choice)):
                grid.addWidget(widget, line, column, Qt.AlignmentFlag.AlignTop)
            self.rows[difference.name] = _Row(difference, caption, *cells, keep_mine, keep_theirs)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(len(self.rows) + 1, 1)
        return holder

    def _cell(self, parent: QWidget, value: object, name: str, label: str) -> QLabel:
        cell = QLabel(value_text(value), parent)
        cell.setTextFormat(Qt.TextFormat.PlainText)
        cell.setWordWrap(True)
        # Selectable, so text can be copied from either side into the other.
        cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cell.setAccessibleName(name.replace("%1", label))
        return cell

    # -- choices ------------------------------------------------------------------------

    def choice(self, name: str) -> Choice:
        return Choice.MINE if self.rows[name].keep_mine.isChecked() else Choice.THEIRS

    def set_choice(self, name: str, choice: Choice) -> None:
        row = self.rows[name]
        (row.keep_mine if choice is Choice.MINE else row.keep_theirs).setChecked(True)

    def choices(self) -> dict[str, Choice]:
        return {name: self.choice(name) for name in self.rows}

    def _on_buttons_clicked(self, button: QAbstractButton) -> None:
        if button is self.merge_button:
            self.resolution = Resolution.MERGE
            self.merged = merge(self._mine, self._theirs, self.choices())
        elif button is self.keep_mine_button:
            self.resolution = Resolution.KEEP_MINE
            self.merged = self._mine
        elif button is self.take_theirs_button:
            self.resolution = Resolution.TAKE_THEIRS
            self.merged = None
        else:
            return
        self.accept()


# -- the save flow --------------------------------------------------------------------------


def update_resolving_conflicts(
    services: Services, actor: Actor, record: PersonRecord, parent: QWidget | None = None
) -> Callable[[PersonDetails], Changes]:
    """The edit form's submit: save with the version the form was opened on; when someone else
    saved first, show the ConflictDialog and save its result on the version now saved.

    A ConflictError out of here (the user cancelled) leaves the form open with their values.
    """
    people = services.people

    def submit(mine: PersonDetails) -> Changes:
        opened, version, silent = details_of(record), record.version, 0
        while True:
            try:
                return people.update(actor, record.id, mine, version)
            except ConflictError:
                current = people.get(actor, record.id)
            theirs = details_of(current)
            nothing_to_choose = theirs == opened or not differences(opened, mine, theirs)
            if nothing_to_choose and silent < SILENT_RETRIES:
                # Only things outside these details changed (a move, a contact, the PA), or
                # they saved just what this user typed: saving on the new version loses nothing.
                version, silent = current.version, silent + 1
                continue
            dialog = ConflictDialog(
                current.name, opened, mine, theirs, QApplication.activeModalWidget() or parent
            )
            accepted = bool(dialog.exec())
            resolution, merged = dialog.resolution, dialog.merged
            dialog.deleteLater()
            if not accepted or resolution is None:
                raise ConflictError(
                    QCoreApplication.translate(
                        "ConflictDialog",
                        "Someone else saved this record while you were editing it. Nothing was "
                        "saved and your changes are still here: Save again to compare them with "
                        "theirs, or Cancel to discard them.",
                    )
                )
            if merged is None:  # take theirs: what they saved stands, and nothing is written
                return Changes(current.id, current.version)
            # A further conflict is judged against the version this one was merged onto.
            mine, opened, version, silent = merged, theirs, current.version, 0

    return submit
