"""The Record menu's handlers (and File > New young person), kept out of the main window: each
opens its dialog for the current young person, calls the service and announces the change
(person_saved)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

# Each dialog is imported by the handler that opens it: none is needed to show the window.
if TYPE_CHECKING:
    from careleaver_app.ui.main_window import MainWindow


class RecordCommands(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def person_for_action(self) -> int | None:
        """The open record's young person, else the one selected in the caseload."""
        w = self.window
        view = w.current_record()
        if view is not None:
            return view.person_id
        return w.caseload.selected_person()

    def new_person(self) -> None:
        from careleaver_app.ui.dialogs.person_dialog import PersonDialog

        w = self.window
        people = w.services.people
        dialog = PersonDialog(
            lambda details: people.create(
                w.actor,
                details,
                pa_id=w.actor.id if w.actor.role.value == "personal_adviser" else None,
            ),
            w.today(),
            parent=w,
        )
        if dialog.exec():
            w.person_saved.emit(dialog.result_value.entity_id)
            w.open_person(dialog.result_value.entity_id)

    def edit_details(self) -> None:
        from careleaver_app.ui.conflict_dialog import update_resolving_conflicts
        from careleaver_app.ui.dialogs.person_dialog import PersonDialog

        w = self.window
        view = w.current_record()
        if view is None:
            return
        record = view.record
        dialog = PersonDialog(
            update_resolving_conflicts(w.services, w.actor, record, w),
            w.today(),
            record,
            parent=w,
        )
        with w.live_refresh.editing(record.id):
            if dialog.exec():
                w.person_saved.emit(record.id)

    def record_move(self) -> None:
        from careleaver_app.ui.dialogs.move_dialog import MoveDialog

        w = self.window
        person_id = self.person_for_action()
        if person_id is None:
            return
        dialog = MoveDialog(
            lambda move: w.services.accommodation.record_move(w.actor, person_id, move),
            w.today(),
            parent=w,
        )
        if dialog.exec():
            changes = dialog.result_value
            w.person_saved.emit(person_id)
            w.open_person(person_id)
            if changes.flags:
                w.statusBar().showMessage("⚑ " + " · ".join(changes.flags), 15000)

    def end_episode(self) -> None:
        from careleaver_app.ui.dialogs.small_dialogs import EndEpisodeDialog

        w = self.window
        view = w.current_record()
        episode = view.record.current_episode if view else None
        if view is None or episode is None:
            return
        dialog = EndEpisodeDialog(
            lambda end: w.services.accommodation.end_episode(
                w.actor, episode.id, end, episode.version
            ),
            w.today(),
            parent=w,
        )
        if dialog.exec():
            w.person_saved.emit(view.person_id)

    def correct_episode(self) -> None:
        from careleaver_app.ui.dialogs.move_dialog import MoveDialog

        w = self.window
        view = w.current_record()
        episode = view.selected_episode() if view else None
        if view is None or episode is None:
            return
        dialog = MoveDialog(
            lambda move: w.services.accommodation.correct_episode(
                w.actor, episode.id, move, episode.version
            ),
            w.today(),
            episode,
            parent=w,
        )
        if dialog.exec():
            w.person_saved.emit(view.person_id)

    def log_contact(self) -> None:
        from careleaver_app.ui.dialogs.small_dialogs import ContactDialog

        w = self.window
        person_id = self.person_for_action()
        if person_id is None:
            return
        dialog = ContactDialog(
            lambda c: w.services.contacts.log_contact(w.actor, person_id, c),
            w.today(),
            parent=w,
        )
        if dialog.exec():
            w.person_saved.emit(person_id)

    def change_activity(self) -> None:
        from careleaver_app.ui.dialogs.small_dialogs import ActivityDialog

        w = self.window
        person_id = self.person_for_action()
        if person_id is None:
            return
        dialog = ActivityDialog(
            lambda a: w.services.contacts.change_activity(
                w.actor, person_id, a.activity, a.start_date, a.note
            ),
            w.today(),
            parent=w,
        )
        if dialog.exec():
            w.person_saved.emit(person_id)
