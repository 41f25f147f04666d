"""Reading the audit trail: a record's history for its manager, the whole trail's search for
administrators. Both show the events in a table with the selected event in full below it."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError, ValidationError
from careleaver_app.services.actors import Actor
from careleaver_app.services.audit_trail import MAX_ROWS, AuditQuery, AuditRow
from careleaver_app.services.container import Services
from careleaver_app.ui.audit_model import (
    HEADERS,
    AuditModel,
    Column,
    FullTextRole,
    SortRole,
    full_texts,
)
from careleaver_app.ui.tables import list_table

# Widths come from samples so that dates and names never cut; the old and new values and the
# detail share what is left (the pane below shows them whole).
_SAMPLES = {
    Column.WHEN: "26/11/2026 14:03:22",
    Column.WHO: "Morgan Manager (tm1)",
    Column.ACTION: "update",
    Column.WHAT: "accommodation episode #99",
    Column.FIELD: "housing support needs",
}
_SHARED = (Column.OLD, Column.NEW, Column.DETAIL)


class AuditEventsView(QWidget):
    """The events table (sortable, filterable) over the selected event's every field in full."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AuditModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterRole(FullTextRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = list_table(self, self.proxy, name)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in _SHARED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        titles = HEADERS()
        for column, sample in _SAMPLES.items():
            widest = max(
                metrics.horizontalAdvance(sample), metrics.horizontalAdvance(titles[column]) + 12
            )
            header.resizeSection(column, widest + 16)
        # The services' order (newest first) until the user sorts; a third click restores it.
        self.table.setSortingEnabled(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.detail = QTextBrowser(self)
        self.detail.setAccessibleName(self.tr("Selected event in full"))
        self.detail.setOpenLinks(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setCollapsible(0, False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        # Room for every field of an event; a long value scrolls.
        self.splitter.setSizes([1000, (self.detail.fontMetrics().lineSpacing() + 5) * 8 + 24])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self._show_detail(None)

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.model.set_rows(rows)
        if self.proxy.rowCount():
            self.table.selectRow(0)
        else:
            self._show_detail(None)

    def set_filter_text(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._show_detail(self.selected())

    def shown(self) -> int:
        return self.proxy.rowCount()

    def selected(self) -> AuditRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _show_detail(self, row: AuditRow | None) -> None:
        if row is None:
            self.detail.setHtml(f"<p>{escape(self.tr('No event is selected.'))}</p>")
            return
        titles = HEADERS()
        cells = "".join(
            f"<tr><th align='left' valign='top' style='white-space: nowrap'>"
            f"{escape(titles[column])}</th>"
            f"<td style='white-space: pre-wrap'>{escape(text) or '—'}</td></tr>"
            for column, text in full_texts(row).items()
        )
        self.detail.setHtml(f"<table cellspacing='0' cellpadding='2'>{cells}</table>")

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.selected() if current.isValid() else None)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def events_text(widget: QWidget, count: int) -> str:
    return widget.tr("1 event") if count == 1 else widget.tr("%1 events").replace("%1", str(count))


def _notice(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(parent.tr("Message"))
    label.setStyleSheet("font-weight: bold;")
    label.hide()
    return label


class RecordHistoryDialog(QDialog):
    """Everything the trail holds about one young person. A refusal (a role that may not read
    histories, or a young person outside the actor's team) is a message in the dialog, with no
    rows; `error` keeps it for the caller."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        person_id: int,
        person_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of %1").replace("%1", person_name))
        self.setAccessibleName(self.windowTitle())
        self.error: str | None = None
        self.total = 0
        self.heading = QLabel(
            self.tr(
                "Every create, change, view and print recorded for %1 and their records, "
                "newest first."
            ).replace("%1", person_name),
            self,
        )
        self.heading.setWordWrap(True)
        self.notice = _notice(self)
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Any text: who, field, old or new value…"))
        self.filter.setAccessibleName(self.tr("Filter the history"))
        filter_label = QLabel(self.tr("&Filter:"), self)
        filter_label.setBuddy(self.filter)
        self.count = QLabel(self)
        self.count.setAccessibleName(self.tr("Number of events shown"))
        self.events = AuditEventsView(self.tr("Record history"), self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)  # Enter in the filter box must not close the dialog
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(filter_label)
        row.addWidget(self.filter, 1)
        row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice)
        layout.addLayout(row)
        layout.addWidget(self.events, 1)
        layout.addWidget(self.buttons)
        self.resize(1280, 680)

        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.filter.returnPressed.connect(self.events.table.setFocus)
        self._load(services, actor, person_id)

    def _load(self, services: Services, actor: Actor, person_id: int) -> None:
        try:
            rows = services.audit_trail.history(actor, person_id)
        except DomainError as exc:
            self.error = str(exc)
            self.notice.setText(self.tr("The history cannot be shown: %1").replace("%1", str(exc)))
            self.notice.show()
            self.filter.setEnabled(False)
            self.events.set_rows([])
            self._update_count()
            return
        self.total = len(rows)
        if self.total >= MAX_ROWS:
            self.notice.setText(self.tr("Only the latest %n events are shown.", "", self.total))
            self.notice.show()
        self.events.set_rows(rows)
        self._update_count()

    def _update_count(self) -> None:
        shown = self.events.shown()
        if self.error is not None:
            self.count.setText("")
        elif shown < self.total:
            self.count.setText(
                self.tr("%1 of %2 events").replace("%1", str(shown)).replace("%2", str(self.total))
            )
        else:
            self.count.setText(events_text(self, shown))

    def _on_filter_text_changed(self, text: str) -> None:
        self.events.set_filter_text(text)
        self._update_count()


class AuditSearchDialog(QDialog):
    """The administrators' search of the whole trail. Every search is itself audited."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.setWindowTitle(self.tr("Search the audit trail"))
        self.setAccessibleName(self.windowTitle())
        self._build()
        self._connect_signals()
        self.resize(1280, 760)

    def _build(self) -> None:
        self.user = QLineEdit(self)
        self.user.setPlaceholderText(self.tr("Username, e.g. pa1"))
        self.action = QComboBox(self)
        self.action.addItem(self.tr("Any action"), "")
        try:
            for name in self.services.audit_trail.actions():
                self.action.addItem(name, name)
        except DomainError:
            pass  # the chooser offers "any"; the search itself says what is refused
        self.entity = QLineEdit(self)
        self.entity.setPlaceholderText(self.tr("e.g. young person, contact"))
        self.entity_id = QLineEdit(self)
        self.entity_id.setValidator(QIntValidator(1, 2**31 - 1, self))
        self.entity_id.setPlaceholderText(self.tr("Any"))
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("In the detail, the old or the new value"))
        self.use_since = QCheckBox(self.tr("&From:"), self)
        self.use_until = QCheckBox(self.tr("&To:"), self)
        self.since = self._date_edit()
        self.until = self._date_edit()
        self.limit = QSpinBox(self)
        self.limit.setRange(1, MAX_ROWS)
        self.limit.setValue(1000)
        self.search_button = QPushButton(self.tr("&Search"), self)
        self.search_button.setDefault(True)  # Enter in any field searches
        self.notice = _notice(self)
        self.count = QLabel(self.tr("Set the filters and press Search (Enter)."), self)
        self.count.setAccessibleName(self.tr("Number of events found"))
        self.events = AuditEventsView(self.tr("Audit events found"), self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

        for widget, name in (
            (self.user, self.tr("Username")),
            (self.action, self.tr("Action")),
            (self.entity, self.tr("Kind of record")),
            (self.entity_id, self.tr("Record number")),
            (self.text, self.tr("Containing text")),
            (self.use_since, self.tr("Only events from a date")),
            (self.since, self.tr("From date")),
            (self.use_until, self.tr("Only events up to a date")),
            (self.until, self.tr("To date")),
            (self.limit, self.tr("At most this many events")),
            (self.search_button, self.tr("Search")),
        ):
            widget.setAccessibleName(name)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setHorizontalSpacing(10)
        # Mnemonics: U A K N C F T M S, clear of the Close button's.
        for row, column, text, widget in (
            (0, 0, self.tr("&User:"), self.user),
            (0, 2, self.tr("&Action:"), self.action),
            (1, 0, self.tr("&Kind of record:"), self.entity),
            (1, 2, self.tr("Record &number:"), self.entity_id),
            (2, 0, self.tr("&Containing:"), self.text),
            (4, 0, self.tr("At &most:"), self.limit),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            grid.addWidget(label, row, column)
            grid.addWidget(widget, row, column + 1, 1, 3 if row == 2 else 1)
        grid.addWidget(self.use_since, 3, 0)
        grid.addWidget(self.since, 3, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.use_until, 3, 2)
        grid.addWidget(self.until, 3, 3, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.search_button, 4, 3, Qt.AlignmentFlag.AlignRight)
        self.limit.setMaximumWidth(self.limit.sizeHint().width() + 20)
        grid.setAlignment(self.limit, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.notice)
        layout.addWidget(self.count)
        layout.addWidget(self.events, 1)
        layout.addWidget(self.buttons)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(QDate.currentDate(), self)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.setEnabled(False)  # "any date" until its box is ticked
        return edit

    def _connect_signals(self) -> None:
        self.search_button.clicked.connect(self.search)
        self.use_since.toggled.connect(self.since.setEnabled)
        self.use_until.toggled.connect(self.until.setEnabled)
        self.buttons.rejected.connect(self.reject)

    def query(self) -> AuditQuery:
        entity_id = self.entity_id.text().strip()
        return AuditQuery(
            username=self.user.text().strip(),
            action=self.action.currentData() or "",
            # People type what the table shows ("young person"); the trail says young_person.
            entity="_".join(self.entity.text().split()).lower(),
            entity_id=int(entity_id) if entity_id else None,
            text=self.text.text().strip(),
            since=_day(self.since) if self.use_since.isChecked() else None,
            until=_day(self.until) if self.use_until.isChecked() else None,
            limit=self.limit.value(),
        )

    def search(self) -> int | None:
        """Run the search; returns how many events were found, or None when it was refused."""
        query = self.query()
        try:
            rows = self.services.audit_trail.search(self.actor, query)
        except DomainError as exc:
            self.notice.setText(self._message(exc))
            self.notice.show()
            self.count.setText("")
            self.events.set_rows([])
            return None
        self.notice.hide()
        self.events.set_rows(rows)
        text = self.tr("%1 found").replace("%1", events_text(self, len(rows)))
        if len(rows) >= query.limit:
            text += " " + self.tr("(the most recent; narrow the search or raise the limit)")
        self.count.setText(text)
        return len(rows)

    def _message(self, exc: DomainError) -> str:
        if not isinstance(exc, ValidationError):
            return self.tr("The search was refused: %1").replace("%1", str(exc))
        fields = {
            "since": self.tr("From"),
            "until": self.tr("To"),
            "limit": self.tr("At most"),
        }
        problems = "; ".join(f"{fields.get(p.field, p.field)}: {p.message}" for p in exc.problems)
        return self.tr("Please correct the search: %1").replace("%1", problems)


__all__ = ["AuditEventsView", "AuditSearchDialog", "RecordHistoryDialog"]
