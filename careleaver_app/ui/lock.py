"""The idle lock: after N idle minutes, or on resume from sleep, every window hides its content
behind a password prompt.

Windows are covered, never closed: an open dialog keeps running its event loop with the user's
half-typed edit inside, and comes back as it was once the password is given. While locked no
young person's name is in any visible widget or window title.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}
SLEEP_CHECK_MS = 10_000
# Wall time running ahead of monotonic time by more than this means the machine slept:
# CLOCK_MONOTONIC stops during suspend on Linux, as mach_absolute_time does on macOS.
SLEEP_GAP_SECONDS = 30.0


_BLOCKED_WHILE_LOCKED = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.Shortcut,
    QEvent.Type.ShortcutOverride,
}


def _inside_cover(obj: QObject | None) -> bool:
    while obj is not None:
        if isinstance(obj, _Cover):
            return True
        obj = obj.parent()
    return False


class IdleWatcher(QObject):
    """Emits `idle_timed_out` after `timeout_ms` without keyboard or mouse input, and
    `resumed_from_sleep` when the wall clock jumps ahead of the monotonic clock."""

    idle_timed_out = Signal()
    resumed_from_sleep = Signal()

    def __init__(
        self,
        timeout_ms: int,
        parent: QObject | None = None,
        *,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._wall, self._monotonic = wall, monotonic
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle_timed_out)
        self._sleep_timer = QTimer(self)
        self._sleep_timer.timeout.connect(self.check_for_sleep)
        self._mark = (wall(), monotonic())
        self.set_timeout(timeout_ms)

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()
        self._sleep_timer.start(SLEEP_CHECK_MS)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
        self._sleep_timer.stop()

    @property
    def running(self) -> bool:
        """Whether it is watching: between start() and stop()."""
        return self._sleep_timer.isActive()

    def set_timeout(self, timeout_ms: int) -> None:
        self._timer.setInterval(timeout_ms)
        if self._timer.isActive():
            self._timer.start()

    def restart(self) -> None:
        self._timer.start()

    def check_for_sleep(self) -> None:
        wall, mono = self._wall(), self._monotonic()
        slept = (wall - self._mark[0]) - (mono - self._mark[1]) > SLEEP_GAP_SECONDS
        self._mark = (wall, mono)
        if slept:
            self.resumed_from_sleep.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._timer.start()
        return False


class _Cover(QFrame):
    """Covers one window while locked; any cover's password field unlocks them all."""

    unlock_requested = Signal(str)

    def __init__(self, window: QWidget, username: str, hint: str = "") -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(self.tr("Locked"))
        title = QLabel(self.tr("Care Leaver Tracker is locked"), self)
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        note = QLabel(
            self.tr("Enter the password for %s to carry on where you left off.") % username, self
        )
        note.setWordWrap(True)
        hint_label = QLabel(hint, self)
        hint_label.setWordWrap(True)
        hint_label.setVisible(bool(hint))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.installEventFilter(self)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.hide()
        unlock = QPushButton(self.tr("&Unlock"), self)
        unlock.setAccessibleName(self.tr("Unlock"))
        unlock.clicked.connect(self._on_unlock_clicked)
        form = QFormLayout()
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(note, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(hint_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(unlock, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        window.installEventFilter(self)
        self.setGeometry(window.rect())

    def _on_unlock_clicked(self) -> None:
        self.unlock_requested.emit(self.password.text())

    def show_error(self, message: str) -> None:
        self.password.clear()
        self.error.setText(message)
        self.error.show()
        self.password.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parent():
            self.setGeometry(self.parentWidget().rect())
        elif (
            watched is self.password
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        ):
            # Consumed here, so that neither key goes on to the dialog underneath (its default
            # button or its Cancel), even after the password has unlocked the windows.
            if event.key() == Qt.Key.Key_Escape:
                self.password.clear()
            else:
                self._on_unlock_clicked()
            return True
        return False


class _Covered:
    """What one window looked like before the lock, so that it is put back exactly."""

    def __init__(self, window: QWidget, cover: _Cover) -> None:
        self.window = window
        self.cover = cover
        self.title = window.windowTitle()
        self.hidden = [
            child
            for child in window.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if child is not cover and child.isVisible() and not child.isWindow()
        ]
        self.focus = window.focusWidget()


class LockController(QObject):
    """Locks every top-level window on idle or resume; unlocks with `check_password`, which
    raises DomainError (with a message for the user) when the password is refused."""

    locked = Signal(str)  # the reason: "idle" or "resume"
    unlocked = Signal()

    def __init__(
        self,
        username: str,
        check_password: Callable[[str], None],
        timeout_ms: int,
        parent: QObject | None = None,
        *,
        on_lock: Callable[[str], None] | None = None,
        watcher: IdleWatcher | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(parent)
        self.username = username
        self.hint = hint
        self._check_password = check_password
        self._on_lock = on_lock
        self.watcher = watcher or IdleWatcher(timeout_ms, self)
        self.watcher.idle_timed_out.connect(self._on_watcher_idle_timed_out)
        self.watcher.resumed_from_sleep.connect(self._on_watcher_resumed_from_sleep)
        self._covered: list[_Covered] = []

    @property
    def is_locked(self) -> bool:
        return bool(self._covered)

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()

    def set_timeout_minutes(self, minutes: int) -> None:
        self.watcher.set_timeout(minutes * 60_000)

    def _on_watcher_idle_timed_out(self) -> None:
        self.lock("idle")

    def _on_watcher_resumed_from_sleep(self) -> None:
        self.lock("resume")

    def lock(self, reason: str = "manual") -> None:
        if self.is_locked:
            return
        popup = QApplication.activePopupWidget()
        while popup is not None:
            popup.close()
            popup = QApplication.activePopupWidget()
        for window in QApplication.topLevelWidgets():
            self._cover(window)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        active = QApplication.activeModalWidget() or QApplication.activeWindow()
        target = next((c.cover for c in self._covered if c.window is active), None)
        if target is None and self._covered:
            target = self._covered[-1].cover
        if target is not None:
            target.password.setFocus()
        if self._on_lock is not None:
            self._on_lock(reason)
        self.locked.emit(reason)

    def _cover(self, window: QWidget) -> None:
        if (
            not window.isVisible()
            or isinstance(window, _Cover)
            or window.windowType() in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)
            or any(c.window is window for c in self._covered)
        ):
            return
        cover = _Cover(window, self.username, self.hint)
        covered = _Covered(window, cover)
        for child in covered.hidden:
            child.hide()
        window.setWindowTitle(self.tr("Care Leaver Tracker (locked)"))
        cover.unlock_requested.connect(self._on_cover_unlock_requested)
        cover.show()
        cover.raise_()
        self._covered.append(covered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.is_locked and event.type() in _BLOCKED_WHILE_LOCKED:
            # Keys reach only the password prompt: an Enter the prompt passes on must not press
            # a dialog's Save button, and no menu shortcut may open a window underneath.
            return not _inside_cover(watched)
        # A window that opens while locked (a message box, say) is covered as it appears.
        if (
            event.type() == QEvent.Type.Show
            and self.is_locked
            and isinstance(watched, QWidget)
            and watched.isWindow()
        ):
            QTimer.singleShot(0, lambda w=watched: self.is_locked and self._cover(w))
        return False

    def _on_cover_unlock_requested(self, password: str) -> None:
        try:
            self._check_password(password)
        except DomainError as exc:
            for covered in self._covered:
                covered.cover.show_error(str(exc))
            return
        self.unlock()

    def unlock(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for covered in reversed(self._covered):
            covered.window.removeEventFilter(covered.cover)
            covered.cover.hide()
            covered.cover.deleteLater()
            for child in covered.hidden:
                child.show()
            covered.window.setWindowTitle(covered.title)
            if covered.focus is not None:
                covered.focus.setFocus()
        self._covered = []
        self.watcher.restart()
        self.unlocked.emit()
