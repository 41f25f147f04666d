"""One young person's housing summary laid out for reading: who, how to reach them, support needs,
PA, open escalations and the accommodation history. It shows a HousingSummary DTO and nothing
else (DESIGN 3.6)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.services.housing import HousingSummary
from careleaver_app.ui.formatting import format_date, level_text, nights_text
from careleaver_app.ui.housing_model import EpisodeColumn, HousingEpisodeModel
from careleaver_app.ui.tables import list_table

_T = Qt.TextInteractionFlag


def text_label(parent: QWidget, name: str, text_format: Qt.TextFormat) -> QLabel:
    """A wrapped label that the keyboard can reach and copy from."""
    label = QLabel(parent)
    label.setTextFormat(text_format)
    label.setWordWrap(True)
    label.setTextInteractionFlags(_T.TextSelectableByKeyboard | _T.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class HousingDetail(QWidget):
    """One HousingSummary laid out for reading: who, how to reach them, support, placements."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Housing summary"))
        self.body = QWidget(self)  # everything about the young person: one page that scrolls
        self.header = text_label(self.body, self.tr("Young person"), Qt.TextFormat.RichText)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for key, text in (
            ("date_of_birth", self.tr("Date of birth")),
            ("phone", self.tr("Phone")),
            ("email", self.tr("Email")),
            ("address", self.tr("Address")),
            ("support", self.tr("Housing support needs")),
            ("pa", self.tr("Personal adviser")),
            ("team", self.tr("Team")),
            ("escalations", self.tr("Open escalations")),
        ):
            # Plain text: what a PA typed is never taken for markup.
            self.fields[key] = text_label(self.body, text, Qt.TextFormat.PlainText)
            form.addRow(f"<b>{escape(text)}:</b>", self.fields[key])
        self.history_label = QLabel(self.tr("<b>&Accommodation history</b>"), self.body)
        self.episodes = HousingEpisodeModel(self)
        self.history = list_table(self.body, self.episodes, self.tr("Accommodation history"))
        self.history_label.setBuddy(self.history)
        # Every placement in view at once: the page scrolls, never the table inside it.
        self.history.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EpisodeColumn.TYPE, QHeaderView.ResizeMode.Stretch)
        self.footer = QLabel(
            self.tr(
                "Shown because the young person agreed to share with housing. Health, "
                "ethnicity, religion, immigration status and case notes are never shown here."
            ),
            self.body,
        )
        self.footer.setWordWrap(True)
        self.footer.setStyleSheet("font-style: italic;")  # a reminder, not data
        body = QVBoxLayout(self.body)
        body.addWidget(self.header)
        body.addSpacing(6)
        body.addLayout(form)
        body.addSpacing(8)
        body.addWidget(self.history_label)
        body.addWidget(self.history)
        body.addWidget(self.footer)
        body.addStretch(1)
        self.page = QScrollArea(self)
        self.page.setWidget(self.body)
        self.page.setWidgetResizable(True)
        self.page.setFrameShape(QFrame.Shape.NoFrame)
        self.message = text_label(self, self.tr("Message"), Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.page)
        self.summary: HousingSummary | None = None
        self.show_prompt()

    def show_prompt(self) -> None:
        self.show_message(self.tr("Choose a young person from the list (Enter or double-click)."))

    def show_message(self, text: str) -> None:
        """No summary: a message instead, and nothing left of the previous young person."""
        self.summary = None
        self.message.setText(text)
        self.message.show()
        self.page.hide()
        self.header.clear()
        for value in self.fields.values():
            value.clear()
        self.episodes.set_rows([])

    def show_summary(self, s: HousingSummary) -> None:
        self.summary = s
        self.message.hide()
        known_as = f" ({self.tr('known as')} {s.preferred_name})" if s.preferred_name else ""
        as_of = self.tr("as of %1").replace("%1", format_date(s.as_of))
        self.header.setText(
            f"<h2>{escape(s.name + known_as)}</h2>"
            f"{escape(s.reference)} · {escape(self.tr('age'))} {s.age} · {escape(as_of)}"
        )
        missing = self.tr("Not recorded")
        pa = s.pa_name or self.tr("Unallocated")
        if s.pa_name and s.pa_email:
            pa += f" ({s.pa_email})"
        escalations = [
            "⚑ "
            + self.tr("Level %1: %2 in %3")
            .replace("%1", level_text(e.level))
            .replace("%2", nights_text(e.nights))
            .replace("%3", f"{e.type.value} · {e.type.label}")
            for e in s.open_escalations
        ]
        values = {
            "date_of_birth": f"{format_date(s.date_of_birth)} ({self.tr('age')} {s.age})",
            "phone": s.phone,
            "email": s.email,
            "address": s.contact_address,
            "support": s.housing_support_needs,
            "pa": pa,
            "team": s.team_name,
            "escalations": "\n".join(escalations) or self.tr("None"),
        }
        for key, value in values.items():
            self.fields[key].setText(value.strip() or missing)
        self.episodes.set_rows(s.accommodation)
        table = self.history
        rows = sum(table.rowHeight(r) for r in range(self.episodes.rowCount()))
        table.setFixedHeight(
            table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth()
        )
        self.page.show()

    def focus(self) -> None:
        target = self.header if self.summary else self.message
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)


__all__ = ["HousingDetail", "text_label"]
