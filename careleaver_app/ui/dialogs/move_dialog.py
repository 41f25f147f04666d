"""Record a move (or correct an episode): 903 type, dates, address, Schedule 2 checklist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from careleaver_app.domain.accommodation import Episode, episode_flags, opens_escalation
from careleaver_app.domain.codes import (
    NEVER_SUITABLE_TYPES,
    AccommodationType,
    Suitability,
    SuitabilityFactor,
)
from careleaver_app.services.dto import Changes, EpisodeDTO, MoveInput
from careleaver_app.ui.dialogs.form import CallbackForm, date_edit


class MoveDialog(CallbackForm):
    def __init__(
        self,
        submit: Callable[[MoveInput], Changes],
        today: date,
        episode: EpisodeDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Correct accommodation") if episode else self.tr("Record a move")
        super().__init__(title, submit, parent)
        self.type = QComboBox(self)
        for kind in AccommodationType:
            self.type.addItem(f"{kind.label} ({kind.value})", kind.value)
        self.start = date_edit(
            self, episode.start_date if episode else today, self.tr("Moved in on")
        )
        self.start.setMaximumDate(self.start.date().fromString(today.isoformat(), "yyyy-MM-dd"))
        self.address = QLineEdit(self)
        self.postcode = QLineEdit(self)
        self.postcode.setMaxLength(8)
        self.provider = QLineEdit(self)
        self.placed_by = QLineEdit(self)
        self.add_field("type_code", self.tr("&Type:"), self.type)
        self.add_field("start_date", self.tr("&Moved in on:"), self.start)
        self.add_field("address", self.tr("A&ddress:"), self.address)
        self.add_field("postcode", self.tr("&Postcode:"), self.postcode)
        self.add_field("provider", self.tr("P&rovider:"), self.provider)
        self.add_field("placed_by", self.tr("Placed &by:"), self.placed_by)

        checklist = QGroupBox(self.tr("Suitability checklist: tick any matter of concern"), self)
        grid = QGridLayout(checklist)
        self.concerns: dict[SuitabilityFactor, QCheckBox] = {}
        for i, factor in enumerate(SuitabilityFactor):
            box = QCheckBox(factor.label, checklist)
            box.setAccessibleName(self.tr("Concern: %s") % factor.label)
            grid.addWidget(box, i // 2, i % 2)
            self.concerns[factor] = box
            box.toggled.connect(self.mark_dirty)
        self.form.addRow(checklist)

        judgement = QWidget(self)
        row = QHBoxLayout(judgement)
        row.setContentsMargins(0, 0, 0, 0)
        self.suitable = QRadioButton(self.tr("&Suitable"), judgement)
        self.unsuitable = QRadioButton(self.tr("&Unsuitable"), judgement)
        group = QButtonGroup(judgement)
        group.addButton(self.suitable)
        group.addButton(self.unsuitable)
        row.addWidget(self.suitable)
        row.addWidget(self.unsuitable)
        row.addStretch(1)
        self.suitable.setChecked(True)
        self.add_field("suitability", self.tr("Judgement:"), judgement)
        judgement.setAccessibleName(self.tr("Suitability judgement"))
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        self.add_field("suitability_notes", self.tr("N&otes:"), self.notes)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName(self.tr("Flag warning"))
        self.warning.setStyleSheet("font-weight: bold;")
        self.form.addRow(self.warning)

        if episode is not None:
            self._load(episode)
        self.type.currentIndexChanged.connect(self._on_type_changed)
        self.suitable.toggled.connect(self._update_warning)
        self._on_type_changed()
        self._dirty = False

    def _load(self, e: EpisodeDTO) -> None:
        self.type.setCurrentIndex(self.type.findData(e.type.value))
        self.address.setText(e.address)
        self.postcode.setText(e.postcode)
        self.provider.setText(e.provider)
        self.placed_by.setText(e.placed_by)
        for factor, box in self.concerns.items():
            box.setChecked(factor in e.concerns)
        (self.suitable if e.suitability is Suitability.SUITABLE else self.unsuitable).setChecked(
            True
        )
        self.notes.setPlainText(e.suitability_notes)
        self.end_date = e.end_date

    def _on_type_changed(self) -> None:
        kind = AccommodationType(self.type.currentData())
        never = kind in NEVER_SUITABLE_TYPES
        if never:
            self.unsuitable.setChecked(True)
        self.suitable.setEnabled(not never)
        self._update_warning()

    def _update_warning(self) -> None:
        episode = self._episode_preview()
        texts = []
        if opens_escalation(episode):
            texts.append(
                "⚑ "
                + self.tr(
                    "Saving raises a flag: this placement will be reviewed by a team manager."
                )
            )
        texts.extend("⚠ " + f for f in episode_flags(episode))
        self.warning.setText("\n".join(texts))
        self.warning.setVisible(bool(texts))

    def _episode_preview(self) -> Episode:
        return Episode(
            type=AccommodationType(self.type.currentData()),
            start=self.start.date().toPython(),
            suitability=Suitability.SUITABLE
            if self.suitable.isChecked()
            else Suitability.UNSUITABLE,
        )

    def collect(self) -> MoveInput:
        return MoveInput(
            type=AccommodationType(self.type.currentData()),
            start_date=self.start.date().toPython(),
            suitability=Suitability.SUITABLE
            if self.suitable.isChecked()
            else Suitability.UNSUITABLE,
            concerns=frozenset(f for f, box in self.concerns.items() if box.isChecked()),
            suitability_notes=self.notes.toPlainText(),
            address=self.address.text(),
            postcode=self.postcode.text(),
            provider=self.provider.text(),
            placed_by=self.placed_by.text(),
            end_date=getattr(self, "end_date", None),
        )
