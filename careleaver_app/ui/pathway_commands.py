"""The Pathway menu's handlers, kept out of the main window: each opens its dialog for the
current young person, calls the Pathway service and announces the change (person_saved)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.pathway import PathwaySummary

# The dialogs load when first opened: none is needed to show the window.
if TYPE_CHECKING:
    from careleaver_app.ui.dialogs.form import CallbackForm
    from careleaver_app.ui.main_window import MainWindow


def pathway_summary(services: Services, actor: Actor, person_id: int) -> PathwaySummary | None:
    """For the record view: None when it cannot be read, so the rest of the record still shows."""
    try:
        return services.pathway.summary(actor, person_id)
    except DomainError:
        return None


def may_sign_off(actor: Actor) -> bool:
    # A courtesy only: the service refuses anyone else whatever the menu says.
    return actor.role is Role.TEAM_MANAGER


class PathwayCommands(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _run(self, person_id: int, dialog: CallbackForm) -> None:
        if dialog.exec():
            self.window.person_saved.emit(person_id)
            self.window.open_person(person_id)

    def record_assessment(self) -> None:
        from careleaver_app.ui.dialogs.pathway_dialogs import AssessmentDialog

        w = self.window
        person_id = w.record_commands.person_for_action()
        if person_id is None:
            return
        pathway = w.services.pathway
        self._run(
            person_id,
            AssessmentDialog(
                lambda a: pathway.record_assessment(
                    w.actor, person_id, a.completed_on, a.completed_by
                ),
                w.today(),
                parent=w,
            ),
        )

    def start_plan(self) -> None:
        from careleaver_app.ui.dialogs.pathway_dialogs import PlanDialog

        w = self.window
        person_id = w.record_commands.person_for_action()
        if person_id is None:
            return
        pathway = w.services.pathway
        self._run(
            person_id,
            PlanDialog(
                lambda p: pathway.start_plan(w.actor, person_id, p.started_on, p.author),
                w.today(),
                parent=w,
            ),
        )

    def sign_off_plan(self) -> None:
        from careleaver_app.ui.dialogs.pathway_dialogs import SignOffDialog

        w = self.window
        view = w.current_record()
        if view is None:
            return
        summary = pathway_summary(w.services, w.actor, view.person_id)
        plan_id = summary.plan_id if summary else None
        version = summary.plan_version if summary else None
        if plan_id is None:
            QMessageBox.information(
                w, self.tr("Sign off plan"), self.tr("There is no pathway plan to sign off.")
            )
            return
        pathway = w.services.pathway
        self._run(
            view.person_id,
            SignOffDialog(
                lambda on: pathway.sign_off_plan(w.actor, plan_id, on, version),
                w.today(),
                parent=w,
            ),
        )

    def record_review(self) -> None:
        from careleaver_app.ui.dialogs.pathway_dialogs import ReviewDialog

        w = self.window
        person_id = w.record_commands.person_for_action()
        if person_id is None:
            return
        pathway = w.services.pathway
        self._run(
            person_id,
            ReviewDialog(
                lambda r: pathway.record_review(
                    w.actor, person_id, r.held_on, r.kind, r.outcome, r.attendees
                ),
                w.today(),
                parent=w,
            ),
        )
