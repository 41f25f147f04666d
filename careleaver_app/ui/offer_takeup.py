"""Take-up of the local offer across a team: per item, how many eligible young people have used
it and what was committed and paid in a date range (default: the financial year to date)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError
from careleaver_app.domain.money import format_money
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.offer import TakeUpReport
from careleaver_app.services.permissions import Action, Scope, scope_for
from careleaver_app.ui.dialogs.form import date_edit
from careleaver_app.ui.formatting import format_date
from careleaver_app.ui.offer_model import SortRole
from careleaver_app.ui.offer_overview_model import TakeUpModel
from careleaver_app.ui.tables import list_table

FINANCIAL_YEAR_STARTS = 4  # April


def financial_year_start(today: date) -> date:
    year = today.year if today.month >= FINANCIAL_YEAR_STARTS else today.year - 1
    return date(year, FINANCIAL_YEAR_STARTS, 1)


class OfferTakeUpDialog(QDialog):
    """Not modal: a manager keeps it open beside the caseload and refreshes it."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.report: TakeUpReport | None = None
        self.setWindowTitle(self.tr("Local offer take-up"))
        self.setAccessibleName(self.tr("Local offer take-up"))
        self.resize(1100, 480)
        now = today()
        self.start = date_edit(self, financial_year_start(now), self.tr("From"))
        self.end = date_edit(self, now, self.tr("To"))
        self.team = QComboBox(self)
        self.team.setAccessibleName(self.tr("Team"))
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setDefault(True)
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("&From:"), self.start),
            (self.tr("&To:"), self.end),
            (self.tr("T&eam:"), self.team),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.refresh_button)
        filters.addStretch(1)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Message"))
        self.notice.hide()
        self.scope = QLabel(self)
        self.scope.setAccessibleName(self.tr("Who is counted"))
        self.scope.setWordWrap(True)
        self.model = TakeUpModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = list_table(self, self.proxy, self.tr("Take-up by item"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.proxy.sort(-1)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName(self.tr("Totals"))
        self.totals.setStyleSheet("font-weight: bold;")
        self.totals.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.notice)
        layout.addWidget(self.scope)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.buttons)
        self._fill_teams()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.buttons.rejected.connect(self.reject)

    def _fill_teams(self) -> None:
        """Administrators choose a team (or all); everyone else sees their own team only."""
        self.team.clear()
        if scope_for(self.actor, Action.LIST_PEOPLE) is Scope.ALL:
            self.team.addItem(self.tr("All teams"), None)
            for team in self.services.staffing.list_teams():
                if team.active:
                    self.team.addItem(team.name, team.id)
            self.team.setEnabled(True)
        else:
            self.team.addItem(self.tr("My team"), self.actor.team_id)
            self.team.setEnabled(False)

    def reload(self) -> None:
        """A refusal leaves the table empty (never the previous figures) and says why."""
        try:
            report = self.services.offer.take_up(
                self.actor,
                self.start.date().toPython(),
                self.end.date().toPython(),
                self.team.currentData(),
            )
        except DomainError as exc:
            self.report = None
            self.model.set_rows([])
            self.scope.clear()
            self.totals.clear()
            self.notice.setText(str(exc))
            self.notice.show()
            return
        self.notice.hide()
        self.show_report(report)

    def show_report(self, report: TakeUpReport) -> None:
        self.report = report
        self.model.set_rows(report.rows)
        self.scope.setText(
            self.tr("%1: %2 young people with open records, %3 to %4. Eligibility is judged on %4.")
            .replace("%1", report.scope)
            .replace("%2", str(report.people))
            .replace("%3", format_date(report.start))
            .replace("%4", format_date(report.end))
        )
        rows = report.rows
        self.totals.setText(
            self.tr("Totals in the period: %1 items used by young people · %2 committed · %3 paid")
            .replace("%1", str(sum(r.used_in_period for r in rows)))
            .replace("%2", format_money(sum(r.committed_pence for r in rows)))
            .replace("%3", format_money(sum(r.paid_pence for r in rows)))
        )

    def _on_refresh_button_clicked(self) -> None:
        self.reload()
