"""The Local offer menu's handlers, kept out of the main window: entries for the open record,
the take-up view and the administrators' catalogue editor. Each calls the Offer service and
announces a change (person_saved) so the record's tab re-reads its statement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.dto import Changes, PersonRecord
from careleaver_app.services.permissions import Action, allowed, scope_for
from careleaver_app.ui.actions import ActionId

# The offer's service, dialogs and views load when the menu is first used, not at start-up.
if TYPE_CHECKING:
    from careleaver_app.services.offer import EntryInput, LedgerRow, OfferStatement
    from careleaver_app.ui.main_window import MainWindow
    from careleaver_app.ui.offer_takeup import OfferTakeUpDialog
    from careleaver_app.ui.record_view import RecordView


def offer_statement(services: Services, actor: Actor, person_id: int) -> OfferStatement | None:
    """For the record view: None when it cannot be read, so the rest of the record still shows."""
    try:
        return services.offer.statement(actor, person_id)
    except DomainError:
        return None


# Courtesies only: the service refuses whatever the menu says.


def may_record_offer(actor: Actor, record: PersonRecord) -> bool:
    return allowed(actor, Action.RECORD_OFFER, team_id=record.team_id, pa_id=record.pa_id)


def may_authorise_exception(actor: Actor, record: PersonRecord) -> bool:
    return allowed(
        actor, Action.AUTHORISE_OFFER_EXCEPTION, team_id=record.team_id, pa_id=record.pa_id
    )


def may_manage_catalogue(actor: Actor) -> bool:
    return allowed(actor, Action.MANAGE_CATALOGUE)


def may_see_take_up(actor: Actor) -> bool:
    return scope_for(actor, Action.LIST_PEOPLE) is not None


class OfferCommands(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.take_up_view: OfferTakeUpDialog | None = None

    # -- wiring ----------------------------------------------------------------------------

    def attach(self, view: RecordView) -> None:
        """A new record tab: its buttons run the actions; Enter on an entry updates it."""
        a = self.window.actions_by_id
        view.offer.bind(a[ActionId.OFFER_ADD_ENTRY], a[ActionId.OFFER_UPDATE_ENTRY])
        view.offer.entry_activated.connect(self._on_offer_entry_activated)

    def update_actions(self) -> None:
        w = self.window
        a = w.actions_by_id
        view = w.current_record()
        may_record = view is not None and may_record_offer(w.actor, view.record)
        a[ActionId.OFFER_ADD_ENTRY].setEnabled(may_record)
        a[ActionId.OFFER_UPDATE_ENTRY].setEnabled(may_record)
        a[ActionId.OFFER_TAKE_UP].setEnabled(may_see_take_up(w.actor))
        admin = may_manage_catalogue(w.actor)
        a[ActionId.OFFER_CATALOGUE].setEnabled(admin)
        a[ActionId.OFFER_CATALOGUE].setVisible(admin)

    def set_actor(self, actor: Actor) -> None:
        """Another user never sees the figures the last one asked for."""
        if self.take_up_view is not None:
            self.take_up_view.close()
            self.take_up_view.deleteLater()
            self.take_up_view = None

    def refresh(self) -> None:
        if self.take_up_view is not None and self.take_up_view.isVisible():
            self.take_up_view.reload()

    # -- entries ---------------------------------------------------------------------------

    def add_entry(self) -> None:
        self._open_entry(None)

    def update_entry(self) -> None:
        view = self.window.current_record()
        if view is None:
            return
        entry = view.offer.selected_entry()
        if entry is None:
            view.tabs.setCurrentWidget(view.offer)
            QMessageBox.information(
                self.window,
                self.tr("Update entry"),
                self.tr("Choose an entry in the Local offer ledger first, then Update entry."),
            )
            view.offer.ledger.setFocus()
            return
        self._open_entry(entry)

    def _on_offer_entry_activated(self, entry_id: int) -> None:
        view = self.window.current_record()
        if view is None or not self.window.actions_by_id[ActionId.OFFER_UPDATE_ENTRY].isEnabled():
            return
        view.offer.select_entry(entry_id)
        self.update_entry()

    def _open_entry(self, entry: LedgerRow | None) -> None:
        from careleaver_app.ui.dialogs.offer import OfferEntryDialog

        w = self.window
        view = w.current_record()
        if view is None:
            return
        person_id = view.person_id
        offer = w.services.offer
        statement = offer.statement(w.actor, person_id)
        catalogue = offer.catalogue(include_retired=True)
        if entry is None:

            def submit(value: EntryInput) -> Changes:
                return offer.add_entry(w.actor, person_id, value)

        else:
            entry_id, version = entry.id, entry.version

            def submit(value: EntryInput) -> Changes:
                return offer.update_entry(w.actor, entry_id, value, version)

        view.tabs.setCurrentWidget(view.offer)
        dialog = OfferEntryDialog(
            submit,
            w.today(),
            catalogue,
            statement,
            entry=entry,
            may_authorise=may_authorise_exception(w.actor, view.record),
            parent=w,
        )
        if dialog.exec():
            w.person_saved.emit(person_id)
            view = w.current_record()
            if view is not None and view.person_id == person_id:
                view.tabs.setCurrentWidget(view.offer)
                view.offer.select_entry(dialog.result_value.entity_id)
                view.offer.ledger.setFocus()

    # -- the team's take-up and the catalogue ----------------------------------------------

    def show_take_up(self) -> None:
        from careleaver_app.ui.offer_takeup import OfferTakeUpDialog

        w = self.window
        if self.take_up_view is None:
            self.take_up_view = OfferTakeUpDialog(w.services, w.actor, w.today, w)
        self.take_up_view.reload()
        self.take_up_view.show()
        self.take_up_view.raise_()
        self.take_up_view.activateWindow()
        self.take_up_view.table.setFocus()

    def open_catalogue(self) -> None:
        from careleaver_app.ui.offer_catalogue import OfferCatalogueDialog

        w = self.window
        if not may_manage_catalogue(w.actor):
            return
        dialog = OfferCatalogueDialog(w.services, w.actor, w)
        dialog.exec()
        if dialog.changed:
            w.refresh()
