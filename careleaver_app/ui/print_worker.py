"""Printing's slow work off the GUI thread: building a document (reading the records, laying out
the PDF) and sending its pages to a printer. A job runs on a thread pool with no widget in reach
and reports by signal; a BackgroundTask in the GUI thread shows its progress dialog, which is
cancellable: cancelling stops the job at its next report and discards what it made."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QObject,
    QRect,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from careleaver_app import reports
from careleaver_app.domain.documents import DocumentData
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.printing import DocumentRequest, Printing

log = logging.getLogger(__name__)

SHOW_AFTER_MS = 300  # a quick build finishes without a dialog flashing up
PACING_TIMEOUT_S = 2.0  # a job waits this long at most for the window to take a report
PRINT_DPI = 300  # pages go to the printer as images this sharp (enough for text, not huge)


class Stage(IntEnum):
    READING = 0
    LAYING_OUT = 1
    PRINTING = 2


Report = Callable[[Stage, int, int], None]


class Cancelled(Exception):
    """The user cancelled: raised from the job's next progress report."""


@dataclass(frozen=True, slots=True)
class Built:
    data: DocumentData
    pdf: bytes


def build_document(
    printing: Printing, actor: Actor, request: DocumentRequest, report: Report
) -> Built:
    """Worker side: the document's data (each service call opens its own session) and its PDF."""
    report(Stage.READING, 0, 0)
    with _no_collection():
        data = printing.prepare(actor, request)
        report(Stage.LAYING_OUT, 0, 0)
        pdf = reports.render(data, lambda done, total: report(Stage.LAYING_OUT, done, total))
    return Built(data, pdf)


class _Collection:
    """Jobs under way that have paused automatic garbage collection, and whether it was on."""

    lock = threading.Lock()
    pausing = 0
    resume = False


@contextmanager
def _no_collection() -> Iterator[None]:
    """No automatic garbage collection while a document is built. A collection holds the
    interpreter lock from start to end, and one of the whole heap (which the thousands of
    objects a long document allocates bring on) can take most of a second in a big session: the
    window would stall meanwhile. The young objects are collected once, after the document is
    done. Counted, so that two jobs at once leave it paused until both are done."""
    with _Collection.lock:
        if _Collection.pausing == 0:
            _Collection.resume = gc.isenabled()
            gc.disable()
        _Collection.pausing += 1
    try:
        yield
    finally:
        with _Collection.lock:
            _Collection.pausing -= 1
            if _Collection.pausing == 0 and _Collection.resume:
                gc.enable()


def load_pdf(pdf: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument over the bytes (loaded at once from a buffer; check its status)."""
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    buffer = QBuffer(document)  # lives as long as the document that reads from it
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def page_range(printer: QPrinter, count: int) -> range:
    """The pages (from 0) the print dialog asked for: all, or its From/To range."""
    if printer.printRange() is QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), printer.toPage() or count
        return range(max(first, 1) - 1, min(last, count))
    return range(count)


def print_pages(pdf: bytes, printer: QPrinter, report: Report) -> int:
    """Worker side: each page rendered at up to PRINT_DPI, scaled to the printable area and
    centred; returns how many pages were sent. QPainter may paint on a QPrinter from any one
    thread; the GUI thread leaves this printer alone until the job ends."""
    document = load_pdf(pdf)
    if document.status() is not QPdfDocument.Status.Ready:
        raise DomainError(_t("The document could not be read for printing."))
    pages = page_range(printer, document.pageCount())
    painter = QPainter()
    if not painter.begin(printer):
        raise DomainError(_t("The printer could not be started. Check that it is available."))
    sent = 0
    try:
        dpi = min(printer.resolution(), PRINT_DPI)
        for page in pages:
            report(Stage.PRINTING, sent, len(pages))
            if sent:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = _on_white(document.render(page, size))
            area = painter.viewport()
            scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            left = area.x() + (area.width() - scaled.width()) // 2
            painter.drawImage(QRect(left, area.y(), scaled.width(), scaled.height()), image)
            sent += 1
        report(Stage.PRINTING, sent, len(pages))
    except Cancelled:
        printer.abort()  # nothing more reaches the printer; what it has is withdrawn if it can be
        raise
    finally:
        painter.end()
    return sent


def _on_white(image: QImage) -> QImage:
    """QPdfDocument leaves the paper transparent; printers and PDF files want it white."""
    page = QImage(image.size(), QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    painter = QPainter(page)
    painter.drawImage(0, 0, image)
    painter.end()
    return page


def _t(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


# -- the job (worker thread) ---------------------------------------------------------------------


class JobSignals(QObject):
    """Lives in the GUI thread; emitted from the worker, so every connection is queued."""

    progressed = Signal(int, int, int)  # stage, done, total (0 when not known)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        # Set once the GUI thread has taken the last progress report (see Job.report).
        self.taken = threading.Event()
        self.taken.set()
        self.progressed.connect(self._on_progressed)

    def _on_progressed(self, *_report: int) -> None:
        self.taken.set()


class Job(QRunnable):
    # Held from start to end of run(): a job outlives its task when the window closes mid-way.
    running: set[Job] = set()

    def __init__(self, work: Callable[[Report], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps it (through its task) until it has reported
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()
        self._paced = True

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, stage: Stage, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        # Never more than one report ahead of the window. Laying out pages is pure Python and
        # holds the interpreter lock; when the window repaints meanwhile (the progress dialog
        # appearing makes it redraw its 1,000-row list) each of its thousands of calls into
        # Python waits for the lock, up to the 5 ms switch interval each: seconds in all. The
        # window takes this report only once it has done that, so the job waits for it here,
        # without the lock, and the window finishes at once. When the window is idle the last
        # report was taken long ago and nothing waits.
        if self._paced and not self.signals.taken.wait(PACING_TIMEOUT_S):
            self._paced = False  # the event loop has stopped (quitting): do not wait again
        if self._cancel.is_set():
            raise Cancelled
        self.signals.taken.clear()
        self.signals.progressed.emit(int(stage), done, total)

    def start(self, pool: QThreadPool) -> None:
        Job.running.add(self)
        pool.start(self)

    def run(self) -> None:
        try:
            result = self._work(self.report)
            if self._cancel.is_set():
                raise Cancelled
        except Cancelled:
            self.signals.cancelled.emit()
        except DomainError as exc:
            self.signals.failed.emit(str(exc))
        except Exception:
            log.exception("printing failed")
            self.signals.failed.emit(
                _t("The document could not be made. The details are in the log file.")
            )
        else:
            self.signals.succeeded.emit(result)
        finally:
            Job.running.discard(self)


# -- the task (GUI thread) -----------------------------------------------------------------------


class BackgroundTask(QObject):
    """One job and its progress dialog. Emits exactly one of succeeded(result), failed(message)
    or cancelled(), then deletes itself."""

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        parent: QWidget,
        work: Callable[[Report], Any],
        title: str,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self.job = Job(work)
        self._pool = pool or QThreadPool.globalInstance()
        self._done = False
        self._progress_open = True
        # Its own bar, set directly: QProgressDialog.setValue would spin a nested event loop.
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(self.tr("Progress"))
        self.progress = QProgressDialog(parent)
        self.progress.setBar(self.bar)
        self.progress.setWindowTitle(title)
        self.progress.setAccessibleName(title)
        self.progress.setLabelText(self.tr("Reading the records…"))
        self.progress.setCancelButtonText(self.tr("Cancel"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.hide()
        self._show_timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        signals = self.job.signals
        signals.progressed.connect(self._on_job_progressed)
        signals.succeeded.connect(self._on_job_succeeded)
        signals.failed.connect(self._on_job_failed)
        signals.cancelled.connect(self._on_job_cancelled)
        self.progress.canceled.connect(self._on_progress_canceled)  # the Cancel button
        self.progress.rejected.connect(self._on_progress_canceled)  # Escape
        self._show_timer.timeout.connect(self._on_show_timer_timeout)

    @property
    def is_cancelled(self) -> bool:
        return self.job.is_cancelled

    def start(self) -> None:
        self._show_timer.start()
        self.job.start(self._pool)

    def cancel(self) -> None:
        self.job.cancel()
        self._close_progress()

    # -- handlers ---------------------------------------------------------------------------

    def _on_show_timer_timeout(self) -> None:
        if not self._done and not self.job.is_cancelled:
            self.progress.show()

    def _on_progress_canceled(self) -> None:
        self.cancel()

    def _on_job_progressed(self, stage: int, done: int, total: int) -> None:
        if self.job.is_cancelled:
            return
        if stage == Stage.READING:
            self.progress.setLabelText(self.tr("Reading the records…"))
        elif stage == Stage.LAYING_OUT:
            self.progress.setLabelText(self.tr("Laying out the pages…"))
        else:
            self.progress.setLabelText(
                self.tr("Sending page %1 of %2 to the printer…")
                .replace("%1", str(min(done + 1, total)))
                .replace("%2", str(total))
            )
        self.bar.setRange(0, total)
        self.bar.setValue(done if total else 0)

    def _on_job_succeeded(self, result: object) -> None:
        self._finish()
        if self.job.is_cancelled:
            self.cancelled.emit()
        else:
            self.succeeded.emit(result)

    def _on_job_failed(self, message: str) -> None:
        self._finish()
        if self.job.is_cancelled:
            self.cancelled.emit()
        else:
            self.failed.emit(message)

    def _on_job_cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()

    def _finish(self) -> None:
        self._done = True
        self._show_timer.stop()
        self._close_progress()
        self.deleteLater()

    def _close_progress(self) -> None:
        if self._progress_open:
            self._progress_open = False
            self.progress.hide()
            self.progress.deleteLater()


__all__ = [
    "BackgroundTask",
    "Built",
    "Job",
    "Stage",
    "build_document",
    "load_pdf",
    "print_pages",
]
