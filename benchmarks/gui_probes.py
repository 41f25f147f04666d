"""The measurements that need a window, each run in a fresh child process: start-up to the first
paint of the caseload, peak memory with the whole list scrolled in, and search as you type.

The app is started by careleaver_app.app.run_gui itself, exactly as `careleaver-app` does; only
the sign-in dialog is answered for it (a person typing a password is not start-up time), and a
hook placed where run_gui starts the idle lock, just after `window.show()`, watches for the
first paint of the caseload table with rows in it.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import TODAY, emit


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _paint_watcher(widget: Any, ready: Callable[[], bool], then: Callable[[], None]) -> Any:
    """Call `then` once, just after the first paint of `widget` for which `ready()` holds (from
    the event loop's next turn, so the paint itself has finished)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watcher(QObject):
        fired = False

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if not self.fired and event.type() == QEvent.Type.Paint and ready():
                self.fired = True
                QTimer.singleShot(0, then)
            return False

    watcher = Watcher(widget)
    widget.installEventFilter(watcher)
    return watcher


def startup_baseline() -> None:
    """An empty PySide6 window: import, QApplication, show, first paint."""
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])
    window = QWidget()
    window.resize(1280, 800)

    def painted() -> None:
        emit({"painted_at": time.time(), "peak_rss_mb": peak_rss_mb()})
        os._exit(0)

    _paint_watcher(window, lambda: True, painted)
    window.show()
    app.exec()


def run_app(data_dir: str, user: str, after_paint: Callable[[Any, float], None]) -> None:
    """Start the app as `careleaver-app --data-dir DIR` does; call `after_paint(window, time)`
    once the caseload has been painted with rows."""
    # In the order `careleaver-app` imports them: the command line, then the app.
    from careleaver_app.cli import build_parser  # isort: skip

    import careleaver_app.app as app_module

    args = build_parser().parse_args(
        ["--data-dir", data_dir, "--user", user, "--today", TODAY.isoformat()]
    )
    start_lock = app_module._start_lock

    def signed_in(services: Any, label: str, username: str, hint: str = "") -> Any:
        return services.staffing.actor(username)

    def watching(window: Any, services: Any, actor: Any, hint: str) -> Any:
        lock = start_lock(window, services, actor, hint)
        caseload = window.caseload
        _paint_watcher(
            caseload.table.viewport(),
            lambda: caseload.model.rowCount() > 0,
            lambda: after_paint(window, time.time()),
        )
        return lock

    app_module._sign_in = signed_in
    app_module._start_lock = watching
    app_module.run_gui(args)


def clean_close(data_dir: str, user: str) -> None:
    """Start the app and close it as a user would once it has painted, so that the next start
    finds the file as a clean close left it (the probes end with os._exit, and the other
    measurements open the database too: without this every start would first check the whole
    file, as the app rightly does after a session that did not end cleanly)."""

    def after_paint(window: Any, painted_at: float) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.close)

    run_app(data_dir, user, after_paint)
    emit({"closed": True})


def startup_app(data_dir: str, user: str, scroll: bool) -> None:
    def after_paint(window: Any, painted_at: float) -> None:
        result: dict[str, Any] = {
            "painted_at": painted_at,
            "rows": window.caseload.model.rowCount(),
            "rows_at_paint": window.caseload.model.rowCount(),
            "total": window.caseload.model.total,
            "rss_at_paint_mb": current_rss_mb(),
        }
        if scroll:
            seconds, rows = _scroll_to_end(window)
            from careleaver_app.ui.caseload_model import PAGE

            result.update(
                scroll_seconds=seconds, rows=rows, page=PAGE, rss_scrolled_mb=current_rss_mb()
            )
        result["peak_rss_mb"] = peak_rss_mb()
        emit(result)
        os._exit(0)  # the measurement is over: no sign-out audit, no layout saved

    run_app(data_dir, user, after_paint)


def _scroll_to_end(window: Any) -> tuple[float, int]:
    """Scroll the caseload to its last row as a user holding End would: the view asks the model
    for more rows (fetchMore) each time the bottom comes into sight."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    table, model = window.caseload.table, window.caseload.model
    start = time.perf_counter()
    while model.canFetchMore(QModelIndex()):
        before = model.rowCount()
        table.scrollToBottom()
        QApplication.processEvents()
        if model.rowCount() == before:  # the view did not fetch this turn: ask as it would
            model.fetchMore(QModelIndex())
    table.scrollToBottom()
    QApplication.processEvents()
    return time.perf_counter() - start, model.rowCount()


def search(data_dir: str, user: str, words: list[str], pauses: list[int]) -> None:
    """Type each word a key at a time into the search box; time each keystroke until the
    caseload has been re-queried and the table repainted."""

    def after_paint(window: Any, painted_at: float) -> None:
        from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
        from PySide6.QtTest import QTest

        view = window.caseload
        state = {"reset": False, "painted": False}
        loop = QEventLoop()

        def on_reset() -> None:
            state["reset"] = True

        def on_painted() -> None:
            state["painted"] = True
            loop.quit()

        class Repaint(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint and state["reset"] and not state["painted"]:
                    state["reset"] = False
                    QTimer.singleShot(0, on_painted)
                return False

        watcher = Repaint(view)
        view.table.viewport().installEventFilter(watcher)
        view.model.modelReset.connect(on_reset)

        # One timer, stopped after each wait, so that no stale timeout ends a later wait early.
        give_up = QTimer(view, singleShot=True, interval=10_000)
        give_up.timeout.connect(loop.quit)
        missed: list[str] = []

        def wait(action: Callable[[], None], what: str = "") -> float:
            state.update(reset=False, painted=False)
            start = time.perf_counter()
            action()
            if not state["painted"]:
                give_up.start()
                loop.exec()
                give_up.stop()
            if not state["painted"] and what:
                missed.append(what)  # never hangs: a missing repaint counts as 10 s
            return time.perf_counter() - start

        samples: dict[str, list[float]] = {}
        keystrokes: list[str] = []
        for pause in pauses:
            view._timer.setInterval(pause)
            got = samples.setdefault(str(pause), [])
            for word in words:
                if view.search.text():
                    wait(view.search.clear)
                for i, char in enumerate(word):
                    press = word[: i + 1]
                    got.append(wait(lambda c=char: QTest.keyClick(view.search, c), press))
                    if pause == pauses[0]:
                        keystrokes.append(press)
        emit(
            {
                "samples": samples,
                "keystrokes": keystrokes,
                "missed": missed,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
        os._exit(0)

    run_app(data_dir, user, after_paint)
