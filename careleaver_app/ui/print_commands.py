"""Print, Print preview and Save as PDF: which document, built off the GUI thread, then shown,
printed or saved, and audited once per young person it names.

PrintCommands serves the main window: the three generic actions follow the focus (the open
record, the flagged placements, the due list, else the caseload) and the Print menu names each
document. HousingPrintCommands gives the housing liaison window the same three actions for the
housing summary it shows. The services decide who may print what; a refusal is a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from careleaver_app.domain.document_kinds import DocumentKind
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.backup import write_owner_only
from careleaver_app.services.people import CaseloadScope
from careleaver_app.ui.actions import ActionId, build_action

# The printing service, the documents, QtPdf and the worker load when something is first
# printed, not at start-up: most sessions print nothing.
if TYPE_CHECKING:
    from careleaver_app.domain.documents import DocumentData
    from careleaver_app.services.housing import HousingSummary
    from careleaver_app.services.printing import DocumentRequest, Printing
    from careleaver_app.ui.housing_window import HousingWindow
    from careleaver_app.ui.main_window import MainWindow
    from careleaver_app.ui.pdf_preview import PdfPreviewDialog
    from careleaver_app.ui.print_worker import BackgroundTask, Built

Output = Literal["preview", "print", "save"]

RECORD_DOCUMENTS = (
    DocumentKind.PERSON_SUMMARY,
    DocumentKind.HOUSING_SUMMARY,
    DocumentKind.OFFER_STATEMENT,
)


def kind_label(kind: DocumentKind) -> str:
    labels = {
        DocumentKind.PERSON_SUMMARY: _t("Young person summary"),
        DocumentKind.HOUSING_SUMMARY: _t("Housing summary"),
        DocumentKind.OFFER_STATEMENT: _t("Local-offer statement"),
        DocumentKind.CASELOAD: _t("Caseload report"),
        DocumentKind.ESCALATIONS: _t("Escalation report"),
        DocumentKind.REVIEW_SCHEDULE: _t("Review schedule"),
    }
    return labels[kind]


def _t(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


class DocumentOutput(QObject):
    """Builds one document at a time in the background, then previews, prints or saves it.

    The audit follows each output: a preview as it is shown, a print once the print dialog is
    accepted, a save once the file is written.
    """

    output_recorded = Signal(str, str)  # how ("preview", "print", "save"), target
    print_finished = Signal(int)  # pages sent to the printer

    def __init__(
        self, parent: QWidget, printing: Printing, show_status: Callable[[str], None]
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.printing = printing
        self.show_status = show_status
        self.task: BackgroundTask | None = None
        self.preview: PdfPreviewDialog | None = None

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.is_cancelled

    def run(self, how: Output, actor: Actor, request: DocumentRequest) -> BackgroundTask | None:
        """Start building; None if a document is already being built."""
        from careleaver_app.ui.print_worker import BackgroundTask, build_document

        if self.busy:
            return None
        task = BackgroundTask(
            self.parent_widget,
            partial(build_document, self.printing, actor, request),
            kind_label(request.kind),
        )
        # Ended first, so that a dialog the result opens may start the next document.
        task.succeeded.connect(self._on_task_ended)
        task.failed.connect(self._on_task_ended)
        task.cancelled.connect(self._on_task_ended)
        task.succeeded.connect(lambda built: self._on_task_succeeded(how, actor, built))
        task.failed.connect(self._on_task_failed)
        self.task = task
        task.start()
        return task

    def _on_task_ended(self, *_args: object) -> None:
        self.task = None

    def _on_task_failed(self, message: str) -> None:
        QMessageBox.warning(self.parent_widget, self.tr("Care Leaver Tracker"), message)

    def _on_task_succeeded(self, how: Output, actor: Actor, built: Built) -> None:
        if how == "preview":
            self._preview(actor, built)
        elif how == "print":
            self._print(actor, built)
        else:
            self._save(actor, built)

    # -- the three outputs ----------------------------------------------------------------

    def _preview(self, actor: Actor, built: Built) -> None:
        from careleaver_app.ui.pdf_preview import PdfPreviewDialog

        data = built.data
        dialog = PdfPreviewDialog(built.pdf, data.printed.title, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.printed.connect(lambda target: self._record(actor, data, "print", target))
        dialog.saved.connect(lambda path: self._on_preview_saved(actor, data, path))
        if not self._record(actor, data, "preview"):
            dialog.deleteLater()
            return
        self.preview = dialog
        dialog.destroyed.connect(self._on_preview_destroyed)
        dialog.open()

    def _on_preview_destroyed(self) -> None:
        self.preview = None

    def _on_preview_saved(self, actor: Actor, data: DocumentData, path: str) -> None:
        if self._record(actor, data, "save", path):
            self.show_status(self.tr("Saved %1").replace("%1", path))

    def _print(self, actor: Actor, built: Built) -> None:
        from careleaver_app.ui.pdf_preview import ask_printer, printer_target, start_printing
        from careleaver_app.ui.print_worker import load_pdf

        title = built.data.printed.title
        document = load_pdf(built.pdf, self)
        printer = ask_printer(self.parent_widget, document, title)
        document.deleteLater()
        if printer is None:
            return
        target = printer_target(printer)
        if not self._record(actor, built.data, "print", target):
            return
        task = start_printing(self.parent_widget, built.pdf, printer, title)
        task.failed.connect(self._on_task_failed)
        task.succeeded.connect(lambda pages: self._on_printed(target, pages))

    def _on_printed(self, target: str, pages: int) -> None:
        self.show_status(
            self.tr("Sent %1 pages to %2").replace("%1", str(pages)).replace("%2", target)
        )
        self.print_finished.emit(pages)

    def _save(self, actor: Actor, built: Built) -> None:
        from careleaver_app.ui.pdf_preview import ask_pdf_path

        path = ask_pdf_path(self.parent_widget, built.data.printed.title)
        if path is None:
            return
        try:
            write_owner_only(path, built.pdf)
        except DomainError as exc:
            QMessageBox.warning(self.parent_widget, self.tr("Save as PDF"), str(exc))
            return
        if self._record(actor, built.data, "save", str(path)):
            self.show_status(self.tr("Saved %1").replace("%1", str(path)))

    def _record(self, actor: Actor, data: DocumentData, how: Output, target: str = "") -> bool:
        try:
            self.printing.record_output(actor, data, how, target)
        except DomainError as exc:
            QMessageBox.warning(self.parent_widget, self.tr("Care Leaver Tracker"), str(exc))
            return False
        self.output_recorded.emit(how, target)
        return True


class PrintCommands(QObject):
    """The main window's Print menu."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._output: DocumentOutput | None = None
        a = window.actions_by_id
        for action_id, how in (
            (ActionId.PRINT, "print"),
            (ActionId.PRINT_PREVIEW, "preview"),
            (ActionId.SAVE_PDF, "save"),
        ):
            a[action_id].triggered.connect(lambda _=False, h=how: self.output_context(h))
        for action_id, kind in (
            (ActionId.PRINT_PERSON_SUMMARY, DocumentKind.PERSON_SUMMARY),
            (ActionId.PRINT_HOUSING_SUMMARY, DocumentKind.HOUSING_SUMMARY),
            (ActionId.PRINT_OFFER_STATEMENT, DocumentKind.OFFER_STATEMENT),
            (ActionId.PRINT_CASELOAD, DocumentKind.CASELOAD),
            (ActionId.PRINT_ESCALATIONS, DocumentKind.ESCALATIONS),
            (ActionId.PRINT_REVIEW_SCHEDULE, DocumentKind.REVIEW_SCHEDULE),
        ):
            a[action_id].triggered.connect(lambda _=False, k=kind: self.output_document(k))

    @property
    def output(self) -> DocumentOutput:
        if self._output is None:
            self._output = DocumentOutput(
                self.window, self.window.services.printing, self._show_status
            )
        return self._output

    def _show_status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 15000)

    # -- what the focus points at ---------------------------------------------------------

    def context_kind(self) -> DocumentKind | None:
        """The document the focused pane is about; None for the open record (which has three)."""
        w = self.window
        focus = QApplication.focusWidget()

        def holds(pane: QWidget) -> bool:
            return focus is not None and (pane is focus or pane.isAncestorOf(focus))

        if holds(w.queue):
            return DocumentKind.ESCALATIONS
        if holds(w.pathway_dock.due):
            return DocumentKind.REVIEW_SCHEDULE
        if holds(w.caseload) or w.current_record() is None:
            return DocumentKind.CASELOAD
        return None

    def output_context(self, how: Output) -> None:
        """Print…, Print preview… or Save as PDF… on what has the focus."""
        kind = self.context_kind()
        if kind is None:
            kind = self.choose_record_document(how)
            if kind is None:
                return
        self.output_document(kind, how)

    def choose_record_document(self, how: Output) -> DocumentKind | None:
        view = self.window.current_record()
        if view is None:
            return None
        titles = {
            "print": self.tr("Print"),
            "preview": self.tr("Print preview"),
            "save": self.tr("Save as PDF"),
        }
        labels = [kind_label(k) for k in RECORD_DOCUMENTS]
        text, ok = QInputDialog.getItem(
            self.window,
            titles[how],
            self.tr("&Document about %1:").replace("%1", view.record.name),
            labels,
            0,
            False,
        )
        return RECORD_DOCUMENTS[labels.index(text)] if ok and text in labels else None

    # -- requests -------------------------------------------------------------------------

    def output_document(self, kind: DocumentKind, how: Output = "preview") -> None:
        request = self.request_for(kind)
        if request is not None:
            self.output.run(how, self.window.actor, request)

    def request_for(self, kind: DocumentKind) -> DocumentRequest | None:
        from careleaver_app.services.printing import DocumentRequest

        w = self.window
        if kind in RECORD_DOCUMENTS:
            view = w.current_record()
            person_id = view.person_id if view else w.caseload.selected_person()
            if person_id is None:
                QMessageBox.information(
                    w,
                    kind_label(kind),
                    self.tr("Open a young person's record, or choose one in the list, first."),
                )
                return None
            return DocumentRequest(kind, person_id=person_id)
        if kind is DocumentKind.CASELOAD:
            scope = CaseloadScope(w.caseload.scope.currentData())
            team = w.actor.team_id if scope is CaseloadScope.TEAM else None
            return DocumentRequest(kind, team_id=team)
        if kind is DocumentKind.ESCALATIONS:
            return DocumentRequest(kind, team_id=w.queue.team.currentData())
        return DocumentRequest(kind)


class HousingPrintCommands(QObject):
    """Print…, Print preview… and Save as PDF… of the housing summary the window shows.

    The window reads through services.housing alone; `printing` is asked for the printing
    service only when something is printed."""

    def __init__(self, window: HousingWindow, printing: Callable[[], Printing]) -> None:
        super().__init__(window)
        self.window = window
        self._printing = printing
        self._output: DocumentOutput | None = None
        self.actions = {
            action_id: build_action(window, action_id)
            for action_id in (ActionId.PRINT, ActionId.PRINT_PREVIEW, ActionId.SAVE_PDF)
        }
        tips = {
            ActionId.PRINT: self.tr("Print the housing summary shown"),
            ActionId.PRINT_PREVIEW: self.tr("See the printed housing summary first"),
            ActionId.SAVE_PDF: self.tr("Save the housing summary shown as a PDF file"),
        }
        window.file_menu.insertSeparator(window.quit_separator)
        for action_id, action in self.actions.items():
            action.setToolTip(tips[action_id])
            action.setStatusTip(tips[action_id])
            window.file_menu.insertAction(window.quit_separator, action)
        self.actions[ActionId.PRINT].triggered.connect(lambda: self.output_summary("print"))
        self.actions[ActionId.PRINT_PREVIEW].triggered.connect(
            lambda: self.output_summary("preview")
        )
        self.actions[ActionId.SAVE_PDF].triggered.connect(lambda: self.output_summary("save"))
        window.summary_shown.connect(self._on_window_summary_shown)
        self._on_window_summary_shown(window.current_summary)

    @property
    def output(self) -> DocumentOutput:
        if self._output is None:
            self._output = DocumentOutput(self.window, self._printing(), self._show_status)
        return self._output

    def _show_status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 15000)

    def _on_window_summary_shown(self, summary: HousingSummary | None) -> None:
        for action in self.actions.values():
            action.setEnabled(summary is not None)

    def output_summary(self, how: Output) -> None:
        summary = self.window.current_summary
        if summary is None:
            return
        from careleaver_app.services.printing import DocumentRequest

        request = DocumentRequest(DocumentKind.HOUSING_SUMMARY, person_id=summary.person_id)
        self.output.run(how, self.window.actor, request)


__all__ = ["DocumentOutput", "HousingPrintCommands", "PrintCommands", "kind_label"]
