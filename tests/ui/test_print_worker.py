"""print_worker's jobs: a job never runs more than one progress report ahead of the window (so
that the window, when it repaints, is not left waiting for the interpreter lock), gives up
waiting if the window stops taking reports, and pauses garbage collection only while it builds."""

from __future__ import annotations

import gc
import threading
import time

from PySide6.QtCore import QThreadPool

from careleaver_app.ui import print_worker
from careleaver_app.ui.print_worker import Job, Stage


def _start(work):  # type: ignore[no-untyped-def]
    job = Job(work)
    pool = QThreadPool()
    job.start(pool)
    return job, pool


def test_a_job_waits_for_the_window_to_take_each_report_before_sending_the_next(qtbot):
    passed: list[int] = []
    done = threading.Event()

    def work(report):  # type: ignore[no-untyped-def]
        for n in range(3):
            report(Stage.LAYING_OUT, n, 3)
            passed.append(n)
        done.set()

    job, pool = _start(work)
    got: list[int] = []
    job.signals.progressed.connect(lambda stage, n, total: got.append(n))
    # The window takes nothing for a while (no event loop runs): the first report goes, the
    # second waits for it to be taken.
    deadline = time.monotonic() + 10
    while not passed and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.4)
    assert passed == [0]
    assert not done.is_set()
    # Once the window takes its reports, the job runs to the end.
    qtbot.waitUntil(done.is_set, timeout=5000)
    qtbot.waitUntil(lambda: got == [0, 1, 2], timeout=5000)
    pool.waitForDone()


def test_a_job_stops_waiting_when_the_window_takes_no_reports(monkeypatch):
    monkeypatch.setattr(print_worker, "PACING_TIMEOUT_S", 0.05)
    done = threading.Event()

    def work(report):  # type: ignore[no-untyped-def]
        for n in range(50):
            report(Stage.LAYING_OUT, n, 50)
        done.set()

    _job, pool = _start(work)
    # No event loop at all: one timeout, then the job no longer waits.
    assert done.wait(2.0), "the job waited for every report"
    pool.waitForDone()


def test_garbage_collection_is_paused_while_documents_are_built_and_resumed_after():
    assert gc.isenabled()
    with print_worker._no_collection():
        assert not gc.isenabled()
        with print_worker._no_collection():  # a second job at the same time
            assert not gc.isenabled()
        assert not gc.isenabled(), "the first job is still building"
    assert gc.isenabled()


def test_garbage_collection_turned_off_elsewhere_stays_off():
    gc.disable()
    try:
        with print_worker._no_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
