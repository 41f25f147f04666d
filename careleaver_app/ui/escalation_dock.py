"""The managers' queue docked in the main window, its count carried on the window's action."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow

from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.escalation_queue import EscalationQueueView, QueueActions
from careleaver_app.ui.record_view import EscalationTrail


class EscalationDock(QDockWidget):
    """Across the whole width at the bottom: the queue has ten columns and a detail pane."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        actions: Mapping[ActionId, QAction],
        window: QMainWindow,
    ) -> None:
        super().__init__(self.tr("Flagged placements"), window)
        self.setObjectName("flagged_placements_dock")
        self.badge = actions[ActionId.FLAGGED_PLACEMENTS]
        self.queue = EscalationQueueView(
            services,
            actor,
            QueueActions(
                actions[ActionId.RECORD_DECISION],
                actions[ActionId.RESOLVE_ESCALATION],
                actions[ActionId.OPEN_FLAGGED_PERSON],
            ),
            self,
        )
        self.setWidget(self.queue)
        self._window = window
        self.place()

    @property
    def allowed(self) -> bool:
        """Whether the acting user may see the queue at all (known after a refresh)."""
        return self.queue.total is not None

    def place(self) -> None:
        """Where a new user (or Reset layout) finds it: docked, and open for team managers."""
        self.setFloating(False)
        self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self._window.resizeDocks([self], [2 * self._window.height() // 5], Qt.Orientation.Vertical)
        self.setVisible(self.queue.actor.role is Role.TEAM_MANAGER and self.allowed)

    def set_actor(self, actor: Actor) -> None:
        self.queue.set_actor(actor)
        self.refresh()
        if actor.role is Role.TEAM_MANAGER and self.allowed:
            self.show()

    def refresh(self) -> None:
        self.queue.reload()
        self.update_badge()

    def update_badge(self) -> None:
        """The count rides on the action (menu and toolbar), so it is in view docked or not."""
        total = self.queue.total
        self.badge.setEnabled(total is not None)
        if total is None:
            # Roles that may not see escalations get neither the count nor the queue.
            self.badge.setText(self.tr("&Flagged placements"))
            self.hide()
            return
        self.badge.setText(self.tr("&Flagged placements (%1)").replace("%1", str(total)))
        self.setWindowTitle(self.tr("Flagged placements (%1)").replace("%1", str(total)))

    def show_queue(self) -> None:
        self.show()
        self.raise_()
        self.queue.focus_table()


def escalation_trails(services: Services, actor: Actor, person_id: int) -> list[EscalationTrail]:
    """Every escalation of one young person with its decisions, for the record view."""
    escalations = services.escalations
    try:
        items = escalations.queue(actor, person_id=person_id, include_resolved=True)
        return [EscalationTrail(i, tuple(escalations.decisions(actor, i.id))) for i in items]
    except DomainError:
        return []  # the record itself still shows; only its escalation section is empty
