"""The print preview: the reportlab PDF itself, shown by QtPdf, with zoom, page navigation, Print…
and Save as PDF…; and the helpers that print a PDF (system print dialog, pages sent from a worker)
or save one (readable by its owner only). What was printed or saved is announced by signal, so
that whoever opened the preview audits it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPageLayout, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.backup import write_owner_only
from careleaver_app.ui.print_worker import BackgroundTask, load_pdf, print_pages

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


class PdfPreviewDialog(QDialog):
    printed = Signal(str)  # the printer (or file) it went to, once the print dialog was accepted
    saved = Signal(str)  # the file written

    def __init__(self, pdf_bytes: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf_bytes
        self.title = title
        self.setWindowTitle(self.tr("Print preview: %1").replace("%1", title))
        self.setAccessibleName(self.tr("Print preview"))
        self.document = load_pdf(pdf_bytes, self)
        self.view = QPdfView(self)
        self.view.setAccessibleName(self.tr("Pages of the document"))
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self._build()
        self._connect_signals()
        self._on_navigator_current_page_changed(0)
        self._update_zoom_label()
        self.resize(900, 1000)

    # -- construction -------------------------------------------------------------------

    def _action(
        self, text: str, tip: str, keys: list[QKeySequence], theme: QIcon.ThemeIcon | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setToolTip(f"{tip} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})")
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if theme is not None and QIcon.hasThemeIcon(theme):
            action.setIcon(QIcon.fromTheme(theme))
        self.addAction(action)
        return action

    def _build(self) -> None:
        K, Key, T = QKeySequence.StandardKey, QKeySequence, QIcon.ThemeIcon
        self.zoom_out_action = self._action(
            self.tr("Zoom &out"), self.tr("Smaller"), _keys(K.ZoomOut, "Ctrl+-"), T.ZoomOut
        )
        self.zoom_in_action = self._action(
            self.tr("Zoom &in"), self.tr("Larger"), _keys(K.ZoomIn, "Ctrl++", "Ctrl+="), T.ZoomIn
        )
        self.fit_width_action = self._action(
            self.tr("&Fit width"),
            self.tr("As wide as the window"),
            [Key("Ctrl+0")],
            T.ZoomFitBest,
        )
        self.previous_action = self._action(
            self.tr("P&revious page"),
            self.tr("The page before"),
            [Key(Qt.Key.Key_PageUp)],
            T.GoPrevious,
        )
        self.next_action = self._action(
            self.tr("&Next page"), self.tr("The page after"), [Key(Qt.Key.Key_PageDown)], T.GoNext
        )
        self.first_action = self._action(
            self.tr("First page"), self.tr("The first page"), [Key("Ctrl+Home")]
        )
        self.last_action = self._action(
            self.tr("Last page"), self.tr("The last page"), [Key("Ctrl+End")]
        )
        self.print_action = self._action(
            self.tr("&Print…"),
            self.tr("Send the document to a printer"),
            _keys(K.Print, "Ctrl+P"),
            T.DocumentPrint,
        )
        self.save_action = self._action(
            self.tr("&Save as PDF…"),
            self.tr("Save the document as a PDF file"),
            [Key("Ctrl+Shift+S"), *_keys(K.Save)],
            T.DocumentSaveAs,
        )

        self.page = QSpinBox(self)
        self.page.setAccessibleName(self.tr("Page number"))
        self.page.setRange(1, max(1, self.document.pageCount()))
        self.page.setKeyboardTracking(False)  # typing "12" goes to 12, not to 1 then 12
        page_label = QLabel(self.tr("P&age"), self)
        page_label.setBuddy(self.page)
        self.page_count = QLabel(self)
        self.page_count.setAccessibleName(self.tr("Number of pages"))
        self.zoom_label = QLabel(self)
        self.zoom_label.setAccessibleName(self.tr("Zoom"))
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("8888%"))
        self.zoom_label.setContentsMargins(6, 0, 6, 0)
        page_label.setContentsMargins(8, 0, 4, 0)
        self.page_count.setContentsMargins(4, 0, 8, 0)

        self.toolbar = QToolBar(self.tr("Preview"), self)
        self.toolbar.setAccessibleName(self.tr("Preview tools"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_width_action):
            self.toolbar.addAction(action)
        self.toolbar.addWidget(self.zoom_label)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.previous_action)
        self.toolbar.addWidget(page_label)
        self.toolbar.addWidget(self.page)
        self.toolbar.addWidget(self.page_count)
        self.toolbar.addAction(self.next_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.print_action)
        self.toolbar.addAction(self.save_action)
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if button is not None and not isinstance(button, QLabel | QSpinBox):
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable with Tab too

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.view.setFocus()

    def _connect_signals(self) -> None:
        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._on_navigator_current_page_changed)
        self.page.valueChanged.connect(self._on_page_value_changed)
        self.view.zoomFactorChanged.connect(self._update_zoom_label)
        self.view.zoomModeChanged.connect(self._update_zoom_label)
        self.zoom_in_action.triggered.connect(self.zoom_in)
        self.zoom_out_action.triggered.connect(self.zoom_out)
        self.fit_width_action.triggered.connect(self.fit_width)
        self.previous_action.triggered.connect(self.previous_page)
        self.next_action.triggered.connect(self.next_page)
        self.first_action.triggered.connect(lambda: self.go_to_page(0))
        self.last_action.triggered.connect(lambda: self.go_to_page(self.page_total - 1))
        self.print_action.triggered.connect(self.print_document)
        self.save_action.triggered.connect(self.save_as_pdf)
        self.buttons.rejected.connect(self.reject)

    # -- pages ----------------------------------------------------------------------------

    @property
    def page_total(self) -> int:
        return self.document.pageCount()

    @property
    def current_page(self) -> int:
        """From 0."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        page = max(0, min(page, self.page_total - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())

    def previous_page(self) -> None:
        self.go_to_page(self.current_page - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page + 1)

    def _on_navigator_current_page_changed(self, page: int) -> None:
        self.page.blockSignals(True)
        self.page.setValue(page + 1)
        self.page.blockSignals(False)
        self.page_count.setText(self.tr("of %1").replace("%1", str(self.page_total)))
        self.previous_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < self.page_total - 1)

    def _on_page_value_changed(self, value: int) -> None:
        self.go_to_page(value - 1)

    # -- zoom -----------------------------------------------------------------------------

    def effective_zoom(self) -> float:
        """The zoom on screen, also when fitting the width (where zoomFactor is not kept)."""
        if self.view.zoomMode() is QPdfView.ZoomMode.Custom or self.page_total == 0:
            return self.view.zoomFactor()
        points = self.document.pagePointSize(self.current_page).width()
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        return max(0.1, room / (points * self.view.logicalDpiX() / 72))

    def zoom_in(self) -> None:
        now = self.effective_zoom()
        self._zoom(next((z for z in ZOOM_STEPS if z > now + 0.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        now = self.effective_zoom()
        self._zoom(next((z for z in reversed(ZOOM_STEPS) if z < now - 0.01), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)

    def _update_zoom_label(self) -> None:
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)}%")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_zoom_label()  # fitting the width zooms as the window grows

    # -- print and save -------------------------------------------------------------------

    def print_document(self) -> None:
        printer = ask_printer(self, self.document, self.title)
        if printer is None:
            return
        self.printed.emit(printer_target(printer))
        task = start_printing(self, self.pdf, printer, self.title)
        task.failed.connect(self._on_print_failed)

    def _on_print_failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Print"), message)

    def save_as_pdf(self) -> None:
        path = ask_pdf_path(self, self.title)
        if path is None:
            return
        try:
            write_owner_only(path, self.pdf)
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Save as PDF"), str(exc))
            return
        self.saved.emit(str(path))


def _keys(standard: QKeySequence.StandardKey, *more: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, then `more` (where it has none, or to add
    the unshifted Ctrl+= beside Ctrl++)."""
    keys = list(QKeySequence.keyBindings(standard))
    for text in more:
        key = QKeySequence(text)
        if key not in keys:
            keys.append(key)
    return keys


def _t(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


# -- printing and saving, shared by the preview and the Print/Save actions ----------------------


def ask_printer(parent: QWidget, document: QPdfDocument, title: str) -> QPrinter | None:
    """The system print dialog, set up for this document; None when the user cancels it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    count = document.pageCount()
    if count:
        size = document.pagePointSize(0)
        if size.width() > size.height():  # the wide reports are laid out landscape
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_t("Print: %1").replace("%1", title))
    options = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(
        options.PrintToFile
        | options.PrintPageRange
        | options.PrintShowPageSize
        | options.PrintCollateCopies
    )
    dialog.setMinMax(1, max(1, count))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if printer.outputFileName():
        _owner_only_file(Path(printer.outputFileName()))
    return printer


def printer_target(printer: QPrinter) -> str:
    """For the audit trail: the file printed to, else the printer's name."""
    return printer.outputFileName() or printer.printerName() or "default printer"


def start_printing(parent: QWidget, pdf: bytes, printer: QPrinter, title: str) -> BackgroundTask:
    """Send the pages from a worker, with a progress dialog; failures are the caller's to show."""
    task = BackgroundTask(
        parent,
        lambda report: print_pages(pdf, printer, report),
        _t("Printing %1").replace("%1", title),
    )
    task.start()
    return task


def _owner_only_file(path: Path) -> None:
    """Printing to a file: the file exists, empty and readable by its owner only, before Qt
    writes the pages into it (as write_owner_only does for a saved PDF)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except OSError:
        pass  # Qt reports a file it cannot write when it starts printing


def suggested_file_name(title: str) -> str:
    """'Young person summary: Jordan Baker' -> 'Young person summary - Jordan Baker.pdf'."""
    name = re.sub(r"\s*:\s*", " - ", title)
    name = re.sub(r'[\\/*?"<>|\x00-\x1f]+', "", name).strip(" .") or "Document"
    return f"{name}.pdf"


def ask_pdf_path(parent: QWidget, title: str) -> Path | None:
    """Where to save; None when the user cancels. '.pdf' is added when left off."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / suggested_file_name(title)) if folder else suggested_file_name(title)
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        _t("Save as PDF"),
        start,
        _t("PDF documents (*.pdf)"),
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


__all__ = [
    "PdfPreviewDialog",
    "ask_pdf_path",
    "ask_printer",
    "printer_target",
    "start_printing",
    "suggested_file_name",
]
